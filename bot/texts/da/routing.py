"""Danish texts: routing and telling the unit (the planner hears who is absent, never why)."""

_PLANNER = "\n\n_Du får besked som planlægger for {unit}. Årsagen deles aldrig._"

TEXTS: dict[str, str] = {
    "checkin_footer_named_deputy": (
        "Dit svar og din kommentar kan ses med dit navn af {leader} — og af stedfortræderen "
        "{deputy}, mens {leader} er væk. Ingen andre ser dem."
    ),
    "unit_absent_today_back": "{name} er fraværende i dag, forventet tilbage {back}." + _PLANNER,
    "unit_absent_today_unknown": (
        "{name} er fraværende i dag. Hvornår {name} er tilbage, vides ikke endnu." + _PLANNER
    ),
    "unit_absent_from_back": "{name} er fraværende fra {day}, forventet tilbage {back}." + _PLANNER,
    "unit_absent_from_unknown": (
        "{name} er fraværende fra {day}. Hvornår {name} er tilbage, vides ikke endnu." + _PLANNER
    ),
    "unit_withdrawn": (
        "Fraværet for {name} fra {day}, som du fik besked om, er trukket tilbage." + _PLANNER
    ),
    "unit_told": (
        "Din enhed har også fået besked: {planner} (planlægger for {unit}) ved, at du er "
        "fraværende — ikke hvorfor. Du behøver ikke ringe til afdelingen."
    ),
}
