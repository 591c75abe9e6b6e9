"""Who may do what: skulderklap, team-day settings, HR on sick reports."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "scope_other_tenant": (
        "This naervaer belongs to another organisation, so I cannot help you here. "
        "Nothing was stored."
    ),
    "scope_team_day_who": (
        "The team day colour is set by the unit's leader, or by the deputy while the leader is "
        "away. Ask your leader if something should change."
    ),
}
