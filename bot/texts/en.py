"""English, when the Teams locale (or the employee's locale) is English."""

TEXTS: dict[str, str] = {
    "unknown_user": (
        "Hi! You are not set up in naervaer — please contact your leader or HR to be added."
    ),
    "welcome": (
        "Hi {name}! I am naervaer. Here you can report sick or fit to your leader "
        "and answer a short daily wellbeing question. Type **help** to see what I can do."
    ),
    "internal_error": "Sorry, something went wrong in naervaer. Please try again shortly — call your leader if it is urgent.",
    "not_understood": 'I did not understand "{text}". Type **help** to see what I can do.',
    "not_understood_card": "I do not know that button. Type **help** to see what I can do.",
    "empty_message": "I received an empty message. Type **help** to see what I can do.",
    "coming_soon": '"{command}" is coming to naervaer but does not work yet. Please contact your leader directly meanwhile.',
    "help_title": "naervaer — what I can do",
    "help_intro": "Type one of the words below or press a button.",
    "help_sick": "**sick** — report sick to your nearest leader",
    "help_fit": "**fit** — report fit for work again",
    "help_home": "**going home sick** — you leave work sick during the day",
    "help_emergency": "**akutdag** — ask for an emergency day off (no reason needed)",
    "help_status": "**status** — see what is registered",
    "help_help": "**help** — this overview",
    "help_privacy": "naervaer never asks why you are sick. Illness is private — absence is shared.",
    "help_language": "Jeg skriver også dansk: skriv **hjælp**.",
    "button_sick": "I am sick",
    "button_fit": "I am fit",
    "button_status": "Status",
}
