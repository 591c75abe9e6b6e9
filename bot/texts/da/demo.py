"""The demo municipality and the start banner."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "demo_listening": "naervaer kører på {url} — lokal tilstand, uden login",
    "demo_organisation": "Organisationen: {people:person|personer} i {units:enhed|enheder}",
    "demo_people": "{n:person|personer}",
    "demo_unit_leader": "leder: {names}",
    "demo_more_units": "… og {n:enhed|enheder} mere",
    "demo_no_people": (
        "Ingen medarbejdere endnu: importér en organisation med `naervaer org import FIL`, "
        "eller start demo-kommunen med `make run`."
    ),
    "demo_play": "Chat med naervaer som en af dem i Teams' emulator (Agents Playground), i en ny terminal:",
    "demo_play_open": "og åbn {url} i browseren (skift person: Ctrl+C og en anden PERSONA).",
    "demo_persona_employee": "{name}, medarbejder hos {leader}",
    "demo_persona_leader": "{name}, leder af {unit}",
    "demo_persona_hr": "{name}, HR",
    "demo_persona_other": "{name}, {unit}",
    "demo_speaks_da": "på dansk",
    "demo_speaks_en": "på engelsk",
    "demo_tab": "Fanen med fraværskort og trivsel (log ind som en af dem): {url}",
    "demo_stop": "Stop serveren med Ctrl+C.",
}
