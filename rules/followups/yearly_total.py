"""yearly_total: `days` sick days in the calendar year call for a conversation in each listed
quarter (Lemvig: 10 dagsværk, Q3 and Q4)."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import Final

from rules.followups.context import Context
from rules.followups.core import YEAR_CONTEXT, FollowUp
from rules.followups.explain import pending
from rules.followups.texts import UNIT, say
from rules.policy import Texts, YearlyTotalRule

YEAR_TOTAL: Final = (
    "{total:sygedag|sygedage} ({unit}) i {year} til {on}; reglen: {days:dag|dage} giver samtale "
    "i {quarters}.",
    "{total:sick day|sick days} ({unit}) in {year} up to {on}; the rule: {days:day|days} call "
    "for a conversation in {quarters}.",
)


def reads_back(rule: YearlyTotalRule) -> int:
    return YEAR_CONTEXT


def _quarter(year: int, quarter: int) -> tuple[date, date]:
    last_month = 3 * quarter
    return date(year, last_month - 2, 1), date(year, last_month, monthrange(year, last_month)[1])


def evaluate(rule: YearlyTotalRule, ctx: Context) -> list[FollowUp]:
    """Each listed quarter from the day the year's total reaches `days`; the deadline is never
    after the quarter's last working day."""
    found = []
    working = ctx.working(rule)
    for year in range(ctx.emit_from.year, ctx.on.year + 1):
        jan1 = date(year, 1, 1)
        reached = ctx.nth_sick_day(jan1, min(date(year, 12, 31), ctx.on), rule.days, working)
        if reached is None:
            continue
        for quarter in rule.quarters:
            first, last = _quarter(year, quarter)
            if reached > last:
                continue
            natural = max(reached, first)
            values = {
                "days": rule.days,
                "total": ctx.total(jan1, natural, working),
                "year": year,
                "quarter": quarter,
            }
            occurrence = f"{year}-Q{quarter}"
            if f := ctx.followup(rule, occurrence, natural, values, deadline_cap=last):
                found.append(f)
    return found


def explain(rule: YearlyTotalRule, ctx: Context) -> Texts:
    if found := pending(ctx):
        return found
    working = ctx.working(rule)
    total = ctx.total(date(ctx.on.year, 1, 1), ctx.on, working)
    quarters = ", ".join(f"Q{q}" for q in rule.quarters)
    return say(
        YEAR_TOTAL,
        total=total,
        unit=UNIT[working],
        year=ctx.on.year,
        on=ctx.on,
        days=rule.days,
        quarters=quarters,
    )
