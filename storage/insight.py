"""What the insight tab reads: people and answers for a leader's pages, the units' monthly
figures, the audit log of who looked at whom, and everything held about one person."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from rules.absence_kinds import COUNTED_IN_FIGURES
from storage.models import (
    Absence,
    AbsenceKind,
    AbsenceStatus,
    AuditEntry,
    CheckIn,
    CheckInStatus,
    Colour,
    DialogState,
    Employee,
    EmploymentStatus,
    FollowUpRecord,
    FollowUpStatus,
    Kudos,
    TeamsUser,
    Unit,
    UnitMonth,
    UnitTotal,
)


class Span(NamedTuple):
    """An absence period as a fraværskort draws it."""

    employee_id: str
    kind: AbsenceKind
    first_day: date
    last_day: date | None  # None: still open


class Answer(NamedTuple):
    """A check-in answer as the leader's pages count it."""

    employee_id: str
    day: date
    colour: Colour | None
    anonymous: bool


class InsightRepository:
    """Who is looking, who is below them, and their people's answers and follow-ups."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def answers(
        self, employee_ids: list[str], since: date, until: date | None = None
    ) -> list[Answer]:
        """Answered check-ins of these people from `since` (to `until`, when given): plain rows,
        as a team's 90 days are thousands of them."""
        where = [
            CheckIn.employee_id.in_(employee_ids),
            CheckIn.day >= since,
            CheckIn.status == CheckInStatus.ANSWERED,
        ]
        if until is not None:
            where.append(CheckIn.day <= until)
        rows = await self.session.execute(
            select(CheckIn.employee_id, CheckIn.day, CheckIn.colour, CheckIn.anonymous).where(
                *where
            )
        )
        return [Answer(*row) for row in rows.all()]

    async def recent_colours(self, employee_id: str, limit: int) -> list[CheckIn]:
        """The person's own latest days with a colour, newest first."""
        rows = await self.session.scalars(
            select(CheckIn)
            .where(CheckIn.employee_id == employee_id, CheckIn.colour.is_not(None))
            .order_by(CheckIn.day.desc())
            .limit(limit)
        )
        return list(rows)

    async def periods_between(self, employee_ids: list[str], first: date, last: date) -> list[Span]:
        """Reported periods (open or closed; not requested or cancelled) of these people that
        touch [first, last], by first day: one query for a whole team's fraværskort."""
        rows = await self.session.execute(
            select(Absence.employee_id, Absence.kind, Absence.first_day, Absence.last_day)
            .where(
                Absence.employee_id.in_(employee_ids),
                Absence.status.in_((AbsenceStatus.OPEN, AbsenceStatus.CLOSED)),
                Absence.first_day <= last,
                or_(Absence.last_day.is_(None), Absence.last_day >= first),
            )
            .order_by(Absence.first_day, Absence.id)
        )
        return [Span(*row) for row in rows.all()]

    async def followups_due(self, employee_ids: list[str], on: date) -> list[FollowUpRecord]:
        """Open follow-ups of these people that have come due, by deadline."""
        rows = await self.session.scalars(
            select(FollowUpRecord)
            .where(
                FollowUpRecord.employee_id.in_(employee_ids),
                FollowUpRecord.status == FollowUpStatus.OPEN,
                FollowUpRecord.due_on <= on,
            )
            .order_by(FollowUpRecord.deadline_on)
        )
        return list(rows)


class SickPeriod(NamedTuple):
    employee_id: str
    first_day: date
    last_day: date | None
    kind: AbsenceKind
    partial_percent_off: int | None
    partial_hours_off: float | None


class UnitNode(NamedTuple):
    id: str
    name: str
    parent_id: str | None
    target_percent: float | None


class UnitSums(NamedTuple):
    """A unit_totals row."""

    unit_id: str
    staff: int
    fte: float
    lost_days: float
    planned_days: float
    periods_short: int
    periods_medium: int
    periods_long: int
    swing: bool
    first_month: date
    trend: list[float | None]
    computed_at: datetime


class FiguresRepository:
    """The units' monthly sick-absence figures, what they are computed from, and the swing
    nudges already sent."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def staff_since(self, day: date) -> list[Employee]:
        """Everyone active, and everyone who left on or after the day."""
        rows = await self.session.scalars(
            select(Employee).where(
                or_(Employee.status == EmploymentStatus.ACTIVE, Employee.left_on >= day)
            )
        )
        return list(rows)

    async def sickness_since(self, day: date) -> list[SickPeriod]:
        """Sick and partly sick periods (reported, not requested or cancelled) still running on
        or after the day."""
        rows = await self.session.execute(
            select(
                Absence.employee_id,
                Absence.first_day,
                Absence.last_day,
                Absence.kind,
                Absence.partial_percent_off,
                Absence.partial_hours_off,
            ).where(
                Absence.kind.in_(COUNTED_IN_FIGURES),
                Absence.status.in_((AbsenceStatus.OPEN, AbsenceStatus.CLOSED)),
                or_(Absence.last_day.is_(None), Absence.last_day >= day),
            )
        )
        return [SickPeriod(*row) for row in rows.all()]

    async def replace_months(self, since: date, months: list[UnitMonth]) -> None:
        await self.session.execute(delete(UnitMonth).where(UnitMonth.month >= since))
        self.session.add_all(months)
        await self.session.flush()

    async def replace_totals(self, totals: list[UnitTotal]) -> None:
        await self.session.execute(delete(UnitTotal))
        self.session.add_all(totals)
        await self.session.flush()

    async def last_computed(self) -> datetime | None:
        """When the nightly job last left the units' totals (None: never since they exist)."""
        return await self.session.scalar(select(func.max(UnitTotal.computed_at)))

    async def units(self) -> list[UnitNode]:
        """Every unit as the tree needs it (a municipality has hundreds, read whole)."""
        rows = await self.session.execute(
            select(Unit.id, Unit.name, Unit.parent_id, Unit.target_percent)
        )
        return [UnitNode(*row) for row in rows.all()]

    async def totals(self, unit_ids: list[str]) -> dict[str, UnitSums]:
        rows = await self.session.execute(
            select(*UnitTotal.__table__.columns).where(UnitTotal.unit_id.in_(unit_ids))
        )
        return {row.unit_id: UnitSums(**row._mapping) for row in rows.all()}


class AuditRepository:
    """Who looked at whose individual data."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, at: datetime, actor_id: str, subject_ids: list[str], what: str) -> None:
        """One statement for a whole team's view (the ORM would insert row by row on SQLite)."""
        if subject_ids:
            await self.session.execute(
                insert(AuditEntry),
                [
                    {"at": at, "actor_id": actor_id, "subject_id": subject, "what": what}
                    for subject in subject_ids
                ],
            )

    async def latest(self, limit: int) -> list[AuditEntry]:
        rows = await self.session.scalars(
            select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
        )
        return list(rows)

    async def about(self, subject_id: str) -> list[AuditEntry]:
        rows = await self.session.scalars(
            select(AuditEntry).where(AuditEntry.subject_id == subject_id).order_by(AuditEntry.at)
        )
        return list(rows)


class PersonalDataRepository:
    """Everything held about one person, kind by kind (their absences: AbsenceRepository)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def checkins(self, employee_id: str) -> list[CheckIn]:
        rows = await self.session.scalars(
            select(CheckIn).where(CheckIn.employee_id == employee_id).order_by(CheckIn.day)
        )
        return list(rows)

    async def followups(self, employee_id: str) -> list[FollowUpRecord]:
        rows = await self.session.scalars(
            select(FollowUpRecord).where(FollowUpRecord.employee_id == employee_id)
        )
        return list(rows)

    async def kudos_received(self, employee_id: str) -> list[Kudos]:
        return list(
            await self.session.scalars(select(Kudos).where(Kudos.recipient_id == employee_id))
        )

    async def kudos_sent(self, employee_id: str) -> list[Kudos]:
        return list(await self.session.scalars(select(Kudos).where(Kudos.sender_id == employee_id)))

    async def teams_addresses(self, employee_id: str) -> list[TeamsUser]:
        rows = await self.session.scalars(
            select(TeamsUser).where(TeamsUser.employee_id == employee_id)
        )
        return list(rows)

    async def dialogs(self, employee_id: str) -> list[DialogState]:
        rows = await self.session.scalars(
            select(DialogState).where(DialogState.employee_id == employee_id)
        )
        return list(rows)
