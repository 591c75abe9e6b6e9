"""The tab's charts: what the templates call to draw a fraværskort, a unit's trend and the
team's check-ins. Kept apart from the pages so the drawing can change without touching them.

A unit's trend and the check-ins are drawn in the browser by Chart.js (static/charts.js): the
server hands each chart over as a `Chart` — the figures as JSON for the canvas, a sentence that
says what the chart shows, and the same figures as a table. Every label and number is formatted
here, in the viewer's language, so the browser only has to place them. The fraværskort is a
calendar, not a chart: it stays server-side SVG (svg.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.tab import svg
from bot.texts import format_value, t
from rules.absence_kinds import COLOURS as KIND_COLOURS
from rules.checkin import HEX as CHECKIN_HEX
from rules.checkin import SYMBOLS as CHECKIN_SYMBOLS

LOCALES = {"da": "da-DK", "en": "en-GB"}
CHECKIN_COLOURS = ("green", "yellow", "red")
# The last days a person's own row shows as symbols (the counts cover the whole period).
PERSON_DAYS = 10
FRIDAY = 4


@dataclass(frozen=True)
class Chart:
    """One chart as a page shows it: `spec` for the browser, `caption` its text alternative,
    `head` and `rows` its table view (all text already formatted), `note` what it leaves out."""

    spec: dict[str, Any]
    caption: str
    head: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""


def decimal(lang: str, value: float, digits: int = 1) -> str:
    """'44,4' in Danish, '44.4' in English: never a comma where a machine reads a number."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "da" else text


def percent(lang: str, value: float | None) -> str:
    """'44,4 %' in Danish, '44.4%' in English; a dash for no figure."""
    return "–" if value is None else t(lang, "chart_percent", value=decimal(lang, value))


def month_names(lang: str) -> list[str]:
    return t(lang, "tab_month_names").split(",")


def short_date(lang: str, day: date) -> str:
    """'24/11' in Danish, '24 Nov' in English."""
    if lang == "da":
        return f"{day.day}/{day.month}"
    return f"{day.day} {month_names(lang)[day.month - 1]}"


def helpers(lang: str) -> dict[str, Callable[..., Any]]:
    """Functions the templates call by name: calendar(card), card_periods(card), trend(row),
    trivsel_people(data), person_days_heading()."""
    return {
        "calendar": lambda card: calendar(card, lang),
        "card_periods": lambda card: card_periods(card, lang),
        "trend": lambda row: trend(row, lang),
        "trivsel_people": lambda data: trivsel_people(data, lang),
        "person_days_heading": lambda: t(lang, "chart_person_days", n=PERSON_DAYS),
    }


# --- the fraværskort ----------------------------------------------------------------------


def calendar(card: Any, lang: str) -> str:
    """A year as an SVG calendar: kinds by colour and name (in each day's tooltip, the legend
    and the periods table), partial periods hatched, weekends set apart."""
    last = _add_months(card.first, 12) - timedelta(days=1)
    label = t(
        lang,
        "chart_calendar_label",
        name=card.name,
        first=short_date(lang, card.first) + f" {card.first.year}",
        last=short_date(lang, last) + f" {last.year}",
        periods=card.periods,
        days=card.calendar_days,
    )
    names = {kind: t(lang, f"kind_{kind}") for kind in KIND_COLOURS}
    return svg.year_calendar(
        card.first,
        card.days,
        label,
        month_names(lang),
        lambda day: f"{format_value(lang, day)} {day.year}",
        names,
    )


def card_periods(card: Any, lang: str) -> list[list[str]]:
    """The calendar's table view: each run of days of one kind, as 'from–to', kind, days."""
    rows: list[list[str]] = []
    runs: list[tuple[date, date, tuple[str, bool]]] = []
    for day in sorted(card.days):
        what = card.days[day]
        if runs and runs[-1][1] == day - timedelta(days=1) and runs[-1][2] == what:
            runs[-1] = (runs[-1][0], day, what)
        else:
            runs.append((day, day, what))
    for first, last, (kind, _partial) in runs:
        name = t(lang, f"kind_{kind}")  # partial only as its own kind: the name says it
        when = short_date(lang, first)
        if last != first:
            when += "–" + short_date(lang, last)
        rows.append([f"{when} {last.year}", name, str((last - first).days + 1)])
    return rows


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


# --- a unit's trend -----------------------------------------------------------------------


def trend(row: Any, lang: str) -> Chart:
    """Sickness absence per month with the unit's target. The figures' last month is the one
    under way (figures.months_back ends with it): drawn hollow and dashed, and labelled so."""
    names = month_names(lang)
    labels = [
        t(lang, "chart_month_label", month=names[m.month - 1], year=str(m.year))
        for m, _p in row.trend
    ]
    if labels:
        labels[-1] = t(lang, "chart_so_far", when=labels[-1])
    values = [None if p is None else round(p, 2) for _m, p in row.trend]
    target = None
    if row.target is not None:
        target = {
            "value": row.target,
            "label": t(lang, "chart_target", percent=percent(lang, row.target)),
        }
    spec = {
        "kind": "trend",
        "locale": LOCALES.get(lang, LOCALES["da"]),
        "percent": t(lang, "chart_percent", value="{value}"),
        "labels": labels,
        "series": t(lang, "chart_absence"),
        "values": values,
        "incomplete": len(values) - 1 if values else None,
        "soFar": t(lang, "chart_so_far_key"),
        "target": target,
        "xTitle": t(lang, "chart_month"),
        "yTitle": t(lang, "tab_percent"),
    }
    rows = [[label, percent(lang, value)] for label, value in zip(labels, values, strict=True)]
    head = [t(lang, "chart_month"), t(lang, "chart_absence")]
    return Chart(spec, _trend_caption(row, labels, lang), head, rows)


def _trend_caption(row: Any, labels: Sequence[str], lang: str) -> str:
    """'Sygefravær i X pr. måned: 5,2 % i okt 2026, måltal 5,0 %. Seneste 12 måneder: 4,8 %.'"""
    complete = [(label, p) for label, (_m, p) in zip(labels, row.trend, strict=True)][:-1]
    known = [(label, p) for label, p in complete if p is not None]
    if not known:
        return t(lang, "chart_trend_caption_empty", unit=row.name)
    month, value = known[-1]
    target = (
        t(lang, "chart_target_part", percent=percent(lang, row.target))
        if row.target is not None
        else ""
    )
    return t(
        lang,
        "chart_trend_caption",
        unit=row.name,
        percent=percent(lang, value),
        month=month,
        target=target,
        year=percent(lang, row.percent),
    )


# --- the team's check-ins -----------------------------------------------------------------


@dataclass
class _Week:
    monday: date
    counts: Counter[str] = field(default_factory=Counter)
    hidden: int = 0  # days left out: too few anonymous answers


def _weeks(series: Sequence[tuple[date, Counter[str] | None]]) -> list[_Week]:
    weeks: dict[tuple[int, int], _Week] = {}
    for day, counts in series:
        year, number, _ = day.isocalendar()
        week = weeks.setdefault((year, number), _Week(day - timedelta(days=day.weekday())))
        if counts is None:
            week.hidden += 1
        else:
            week.counts.update({c: counts.get(c, 0) for c in CHECKIN_COLOURS})
    return list(weeks.values())


def trivsel(data: dict[str, Any], lang: str) -> Chart:
    """The team's green, yellow and red answers stacked per working week."""
    weeks = _weeks(data["series"])
    labels = _week_labels(weeks, data["series"], lang)
    datasets = [
        {
            "key": colour,
            # On the canvas each colour has its own pattern; the table adds the symbol.
            "label": t(lang, f"chart_{colour}"),
            "colour": CHECKIN_HEX[colour],
            "values": [w.counts[colour] for w in weeks],
        }
        for colour in CHECKIN_COLOURS
    ]
    spec = {
        "kind": "stacked",
        "locale": LOCALES.get(lang, LOCALES["da"]),
        "labels": labels,
        "datasets": datasets,
        "xTitle": t(lang, "chart_week"),
        "yTitle": t(lang, "chart_answers"),
    }
    symbols = [f"{CHECKIN_SYMBOLS[c]} {t(lang, f'chart_{c}')}" for c in CHECKIN_COLOURS]
    head = [t(lang, "chart_week"), *symbols, t(lang, "chart_total")]
    rows = []
    for week, label in zip(weeks, labels, strict=True):
        if not week.counts.total() and not week.hidden:
            continue
        when = f"{label[0]}, {label[1]}"
        if week.hidden:
            when += " — " + t(lang, "chart_hidden_days", n=week.hidden)
        counts = [str(week.counts[c]) for c in CHECKIN_COLOURS] + [str(week.counts.total())]
        rows.append([when, *(counts if week.counts.total() else ["–"] * len(counts))])
    hidden = sum(w.hidden for w in weeks)
    note = t(lang, "chart_trivsel_hidden", n=hidden) if hidden else ""
    return Chart(spec, _trivsel_caption(weeks, labels, lang), head, rows, note)


def _week_labels(
    weeks: Sequence[_Week], series: Sequence[tuple[date, Any]], lang: str
) -> list[list[str]]:
    """'uge 48' over '23/11'. The series ends today, so a last week that ends before Friday is
    still under way: its date says "(foreløbig)", as the month under way does."""
    labels = [
        [t(lang, "chart_week_label", week=w.monday.isocalendar()[1]), short_date(lang, w.monday)]
        for w in weeks
    ]
    if labels and series[-1][0].weekday() < FRIDAY:
        labels[-1][1] = t(lang, "chart_so_far", when=labels[-1][1])
    return labels


def _trivsel_caption(weeks: Sequence[_Week], labels: Sequence[list[str]], lang: str) -> str:
    if not weeks:
        return t(lang, "chart_no_answers")
    total: Counter[str] = Counter()
    for week in weeks:
        total.update(week.counts)
    span = {"first": labels[0][0], "last": labels[-1][0]}
    if not total.total():
        return t(lang, "chart_trivsel_caption_empty", **span)
    return t(
        lang,
        "chart_trivsel_caption",
        n=total.total(),
        **span,
        **{c: total[c] for c in CHECKIN_COLOURS},
    )


def trivsel_people(data: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Each named person's answers: counts per colour with symbol and word, and the last
    working days as symbols (a title gives the day)."""
    people = []
    for name, days in data["people"]:
        counts = Counter(colour for _d, colour in days)
        people.append(
            {
                "name": name,
                "counts": [
                    f"{CHECKIN_SYMBOLS[c]} {t(lang, f'chart_{c}')}: {counts[c]}"
                    for c in CHECKIN_COLOURS
                ]
                + [f"{CHECKIN_SYMBOLS[None]} {t(lang, 'chart_unanswered')}: {counts[None]}"],
                "recent": [
                    (CHECKIN_SYMBOLS.get(colour, CHECKIN_SYMBOLS[None]), short_date(lang, d))
                    for d, colour in days[-PERSON_DAYS:]
                ],
                "recent_text": ", ".join(
                    f"{short_date(lang, d)}: {_colour_word(colour, lang)}"
                    for d, colour in days[-PERSON_DAYS:]
                ),
            }
        )
    return people


def _colour_word(colour: str | None, lang: str) -> str:
    return t(lang, f"chart_{colour}") if colour in CHECKIN_COLOURS else t(lang, "chart_unanswered")
