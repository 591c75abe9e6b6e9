"""The tab's charts: axes, legends, text alternatives and table views."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    # Numbers: the browser fills {value} in the viewer's number format.
    "chart_percent": "{value} %",
    "chart_table": "Tallene bag grafen",
    "chart_month": "Måned",
    "chart_month_label": "{month} {year}",
    "chart_so_far": "{when} (foreløbig)",
    "chart_so_far_key": "Foreløbig: måneden er ikke slut",
    "chart_absence": "Sygefravær",
    "chart_target": "Måltal {percent}",
    "chart_trend_caption": "Sygefravær i {unit} pr. måned: {percent} i {month}{target}. Seneste 12 måneder: {year}.",
    "chart_trend_caption_empty": "Sygefravær i {unit} pr. måned: endnu ingen tal.",
    "chart_target_part": ", måltal {percent}",
    "chart_week": "Uge",
    "chart_week_label": "uge {week}",
    "chart_answers": "Antal svar",
    "chart_green": "Grøn",
    "chart_yellow": "Gul",
    "chart_red": "Rød",
    "chart_total": "I alt",
    "chart_trivsel_caption": "Trivsel pr. uge, {first}–{last}: {n:svar|svar} i alt, {green:grøn|grønne}, {yellow:gul|gule} og {red:rød|røde}.",
    "chart_trivsel_caption_empty": "Trivsel pr. uge, {first}–{last}: ingen svar endnu.",
    "chart_trivsel_hidden": "{n:dag|dage} skjult, fordi færre end {min_answers} har svaret i en anonym enhed.",
    "chart_hidden_days": "{n:dag|dage} skjult — færre end {min_answers} svar",
    "chart_no_answers": "Ingen svar i perioden.",
    "chart_unanswered": "Ikke svaret",
    "chart_person_days": "Seneste {n:arbejdsdag|arbejdsdage}",
    "chart_calendar_label": "Fraværskort for {name}, {first}–{last}: {periods:periode|perioder}, {days:kalenderdag|kalenderdage}",
    "chart_calendar_periods": "Fraværsperioder",
    "chart_period": "Periode",
    "chart_kind": "Art",
    "chart_days": "Dage",
    "chart_no_absence": "Intet fravær",
    "chart_day_off": "Weekend",
}
