"""The tab's charts: axes, legends, text alternatives and table views."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    # Numbers: the browser fills {value} in the viewer's number format.
    "chart_percent": "{value}%",
    "chart_table": "The figures behind the chart",
    "chart_month": "Month",
    "chart_month_label": "{month} {year}",
    "chart_so_far": "{when} (so far)",
    "chart_so_far_key": "So far: the month is not over",
    "chart_absence": "Sickness absence",
    "chart_target": "Target {percent}",
    "chart_trend_caption": "Sickness absence in {unit} per month: {percent} in {month}{target}. Last 12 months: {year}.",
    "chart_trend_caption_empty": "Sickness absence in {unit} per month: no figures yet.",
    "chart_target_part": ", target {percent}",
    "chart_week": "Week",
    "chart_week_label": "Week {week}",
    "chart_answers": "Answers",
    "chart_green": "Green",
    "chart_yellow": "Yellow",
    "chart_red": "Red",
    "chart_total": "Total",
    "chart_trivsel_caption": "Wellbeing per week, {first}–{last}: {n:answer|answers} in all, {green} green, {yellow} yellow and {red} red.",
    "chart_trivsel_caption_empty": "Wellbeing per week, {first}–{last}: no answers yet.",
    "chart_trivsel_hidden": "{n:day|days} hidden: fewer than {min_answers} answered in an anonymous unit.",
    "chart_hidden_days": "{n:day|days} hidden — fewer than {min_answers:answer|answers}",
    "chart_no_answers": "No answers in the period.",
    "chart_unanswered": "Not answered",
    "chart_person_days": "Last {n:working day|working days}",
    "chart_calendar_label": "Absence card for {name}, {first}–{last}: {periods:period|periods}, {days:calendar day|calendar days}",
    "chart_calendar_periods": "Absence periods",
    "chart_period": "Period",
    "chart_kind": "Kind",
    "chart_days": "Days",
    "chart_no_absence": "No absence",
    "chart_day_off": "Weekend",
}
