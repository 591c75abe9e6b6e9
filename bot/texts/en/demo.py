"""The demo municipality and the start banner."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "demo_listening": "naervaer is running on {url} — local mode, no sign-in",
    "demo_organisation": "The organisation: {people:person|people} in {units:unit|units}",
    "demo_people": "{n:person|people}",
    "demo_unit_leader": "leader: {names}",
    "demo_more_units": "… and {n:more unit|more units}",
    "demo_no_people": (
        "No employees yet: import an organisation with `naervaer org import FILE`, "
        "or start the demo municipality with `make run`."
    ),
    "demo_play": "Chat with naervaer as one of them in Teams' emulator (Agents Playground), in a new terminal:",
    "demo_play_open": "then open {url} in your browser (to switch person: Ctrl+C and another PERSONA).",
    "demo_persona_employee": "{name}, employee of {leader}",
    "demo_persona_leader": "{name}, leader of {unit}",
    "demo_persona_hr": "{name}, HR",
    "demo_persona_other": "{name}, {unit}",
    "demo_speaks_da": "in Danish",
    "demo_speaks_en": "in English",
    "demo_tab": "The tab with the absence calendar and check-ins (sign in as one of them): {url}",
    "demo_stop": "Stop the server with Ctrl+C.",
}
