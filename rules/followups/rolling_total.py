"""rolling_total: `days` sick days within `months` rolling months (15 in 12)."""

from __future__ import annotations

from datetime import date
from math import ceil
from typing import Final

from rules.followups.context import Context
from rules.followups.core import ONE_DAY, FollowUp, add_months
from rules.followups.explain import pending
from rules.followups.texts import UNIT, say
from rules.policy import RollingTotalRule, Texts

ROLLING_TOTAL: Final = (
    "{total} af {days} sygedage ({unit}) de seneste {months} måneder.",
    "{total} of {days} sick days ({unit}) in the last {months} months.",
)
ROLLING_ALREADY: Final = (
    "{total:sygedag|sygedage} ({unit}) de seneste {months} måneder: grænsen på {days} blev nået i et "
    "tidligere fravær eller før de seneste 15 måneder.",
    "{total:sick day|sick days} ({unit}) in the last {months} months: the limit of {days} was reached in "
    "an earlier absence or more than 15 months ago.",
)


def reads_back(rule: RollingTotalRule) -> int:
    return rule.months * 31 + 1


def _total_on(rule: RollingTotalRule, ctx: Context, d: date, working: bool) -> float:
    """Sick days in the `months` up to and including d."""
    return ctx.total(add_months(d, -rule.months) + ONE_DAY, d, working)


def evaluate(rule: RollingTotalRule, ctx: Context) -> list[FollowUp]:
    """Fires on the day the rolling total reaches `days`; again only after it fell below."""
    found = []
    working = ctx.working(rule)
    for absence in ctx.recent:
        older = _total_on(rule, ctx, absence.first - ONE_DAY, working)
        if older >= rule.days:
            continue
        in_absence = ctx.count(absence.first, absence.last, working)
        # Older days only drop out of the window as it moves on, so the total cannot reach
        # `days` before this absence alone has supplied `days - older` of them.
        needed = ceil(rule.days - older)
        while needed <= in_absence:
            natural = ctx.nth_counted(absence.first, needed, working)
            total = _total_on(rule, ctx, natural, working)
            if total >= rule.days:
                values = {"days": rule.days, "total": total, "months": rule.months}
                if f := ctx.followup(rule, absence.first.isoformat(), natural, values):
                    found.append(f)
                break
            # Partly sick days may count as a share: step by whole days all the same.
            needed += max(1, ceil(rule.days - total))
    return found


def explain(rule: RollingTotalRule, ctx: Context) -> Texts:
    if found := pending(ctx):
        return found
    working = ctx.working(rule)
    total = _total_on(rule, ctx, ctx.on, working)
    template = ROLLING_ALREADY if total >= rule.days else ROLLING_TOTAL
    return say(template, total=total, days=rule.days, unit=UNIT[working], months=rule.months)
