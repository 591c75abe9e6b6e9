"""Danish texts: quick (the quick sick report, dates people type, small talk)."""

TEXTS: dict[str, str] = {
    # --- datoer (dialogs/dates.py: window_hint gives earliest, latest, example) ---
    "date_hint": "Eller skriv en dato, fx {example}.",
    "date_empty": 'Du skrev ingen dato. Skriv en dag mellem {earliest} og {latest} — fx "{example}". Jeg forstår ugedage ("på fredag"), "i overmorgen" og datoer ("24/12").',
    # --- den hurtige sygemelding ---
    "quick_today": "i dag, {day}",
    "quick_other": "Andet …",
    "quick_note_label": "Besked til din leder (valgfri)",
    "quick_no_reason": "Du behøver ikke skrive, hvorfor du er syg.",
    "quick_first_day_label": "Første sygedag",
    "quick_return_label": "Forventet tilbage (tom: ved ikke endnu)",
    "sick_quick_again": 'Tryk **Send** på kortet — eller skriv "send", 1 (syg), 2 (delvis syg), 3 (går syg hjem), 4 (barns første sygedag) eller "fortryd".',
    "sick_going_home_today": "Går du syg hjem, er første dag i dag ({today}). Vælg i dag — eller en anden slags fravær.",
    "sick_no_reason_needed": "Du behøver ikke fortælle, hvad du fejler — det er din egen sag. Her er din sygemelding, klar til at sende:",
    # --- småsnak ---
    "small_talk_greeting": "Hej {name}! 👋 Skriv **syg**, hvis du er syg i dag, eller **hjælp** for at se, hvad jeg kan.",
    "small_talk_thanks": "Selv tak! 🙂",
    "nothing_to_undo": "Der er ikke noget i gang, som kan fortrydes. Skriv **status** for at se, hvad der er registreret.",
}
