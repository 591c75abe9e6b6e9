"""Who may do what: skulderklap, team-day settings, HR on sick reports."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "scope_other_tenant": (
        "Denne naervaer hører til en anden organisation, så jeg kan ikke hjælpe dig her. "
        "Intet er gemt."
    ),
    "scope_team_day_who": (
        "Dagsfarven sættes af enhedens leder, eller af stedfortræderen, mens lederen er væk. "
        "Spørg din leder, hvis noget skal ændres."
    ),
}
