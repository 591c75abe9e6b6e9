"""Sick-absence figures per unit and month, as leaders in the seeds read them (Vejle, Viborg,
seed 000): absence percent = dagsværk lost to sickness / dagsværk planned, dagsværk per FTE,
and periods by length (0-9, 10-29, 30+ calendar days).

Pure: (staff, their sick periods, a calendar per schedule, months) -> figures. Sickness is own
sickness, fully or partly (a partial period counts its share); a child's first sick day and an
akutdag are not sick-absence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import mean

from rules.absence_kinds import COUNTED_IN_FIGURES
from rules.calendar import DayIndex, WorkCalendar

COUNTED = COUNTED_IN_FIGURES
HOURS_PER_WEEK = 37.0  # full time in Danish public-sector agreements
# A month is a swing when clearly above the unit's own recent level (Viborg's pop-up).
SWING_BASE_MONTHS = 6
SWING_FACTOR, SWING_POINTS = 1.3, 1.5


@dataclass(frozen=True)
class Staff:
    id: str
    unit_id: str
    fte: float
    workdays: str
    start: date | None
    left_on: date | None


@dataclass(frozen=True)
class Spell:
    employee_id: str
    first: date
    last: date | None  # None: still open
    kind: str
    share: float = 1.0  # of a working day lost: 1 for full sickness, less for partial


@dataclass
class Month:
    lost: float = 0.0
    planned: float = 0.0
    periods: list[int] = field(default_factory=lambda: [0, 0, 0])
    staff: int = 0
    fte: float = 0.0

    def add(self, other: Month) -> None:
        self.lost += other.lost
        self.planned += other.planned
        self.periods = [a + b for a, b in zip(self.periods, other.periods, strict=True)]
        self.staff += other.staff
        self.fte += other.fte

    @property
    def percent(self) -> float | None:
        return 100 * self.lost / self.planned if self.planned else None


def months_back(today: date, count: int) -> list[date]:
    """The first days of the last `count` months, oldest first, this month included."""
    months = [date(today.year, today.month, 1)]
    while len(months) < count:
        months.append((months[-1] - timedelta(days=1)).replace(day=1))
    return list(reversed(months))


def _month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def bucket(days: int) -> int:
    return 0 if days < 10 else 1 if days < 30 else 2


def partial_share(percent_off: int | None, hours_off: float | None, fte: float) -> float:
    if percent_off is not None:
        return min(max(percent_off / 100, 0.0), 1.0)
    if hours_off is not None and fte > 0:
        return min(max(hours_off / (HOURS_PER_WEEK * fte), 0.0), 1.0)
    return 1.0


class _Schedules(dict[str, DayIndex]):
    """Dagsværk per schedule ("12345"), built when first asked for and shared by all on it."""

    def __init__(self, timezone: object) -> None:
        super().__init__()
        self.timezone = timezone

    def __missing__(self, workdays: str) -> DayIndex:
        found = self[workdays] = DayIndex(WorkCalendar(workdays, self.timezone))  # type: ignore[arg-type]
        return found


UnitMonths = dict[tuple[str, date], Month]
_Bounds = Sequence[tuple[date, date]]  # (first day of the month, last day counted)


def unit_months(
    staff: Iterable[Staff],
    spells: Iterable[Spell],
    months: Sequence[date],
    today: date,
    timezone: object,
) -> UnitMonths:
    """Figures per (unit, month) for the units' own staff; the current month up to today."""
    people = {s.id: s for s in staff}
    schedules = _Schedules(timezone)
    bounds = [(m, min(_month_end(m), today)) for m in months]
    figures: UnitMonths = {}
    for person in people.values():
        _add_planned(figures, person, schedules[person.workdays], bounds)
    if not bounds:
        return figures
    for spell, sick, last in _sick_spells(spells, people, today, bounds[0][0], bounds[-1][1]):
        _add_lost(figures, spell, last, sick, schedules[sick.workdays], bounds)
    return figures


def _add_planned(figures: UnitMonths, person: Staff, days: DayIndex, bounds: _Bounds) -> None:
    """Dagsværk planned for one person in each month, within their employment."""
    for month, end in bounds:
        first = max(month, person.start or month)
        last = min(end, person.left_on or end)
        if last < first:
            continue
        month_figures = figures.setdefault((person.unit_id, month), Month())
        month_figures.planned += days.count(first, last) * person.fte
        month_figures.staff += 1
        month_figures.fte += person.fte


def _sick_spells(
    spells: Iterable[Spell], people: dict[str, Staff], today: date, start: date, end: date
) -> Iterator[tuple[Spell, Staff, date]]:
    """Own sickness of the units' own staff touching [start, end], with its last day counted
    (an open spell runs to today)."""
    for spell in spells:
        sick = people.get(spell.employee_id)
        if sick is None or spell.kind not in COUNTED:
            continue
        last = spell.last or today
        if last < start or spell.first > end:
            continue
        yield spell, sick, last


def _add_lost(
    figures: UnitMonths, spell: Spell, last: date, sick: Staff, days: DayIndex, bounds: _Bounds
) -> None:
    """Dagsværk lost in each month the spell touches; the period counted in the month it began."""
    for month, end in bounds:
        if spell.first > end or last < month:
            continue
        month_figures = figures.setdefault((sick.unit_id, month), Month())
        lost = days.count(max(spell.first, month), min(last, end))
        month_figures.lost += lost * spell.share * sick.fte
        if month <= spell.first <= end:
            month_figures.periods[bucket((last - spell.first).days + 1)] += 1


def swing(percents: Sequence[float | None]) -> bool:
    """The last complete month clearly above the months before it."""
    if len(percents) < SWING_BASE_MONTHS + 1 or percents[-1] is None:
        return False
    base = [p for p in percents[-SWING_BASE_MONTHS - 1 : -1] if p is not None]
    if len(base) < SWING_BASE_MONTHS // 2:
        return False
    level = mean(base)
    return percents[-1] >= level * SWING_FACTOR and percents[-1] - level >= SWING_POINTS


@dataclass(frozen=True)
class Totals:
    """A unit's figures with the units below it added in, as the Organisation page shows them:
    headcount and FTE in the last month, the last twelve months summed, the percent per month,
    and whether the last complete month swings (the current month is not over)."""

    staff: int
    fte: float
    year: Month
    trend: list[float | None]
    swing: bool


def roll_up(
    own: Mapping[str, Mapping[date, Month]],
    children: Mapping[str, Sequence[str]],
    roots: Iterable[str],
    months: Sequence[date],
) -> dict[str, Totals]:
    """Every unit under the roots with its subtree's figures added in (`own`: a unit's own
    staff only, as unit_months holds them)."""
    found: dict[str, Totals] = {}

    def roll(unit_id: str) -> dict[date, Month]:
        months_of = {m: Month() for m in months}
        for month, figures in own.get(unit_id, {}).items():
            if month in months_of:
                months_of[month].add(figures)
        for child in children.get(unit_id, []):
            for month, figures in roll(child).items():
                months_of[month].add(figures)
        found[unit_id] = _totals(months_of, months)
        return months_of

    for root in roots:
        roll(root)
    return found


def _totals(figures: Mapping[date, Month], months: Sequence[date]) -> Totals:
    year = Month()
    for month in months[-12:]:
        year.add(figures[month])
    last = figures[months[-1]] if months else Month()
    trend = [figures[m].percent for m in months]
    return Totals(last.staff, last.fte, year, trend, swing(trend[:-1]))


def months_from(first: date, count: int) -> list[date]:
    """The first days of `count` months from `first`'s month, oldest first."""
    months = [date(first.year, first.month, 1)]
    while len(months) < count:
        months.append((months[-1] + timedelta(days=32)).replace(day=1))
    return months[:count]
