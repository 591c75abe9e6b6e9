"""The follow-up engine: absence history + employee facts + policy + a date -> follow-ups.

Pure and quick: no database, no clock, no loops over the days of a year. Every follow-up names
the rule that produced it, and `evaluate` says for every rule why it fired or why not.

What counts
- Sick days are the days of the periods whose kind is in `policy.counts`; partly sick days
  count as whole days when counted at all. An akutdag (emergency_day) never counts.
- Counted periods with no day between them are ONE absence: a sygemelding followed straight by a
  delvis raskmelding continues the same absence, so its day numbers, its consecutive days and
  "number of periods" go on from the first sick day. One day between two periods (a weekend
  too) makes them two periods.
- Day N of an absence is `rules.calendar.absence_day_number` in calendar days or dagsværk as
  the rule (or else the policy) says; totals are calendar days or dagsværk the same way. Working
  days come from `WorkCalendar.is_working_day` on the employee's own weekdays
  (`EmployeeFacts.workdays`), summed once per year so that counting needs no day loops.

What is known
- Only what was known by `on`: periods starting after it are ignored, open ones run up to it.
- Occurrences whose natural date lies within LOOKBACK (a year and a quarter) before `on` are
  reported; each rule reads as far back as those occurrences need (a year for the yearly and
  12-month totals, the window of "N periods within X days") and no further.
- An occurrence keeps its key forever (`FollowUp.key`): it is made of the rule and a date the
  history fixes (the absence's first day, "2026-Q3"), never of `on`, so evaluating again later
  gives the same keys and the caller can insert and ignore duplicates.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right
from calendar import isleap, monthrange
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from operator import attrgetter
from typing import Any, Final

from rules.calendar import DayIndex, WorkCalendar
from rules.policy import (
    AfterNthDayRule,
    AfterReturnRule,
    ConsecutiveDaysRule,
    ContactDaysRule,
    DeadlineRule,
    PeriodsWithinRule,
    Policy,
    RollingTotalRule,
    Rule,
    Texts,
    WeekContactRule,
    YearlyTotalRule,
)

ONE_DAY: Final = timedelta(days=1)
LOOKBACK: Final = timedelta(days=365 + 92)
# What the year-based rules read before an occurrence: a whole calendar year or 12 months.
YEAR_CONTEXT: Final = 366


@dataclass(frozen=True, slots=True)
class Period:
    first_day: date
    last_day: date | None  # None: still absent
    kind: str  # "sick" | "partly_sick" | "child_sick" | "emergency_day"
    expected_return: date | None = None


@dataclass(frozen=True, slots=True)
class EmployeeFacts:
    id: str
    start_date: date | None
    workdays: str = "12345"


@dataclass(frozen=True, slots=True)
class FollowUp:
    employee_id: str
    policy_id: str
    rule_id: str
    rule_kind: str
    occurrence: str
    due_on: date
    deadline_on: date
    guide: str
    recipient: str
    why: Texts
    guidance: Texts | None
    advis_employee: bool

    @property
    def key(self) -> str:
        return f"{self.employee_id}:{self.policy_id}:{self.rule_id}:{self.occurrence}"


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    fired: bool
    explanation: Texts
    followups: tuple[FollowUp, ...]


def evaluate(
    history: Sequence[Period],
    facts: EmployeeFacts,
    policy: Policy,
    on: date,
    calendar: WorkCalendar,
) -> list[Finding]:
    """Every rule of the policy, fired or not, with why; fired ones carry follow-ups due by `on`.

    `calendar` gives the days off and time zone; `facts.workdays` the employee's own weekdays.
    """
    ctx = _Context(history, facts, policy, on, calendar)
    findings = []
    for rule in policy.rules:
        ctx.pending = None
        found = _EVALUATORS[rule.kind](rule, ctx)
        # A fired rule is explained by its latest follow-up's why; the others by a reason.
        explanation = found[-1].why if found else _REASONS[rule.kind](rule, ctx)
        findings.append(Finding(rule.id, bool(found), explanation, tuple(found)))
    return findings


def due_followups(
    history: Sequence[Period],
    facts: EmployeeFacts,
    policy: Policy,
    on: date,
    calendar: WorkCalendar,
) -> list[FollowUp]:
    """The follow-ups due on or before `on`, over all rules (what the daily job stores)."""
    ctx = _Context(history, facts, policy, on, calendar)
    found: list[FollowUp] = []
    for rule in policy.rules:
        found += _EVALUATORS[rule.kind](rule, ctx)
    return found


# --- working days without day loops ---------------------------------------------------------


@lru_cache(maxsize=256)
def _day_index(calendar: WorkCalendar, workdays: str) -> DayIndex:
    if workdays != calendar.workdays:
        calendar = dataclasses.replace(calendar, workdays=workdays)
    return DayIndex(calendar)


_MONTH_DAYS: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _add_months(d: date, months: int) -> date:
    """The same day `months` later (earlier if negative), the month's last day if it is short."""
    years, month0 = divmod(d.month - 1 + months, 12)
    year, day = d.year + years, d.day
    if day > 28:  # only then can the month be too short; monthrange costs a weekday computation
        day = min(day, 29 if month0 == 1 and isleap(year) else _MONTH_DAYS[month0])
    return date(year, month0 + 1, day)


# --- absences -------------------------------------------------------------------------------


class _Absence:
    """Counted periods merged where no day lies between them, cut off at `on`."""

    __slots__ = ("days", "ended", "expected_return", "first", "last")

    def __init__(self, first: date, last: date, ended: bool, expected: date | None) -> None:
        self.first = first
        self.last = last  # the last day absent, at most `on`
        self.ended = ended  # a known last day before `on`: the employee is back
        self.expected_return = expected  # the latest estimate given in any of its periods
        self.days = 0  # calendar days, set once merged: most rules first ask "long enough?"


_FIRST_DAY = attrgetter("first_day")


def _absences(history: Sequence[Period], counted: frozenset[str], on: date) -> list[_Absence]:
    absences: list[_Absence] = []
    current: _Absence | None = None
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
            current = _Absence(period.first_day, last, ended, period.expected_return)
            absences.append(current)
    return absences


def _context_days(policy: Policy) -> int:
    """How far before an occurrence the policy's rules read."""
    days = 0
    for rule in policy.rules:
        if isinstance(rule, YearlyTotalRule | AfterNthDayRule):
            days = max(days, YEAR_CONTEXT)
        elif isinstance(rule, RollingTotalRule):
            days = max(days, rule.months * 31 + 1)
        elif isinstance(rule, PeriodsWithinRule):
            days = max(days, rule.within_days)
    return days


_POLICY_FACTS: dict[int, tuple[Policy, int, frozenset[str]]] = {}


def _policy_facts(policy: Policy) -> tuple[int, frozenset[str]]:
    """Context days and counted kinds, worked out once per policy object rather than per
    employee. Keyed by id() with the policy kept alive in the entry, so an id is never reused."""
    found = _POLICY_FACTS.get(id(policy))
    if found is None or found[0] is not policy:
        if len(_POLICY_FACTS) > 256:
            _POLICY_FACTS.clear()
        found = (policy, _context_days(policy), frozenset(policy.counts))
        _POLICY_FACTS[id(policy)] = found
    return found[1], found[2]


class _Context:
    """One employee's evaluation: the absences, the calendar and how to make a FollowUp."""

    def __init__(
        self,
        history: Sequence[Period],
        facts: EmployeeFacts,
        policy: Policy,
        on: date,
        calendar: WorkCalendar,
    ) -> None:
        self.facts = facts
        self.policy = policy
        self.on = on
        self.days = _day_index(calendar, facts.workdays)
        self.emit_from = on - LOOKBACK
        context_days, counted = _policy_facts(policy)
        read_from = self.emit_from - timedelta(days=context_days)
        self.absences = [a for a in _absences(history, counted, on) if a.last >= read_from]
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

    def reached(self, absence: _Absence, working: bool) -> int:
        """The day number the absence has reached (on its last day, or on `on`)."""
        return max(1, self.days.count(absence.first, absence.last)) if working else absence.days

    def nth_counted(self, start: date, n: int, working: bool) -> date:
        """The n-th counted day from start on (n >= 1), for totals rather than day numbers."""
        return self.days.nth(start, n) if working else start + timedelta(days=n - 1)

    def total(self, first: date, last: date, working: bool) -> int:
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

    def followup(
        self,
        rule: Rule,
        occurrence: str,
        natural: date,
        values: dict[str, Any],
        guidance: Texts | None = None,
        deadline_at: date | None = None,
        deadline_cap: date | None = None,
    ) -> FollowUp | None:
        """The follow-up if it is due by `on`; None if older than LOOKBACK or not yet due."""
        if natural < self.emit_from:
            return None
        due = self.days.on_or_after(natural)
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
        # Positional: this runs for every follow-up of every employee. The last argument: an
        # advis about HR's own errands (NemRefusion) is no news for the employee.
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
            _fill(rule.why, values),
            guidance,
            self._advis and rule.recipient == "leader",
        )


# --- texts ----------------------------------------------------------------------------------

# A value in a text is a date (written 2.3.2026 in Danish, ISO in English), a (da, en) pair, or
# anything else written as it is.
Bilingual = tuple[str, str]
UNIT: Final[dict[bool, Bilingual]] = {
    False: ("kalenderdage", "calendar days"),
    True: ("arbejdsdage", "working days"),
}


def _da(d: date) -> str:
    return f"{d.day}.{d.month}.{d.year}"


@lru_cache(maxsize=4096)
def _date_texts(d: date) -> Bilingual:
    return _da(d), d.isoformat()


def _fill(texts: Texts, values: dict[str, Any]) -> Texts:
    return _filled(texts.da, texts.en, tuple(values.items()))


def _say(template: Bilingual, **values: Any) -> Texts:
    return _filled(template[0], template[1], tuple(values.items()))


# Across 50,000 employees the same texts are filled with the same days and dates again and
# again; Texts are immutable, so one object serves them all.
@lru_cache(maxsize=65_536)
def _filled(da: str, en: str, values: tuple[tuple[str, Any], ...]) -> Texts:
    if not values:
        return Texts(da=da, en=en)
    da_values: dict[str, Any] = {}
    en_values: dict[str, Any] = {}
    for name, value in values:
        if isinstance(value, date):
            da_values[name], en_values[name] = _date_texts(value)
        elif isinstance(value, tuple):
            da_values[name], en_values[name] = value
        else:
            da_values[name] = en_values[name] = value
    return Texts(da=da.format_map(da_values), en=en.format_map(en_values))


NO_ABSENCE: Final = (
    "Intet sygefravær fra {since} til {on}.",
    "No sick absence from {since} to {on}.",
)
PENDING: Final = (
    "Nået, men forfalder først {due} (næste arbejdsdag).",
    "Reached, but due only on {due} (the next working day).",
)
LATEST_DAY: Final = (
    "Seneste fravær fra {first} nåede dag {day} ({unit}); reglen: {need}.",
    "The latest absence from {first} reached day {day} ({unit}); the rule: {need}.",
)
PERIODS: Final = (
    "{count} af {periods} fraværsperioder inden for {within} dage ({start} til {on}).",
    "{count} of {periods} absence periods within {within} days ({start} to {on}).",
)
YEAR_TOTAL: Final = (
    "{total} sygedage ({unit}) i {year} til {on}; reglen: {days} dage giver samtale i {quarters}.",
    "{total} sick days ({unit}) in {year} up to {on}; the rule: {days} days call for a "
    "conversation in {quarters}.",
)
ROLLING_TOTAL: Final = (
    "{total} af {days} sygedage ({unit}) de seneste {months} måneder.",
    "{total} of {days} sick days ({unit}) in the last {months} months.",
)
ROLLING_ALREADY: Final = (
    "{total} sygedage ({unit}) de seneste {months} måneder: grænsen på {days} blev nået i et "
    "tidligere fravær eller før de seneste 15 måneder.",
    "{total} sick days ({unit}) in the last {months} months: the limit of {days} was reached in "
    "an earlier absence or more than 15 months ago.",
)
BEFORE_PERIOD: Final = (
    "{total} sygedage ({unit}) de 12 måneder før fraværet fra {first}; grænsen for denne "
    "medarbejder er {nth}.",
    "{total} sick days ({unit}) in the 12 months before the absence from {first}; this "
    "employee's limit is {nth}.",
)
RETURN_EXPECTED: Final = (
    "Fraværet fra {first} forventes slut {expected}, inden for {weeks} uger; reglen gælder kun "
    "ved længere fravær.",
    "The absence from {first} is expected to end {expected}, within {weeks} weeks; the rule "
    "applies only to longer absence.",
)
NOT_ENDED: Final = (
    "Fraværet fra {first} er ikke slut ({total} {unit} indtil nu).",
    "The absence from {first} has not ended ({total} {unit} so far).",
)
LASTED: Final = (
    "Seneste fravær fra {first} varede {total} {unit}; reglen: mindst {days}.",
    "The latest absence from {first} lasted {total} {unit}; the rule: at least {days}.",
)


def _waiting(ctx: _Context) -> Texts | None:
    """Why nothing fired when something is reached but falls due after `on`, or nothing is."""
    if ctx.pending is not None:
        return _say(PENDING, due=ctx.pending)
    if not ctx.recent:
        return _say(NO_ABSENCE, since=ctx.emit_from, on=ctx.on)
    return None


def _latest_day(ctx: _Context, rule: Rule, need: Bilingual) -> Texts:
    """Why a rule about the day numbers of one absence did not fire."""
    if waiting := _waiting(ctx):
        return waiting
    latest = ctx.recent[-1]
    working = ctx.working(rule)
    day = ctx.day_number(latest.first, latest.last, working)
    return _say(LATEST_DAY, first=latest.first, day=day, unit=UNIT[working], need=need)


# --- the rule kinds -------------------------------------------------------------------------


def _contact_days(rule: ContactDaysRule, ctx: _Context) -> list[FollowUp]:
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
            if f := ctx.followup(rule, occurrence, natural, values, guidance=guidance):
                found.append(f)
    return found


def _contact_days_reason(rule: ContactDaysRule, ctx: _Context) -> Texts:
    days = ", ".join(map(str, rule.days))
    return _latest_day(ctx, rule, (f"dag {days}", f"day {days}"))


def _week_contact(rule: WeekContactRule, ctx: _Context) -> list[FollowUp]:
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


def _week_contact_reason(rule: WeekContactRule, ctx: _Context) -> Texts:
    weeks = ", ".join(map(str, rule.weeks))
    days = ", ".join(str(7 * (w - 1) + 1) for w in rule.weeks)
    return _latest_day(ctx, rule, (f"uge {weeks} (dag {days})", f"week {weeks} (day {days})"))


def _periods_within(rule: PeriodsWithinRule, ctx: _Context) -> list[FollowUp]:
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


def _periods_within_reason(rule: PeriodsWithinRule, ctx: _Context) -> Texts:
    if ctx.pending is not None:
        return _say(PENDING, due=ctx.pending)
    start = ctx.on - timedelta(days=rule.within_days - 1)
    count = sum(1 for a in ctx.absences if a.first >= start)
    within = rule.within_days
    return _say(PERIODS, count=count, periods=rule.periods, within=within, start=start, on=ctx.on)


def _consecutive_days(rule: ConsecutiveDaysRule, ctx: _Context) -> list[FollowUp]:
    found = []
    working = ctx.working(rule)
    for absence in ctx.recent:
        if ctx.reached(absence, working) >= rule.days:
            natural = ctx.day_date(absence.first, rule.days, working)
            values = {"days": rule.days, "first_day": absence.first}
            if f := ctx.followup(rule, absence.first.isoformat(), natural, values):
                found.append(f)
    return found


def _consecutive_days_reason(rule: ConsecutiveDaysRule, ctx: _Context) -> Texts:
    return _latest_day(ctx, rule, (f"dag {rule.days}", f"day {rule.days}"))


def _quarter(year: int, quarter: int) -> tuple[date, date]:
    last_month = 3 * quarter
    return date(year, last_month - 2, 1), date(year, last_month, monthrange(year, last_month)[1])


def _yearly_total(rule: YearlyTotalRule, ctx: _Context) -> list[FollowUp]:
    """Each listed quarter from the day the year's total reaches `days`; the deadline is never
    after the quarter's last working day."""
    found = []
    working = ctx.working(rule)
    for year in range(ctx.emit_from.year, ctx.on.year + 1):
        jan1 = date(year, 1, 1)
        reached = ctx.nth_sick_day(jan1, min(date(year, 12, 31), ctx.on), rule.days, working)
        if reached is None:
            continue
        for quarter in rule.quarters:
            first, last = _quarter(year, quarter)
            if reached > last:
                continue
            natural = max(reached, first)
            values = {
                "days": rule.days,
                "total": ctx.total(jan1, natural, working),
                "year": year,
                "quarter": quarter,
            }
            occurrence = f"{year}-Q{quarter}"
            if f := ctx.followup(rule, occurrence, natural, values, deadline_cap=last):
                found.append(f)
    return found


def _yearly_total_reason(rule: YearlyTotalRule, ctx: _Context) -> Texts:
    if ctx.pending is not None:
        return _say(PENDING, due=ctx.pending)
    working = ctx.working(rule)
    total = ctx.total(date(ctx.on.year, 1, 1), ctx.on, working)
    quarters = ", ".join(f"Q{q}" for q in rule.quarters)
    return _say(
        YEAR_TOTAL,
        total=total,
        unit=UNIT[working],
        year=ctx.on.year,
        on=ctx.on,
        days=rule.days,
        quarters=quarters,
    )


def _rolling_total(rule: RollingTotalRule, ctx: _Context) -> list[FollowUp]:
    """Fires on the day the rolling total reaches `days`; again only after it fell below."""
    found = []
    working = ctx.working(rule)

    def total_on(d: date) -> int:
        return ctx.total(_add_months(d, -rule.months) + ONE_DAY, d, working)

    for absence in ctx.recent:
        older = total_on(absence.first - ONE_DAY)
        if older >= rule.days:
            continue
        in_absence = ctx.count(absence.first, absence.last, working)
        # Older days only drop out of the window as it moves on, so the total cannot reach
        # `days` before this absence alone has supplied `days - older` of them.
        needed = rule.days - older
        while needed <= in_absence:
            natural = ctx.nth_counted(absence.first, needed, working)
            total = total_on(natural)
            if total >= rule.days:
                values = {"days": rule.days, "total": total, "months": rule.months}
                if f := ctx.followup(rule, absence.first.isoformat(), natural, values):
                    found.append(f)
                break
            needed += rule.days - total
    return found


def _rolling_total_reason(rule: RollingTotalRule, ctx: _Context) -> Texts:
    if ctx.pending is not None:
        return _say(PENDING, due=ctx.pending)
    working = ctx.working(rule)
    total = ctx.total(_add_months(ctx.on, -rule.months) + ONE_DAY, ctx.on, working)
    template = ROLLING_ALREADY if total >= rule.days else ROLLING_TOTAL
    return _say(template, total=total, days=rule.days, unit=UNIT[working], months=rule.months)


def _threshold(rule: AfterNthDayRule, ctx: _Context, first: date) -> int:
    start = ctx.facts.start_date
    if rule.nth_for_new is None or rule.new_employee_months is None or start is None:
        return rule.nth
    return rule.nth_for_new if first < _add_months(start, rule.new_employee_months) else rule.nth


def _after_nth_day(rule: AfterNthDayRule, ctx: _Context) -> list[FollowUp]:
    found = []
    working = ctx.working(rule)
    for absence in ctx.recent:
        if absence.first < ctx.emit_from:
            continue
        nth = _threshold(rule, ctx, absence.first)
        before = ctx.total(_add_months(absence.first, -12), absence.first - ONE_DAY, working)
        if before >= nth:
            values = {"nth": nth, "total": before, "first_day": absence.first}
            if f := ctx.followup(rule, absence.first.isoformat(), absence.first, values):
                found.append(f)
    return found


def _after_nth_day_reason(rule: AfterNthDayRule, ctx: _Context) -> Texts:
    if waiting := _waiting(ctx):
        return waiting
    first = ctx.recent[-1].first
    if first < ctx.emit_from:
        return _say(NO_ABSENCE, since=ctx.emit_from, on=ctx.on)
    working = ctx.working(rule)
    before = ctx.total(_add_months(first, -12), first - ONE_DAY, working)
    nth = _threshold(rule, ctx, first)
    return _say(BEFORE_PERIOD, total=before, unit=UNIT[working], first=first, nth=nth)


def _long_expected(rule: DeadlineRule, absence: _Absence) -> bool:
    expected = absence.expected_return
    return expected is None or expected > absence.first + timedelta(weeks=rule.long_expected_weeks)


def _deadline(rule: DeadlineRule, ctx: _Context) -> list[FollowUp]:
    found = []
    for absence in ctx.recent:
        if absence.days < rule.day:
            continue
        if rule.only_if_long_expected and not _long_expected(rule, absence):
            continue
        natural = absence.first + timedelta(days=rule.day - 1)
        legal = absence.first + timedelta(days=rule.deadline_day - 1)
        values = {"day": rule.day, "deadline": legal, "first_day": absence.first}
        occurrence = absence.first.isoformat()
        if f := ctx.followup(rule, occurrence, natural, values, deadline_at=legal):
            found.append(f)
    return found


def _deadline_reason(rule: DeadlineRule, ctx: _Context) -> Texts:
    latest = ctx.recent[-1] if ctx.recent else None
    if (
        latest is not None
        and ctx.pending is None
        and rule.only_if_long_expected
        and latest.days >= rule.day
        and not _long_expected(rule, latest)
    ):
        expected = latest.expected_return
        weeks = rule.long_expected_weeks
        return _say(RETURN_EXPECTED, first=latest.first, expected=expected, weeks=weeks)
    return _latest_day(ctx, rule, (f"dag {rule.day} (kalenderdage)", f"day {rule.day}"))


def _after_return(rule: AfterReturnRule, ctx: _Context) -> list[FollowUp]:
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


def _after_return_reason(rule: AfterReturnRule, ctx: _Context) -> Texts:
    if waiting := _waiting(ctx):
        return waiting
    latest = ctx.recent[-1]
    working = ctx.working(rule)
    total = ctx.count(latest.first, latest.last, working)
    template = LASTED if latest.ended else NOT_ENDED
    return _say(template, first=latest.first, total=total, unit=UNIT[working], days=rule.min_days)


_Evaluator = Callable[[Any, _Context], list[FollowUp]]
_Reason = Callable[[Any, _Context], Texts]

_EVALUATORS: Final[dict[str, _Evaluator]] = {
    "contact_days": _contact_days,
    "week_contact": _week_contact,
    "periods_within": _periods_within,
    "consecutive_days": _consecutive_days,
    "yearly_total": _yearly_total,
    "rolling_total": _rolling_total,
    "after_nth_day": _after_nth_day,
    "deadline": _deadline,
    "after_return": _after_return,
}
_REASONS: Final[dict[str, _Reason]] = {
    "contact_days": _contact_days_reason,
    "week_contact": _week_contact_reason,
    "periods_within": _periods_within_reason,
    "consecutive_days": _consecutive_days_reason,
    "yearly_total": _yearly_total_reason,
    "rolling_total": _rolling_total_reason,
    "after_nth_day": _after_nth_day_reason,
    "deadline": _deadline_reason,
    "after_return": _after_return_reason,
}
