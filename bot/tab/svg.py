"""Charts and calendars as server-side SVG: no CDN, no script, readable by screen readers
(role="img" with a label; every chart has the same figures as a table next to it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from html import escape

from rules.absence_kinds import COLOURS as KIND_COLOURS
from rules.checkin import HEX as CHECKIN_HEX

# Colours chosen for contrast on white and for colour-blind readers (with symbols in tables).
EMPTY, WEEKEND = "#eeeeee", "#fafafa"


def _svg(width: int, height: int, label: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}" class="chart">'
        f"<title>{escape(label)}</title>{body}</svg>"
    )


def year_calendar(
    first: date,
    days: Mapping[date, tuple[str, bool]],
    label: str,
    month_names: Sequence[str],
    is_working_day: object = None,
) -> str:
    """12 rows (months from `first`) × 31 cells; a day is coloured by absence kind, partial
    periods striped (marked differently), days off lighter."""
    cell, gap, left = 11, 2, 34
    body = [
        '<defs><pattern id="partial" width="4" height="4" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="2" height="4" fill="#ef6c00"/></pattern></defs>'
    ]
    month = date(first.year, first.month, 1)
    for row in range(12):
        y = row * (cell + gap)
        body.append(
            f'<text x="0" y="{y + cell - 2}" font-size="9">{escape(month_names[month.month - 1])}</text>'
        )
        day = month
        while day.month == month.month:
            x = left + (day.day - 1) * (cell + gap)
            kind = days.get(day)
            if kind is None:
                working = is_working_day(day) if callable(is_working_day) else day.weekday() < 5
                fill = EMPTY if working else WEEKEND
            elif kind[1]:
                fill = "url(#partial)"
            else:
                fill = KIND_COLOURS.get(kind[0], "#444")
            tip = f"<title>{day.isoformat()}{' ' + kind[0] if kind else ''}</title>" if kind else ""
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="2" fill="{fill}">{tip}</rect>'
            )
            day += timedelta(days=1)
        month = (month + timedelta(days=32)).replace(day=1)
    return _svg(left + 31 * (cell + gap), 12 * (cell + gap), label, "".join(body))


def stacked_days(series: Sequence[tuple[date, Mapping[str, int] | None]], label: str) -> str:
    """One column per working day, green/yellow/red stacked as shares; None = hidden (too few)."""
    width, height, bar = max(len(series), 1) * 6, 80, 5
    body = []
    for i, (_day, counts) in enumerate(series):
        x = i * 6
        if counts is None:
            body.append(f'<rect x="{x}" y="{height - 4}" width="{bar}" height="4" fill="#bdbdbd"/>')
            continue
        total = sum(counts.values()) or 1
        y = float(height)
        for colour in ("green", "yellow", "red"):
            h = height * counts.get(colour, 0) / total
            y -= h
            if h:
                body.append(
                    f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}" fill="{CHECKIN_HEX[colour]}"/>'
                )
    return _svg(width, height, label, "".join(body))


def trend_line(values: Sequence[tuple[str, float | None]], target: float | None, label: str) -> str:
    """Monthly absence percent as a line, with the unit's target (måltal) dashed."""
    width, height, pad = 480, 160, 24
    known = [v for _m, v in values if v is not None]
    top = max([*known, target or 0, 1.0]) * 1.2
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def y(v: float) -> float:
        return height - pad - (height - 2 * pad) * v / top

    points = " ".join(
        f"{pad + i * step:.1f},{y(v):.1f}" for i, (_m, v) in enumerate(values) if v is not None
    )
    body = [
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#757575"/>',
        f'<polyline points="{points}" fill="none" stroke="#1565c0" stroke-width="2"/>',
    ]
    if target is not None:
        body.append(
            f'<line x1="{pad}" y1="{y(target):.1f}" x2="{width - pad}" y2="{y(target):.1f}" '
            f'stroke="#2e7d32" stroke-dasharray="6 4"/>'
        )
    for value in (0.0, top / 1.2):
        body.append(
            f'<text x="0" y="{y(value) + 3:.1f}" font-size="9">{value:.1f}%</text>'.replace(
                ".", ",", 1
            )
            if value
            else f'<text x="0" y="{y(0) + 3:.1f}" font-size="9">0</text>'
        )
    for i, (month, _v) in enumerate(values):
        if i % 6 == 0:
            body.append(
                f'<text x="{pad + i * step:.1f}" y="{height - 6}" font-size="9">{escape(month)}</text>'
            )
    return _svg(width, height, label, "".join(body))
