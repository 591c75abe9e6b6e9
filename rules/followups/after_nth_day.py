"""after_nth_day: every new absence period after the employee's `nth` sick day in a year, the
12 months before it or the calendar year it starts in (Gladsaxe: 15 dagsværk "på et år"; new
staff at every period)."""

from __future__ import annotations

from datetime import date
from typing import Final

from rules.followups.context import Context
from rules.followups.core import ONE_DAY, YEAR_CONTEXT, FollowUp, add_months
from rules.followups.explain import no_absence, waiting
from rules.followups.texts import UNIT, say
from rules.policy import AfterNthDayRule, Texts

BEFORE_PERIOD: Final = (
    "{total:sygedag|sygedage} ({unit}) {span} før fraværet fra {first}; grænsen for denne "
    "medarbejder er {nth}.",
    "{total:sick day|sick days} ({unit}) {span} before the absence from {first}; this "
    "employee's limit is {nth}.",
)
SPAN: Final = {
    "last_12_months": ("de 12 måneder", "in the 12 months"),
    "calendar_year": ("i kalenderåret", "in the calendar year"),
}


def reads_back(rule: AfterNthDayRule) -> int:
    return YEAR_CONTEXT


def threshold(rule: AfterNthDayRule, ctx: Context, first: date) -> int:
    """The employee's limit for an absence from `first`: `nth_for_new` while newly hired."""
    start = ctx.facts.start_date
    if rule.nth_for_new is None or rule.new_employee_months is None or start is None:
        return rule.nth
    return rule.nth_for_new if first < add_months(start, rule.new_employee_months) else rule.nth


def _before(rule: AfterNthDayRule, ctx: Context, first: date, working: bool) -> float:
    """Sick days in the year before an absence from `first`: the 12 months before it, or the
    calendar year up to it."""
    since = date(first.year, 1, 1) if rule.year == "calendar_year" else add_months(first, -12)
    return ctx.total(since, first - ONE_DAY, working)


def evaluate(rule: AfterNthDayRule, ctx: Context) -> list[FollowUp]:
    """One follow-up per absence that starts with the limit already reached, due on its
    first day."""
    found = []
    working = ctx.working(rule)
    for absence in ctx.recent:
        if absence.first < ctx.emit_from:
            continue
        nth = threshold(rule, ctx, absence.first)
        before = _before(rule, ctx, absence.first, working)
        if before >= nth:
            values = {"nth": nth, "total": before, "first_day": absence.first}
            if f := ctx.followup(rule, absence.first.isoformat(), absence.first, values):
                found.append(f)
    return found


def explain(rule: AfterNthDayRule, ctx: Context) -> Texts:
    if found := waiting(ctx):
        return found
    first = ctx.recent[-1].first
    if first < ctx.emit_from:
        return no_absence(ctx)
    working = ctx.working(rule)
    before = _before(rule, ctx, first, working)
    nth = threshold(rule, ctx, first)
    span = SPAN[rule.year]
    return say(BEFORE_PERIOD, total=before, unit=UNIT[working], span=span, first=first, nth=nth)
