"""What the insight tab shows, and to whom: every method checks who is asking, applies the
anonymity thresholds, and writes an audit entry for each view of one person's data.

The units' figures live in services/figures.py and a person's own data in services/my_data.py;
the tab reaches both through this service."""

from __future__ import annotations

import csv
import io
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from rules.access import is_leader, may_see_person, sees_everyone
from rules.anonymity import may_show_aggregate
from rules.calendar import absence_working_days
from rules.csv_cells import safe_row
from rules.figures import months_back
from services.figures import Figures, UnitRow
from services.my_data import MyData
from services.work import Work
from storage.insight import Answer, Span
from storage.models import (
    AbsenceKind,
    AuditEntry,
    CheckIn,
    Employee,
)

log = logging.getLogger("naervaer.tab")
DEMO_PEOPLE = 500
MY_RECENT_DAYS = 30
AUDIT_ROWS = 500
# People per page of Mit team: each row is small, the calendars are on the person's page.
TEAM_PAGE = 25


class Refused(Exception):
    """The viewer may not see this."""


@dataclass(frozen=True)
class Absent:
    """Someone on the team absent today, and as what (the leader's list)."""

    id: str
    name: str
    kind: str


def page_number(asked: object, count: int, size: int) -> tuple[int, int]:
    """The page to show (from 1) and how many there are: anything but a whole number shows the
    first page, a number past the end the last."""
    pages = max(1, -(-count // size))
    try:
        number = int(str(asked))
    except ValueError:
        number = 1
    return min(max(number, 1), pages), pages


def _absent_today(periods: list[Span], today: date) -> str | None:
    kinds = [str(p.kind) for p in periods if p.first_day <= today <= (p.last_day or today)]
    return kinds[-1] if kinds else None


@dataclass
class PersonCard:
    """One employee's fraværskort: a year by day, with totals."""

    id: str
    name: str
    days: dict[date, tuple[str, bool]]  # day -> (kind, partial)
    periods: int
    calendar_days: int
    working_days: float
    first: date
    absent_today: str | None = None  # the kind, for the leader only


class Insight:
    def __init__(self, work: Work, figures: Figures, my_data: MyData) -> None:
        self.work = work
        self.tab = work.store.insight
        self.people = work.store.people
        self.absences = work.store.absences
        self.audit_entries = work.store.audit
        self.notifier = work.notifier
        self.org = work.org
        self.figures = figures
        self.my_data = my_data

    # --- who is asking -------------------------------------------------------------------

    async def viewer_by_oid(self, oid: str) -> Employee | None:
        return await self.people.active_by_oid(oid)

    async def viewer_by_id(self, employee_id: str | None) -> Employee | None:
        """The demo login's choice, if still employed."""
        return await self.people.get(employee_id)

    async def demo_people(self) -> list[Employee]:
        return await self.people.active_people(DEMO_PEOPLE)

    async def below(self, leader: Employee) -> list[Employee]:
        """Everyone under the leader in the line, at any depth (their subtree)."""
        found: list[Employee] = []
        frontier = [leader.id]
        seen = {leader.id}
        while frontier:
            rows = [r for r in await self.people.reporting_to(frontier) if r.id not in seen]
            seen.update(r.id for r in rows)
            found += rows
            frontier = [r.id for r in rows]
        return sorted(found, key=lambda e: e.name)

    async def may_see_person(self, viewer: Employee, subject_id: str) -> bool:
        if may_see_person(viewer.id, viewer.role, subject_id, set()):
            return True  # oneself or HR: no need to walk the line
        leads = {p.id for p in await self.below(viewer)}
        return may_see_person(viewer.id, viewer.role, subject_id, leads)

    async def audit(self, viewer: Employee, subject_ids: list[str], what: str) -> None:
        others = [s for s in subject_ids if s != viewer.id]
        await self.audit_entries.record(self.work.now, viewer.id, others, what)

    # --- fraværskort ---------------------------------------------------------------------

    def _first_day(self) -> date:
        return months_back(self.work.today, 12)[0]  # this month and the 11 before it

    async def person_card(self, employee: Employee) -> PersonCard:
        first, today = self._first_day(), self.work.today
        periods = await self.tab.periods_between([employee.id], first, today)
        return self._card(employee, periods, first)

    def _card(self, employee: Employee, periods: list[Span], first: date) -> PersonCard:
        """A fraværskort from the person's periods touching the last twelve months."""
        today = self.work.today
        calendar = self.work.calendar(employee)
        card = PersonCard(employee.id, employee.name, {}, 0, 0, 0.0, first)
        for period in periods:
            last = period.last_day or today
            partial = period.kind == AbsenceKind.PARTLY_SICK
            start, end = max(period.first_day, first), min(last, today)
            day = start
            while day <= end:
                card.days[day] = (str(period.kind), partial)
                day += timedelta(days=1)
            card.periods += 1
            card.calendar_days += (end - start).days + 1
            card.working_days += absence_working_days(start, end, today, calendar)
            if period.first_day <= today <= last:
                card.absent_today = str(period.kind)
        return card

    async def person(self, viewer: Employee, subject_id: str) -> PersonCard:
        subject = await self.people.get(subject_id)
        if subject is None or not await self.may_see_person(viewer, subject_id):
            log.warning("refused person page viewer=%s subject=%s", viewer.id, subject_id)
            raise Refused
        await self.audit(viewer, [subject.id], "fraværskort")
        return await self.person_card(subject)

    # --- Mig -----------------------------------------------------------------------------

    async def me(self, viewer: Employee) -> tuple[PersonCard, list[CheckIn]]:
        """The viewer's own fraværskort and latest check-in colours."""
        card = await self.person_card(viewer)
        return card, await self.tab.recent_colours(viewer.id, MY_RECENT_DAYS)

    # --- Mit team ------------------------------------------------------------------------

    async def team(self, leader: Employee, page: object = 1) -> dict[str, Any]:
        """Who is absent today, today's check-ins and the follow-ups due for the whole team,
        and one page of its people with their year in figures (the calendars are on each
        person's page): a fixed number of queries however large the team."""
        if not is_leader(leader.role):
            raise Refused
        today, first = self.work.today, self._first_day()
        staff = await self.people.staff_of(leader.id)
        ids = [p.id for p in staff]
        number, pages = page_number(page, len(staff), TEAM_PAGE)
        shown = staff[(number - 1) * TEAM_PAGE : number * TEAM_PAGE]
        periods: dict[str, list[Span]] = {}
        for period in await self.tab.periods_between(ids, first, today):
            periods.setdefault(period.employee_id, []).append(period)
        await self.audit(leader, ids, "mit team")
        answers = await self.tab.answers(ids, today, until=today)
        anonymous = [a for a in answers if a.anonymous]
        return {
            "cards": [self._card(p, periods.get(p.id, []), first) for p in shown],
            "absent": [
                Absent(p.id, p.name, kind)
                for p in staff
                if (kind := _absent_today(periods.get(p.id, []), today))
            ],
            "page": number,
            "pages": pages,
            "staff": len(staff),
            "checkins_named": Counter(str(a.colour) for a in answers if not a.anonymous),
            "checkins_anonymous": (
                Counter(str(a.colour) for a in anonymous)
                if may_show_aggregate(len(anonymous))
                else None
            ),
            "anonymous_answered": len(anonymous),
            "followups": await self._followups_due(staff),
        }

    async def _followups_due(self, staff: list[Employee]) -> list[dict[str, Any]]:
        today = self.work.today
        names = {p.id: p.name for p in staff}
        return [
            {
                "id": f.employee_id,
                "name": names[f.employee_id],
                "why": f.why,
                "due": f.due_on,
                "deadline": f.deadline_on,
                "overdue": f.deadline_on < today,
            }
            for f in await self.tab.followups_due(list(names), today)
        ]

    # --- Trivsel -------------------------------------------------------------------------

    async def trivsel(self, leader: Employee, working_days: int = 90) -> dict[str, Any]:
        if not is_leader(leader.role):
            raise Refused
        staff = await self.people.staff_of(leader.id)
        days = self._working_days_back(leader, working_days)
        rows = await self.tab.answers([p.id for p in staff], days[0])
        series = _day_series(days, rows)
        named = {r.employee_id for r in rows if not r.anonymous}
        colours: dict[str, dict[date, str]] = {}
        for r in rows:
            if not r.anonymous:
                colours.setdefault(r.employee_id, {})[r.day] = str(r.colour)
        people = [
            (person.name, [(d, mine.get(d)) for d in days])
            for person in staff
            if (mine := colours.get(person.id))
        ]
        if people:
            await self.audit(leader, [p.id for p in staff if p.id in named], "trivsel")
        return {"series": series, "people": people}

    def _working_days_back(self, leader: Employee, count: int) -> list[date]:
        """The last `count` working days up to today (at most 200 calendar days back)."""
        calendar = self.work.calendar(leader)
        today = self.work.today
        days: list[date] = []
        day = today
        while len(days) < count and (today - day).days < 200:
            if calendar.is_working_day(day):
                days.append(day)
            day -= timedelta(days=1)
        days.reverse()
        return days

    # --- Organisation --------------------------------------------------------------------

    async def organisation(self, viewer: Employee) -> list[UnitRow]:
        """Units up the tree: the leader's own unit and below; HR all."""
        if not sees_everyone(viewer.role) and not is_leader(viewer.role):
            raise Refused
        tree = await self.figures.tree()
        return await self.figures.rows(tree, tree.roots_for(viewer))

    async def figures_computed_at(self) -> datetime | None:
        return await self.figures.computed_at()

    async def units_csv(self, viewer: Employee, lang_labels: list[str]) -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(safe_row(lang_labels))
        for row in await self.organisation(viewer):
            if not row.shown:
                cells: list[object] = [row.name, "", "", "", "", "", row.target or ""]
            else:
                cells = [
                    row.name,
                    row.staff,
                    f"{row.percent:.1f}" if row.percent is not None else "",
                    f"{row.per_fte:.1f}" if row.per_fte is not None else "",
                    *row.periods,
                    row.target if row.target is not None else "",
                ]
            # A unit's name comes from HR's file: it must not run as a formula.
            writer.writerow(safe_row(cells))
        return out.getvalue()

    # --- the audit log -------------------------------------------------------------------

    async def audit_log(self, viewer: Employee) -> tuple[list[AuditEntry], dict[str, str]]:
        """The latest views of someone's data, and the names of those involved (HR only)."""
        if not sees_everyone(viewer.role):
            raise Refused
        entries = await self.audit_entries.latest(AUDIT_ROWS)
        ids = {e.actor_id for e in entries} | {e.subject_id for e in entries}
        return entries, await self.people.names(ids)


def _day_series(days: list[date], rows: list[Answer]) -> list[tuple[date, Counter[str] | None]]:
    """Colours per day; anonymous answers only where enough answered, and a day with only too
    few anonymous answers is hidden."""
    by_day: dict[date, list[Answer]] = {}
    for row in rows:
        by_day.setdefault(row.day, []).append(row)
    series: list[tuple[date, Counter[str] | None]] = []
    for d in days:
        answers = by_day.get(d, [])
        named = [a for a in answers if not a.anonymous]
        anonymous = [a for a in answers if a.anonymous]
        counts = Counter(str(a.colour) for a in named)
        if anonymous and may_show_aggregate(len(anonymous)):
            counts.update(str(a.colour) for a in anonymous)
        hidden = bool(anonymous) and not may_show_aggregate(len(anonymous)) and not named
        series.append((d, None if hidden else counts))
    return series
