"""Entra ID and Microsoft Graph: org sync, install, activity feed, Outlook."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    # The access export's names for what the directory read keeps (issue 19).
    "export_area_directory": "from Entra ID",
    "export_area_app_install": "app installation",
    "export_field_data": "details",
    "export_field_app_id": "app id",
    "export_field_installed_at": "installed",
    "export_area_activity_feed": "activity feed notices",
    "export_field_notice_key": "key",
    "export_field_notification": "notification",
    "export_field_tries": "attempts",
    "export_field_due_at": "due",
    "export_field_problem": "error",
    "export_area_outlook_choice": "Outlook while absent: your choice",
    "export_area_outlook": "Outlook while absent",
    "export_field_enabled": "on",
    "export_field_chosen_at": "chosen",
    "export_field_event_id": "calendar event (id)",
    "export_field_shown_until": "shown in the calendar through",
    "export_field_replies_until": "automatic replies through",
    "export_field_done": "finished",
    # Outlook while sick: the same neutral words for every kind of absence.
    "graph_outlook_subject": "Away",
    "graph_outlook_reply": "I am away and will be back {back}.",
    # The person's own word on it, and what it will do here.
    "graph_outlook_help": "**outlook off** / **outlook on** — whether your Outlook shows that you are away while you are sick",
    "graph_outlook_chosen_off": (
        "Outlook is off for you: while you are sick, no event goes in your calendar and no "
        "automatic reply is sent. If Outlook shows your absence now, it will be removed. "
        "Write **outlook on** to switch it on again."
    ),
    "graph_outlook_chosen_on": (
        "Outlook is on for you: while you are sick, your calendar shows an all-day event "
        "“Away” and mail gets an automatic reply saying when you are back — never why. "
        "Write **outlook off** to switch it off."
    ),
    "graph_outlook_chosen_off_later": (
        "Showing absence in Outlook is switched off in your municipality, so your Outlook shows "
        "nothing about your absence. Your choice is kept: if your municipality switches it on, "
        "it stays off for you."
    ),
    "graph_outlook_chosen_on_later": (
        "Showing absence in Outlook is switched off in your municipality, so your Outlook shows "
        "nothing about your absence. Your choice is kept: if your municipality switches it on, "
        "your Outlook will show when you are away."
    ),
}
