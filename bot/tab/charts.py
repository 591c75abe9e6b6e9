"""The tab's charts: what the templates call to draw a fraværskort, a unit's trend and the
team's check-ins. Kept apart from the pages so the drawing can change without touching them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.tab import svg
from bot.texts import t


def helpers(lang: str) -> dict[str, Callable[..., str]]:
    """Functions the templates call by name: calendar(card), trend(row)."""
    months = t(lang, "tab_month_names").split(",")

    def calendar(card: Any) -> str:
        label = t(
            lang,
            "tab_calendar_label",
            name=card.name,
            periods=card.periods,
            days=card.calendar_days,
        )
        return svg.year_calendar(card.first, card.days, label, months)

    def trend(row: Any) -> str:
        values = [(f"{months[m.month - 1]} {m.year % 100:02d}", p) for m, p in row.trend]
        return svg.trend_line(values, row.target, t(lang, "tab_trend_label", unit=row.name))

    return {"calendar": calendar, "trend": trend}


def trivsel(data: dict[str, Any], lang: str) -> str:
    """The team's check-in colours per working day."""
    return svg.stacked_days(data["series"], t(lang, "tab_trivsel_label"))
