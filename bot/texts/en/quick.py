"""English texts: quick (the quick sick report, dates people type, small talk)."""

TEXTS: dict[str, str] = {
    # --- dates (dialogs/dates.py: window_hint gives earliest, latest, example) ---
    "date_hint": "Or type a date, e.g. {example}.",
    "date_empty": 'You did not write a date. Write a day between {earliest} and {latest} — e.g. "{example}". I understand weekdays ("on friday"), "the day after tomorrow" and dates ("24 Dec").',
    # --- the quick sick report ---
    "quick_today": "today, {day}",
    "quick_other": "Other …",
    "quick_note_label": "Note to your leader (optional)",
    "quick_no_reason": "You do not need to say why you are ill.",
    "quick_first_day_label": "First day of absence",
    "quick_return_label": "Expected back (empty: don't know yet)",
    "sick_quick_again": 'Press **Send** on the card — or type "send", 1 (sick), 2 (partly sick), 3 (going home sick), 4 (child\'s first sick day) or "cancel".',
    "sick_going_home_today": "Going home sick starts today ({today}). Choose today — or another kind of absence.",
    "sick_no_reason_needed": "You do not need to say what is wrong — that is your own business. Here is your sick report, ready to send:",
    # --- small talk ---
    "small_talk_greeting": "Hi {name}! 👋 Write **sick** if you are ill today, or **help** to see what I can do.",
    "small_talk_thanks": "You're welcome! 🙂",
    "nothing_to_undo": "Nothing is going on that can be cancelled. Write **status** to see what is registered.",
}
