"""English texts: routing and telling the unit (the planner hears who is absent, never why)."""

_PLANNER = "\n\n_You are told as the planner for {unit}. The reason is never shared._"

TEXTS: dict[str, str] = {
    "checkin_footer_named_deputy": (
        "Your answer and comment can be seen with your name by {leader} — and by the deputy "
        "{deputy} while {leader} is away. Nobody else sees them."
    ),
    "unit_absent_today_back": "{name} is absent today, expected back {back}." + _PLANNER,
    "unit_absent_today_unknown": (
        "{name} is absent today. When {name} will be back is not known yet." + _PLANNER
    ),
    "unit_absent_from_back": "{name} is absent from {day}, expected back {back}." + _PLANNER,
    "unit_absent_from_unknown": (
        "{name} is absent from {day}. When {name} will be back is not known yet." + _PLANNER
    ),
    "unit_withdrawn": (
        "The absence of {name} from {day} that you were told about has been withdrawn." + _PLANNER
    ),
    "unit_told": (
        "Your unit has been told too: {planner} (planner for {unit}) knows you are absent — "
        "not why. You need not phone the department."
    ),
}
