"""Dansk (standard)."""

TEXTS: dict[str, str] = {
    "unknown_user": (
        "Hej! Du er ikke oprettet i naervaer — kontakt din leder eller HR, så bliver du sat op."
    ),
    "welcome": (
        "Hej {name}! Jeg er naervaer. Her kan du sygemelde og raskmelde dig til din leder, "
        "og svare på et kort trivselsspørgsmål. Skriv **hjælp** for at se, hvad jeg kan."
    ),
    "internal_error": "Beklager, der skete en fejl hos naervaer. Prøv igen om lidt — ring til din leder, hvis det haster.",
    "not_understood": 'Det forstod jeg ikke: "{text}". Skriv **hjælp** for at se, hvad jeg kan.',
    "not_understood_card": "Den knap kender jeg ikke. Skriv **hjælp** for at se, hvad jeg kan.",
    "empty_message": "Jeg modtog en tom besked. Skriv **hjælp** for at se, hvad jeg kan.",
    "coming_soon": '"{command}" er på vej i naervaer, men virker ikke endnu. Kontakt din leder direkte i mellemtiden.',
    "help_title": "naervaer — det kan jeg",
    "help_intro": "Skriv et af ordene herunder eller tryk på en knap.",
    "help_sick": "**syg** — sygemeld dig til din nærmeste leder",
    "help_fit": "**rask** — raskmeld dig",
    "help_home": "**går syg hjem** — du går hjem syg i løbet af dagen",
    "help_emergency": "**akutdag** — bed om en akutdag (ingen grund skal angives)",
    "help_status": "**status** — se hvad der er registreret",
    "help_help": "**hjælp** — denne oversigt",
    "help_privacy": "naervaer spørger aldrig, hvorfor du er syg. Sygdom er en privat sag — fravær er en fælles sag.",
    "help_language": "I write English too: set Teams to English, or write **help**.",
    "button_sick": "Jeg er syg",
    "button_fit": "Jeg er rask",
    "button_status": "Status",
}
