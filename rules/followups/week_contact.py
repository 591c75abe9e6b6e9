"""week_contact: contact in absence week W, due on its first day 7*(W-1)+1 (Hjørring: weeks 2
and 6); always calendar weeks."""

from __future__ import annotations

from datetime import timedelta

from rules.followups.context import Context
from rules.followups.core import FollowUp
from rules.followups.explain import latest_day
from rules.policy import Texts, WeekContactRule


def evaluate(rule: WeekContactRule, ctx: Context) -> list[FollowUp]:
    """One follow-up per listed week each absence has reached, due on the week's first day."""
    found = []
    for absence in ctx.recent:
        for week in rule.weeks:
            if 7 * (week - 1) >= absence.days:
                break
            natural = absence.first + timedelta(days=7 * (week - 1))
            values = {"week": week, "first_day": absence.first}
            occurrence = f"{absence.first.isoformat()}/week-{week}"
            guidance = rule.guidance.get(week)
            if f := ctx.followup(rule, occurrence, natural, values, guidance=guidance):
                found.append(f)
    return found


def explain(rule: WeekContactRule, ctx: Context) -> Texts:
    weeks = ", ".join(map(str, rule.weeks))
    days = ", ".join(str(7 * (w - 1) + 1) for w in rule.weeks)
    return latest_day(ctx, rule, (f"uge {weeks} (dag {days})", f"week {weeks} (day {days})"))
