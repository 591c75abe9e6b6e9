"""The follow-up conversations on record: an employee's own, and the statutory ones by unit."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Employee, FollowUpRecord, FollowUpStatus


class FollowUpRecordRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def held_for(self, employee_id: str) -> list[FollowUpRecord]:
        """The employee's conversations marked held, newest first."""
        rows = await self.session.scalars(
            select(FollowUpRecord)
            .where(
                FollowUpRecord.employee_id == employee_id,
                FollowUpRecord.status == FollowUpStatus.HELD,
            )
            .order_by(FollowUpRecord.held_on.desc(), FollowUpRecord.id.desc())
        )
        return list(rows)

    async def of_rules(
        self, rule_ids: Collection[str], unit_ids: Collection[str] | None
    ) -> list[tuple[FollowUpRecord, Employee]]:
        """Every stored follow-up of these rules, with its employee, by unit then deadline;
        only the given units' staff when units are given."""
        query = (
            select(FollowUpRecord, Employee)
            .join(Employee, Employee.id == FollowUpRecord.employee_id)
            .where(FollowUpRecord.rule_id.in_(list(rule_ids)))
            .order_by(Employee.unit_id, FollowUpRecord.deadline_on, Employee.id)
        )
        if unit_ids is not None:
            query = query.where(Employee.unit_id.in_(list(unit_ids)))
        rows = await self.session.execute(query)
        return [(record, employee) for record, employee in rows.all()]
