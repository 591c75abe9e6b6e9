"""Danish texts: quick (the quick sick report, dates people type, small talk)."""

TEXTS: dict[str, str] = {
    # --- datoer (dialogs/dates.py: window_hint gives earliest, latest, example) ---
    "date_hint": "Eller skriv en dato, fx {example}.",
    "date_empty": 'Du skrev ingen dato. Skriv en dag mellem {earliest} og {latest} — fx "{example}". Jeg forstår ugedage ("på fredag"), "i overmorgen" og datoer ("24/12").',
}
