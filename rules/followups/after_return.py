"""after_return: a rask-igen-samtale after an absence of at least `min_days` sick days, due the
day after its last day (statutory.yaml, after Gladsaxe's box 3.9)."""

from __future__ import annotations

from typing import Final

from rules.followups.context import Context
from rules.followups.core import ONE_DAY, FollowUp
from rules.followups.explain import waiting
from rules.followups.texts import COUNTED, say
from rules.policy import AfterReturnRule, Texts

NOT_ENDED: Final = (
    "Fraværet fra {first} er ikke slut ({total:{unit}} indtil nu).",
    "The absence from {first} has not ended ({total:{unit}} so far).",
)
LASTED: Final = (
    "Seneste fravær fra {first} varede {total:{unit}}; reglen: mindst {days}.",
    "The latest absence from {first} lasted {total:{unit}}; the rule: at least {days}.",
)


def evaluate(rule: AfterReturnRule, ctx: Context) -> list[FollowUp]:
    """One follow-up per ended absence of at least `min_days`, due the day after it."""
    found = []
    working = ctx.working(rule)
    for absence in ctx.recent:
        if not absence.ended:
            continue
        total = ctx.count(absence.first, absence.last, working)
        if total >= rule.min_days:
            values = {"total": total, "first_day": absence.first, "last_day": absence.last}
            natural = absence.last + ONE_DAY
            if f := ctx.followup(rule, absence.first.isoformat(), natural, values):
                found.append(f)
    return found


def explain(rule: AfterReturnRule, ctx: Context) -> Texts:
    if found := waiting(ctx):
        return found
    latest = ctx.recent[-1]
    working = ctx.working(rule)
    total = ctx.count(latest.first, latest.last, working)
    template = LASTED if latest.ended else NOT_ENDED
    unit = COUNTED[working]
    return say(template, first=latest.first, total=total, unit=unit, days=rule.min_days)
