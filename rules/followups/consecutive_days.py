"""consecutive_days: an absence reaching `days` consecutive absence days (Lemvig: 7)."""

from __future__ import annotations

from rules.followups.context import Context
from rules.followups.core import FollowUp
from rules.followups.explain import latest_day
from rules.policy import ConsecutiveDaysRule, Texts


def evaluate(rule: ConsecutiveDaysRule, ctx: Context) -> list[FollowUp]:
    """One follow-up per absence that reached day `days`, due on that day."""
    found = []
    working = ctx.working(rule)
    for absence in ctx.recent:
        if ctx.reached(absence, working) >= rule.days:
            natural = ctx.day_date(absence.first, rule.days, working)
            values = {"days": rule.days, "first_day": absence.first}
            if f := ctx.followup(rule, absence.first.isoformat(), natural, values):
                found.append(f)
    return found


def explain(rule: ConsecutiveDaysRule, ctx: Context) -> Texts:
    return latest_day(ctx, rule, (f"dag {rule.days}", f"day {rule.days}"))
