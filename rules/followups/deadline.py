"""deadline: a statutory deadline, reminded on absence day `day` and due by `deadline_day`, both
calendar absence days (sygefraværssamtale in week 4, NemRefusion, fast-track, fastholdelsesplan,
the job centre in week 8); with `only_if_long_expected` only when no return is expected within
`long_expected_weeks` weeks."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from rules.followups.context import Absence, Context
from rules.followups.core import FollowUp
from rules.followups.explain import latest_day
from rules.followups.texts import say
from rules.policy import DeadlineRule, Texts

RETURN_EXPECTED: Final = (
    "Fraværet fra {first} forventes slut {expected}, inden for {weeks:uge|uger}; reglen gælder kun "
    "ved længere fravær.",
    "The absence from {first} is expected to end {expected}, within {weeks:week|weeks}; the rule "
    "applies only to longer absence.",
)


def long_expected(rule: DeadlineRule, absence: Absence) -> bool:
    """No return expected within the rule's weeks (or none given)."""
    expected = absence.expected_return
    return expected is None or expected > absence.first + timedelta(weeks=rule.long_expected_weeks)


def evaluate(rule: DeadlineRule, ctx: Context) -> list[FollowUp]:
    """One follow-up per absence that reached day `day`, its deadline the legal one."""
    found = []
    for absence in ctx.recent:
        if absence.days < rule.day:
            continue
        if rule.only_if_long_expected and not long_expected(rule, absence):
            continue
        natural = absence.first + timedelta(days=rule.day - 1)
        legal = absence.first + timedelta(days=rule.deadline_day - 1)
        values = {"day": rule.day, "deadline": legal, "first_day": absence.first}
        occurrence = absence.first.isoformat()
        if f := ctx.followup(rule, occurrence, natural, values, deadline_at=legal):
            found.append(f)
    return found


def explain(rule: DeadlineRule, ctx: Context) -> Texts:
    latest = ctx.recent[-1] if ctx.recent else None
    if (
        latest is not None
        and ctx.pending is None
        and rule.only_if_long_expected
        and latest.days >= rule.day
        and not long_expected(rule, latest)
    ):
        expected = latest.expected_return
        weeks = rule.long_expected_weeks
        return say(RETURN_EXPECTED, first=latest.first, expected=expected, weeks=weeks)
    return latest_day(ctx, rule, (f"dag {rule.day} (kalenderdage)", f"day {rule.day}"))
