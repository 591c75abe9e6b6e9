"""periods_within: `periods` absence periods starting within `within_days` calendar days
(Lemvig and Varde: 3 in 90; Viborg: 3 in 183)."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from rules.followups.context import Context
from rules.followups.core import FollowUp
from rules.followups.explain import pending
from rules.followups.texts import say
from rules.policy import PeriodsWithinRule, Texts

PERIODS: Final = (
    "{count} af {periods} fraværsperioder inden for {within} dage ({start} til {on}).",
    "{count} of {periods} absence periods within {within} days ({start} to {on}).",
)


def reads_back(rule: PeriodsWithinRule) -> int:
    return rule.within_days


def evaluate(rule: PeriodsWithinRule, ctx: Context) -> list[FollowUp]:
    """Every period that makes `periods` within the window fires, the 4th in 90 days too."""
    found = []
    absences = ctx.absences
    for i in range(rule.periods - 1, len(absences)):
        absence = absences[i]
        window_start = absence.first - timedelta(days=rule.within_days - 1)
        if absence.first < ctx.emit_from or absences[i - rule.periods + 1].first < window_start:
            continue
        count = rule.periods
        while count <= i and absences[i - count].first >= window_start:
            count += 1
        values = {
            "count": count,
            "periods": rule.periods,
            "within": rule.within_days,
            "first_day": absence.first,
        }
        if f := ctx.followup(rule, absence.first.isoformat(), absence.first, values):
            found.append(f)
    return found


def explain(rule: PeriodsWithinRule, ctx: Context) -> Texts:
    if found := pending(ctx):
        return found
    start = ctx.on - timedelta(days=rule.within_days - 1)
    count = sum(1 for a in ctx.absences if a.first >= start)
    within = rule.within_days
    return say(PERIODS, count=count, periods=rule.periods, within=within, start=start, on=ctx.on)
