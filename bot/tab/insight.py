"""What the insight tab shows, and to whom: every method checks who is asking, applies the
anonymity thresholds, and writes an audit entry for each view of one person's data."""

from __future__ import annotations

import csv
import io
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.desk import AbsenceDesk, DeskSettings
from bot.texts import t
from dialogs.replies import Text
from rules.anonymity import MIN_AGGREGATE, may_show_aggregate, visible_units
from rules.calendar import absence_working_days
from rules.figures import Month, Spell, Staff, months_back, partial_share, swing, unit_months
from storage.models import (
    Absence,
    AbsenceKind,
    AbsenceStatus,
    AuditEntry,
    CheckIn,
    CheckInStatus,
    DialogState,
    Employee,
    EmploymentStatus,
    FollowUpRecord,
    FollowUpStatus,
    Kudos,
    Nudge,
    Role,
    TeamsUser,
    Unit,
    UnitMonth,
)

log = logging.getLogger("naervaer.tab")
TREND_MONTHS = 24
FIGURES_LOCK = 744_221_004


class Refused(Exception):
    """The viewer may not see this."""


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


@dataclass
class UnitRow:
    id: str
    name: str
    depth: int
    shown: bool
    staff: int
    percent: float | None = None
    per_fte: float | None = None
    periods: list[int] = field(default_factory=lambda: [0, 0, 0])
    target: float | None = None
    swing: bool = False
    trend: list[tuple[date, float | None]] = field(default_factory=list)


class InsightDesk(AbsenceDesk):
    def __init__(self, session: AsyncSession, now: datetime, settings: DeskSettings) -> None:
        super().__init__(session, now, settings)

    # --- who is asking -------------------------------------------------------------------

    async def viewer_by_oid(self, oid: str) -> Employee | None:
        return await self.session.scalar(
            select(Employee).where(
                Employee.aad_object_id == oid, Employee.status == EmploymentStatus.ACTIVE
            )
        )

    async def is_leader(self, viewer: Employee) -> bool:
        return viewer.role in (Role.LEADER, Role.ADMIN) or bool(
            await self.people.staff_of(viewer.id)
        )

    async def below(self, leader: Employee) -> list[Employee]:
        """Everyone under the leader in the line, at any depth (their subtree)."""
        found: list[Employee] = []
        frontier = [leader.id]
        seen = {leader.id}
        while frontier:
            rows = list(
                await self.session.scalars(
                    select(Employee).where(
                        Employee.leader_id.in_(frontier),
                        Employee.status == EmploymentStatus.ACTIVE,
                    )
                )
            )
            rows = [r for r in rows if r.id not in seen]
            seen.update(r.id for r in rows)
            found += rows
            frontier = [r.id for r in rows]
        return sorted(found, key=lambda e: e.name)

    async def may_see_person(self, viewer: Employee, subject_id: str) -> bool:
        if viewer.id == subject_id or viewer.role == Role.HR:
            return True
        return any(p.id == subject_id for p in await self.below(viewer))

    async def audit(self, viewer: Employee, subject_ids: list[str], what: str) -> None:
        for subject in subject_ids:
            if subject != viewer.id:
                self.session.add(
                    AuditEntry(at=self.now, actor_id=viewer.id, subject_id=subject, what=what)
                )

    # --- fraværskort ---------------------------------------------------------------------

    async def person_card(self, employee: Employee) -> PersonCard:
        first = months_back(self.today, 12)[0]  # this month and the 11 before it
        calendar = self.calendar(employee)
        days: dict[date, tuple[str, bool]] = {}
        periods = calendar_days = 0
        working = 0.0
        absent_today = None
        for absence in await self.absences.for_employee(employee.id):
            if absence.status not in (AbsenceStatus.OPEN, AbsenceStatus.CLOSED):
                continue
            last = absence.last_day or self.today
            if last < first or absence.first_day > self.today:
                continue
            partial = absence.kind == AbsenceKind.PARTLY_SICK
            start = max(absence.first_day, first)
            day = start
            while day <= min(last, self.today):
                days[day] = (str(absence.kind), partial)
                day += timedelta(days=1)
            periods += 1
            calendar_days += (min(last, self.today) - start).days + 1
            working += absence_working_days(start, min(last, self.today), self.today, calendar)
            if absence.first_day <= self.today <= last:
                absent_today = str(absence.kind)
        return PersonCard(
            employee.id,
            employee.name,
            days,
            periods,
            calendar_days,
            working,
            first,
            absent_today,
        )

    async def person(self, viewer: Employee, subject_id: str) -> PersonCard:
        subject = await self.people.get(subject_id)
        if subject is None or not await self.may_see_person(viewer, subject_id):
            log.warning("refused person page viewer=%s subject=%s", viewer.id, subject_id)
            raise Refused
        await self.audit(viewer, [subject.id], "fraværskort")
        return await self.person_card(subject)

    # --- Mit team ------------------------------------------------------------------------

    async def team(self, leader: Employee) -> dict[str, Any]:
        if not await self.is_leader(leader):
            raise Refused
        staff = await self.people.staff_of(leader.id)
        cards = [await self.person_card(p) for p in staff]
        await self.audit(leader, [p.id for p in staff], "mit team")
        answers = list(
            await self.session.scalars(
                select(CheckIn).where(
                    CheckIn.employee_id.in_([p.id for p in staff]),
                    CheckIn.day == self.today,
                    CheckIn.status == CheckInStatus.ANSWERED,
                )
            )
        )
        named = Counter(str(a.colour) for a in answers if not a.anonymous)
        anonymous = [a for a in answers if a.anonymous]
        followups = list(
            await self.session.scalars(
                select(FollowUpRecord)
                .where(
                    FollowUpRecord.employee_id.in_([p.id for p in staff]),
                    FollowUpRecord.status == FollowUpStatus.OPEN,
                    FollowUpRecord.due_on <= self.today,
                )
                .order_by(FollowUpRecord.deadline_on)
            )
        )
        names = {p.id: p.name for p in staff}
        return {
            "cards": cards,
            "absent": [c for c in cards if c.absent_today],
            "checkins_named": named,
            "checkins_anonymous": (
                Counter(str(a.colour) for a in anonymous)
                if may_show_aggregate(len(anonymous))
                else None
            ),
            "anonymous_answered": len(anonymous),
            "followups": [
                {
                    "name": names[f.employee_id],
                    "why": f.why,
                    "due": f.due_on,
                    "deadline": f.deadline_on,
                    "overdue": f.deadline_on < self.today,
                }
                for f in followups
            ],
        }

    # --- Trivsel -------------------------------------------------------------------------

    async def trivsel(self, leader: Employee, working_days: int = 90) -> dict[str, Any]:
        if not await self.is_leader(leader):
            raise Refused
        staff = await self.people.staff_of(leader.id)
        calendar = self.calendar(leader)
        days: list[date] = []
        day = self.today
        while len(days) < working_days and (self.today - day).days < 200:
            if calendar.is_working_day(day):
                days.append(day)
            day -= timedelta(days=1)
        days.reverse()
        rows = list(
            await self.session.scalars(
                select(CheckIn).where(
                    CheckIn.employee_id.in_([p.id for p in staff]),
                    CheckIn.day >= days[0],
                    CheckIn.status == CheckInStatus.ANSWERED,
                )
            )
        )
        by_day: dict[date, list[CheckIn]] = {}
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
        people = []
        for person in staff:
            mine = {
                r.day: str(r.colour) for r in rows if r.employee_id == person.id and not r.anonymous
            }
            if mine:
                people.append((person.name, [(d, mine.get(d)) for d in days]))
        if people:
            await self.audit(
                leader,
                [
                    p.id
                    for p in staff
                    if any(r.employee_id == p.id and not r.anonymous for r in rows)
                ],
                "trivsel",
            )
        return {"series": series, "people": people, "min": MIN_AGGREGATE}

    # --- Organisation --------------------------------------------------------------------

    async def refresh_figures(self) -> int:
        """Recompute every unit's monthly figures (the nightly job; `naervaer figures refresh`)."""
        months = months_back(self.today, TREND_MONTHS)
        window = months[0]
        staff = [
            Staff(e.id, e.unit_id, e.fte, e.workdays, e.start_date, e.left_on)
            for e in await self.session.scalars(
                select(Employee).where(
                    or_(Employee.status == EmploymentStatus.ACTIVE, Employee.left_on >= window)
                )
            )
        ]
        fte = {s.id: s.fte for s in staff}
        spells = [
            Spell(
                employee_id,
                first,
                last,
                str(kind),
                partial_share(percent, hours, fte.get(employee_id, 1.0))
                if kind == AbsenceKind.PARTLY_SICK
                else 1.0,
            )
            for employee_id, first, last, kind, percent, hours in (
                await self.session.execute(
                    select(
                        Absence.employee_id,
                        Absence.first_day,
                        Absence.last_day,
                        Absence.kind,
                        Absence.partial_percent_off,
                        Absence.partial_hours_off,
                    ).where(
                        Absence.kind.in_((AbsenceKind.SICK, AbsenceKind.PARTLY_SICK)),
                        Absence.status.in_((AbsenceStatus.OPEN, AbsenceStatus.CLOSED)),
                        or_(Absence.last_day.is_(None), Absence.last_day >= window),
                    )
                )
            ).all()
        ]
        figures = unit_months(staff, spells, months, self.today, self.settings.timezone)
        await self.session.execute(delete(UnitMonth).where(UnitMonth.month >= window))
        self.session.add_all(
            UnitMonth(
                unit_id=unit_id,
                month=month,
                lost_days=m.lost,
                planned_days=m.planned,
                periods_short=m.periods[0],
                periods_medium=m.periods[1],
                periods_long=m.periods[2],
                staff=m.staff,
                fte=m.fte,
                computed_at=self.now,
            )
            for (unit_id, month), m in figures.items()
        )
        return len(figures)

    async def nightly(self) -> bool:
        """Refresh the figures once a day (the first tick after midnight), then nudge on swings;
        one process at a time on PostgreSQL."""
        if self.session.get_bind().dialect.name == "postgresql" and not await self.session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": FIGURES_LOCK}
        ):
            return False
        last = await self.session.scalar(select(func.max(UnitMonth.computed_at)))
        if last is not None and last.astimezone(self.settings.timezone).date() >= self.today:
            return False
        await self.refresh_figures()
        await self.session.flush()
        await self.swing_nudges()
        return True

    async def _units(self) -> tuple[dict[str, Unit], dict[str, list[str]]]:
        units = {u.id: u for u in await self.session.scalars(select(Unit))}
        children: dict[str, list[str]] = {}
        for unit in units.values():
            if unit.parent_id in units:
                children.setdefault(unit.parent_id, []).append(unit.id)
        return units, children

    async def organisation(self, viewer: Employee) -> list[UnitRow]:
        """Units up the tree: the leader's own unit and below; HR all. Units too small to be
        anonymous (or that subtraction would reveal) show no figures."""
        units, children = await self._units()
        if viewer.role == Role.HR:
            roots = sorted(u for u in units if units[u].parent_id not in units)
        elif await self.is_leader(viewer):
            roots = [viewer.unit_id]
        else:
            raise Refused
        order: list[tuple[str, int]] = []

        def walk(unit_id: str, depth: int) -> None:
            order.append((unit_id, depth))
            for child in sorted(children.get(unit_id, []), key=lambda c: units[c].name):
                walk(child, depth + 1)

        for root in roots:
            walk(root, 0)
        wanted = [u for u, _d in order]
        months = months_back(self.today, TREND_MONTHS)
        own: dict[str, dict[date, Month]] = {u: {} for u in wanted}
        for stored in await self.session.scalars(
            select(UnitMonth).where(UnitMonth.unit_id.in_(wanted), UnitMonth.month >= months[0])
        ):
            own[stored.unit_id][stored.month] = Month(
                stored.lost_days,
                stored.planned_days,
                [stored.periods_short, stored.periods_medium, stored.periods_long],
                stored.staff,
                stored.fte,
            )
        total: dict[str, dict[date, Month]] = {}

        def roll(unit_id: str) -> dict[date, Month]:
            months_of = {m: Month() for m in months}
            for month, figures in own[unit_id].items():
                months_of[month].add(figures)
            for child in children.get(unit_id, []):
                if child in own:
                    for month, figures in roll(child).items():
                        months_of[month].add(figures)
            total[unit_id] = months_of
            return months_of

        for root in roots:
            roll(root)
        current = months[-1]
        headcount = {u: total[u][current].staff for u in wanted}
        parents = {u: units[u].parent_id for u in wanted}
        shown = visible_units(headcount, parents)
        rows: list[UnitRow] = []
        last_year = months[-12:]
        complete = months[:-1]  # the current month is not over
        for unit_id, depth in order:
            figures = total[unit_id]
            row = UnitRow(unit_id, units[unit_id].name, depth, unit_id in shown, headcount[unit_id])
            row.target = units[unit_id].target_percent
            if row.shown:
                year = Month()
                for month in last_year:
                    year.add(figures[month])
                row.percent = year.percent
                fte_now = figures[current].fte
                row.per_fte = year.lost / fte_now if fte_now else None
                row.periods = year.periods
                row.trend = [(m, figures[m].percent) for m in months]
                row.swing = swing([figures[m].percent for m in complete])
            rows.append(row)
        return rows

    async def units_csv(self, viewer: Employee, lang_labels: list[str]) -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(lang_labels)
        for row in await self.organisation(viewer):
            if not row.shown:
                writer.writerow([row.name, "", "", "", "", "", row.target or ""])
                continue
            writer.writerow(
                [
                    row.name,
                    row.staff,
                    f"{row.percent:.1f}" if row.percent is not None else "",
                    f"{row.per_fte:.1f}" if row.per_fte is not None else "",
                    *row.periods,
                    row.target if row.target is not None else "",
                ]
            )
        return out.getvalue()

    async def swing_nudges(self) -> int:
        """Viborg's pop-up: a unit whose last month is clearly above its level tells its
        leader and the leader above, once per month."""
        units, _children = await self._units()
        sent = 0
        last_month = months_back(self.today, 2)[0]
        for unit_id in units:
            leader = await self._leader_of(unit_id)
            if leader is None:
                continue
            rows = [r for r in await self.organisation(leader) if r.id == unit_id]
            if not rows or not rows[0].swing:
                continue
            row = rows[0]
            above = await self.people.get(leader.leader_id)
            for who in [leader, *([above] if above else [])]:
                subject = f"unit:{unit_id}:{last_month.isoformat()}"
                seen = await self.session.scalar(
                    select(Nudge.id).where(Nudge.leader_id == who.id, Nudge.subject_id == subject)
                )
                if seen is not None:
                    continue
                self.session.add(
                    Nudge(
                        leader_id=who.id, subject_id=subject, kind="unit_swing", sent_on=self.today
                    )
                )
                percent = next(p for m, p in row.trend if m == last_month) or 0.0
                lang = await self.language_for(who.id)
                month = f"{t(lang, 'tab_month_names').split(',')[last_month.month - 1]} {last_month.year}"
                shown = f"{percent:.1f}".replace(".", "," if lang == "da" else ".")
                await self._send(
                    who.id,
                    Text("tab_swing_message", {"unit": row.name, "month": month, "percent": shown}),
                    f"swing:{unit_id}:{last_month.isoformat()}:{who.id}",
                )
                sent += 1
        return sent

    async def _leader_of(self, unit_id: str) -> Employee | None:
        """The leader most of the unit's staff report to."""
        staff = list(
            await self.session.scalars(
                select(Employee).where(
                    Employee.unit_id == unit_id, Employee.status == EmploymentStatus.ACTIVE
                )
            )
        )
        counts = Counter(e.leader_id for e in staff if e.leader_id)
        if not counts:
            return None
        return await self.people.get(counts.most_common(1)[0][0])

    # --- Mig -----------------------------------------------------------------------------

    async def my_data(self, employee: Employee) -> dict[str, Any]:
        """Everything naervaer holds about the person (GDPR art. 15), except a leader's private
        follow-up notes, which are the leader's working notes (see the README)."""

        def plain(row: object, *names: str) -> dict[str, Any]:
            return {n: _json(getattr(row, n)) for n in names}

        absences = await self.absences.for_employee(employee.id)
        data: dict[str, Any] = {
            "employee": plain(
                employee,
                "id",
                "name",
                "email",
                "unit_id",
                "leader_id",
                "role",
                "locale",
                "workdays",
                "checkin_time",
                "start_date",
                "fte",
                "status",
                "checkin_stopped",
                "checkin_paused_until",
            ),
            "absences": [
                plain(
                    a,
                    "kind",
                    "status",
                    "first_day",
                    "last_day",
                    "expected_return",
                    "partial_hours_off",
                    "partial_percent_off",
                    "paid_with",
                    "note",
                    "reported_by",
                    "routed_to",
                    "created_at",
                )
                for a in absences
            ],
            "checkins": [
                plain(c, "day", "status", "colour", "comment", "to_green", "reply", "anonymous")
                for c in await self.session.scalars(
                    select(CheckIn).where(CheckIn.employee_id == employee.id).order_by(CheckIn.day)
                )
            ],
            "followups": [
                plain(f, "rule_id", "due_on", "deadline_on", "status", "held_on")
                for f in await self.session.scalars(
                    select(FollowUpRecord).where(FollowUpRecord.employee_id == employee.id)
                )
            ],
            "kudos_received": [
                plain(k, "sender_id", "text", "created_at")
                for k in await self.session.scalars(
                    select(Kudos).where(Kudos.recipient_id == employee.id)
                )
            ],
            "kudos_sent": [
                plain(k, "recipient_id", "text", "created_at")
                for k in await self.session.scalars(
                    select(Kudos).where(Kudos.sender_id == employee.id)
                )
            ],
            "teams": [
                plain(t, "tenant_id", "locale", "status", "last_seen")
                for t in await self.session.scalars(
                    select(TeamsUser).where(TeamsUser.employee_id == employee.id)
                )
            ],
            "dialog": [
                plain(d, "dialog", "updated_at")
                for d in await self.session.scalars(
                    select(DialogState).where(DialogState.employee_id == employee.id)
                )
            ],
            "viewed_by": [
                plain(a, "at", "actor_id", "what")
                for a in await self.session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.subject_id == employee.id)
                    .order_by(AuditEntry.at)
                )
            ],
        }
        return data

    async def audit_log(self, viewer: Employee, limit: int = 500) -> list[AuditEntry]:
        if viewer.role != Role.HR:
            raise Refused
        return list(
            await self.session.scalars(
                select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
            )
        )


def _json(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def my_data_csv(data: dict[str, Any]) -> str:
    """The same as the JSON, one line per fact: section, row, field, value."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["section", "row", "field", "value"])
    for section, content in data.items():
        rows = content if isinstance(content, list) else [content]
        for n, row in enumerate(rows, start=1):
            for name, value in row.items():
                writer.writerow([section, n, name, "" if value is None else value])
    return out.getvalue()
