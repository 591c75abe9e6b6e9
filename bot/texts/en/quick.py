"""English texts: quick (the quick sick report, dates people type, small talk)."""

TEXTS: dict[str, str] = {
    # --- dates (dialogs/dates.py: window_hint gives earliest, latest, example) ---
    "date_hint": "Or type a date, e.g. {example}.",
    "date_empty": 'You did not write a date. Write a day between {earliest} and {latest} — e.g. "{example}". I understand weekdays ("on friday"), "the day after tomorrow" and dates ("24 Dec").',
}
