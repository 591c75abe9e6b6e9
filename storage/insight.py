"""What the insight tab reads: people and answers for a leader's pages, the units' monthly
figures, the audit log of who looked at whom, and everything held about one person."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from rules.absence_kinds import COUNTED_IN_FIGURES
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
    TeamsUser,
    UnitMonth,
)


class InsightRepository:
    """Who is looking, who is below them, and their people's answers and follow-ups."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def answers(
        self, employee_ids: list[str], since: date, until: date | None = None
    ) -> list[CheckIn]:
        """Answered check-ins of these people from `since` (to `until`, when given)."""
        where = [
            CheckIn.employee_id.in_(employee_ids),
            CheckIn.day >= since,
            CheckIn.status == CheckInStatus.ANSWERED,
        ]
        if until is not None:
            where.append(CheckIn.day <= until)
        return list(await self.session.scalars(select(CheckIn).where(*where)))

    async def recent_colours(self, employee_id: str, limit: int) -> list[CheckIn]:
        """The person's own latest days with a colour, newest first."""
        rows = await self.session.scalars(
            select(CheckIn)
            .where(CheckIn.employee_id == employee_id, CheckIn.colour.is_not(None))
            .order_by(CheckIn.day.desc())
            .limit(limit)
        )
        return list(rows)

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

    async def last_computed(self) -> datetime | None:
        return await self.session.scalar(select(func.max(UnitMonth.computed_at)))

    async def months(self, unit_ids: list[str], since: date) -> list[UnitMonth]:
        rows = await self.session.scalars(
            select(UnitMonth).where(UnitMonth.unit_id.in_(unit_ids), UnitMonth.month >= since)
        )
        return list(rows)


class AuditRepository:
    """Who looked at whose individual data."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, at: datetime, actor_id: str, subject_ids: list[str], what: str) -> None:
        self.session.add_all(
            AuditEntry(at=at, actor_id=actor_id, subject_id=subject, what=what)
            for subject in subject_ids
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
