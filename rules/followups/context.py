"""One employee's evaluation: the absences (spells) and counting their days with the calendar.

Counted periods with no day between them are merged into one absence; sick days are counted in
calendar days or dagsværk (the employee's own weekdays, summed once per year in a DayIndex) so
that no rule loops over the days of a year.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache
from math import ceil
from operator import attrgetter
from typing import Any

from rules.calendar import DayIndex, WorkCalendar
from rules.followups.core import LOOKBACK, ONE_DAY, EmployeeFacts, FollowUp, Period
from rules.followups.texts import fill
from rules.policy import Policy, Rule, Texts


@lru_cache(maxsize=256)
def _day_index(calendar: WorkCalendar, workdays: str) -> DayIndex:
    if workdays != calendar.workdays:
        calendar = dataclasses.replace(calendar, workdays=workdays)
    return DayIndex(calendar)


class Absence:
    """Counted periods merged where no day lies between them, cut off at `on`."""

    __slots__ = ("days", "ended", "expected_return", "first", "last")

    def __init__(self, first: date, last: date, ended: bool, expected: date | None) -> None:
        self.first = first
        self.last = last  # the last day absent, at most `on`
        self.ended = ended  # a known last day before `on`: the employee is back
        self.expected_return = expected  # the latest estimate given in any of its periods
        self.days = 0  # calendar days, set once merged: most rules first ask "long enough?"


_FIRST_DAY = attrgetter("first_day")


def absences(history: Sequence[Period], counted: frozenset[str], on: date) -> list[Absence]:
    """The counted periods known by `on`, merged into absences, sorted and disjoint."""
    merged: list[Absence] = []
    current: Absence | None = None
    for period in sorted(history, key=_FIRST_DAY):
        last_day = period.last_day
        if period.kind not in counted or period.first_day > on:
            continue
        if last_day is not None and last_day < period.first_day:
            continue  # a period that ends before it starts says nothing we could count
        ended = last_day is not None and last_day < on
        last = last_day if last_day is not None and last_day < on else on
        if current is not None and period.first_day <= current.last + ONE_DAY:
            if last > current.last:
                current.last, current.ended = last, ended
            elif last == current.last:
                current.ended = current.ended and ended
            if period.expected_return is not None:
                current.expected_return = period.expected_return
        else:
            current = Absence(period.first_day, last, ended, period.expected_return)
            merged.append(current)
    return merged


class Context:
    """One employee's evaluation: the absences, the calendar and how to make a FollowUp.

    `context_days` is how far before an occurrence the policy's rules read, `counted` the
    absence kinds it counts (both worked out once per policy by the caller).
    """

    def __init__(
        self,
        history: Sequence[Period],
        facts: EmployeeFacts,
        policy: Policy,
        on: date,
        calendar: WorkCalendar,
        context_days: int,
        counted: frozenset[str],
    ) -> None:
        self.facts = facts
        self.policy = policy
        self.on = on
        self.days = _day_index(calendar, facts.workdays)
        self.emit_from = on - LOOKBACK
        read_from = self.emit_from - timedelta(days=context_days)
        self.absences = [a for a in absences(history, counted, on) if a.last >= read_from]
        for absence in self.absences:
            absence.days = (absence.last - absence.first).days + 1
        self.recent = [a for a in self.absences if a.last >= self.emit_from]
        # Absences are disjoint and sorted, so both lists are sorted: bisect finds a date range.
        self._firsts = [a.first for a in self.absences]
        self._lasts = [a.last for a in self.absences]
        self._sums: dict[bool, list[int] | None] = {False: None, True: None}
        # The earliest due date of an occurrence reached but not yet due (for explanations).
        self.pending: date | None = None
        self._advis = policy.employee_advis
        self._weekdays = _day_index(calendar, calendar.workdays)
        # Partly sick periods as (first, last, share not counted), where a policy counts them
        # as a fraction of a day: the totals subtract that share of their days.
        self._discounts = (
            _discounts(history, policy, on) if policy.partly_sick == "fraction" else []
        )

    def working(self, rule: Rule) -> bool:
        return (rule.counting or self.policy.counting) == "working_days"

    def count(self, first: date, last: date, working: bool) -> int:
        if working:
            return self.days.count(first, last)
        return max((last - first).days + 1, 0)

    def day_date(self, first: date, n: int, working: bool) -> date:
        """The date on which an absence from `first` reaches day number n."""
        if not working:
            return first + timedelta(days=n - 1)
        # absence_day_number: day 1 from the first day on, then day N on the N-th working day.
        return first if n == 1 else self.days.nth(first, n)

    def day_number(self, first: date, on: date, working: bool) -> int:
        if not working:
            return (on - first).days + 1
        return max(1, self.days.count(first, on))

    def reached(self, absence: Absence, working: bool) -> int:
        """The day number the absence has reached (on its last day, or on `on`)."""
        return max(1, self.days.count(absence.first, absence.last)) if working else absence.days

    def nth_counted(self, start: date, n: int, working: bool) -> date:
        """The n-th counted day from start on (n >= 1), for totals rather than day numbers."""
        return self.days.nth(start, n) if working else start + timedelta(days=n - 1)

    def total(self, first: date, last: date, working: bool) -> float:
        """Sick days in [first, last]; partly sick days as their share where the policy says."""
        whole = self._whole_total(first, last, working)
        if not self._discounts:
            return whole
        total = float(whole)
        for start, end, share in self._discounts:
            if start <= last and end >= first:
                total -= share * self.count(max(start, first), min(end, last), working)
        return int(total) if total == int(total) else round(total, 2)

    def _whole_total(self, first: date, last: date, working: bool) -> int:
        """Sick days in [first, last]: whole absences from prefix sums, cut at both ends."""
        i = bisect_left(self._lasts, first)
        j = bisect_right(self._firsts, last)
        if i >= j:
            return 0
        sums = self._sums[working]
        if sums is None:
            sums = self._sums[working] = self._prefix_sums(working)
        total = sums[j] - sums[i]
        if self.absences[i].first < first:
            total -= self.count(self.absences[i].first, first - ONE_DAY, working)
        if self.absences[j - 1].last > last:
            total -= self.count(last + ONE_DAY, self.absences[j - 1].last, working)
        return total

    def _prefix_sums(self, working: bool) -> list[int]:
        sums = [0]
        for absence in self.absences:
            sums.append(sums[-1] + self.count(absence.first, absence.last, working))
        return sums

    def nth_sick_day(self, first: date, last: date, n: int, working: bool) -> date | None:
        """The date of the n-th sick day in [first, last], or None if there are fewer."""
        if self._discounts:
            return self._nth_with_shares(first, last, n, working)
        return self._nth_whole(first, last, n, working)

    def _nth_whole(self, first: date, last: date, n: int, working: bool) -> date | None:
        for absence in self.absences:
            if absence.first > last:
                break
            if absence.last < first:
                continue
            start, end = max(absence.first, first), min(absence.last, last)
            days = self.count(start, end, working)
            if days >= n:
                return self.nth_counted(start, n, working)
            n -= days
        return None

    def _nth_with_shares(self, first: date, last: date, n: int, working: bool) -> date | None:
        """nth_sick_day where partly sick days count as their share: the first day on which
        the total from `first` reaches n, found by stepping whole sick days forward (the total
        grows by at most one a day, so a step of ceil(n - total) never passes it)."""
        needed = 1
        while (day := self._nth_whole(first, last, needed, working)) is not None:
            total = self.total(first, day, working)
            if total >= n:
                return day
            needed += max(1, ceil(n - total))
        return None

    def followup(
        self,
        rule: Rule,
        occurrence: str,
        natural: date,
        values: dict[str, Any],
        guidance: Texts | None = None,
        deadline_at: date | None = None,
        deadline_cap: date | None = None,
        on_weekday: bool = False,
    ) -> FollowUp | None:
        """The follow-up if it is due by `on`; None if older than LOOKBACK or not yet due.

        `on_weekday`: due on a weekday of the calendar (the leader's), not the employee's own
        working day."""
        if natural < self.emit_from:
            return None
        due = (self._weekdays if on_weekday else self.days).on_or_after(natural)
        if due > self.on:
            if self.pending is None or due < self.pending:
                self.pending = due
            return None
        if deadline_at is not None:
            deadline = max(due, self.days.on_or_before(deadline_at))
        else:
            deadline = self.days.after(due, rule.deadline_days or 0)
            if deadline_cap is not None:
                deadline = max(due, min(deadline, self.days.on_or_before(deadline_cap)))
        # Positional: this runs for every follow-up of every employee.
        advis = _advis(rule, self._advis)
        return FollowUp(
            self.facts.id,
            self.policy.id,
            rule.id,
            rule.kind,
            occurrence,
            due,
            deadline,
            rule.guide,
            rule.recipient,
            fill(rule.why, values),
            guidance,
            "employee" in advis,
            advis,
        )


def _discounts(
    history: Sequence[Period], policy: Policy, on: date
) -> list[tuple[date, date, float]]:
    found = []
    for period in history:
        if period.kind != "partly_sick" or period.kind not in policy.counts:
            continue
        if period.percent_off is not None:
            share_off = period.percent_off / 100
        elif period.hours_off is not None:
            share_off = period.hours_off / policy.week_hours
        else:
            continue  # no share given: counted as whole days
        last = period.last_day if period.last_day is not None and period.last_day < on else on
        if period.first_day <= last:
            found.append((period.first_day, last, 1 - min(max(share_off, 0.0), 1.0)))
    return found


def _advis(rule: Rule, employee_advis: bool) -> tuple[str, ...]:
    """Who is told besides the recipient: the rule's roles, and the employee where the policy
    advises employees about their leader's follow-ups (an advis about HR's own errands, such
    as NemRefusion, is no news for the employee)."""
    if employee_advis and rule.recipient == "leader" and "employee" not in rule.advis:
        return ("employee", *rule.advis)
    return tuple(rule.advis)
