"""deadline: a statutory deadline, reminded on absence day `day` and due by `deadline_day`, both
calendar absence days (sygefraværssamtale in week 4, NemRefusion, fast-track, fastholdelsesplan,
the job centre in week 8); with `only_if_long_expected` only when no return is expected within
`long_expected_weeks` weeks."""

from __future__ import annotations

from datetime import timedelta

from rules.followups.context import Context
from rules.followups.core import FollowUp
from rules.followups.explain import latest_day, not_long
from rules.followups.long_expected import long_expected
from rules.policy import DeadlineRule, Texts


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
        return not_long(rule, latest)
    return latest_day(ctx, rule, (f"dag {rule.day} (kalenderdage)", f"day {rule.day}"))
