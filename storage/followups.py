"""Follow-ups as stored, and the absence history the follow-up engine reads."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rules.followups import FollowUp, Period
from storage.models import (
    Absence,
    AbsenceStatus,
    Employee,
    EmploymentStatus,
    FollowUpRecord,
    FollowUpStatus,
)
from storage.repositories import insert_many_ignoring_duplicates

# Requested periods are not absences yet, cancelled ones never were.
COUNTED = (AbsenceStatus.OPEN, AbsenceStatus.CLOSED)


class FollowUpRepository:
    """Follow-ups the policy produced, one per occurrence key, and what was done about them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count_due(self, on: date) -> int:
        """Open follow-ups due on the day or before it (for /metrics)."""
        return int(
            await self.session.scalar(
                select(func.count()).where(
                    FollowUpRecord.status == FollowUpStatus.OPEN, FollowUpRecord.due_on <= on
                )
            )
            or 0
        )

    async def get(self, followup_id: int) -> FollowUpRecord | None:
        return await self.session.get(FollowUpRecord, followup_id)

    async def keys(self) -> set[str]:
        """Every occurrence key stored, whatever its status."""
        return set(await self.session.scalars(select(FollowUpRecord.key)))

    async def keys_of(self, employee_ids: set[str]) -> set[str]:
        return set(
            await self.session.scalars(
                select(FollowUpRecord.key).where(FollowUpRecord.employee_id.in_(employee_ids))
            )
        )

    async def status_of(self, key: str) -> FollowUpStatus | None:
        """What was done about the occurrence, or None when it was never stored."""
        return await self.session.scalar(
            select(FollowUpRecord.status).where(FollowUpRecord.key == key)
        )

    async def store_found(self, found: list[FollowUp], now: datetime) -> None:
        """Store as open; an occurrence stored already (also by a concurrent run) stays as it is."""
        rows = [
            {
                "key": f.key,
                "employee_id": f.employee_id,
                "policy_id": f.policy_id,
                "rule_id": f.rule_id,
                "rule_kind": f.rule_kind,
                "occurrence": f.occurrence,
                "due_on": f.due_on,
                "deadline_on": f.deadline_on,
                "recipient": f.recipient,
                "guide": f.guide,
                "why": f.why.model_dump(),
                "guidance": f.guidance.model_dump() if f.guidance else None,
                "advis_employee": f.advis_employee,
                "status": FollowUpStatus.OPEN,
                "created_at": now,
            }
            for f in found
        ]
        await insert_many_ignoring_duplicates(self.session, FollowUpRecord, rows)

    async def open_due(self, on: date) -> list[FollowUpRecord]:
        """Open follow-ups due by `on`, oldest first: what the morning's dispatch works through."""
        rows = await self.session.scalars(
            select(FollowUpRecord)
            .where(FollowUpRecord.status == FollowUpStatus.OPEN, FollowUpRecord.due_on <= on)
            .order_by(FollowUpRecord.due_on, FollowUpRecord.id)
        )
        return list(rows)

    async def undone_due(self, on: date) -> list[FollowUpRecord]:
        """Open or snoozed follow-ups due by `on`: what a leader asking for the list sees."""
        rows = await self.session.scalars(
            select(FollowUpRecord)
            .where(
                FollowUpRecord.status.in_((FollowUpStatus.OPEN, FollowUpStatus.SNOOZED)),
                FollowUpRecord.due_on <= on,
            )
            .order_by(FollowUpRecord.due_on)
        )
        return list(rows)

    async def snoozed_to_wake(self, on: date) -> list[FollowUpRecord]:
        rows = await self.session.scalars(
            select(FollowUpRecord).where(
                FollowUpRecord.status == FollowUpStatus.SNOOZED,
                FollowUpRecord.snoozed_until <= on,
            )
        )
        return list(rows)


class StaffMember(NamedTuple):
    """The facts the engine needs of an active employee, without loading the whole person."""

    id: str
    unit_id: str
    start_date: date | None
    workdays: str


class AbsenceHistoryRepository:
    """Absence periods as the follow-up engine reads them, and whom to evaluate."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def periods_of(self, employee_id: str, since: date) -> list[Period]:
        rows = await self.session.scalars(
            select(Absence)
            .where(
                Absence.employee_id == employee_id,
                Absence.first_day >= since,
                Absence.status.in_(COUNTED),
            )
            .order_by(Absence.first_day)
        )
        return [Period(a.first_day, a.last_day, str(a.kind), a.expected_return) for a in rows]

    async def periods_between(
        self, first_id: str, last_id: str, since: date
    ) -> dict[str, list[Period]]:
        """Periods of every employee whose id sorts from `first_id` to `last_id`, each in order."""
        # One range scan on (employee_id, first_day): far faster than one query per person.
        rows = await self.session.execute(
            select(
                Absence.employee_id,
                Absence.first_day,
                Absence.last_day,
                Absence.kind,
                Absence.expected_return,
            ).where(
                Absence.employee_id.between(first_id, last_id),
                Absence.first_day >= since,
                Absence.status.in_(COUNTED),
            )
        )
        periods: dict[str, list[Period]] = {}
        for employee_id, first, last, kind, expected in rows.all():
            periods.setdefault(employee_id, []).append(Period(first, last, str(kind), expected))
        for history in periods.values():
            history.sort(key=_first_day)
        return periods

    async def staff_to_evaluate(self) -> list[StaffMember]:
        """Every active employee, by id (the order `periods_between` ranges over)."""
        # Plain rows, not ORM objects: building 50,000 entities costs seconds.
        rows = await self.session.execute(
            select(Employee.id, Employee.unit_id, Employee.start_date, Employee.workdays)
            .where(Employee.status == EmploymentStatus.ACTIVE)
            .order_by(Employee.id)
        )
        return [StaffMember(*row) for row in rows.all()]

    async def active_staff(self, unit_id: str | None = None) -> list[Employee]:
        """Active employees by id, all or of one unit (not its sub-units)."""
        query = select(Employee).where(Employee.status == EmploymentStatus.ACTIVE)
        if unit_id is not None:
            query = query.where(Employee.unit_id == unit_id)
        return list(await self.session.scalars(query.order_by(Employee.id)))


def _first_day(period: Period) -> date:
    return period.first_day
