"""What a leader may see of the team's check-ins, for the team card and the daily digest: named
answers by person, anonymous ones only as totals above the anonymity thresholds, and the units
below the leader's unless a unit could be worked out by subtraction."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from rules.anonymity import may_show_aggregate, may_show_comments
from rules.checkin import (
    SYMBOLS,
    WARN_WINDOW,
    comment_text,
    last_working_days,
    unit_totals,
    unit_tree,
)
from services.work import Work
from storage.models import CheckIn, Employee


@dataclass(frozen=True)
class Person:
    id: str
    name: str


@dataclass(frozen=True)
class TeamView:
    """What a leader may see of the team's check-ins, thresholds already applied."""

    day: date
    named: list[tuple[Person, str | None, str, Counter[str]]]  # today, 7-day symbols, 30 days
    named_today: Counter[str]
    anonymous_today: Counter[str] | None  # None: fewer than 5 answered
    anonymous_7: Counter[str] | None
    anonymous_30: Counter[str] | None
    anonymous_members: int
    comments: list[tuple[int, str, date, str, str]]  # id, name, day, colour, text (named)
    anonymous_comments: list[str] | None  # None: fewer than 10 answered in 7 days
    # The leader's unit and those below it, last 7 working days; None: hidden (too few, or
    # it could be worked out by subtraction).
    units: list[tuple[str, Counter[str] | None]]


def windows(work: Work, leader: Employee) -> tuple[list[date], list[date]]:
    """The leader's last 7 (the warning window) and 30 working days."""
    working = work.calendar(leader).is_working_day
    today = work.today
    return (
        last_working_days(working, today, WARN_WINDOW),
        last_working_days(working, today, 30),
    )


class TeamViews:
    def __init__(self, work: Work) -> None:
        self.work = work
        self.people = work.store.people
        self.checkins = work.store.checkins
        self.units = work.store.units

    async def of(self, leader: Employee, staff: list[Employee]) -> TeamView:
        """The team card's and the digest's view of `staff`, as `leader` may see it."""
        days_7, days_30 = windows(self.work, leader)
        rows = await self.checkins.answered_since([p.id for p in staff], days_30[0])
        names = {p.id: p.name for p in staff}
        named_rows = [r for r in rows if not r.anonymous]
        anonymous_rows = [r for r in rows if r.anonymous]
        named = await self._named(staff, named_rows, days_7)
        comments = [
            (r.id, names[r.employee_id], r.day, str(r.colour), comment_text(r.comment, r.to_green))
            for r in reversed(named_rows)
            if r.day >= days_7[0] and (r.comment or r.to_green) and r.acknowledged_at is None
        ][:10]
        today_counts, _ = _anonymous_window(anonymous_rows, self.work.today)
        week_counts, week_people = _anonymous_window(anonymous_rows, days_7[0])
        month_counts, _ = _anonymous_window(anonymous_rows, days_30[0])
        anonymous_comments = None
        if may_show_comments(len(week_people)):
            anonymous_comments = sorted(
                comment_text(r.comment, r.to_green)
                for r in anonymous_rows
                if r.day >= days_7[0] and (r.comment or r.to_green)
            )
        return TeamView(
            day=self.work.today,
            named=named,
            named_today=Counter(t for _p, t, _w, _m in named if t),
            anonymous_today=today_counts,
            anonymous_7=week_counts,
            anonymous_30=month_counts,
            anonymous_members=sum([await self._is_anonymous(p) for p in staff]),
            comments=comments,
            anonymous_comments=anonymous_comments,
            units=await self._units_below(leader, days_7[0]),
        )

    async def _named(
        self, staff: list[Employee], named_rows: list[CheckIn], days_7: list[date]
    ) -> list[tuple[Person, str | None, str, Counter[str]]]:
        """Per person answering by name: today's colour, the week in symbols, 30-day totals."""
        named = []
        for person in staff:
            mine = {r.day: str(r.colour) for r in named_rows if r.employee_id == person.id}
            if not mine and await self._is_anonymous(person):
                continue
            week = "".join(SYMBOLS[mine.get(d)] for d in days_7)
            today = mine.get(self.work.today)
            named.append((Person(person.id, person.name), today, week, Counter(mine.values())))
        return named

    async def _units_below(
        self, leader: Employee, since: date
    ) -> list[tuple[str, Counter[str] | None]]:
        """Totals per unit in the leader's part of the tree, with the subtraction rule."""
        units = await self.units.by_id()
        tree = unit_tree(leader.unit_id, {u.id: u.parent_id for u in units.values()})
        if len(tree) < 2:
            return []
        answers = await self.checkins.answered_in_units(tree, since)
        totals = unit_totals(
            tree,
            {u: units[u].parent_id for u in tree},
            ((a.unit_id, a.employee_id, a.colour) for a in answers),
        )
        return [(units[u].name, totals[u]) for u in tree]

    async def _is_anonymous(self, person: Employee) -> bool:
        unit = await self.people.unit(person.unit_id)
        return bool(unit and unit.checkin_anonymous)


def _anonymous_window(rows: list[CheckIn], since: date) -> tuple[Counter[str] | None, set[str]]:
    """Anonymous totals from `since` on (None below the threshold), and who answered."""
    chosen = [r for r in rows if r.day >= since]
    people = {r.employee_id for r in chosen}
    if not may_show_aggregate(len(people)):
        return None, people
    return Counter(str(r.colour) for r in chosen), people
