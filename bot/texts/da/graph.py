"""Entra ID and Microsoft Graph: org sync, install, activity feed, Outlook."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    # The access export's names for what the directory read keeps (issue 19).
    "export_area_directory": "oplysninger fra Entra ID",
    "export_area_app_install": "installation af appen",
    "export_field_data": "oplysninger",
    "export_field_app_id": "appens id",
    "export_field_installed_at": "installeret",
    "export_area_activity_feed": "notifikationer i aktivitetsfeedet",
    "export_field_notice_key": "nøgle",
    "export_field_notification": "notifikation",
    "export_field_tries": "forsøg",
    "export_field_due_at": "sendes",
    "export_field_problem": "fejl",
    "export_area_outlook_choice": "Outlook under fravær: dit valg",
    "export_area_outlook": "Outlook under fravær",
    "export_field_enabled": "slået til",
    "export_field_chosen_at": "valgt",
    "export_field_event_id": "kalenderaftale (id)",
    "export_field_shown_until": "vist i kalenderen til og med",
    "export_field_replies_until": "automatiske svar til og med",
    "export_field_done": "afsluttet",
    # Outlook while sick: the same neutral words for every kind of absence.
    "graph_outlook_subject": "Fraværende",
    "graph_outlook_reply": "Jeg er fraværende og vender tilbage {back}.",
    # The person's own word on it, and what it will do here.
    "graph_outlook_help": "**outlook fra** / **outlook til** — om din Outlook viser, at du er fraværende, når du er syg",
    "graph_outlook_chosen_off": (
        "Outlook-visning er slået fra for dig: når du er syg, kommer der ingen aftale i din "
        "kalender og intet automatisk svar. Vises dit fravær i Outlook nu, bliver det fjernet. "
        "Skriv **outlook til** for at slå det til igen."
    ),
    "graph_outlook_chosen_on": (
        "Outlook-visning er slået til for dig: når du er syg, viser din kalender en "
        "heldagsaftale «Fraværende», og mails får et automatisk svar om, hvornår du er tilbage "
        "— aldrig hvorfor. Skriv **outlook fra** for at slå det fra."
    ),
    "graph_outlook_chosen_off_later": (
        "Outlook-visning er slået fra i kommunen, så din Outlook viser intet om dit fravær. "
        "Dit valg er gemt: slår kommunen den til, forbliver den slået fra for dig."
    ),
    "graph_outlook_chosen_on_later": (
        "Outlook-visning er slået fra i kommunen, så din Outlook viser intet om dit fravær. "
        "Dit valg er gemt: slår kommunen den til, viser din Outlook, når du er fraværende."
    ),
}
