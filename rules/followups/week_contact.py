"""week_contact: contact in absence week W, due on its first day and done by its last (Hjørring:
weeks 2 and 6), a week being absence days 7*(W-1)+1 to 7*W or the W-th calendar week (Monday to
Sunday) of the absence; with `only_if_long_expected` only where a long absence is expected."""

from __future__ import annotations

from datetime import date, timedelta

from rules.followups.context import Absence, Context
from rules.followups.core import FollowUp
from rules.followups.explain import latest_day, not_long
from rules.followups.long_expected import long_expected
from rules.policy import Texts, WeekContactRule


def week_span(rule: WeekContactRule, first: date, week: int) -> tuple[date, date]:
    """The first and last day of absence week `week` of an absence from `first`."""
    if rule.week == "calendar_week":
        start = first - timedelta(days=first.weekday()) + timedelta(weeks=week - 1)
        return max(start, first), start + timedelta(days=6)
    start = first + timedelta(weeks=week - 1)
    return start, start + timedelta(days=6)


def evaluate(rule: WeekContactRule, ctx: Context) -> list[FollowUp]:
    """One follow-up per listed week each absence has reached, due on the week's first day;
    its deadline never after the week's last working day, so that overdue reminders and
    escalation start while the week's contact is still late rather than a week later."""
    found = []
    for absence in ctx.recent:
        if rule.only_if_long_expected and not long_expected(rule, absence):
            continue
        for week in rule.weeks:
            start, end = week_span(rule, absence.first, week)
            if start > absence.last:
                break
            values = {"week": week, "first_day": absence.first}
            occurrence = f"{absence.first.isoformat()}/week-{week}"
            guidance = rule.guidance.get(week)
            if f := ctx.followup(
                rule, occurrence, start, values, guidance=guidance, deadline_cap=end
            ):
                found.append(f)
    return found


def explain(rule: WeekContactRule, ctx: Context) -> Texts:
    latest: Absence | None = ctx.recent[-1] if ctx.recent else None
    if latest is not None and ctx.pending is None and rule.only_if_long_expected:
        reached = week_span(rule, latest.first, rule.weeks[0])[0] <= latest.last
        if reached and not long_expected(rule, latest):
            return not_long(rule, latest)
    weeks = ", ".join(map(str, rule.weeks))
    if rule.week == "calendar_week":
        return latest_day(ctx, rule, (f"kalenderuge {weeks} af fraværet", f"calendar week {weeks}"))
    days = ", ".join(str(7 * (w - 1) + 1) for w in rule.weeks)
    return latest_day(ctx, rule, (f"uge {weeks} (dag {days})", f"week {weeks} (day {days})"))
