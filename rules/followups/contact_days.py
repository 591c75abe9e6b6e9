"""contact_days: contact on absence days N1, N2, ... (1-5-15, Norddjurs' 1-3-10, Hedensted's
advis 7-14-21), in calendar days or dagsværk; with `day_one_on_weekday` a first day that is no weekday falls
due on the next weekday (seed 002: "på førstkommende hverdag")."""

from __future__ import annotations

from rules.followups.context import Context
from rules.followups.core import FollowUp
from rules.followups.explain import latest_day
from rules.policy import ContactDaysRule, Texts


def evaluate(rule: ContactDaysRule, ctx: Context) -> list[FollowUp]:
    """One follow-up per listed day each absence has reached, due on that day."""
    found = []
    working = ctx.working(rule)
    for absence in ctx.recent:
        reached = ctx.reached(absence, working)
        first_day = absence.first.isoformat()
        for n in rule.days:
            if n > reached:
                break
            natural = ctx.day_date(absence.first, n, working)
            values = {"day": n, "first_day": absence.first}
            occurrence = f"{first_day}/day-{n}"
            guidance = rule.guidance.get(n)
            if f := ctx.followup(
                rule,
                occurrence,
                natural,
                values,
                guidance=guidance,
                on_weekday=n == 1 and rule.day_one_on_weekday,
            ):
                found.append(f)
    return found


def explain(rule: ContactDaysRule, ctx: Context) -> Texts:
    days = ", ".join(map(str, rule.days))
    return latest_day(ctx, rule, (f"dag {days}", f"day {days}"))
