"""Outlook while sick (issue 19): which absence periods should show in a person's Outlook, and
what it shows now. The kind of absence is read here only to pick the periods; it never leaves
naervaer (the event and the automatic reply are the same for every kind)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Absence,
    AbsenceKind,
    AbsenceStatus,
    Employee,
    EmploymentStatus,
    OutlookAbsence,
    OutlookChoice,
)

# Away for the whole day; a partly sick person is at work part of it.
AWAY = (AbsenceKind.SICK, AbsenceKind.CHILD_SICK, AbsenceKind.EMERGENCY_DAY)


@dataclass(frozen=True)
class OutlookCase:
    absence_id: int
    employee_id: str
    aad_object_id: str | None
    locale: str | None
    status: AbsenceStatus
    first_day: date
    last_day: date | None
    expected_return: date | None
    wanted: bool  # the person (or the default) wants Outlook to show it
    event_id: str | None
    shown_until: date | None
    replies_until: date | None
    tries: int


class OutlookRecords:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def choose(self, employee_id: str, enabled: bool, now: datetime) -> None:
        """The person's word; their open periods are looked at again (shown or taken away)."""
        await self.session.merge(
            OutlookChoice(employee_id=employee_id, enabled=enabled, chosen_at=now)
        )
        open_periods = select(Absence.id).where(
            Absence.employee_id == employee_id, Absence.status == AbsenceStatus.OPEN
        )
        await self.session.execute(
            update(OutlookAbsence)
            .where(OutlookAbsence.absence_id.in_(open_periods))
            .values(done=False, tries=0)
        )

    async def choice(self, employee_id: str) -> bool | None:
        row = await self.session.get(OutlookChoice, employee_id)
        return None if row is None else row.enabled

    async def cases(self, default_on: bool) -> list[OutlookCase]:
        """Open away-periods of active people, and every period whose Outlook is not settled."""
        chosen = OutlookChoice.enabled.is_(True)
        wants = or_(OutlookChoice.enabled.is_(None), chosen) if default_on else chosen
        rows = await self.session.execute(
            select(Absence, Employee, OutlookAbsence, OutlookChoice.enabled)
            .join(Employee, Employee.id == Absence.employee_id)
            .outerjoin(OutlookAbsence, OutlookAbsence.absence_id == Absence.id)
            .outerjoin(OutlookChoice, OutlookChoice.employee_id == Absence.employee_id)
            .where(
                Absence.kind.in_(AWAY),
                or_(
                    and_(
                        Absence.status == AbsenceStatus.OPEN,
                        Employee.status == EmploymentStatus.ACTIVE,
                        wants,
                        OutlookAbsence.absence_id.is_(None),
                    ),
                    OutlookAbsence.done.is_(False),
                ),
            )
            .order_by(Absence.id)
        )
        return [
            OutlookCase(
                absence.id,
                person.id,
                person.aad_object_id,
                person.locale,
                absence.status,
                absence.first_day,
                absence.last_day,
                absence.expected_return,
                person.status == EmploymentStatus.ACTIVE
                and (choice if choice is not None else default_on),
                shown.event_id if shown else None,
                shown.shown_until if shown else None,
                shown.replies_until if shown else None,
                shown.tries if shown else 0,
            )
            for absence, person, shown, choice in rows
        ]

    async def record(
        self,
        case: OutlookCase,
        *,
        event_id: str | None,
        shown_until: date | None,
        replies_until: date | None,
        done: bool,
        problem: str | None = None,
    ) -> None:
        row = await self.session.get(OutlookAbsence, case.absence_id)
        if row is None:
            row = OutlookAbsence(absence_id=case.absence_id, employee_id=case.employee_id, tries=0)
            self.session.add(row)
        row.event_id, row.shown_until, row.replies_until = event_id, shown_until, replies_until
        row.done, row.problem = done, problem
        row.tries = (row.tries or 0) + (1 if problem else 0)
        await self.session.flush()

    async def forget_settled(self) -> int:
        """Settled periods that are over: nothing left to change, nothing to keep."""
        still_open = select(Absence.id).where(Absence.status == AbsenceStatus.OPEN)
        result = await self.session.execute(
            delete(OutlookAbsence).where(
                OutlookAbsence.done.is_(True), OutlookAbsence.absence_id.not_in(still_open)
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
