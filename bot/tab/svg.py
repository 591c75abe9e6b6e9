"""The fraværskort as server-side SVG: a year calendar is not a chart a charting library draws,
and a static picture needs no script. Readable by screen readers (role="img" with a label, a
title on every day with absence), and every coordinate is a whole number written by Python, so
no locale can put a comma into one."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from html import escape

from rules.absence_kinds import COLOURS as KIND_COLOURS

# A working day without absence is grey, a weekend white with a frame: told apart without colour.
EMPTY, WEEKEND, FRAME = "#e0e0e0", "#ffffff", "#9e9e9e"
CELL, GAP, LEFT, TOP = 11, 2, 50, 12
PARTIAL = (
    '<defs><pattern id="partial" width="4" height="4" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="4" height="4" fill="#ffffff" class="free"/>'
    '<rect width="2" height="4" fill="{colour}"/></pattern></defs>'
)


def year_calendar(
    first: date,
    days: Mapping[date, tuple[str, bool]],
    label: str,
    month_names: Sequence[str],
    day_name: Callable[[date], str],
    kind_names: Mapping[str, str],
) -> str:
    """12 rows (months from `first`, the year beside January and the first row) × 31 days; a
    day is coloured by absence kind and named in its title, partial periods hatched."""
    step = CELL + GAP
    body = [PARTIAL.format(colour=KIND_COLOURS.get("partly_sick", "#ef6c00"))]
    for number in (1, 5, 10, 15, 20, 25, 31):
        x = LEFT + (number - 1) * step + CELL // 2
        body.append(
            f'<text x="{x}" y="{TOP - 3}" font-size="8" text-anchor="middle">{number}</text>'
        )
    month = date(first.year, first.month, 1)
    for row in range(12):
        y = TOP + row * step
        name = month_names[month.month - 1]
        if row == 0 or month.month == 1:
            name += f" {month.year}"
        body.append(f'<text x="0" y="{y + CELL - 2}" font-size="10">{escape(name)}</text>')
        day = month
        while day.month == month.month:
            body.append(
                _day(day, LEFT + (day.day - 1) * step, y, days.get(day), day_name, kind_names)
            )
            day += timedelta(days=1)
        month = (month + timedelta(days=32)).replace(day=1)
    width, height = LEFT + 31 * step, TOP + 12 * step
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}" class="calendar">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def _day(
    day: date,
    x: int,
    y: int,
    kind: tuple[str, bool] | None,
    day_name: Callable[[date], str],
    kind_names: Mapping[str, str],
) -> str:
    # The classes let the page's theme recolour the empty days (the fills are the light theme).
    extra = ' class="work"'
    if kind is None:
        fill = EMPTY if day.weekday() < 5 else WEEKEND
        if day.weekday() >= 5:
            extra = f' class="off" stroke="{FRAME}" stroke-width="1"'
        tip = ""
    else:
        extra = ""
        fill = "url(#partial)" if kind[1] else KIND_COLOURS.get(kind[0], "#444444")
        tip = f"<title>{escape(day_name(day))}: {escape(kind_names.get(kind[0], kind[0]))}</title>"
    return (
        f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="2" fill="{fill}"{extra}>'
        f"{tip}</rect>"
    )
