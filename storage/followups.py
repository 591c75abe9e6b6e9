"""Follow-ups as stored, and the absence history the follow-up engine reads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import ColumnElement, String, Table, func, select, type_coerce
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from rules.followups import FollowUp, Period
from storage.followup_watch import FollowUpWatchRepository, chunks
from storage.models import (
    Absence,
    AbsenceStatus,
    Employee,
    EmploymentStatus,
    FollowUpRecord,
    FollowUpStatus,
)

# Requested periods are not absences yet, cancelled ones never were.
COUNTED = (AbsenceStatus.OPEN, AbsenceStatus.CLOSED)


class FollowUpRepository:
    """Follow-ups the policy produced, one per occurrence key, and what was done about them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.watch = FollowUpWatchRepository(session)

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
        """The keys stored for these employees (only theirs: the daily run asks for a few)."""
        keys: set[str] = set()
        for part in chunks(sorted(employee_ids)):
            keys.update(
                await self.session.scalars(
                    select(FollowUpRecord.key).where(FollowUpRecord.employee_id.in_(part))
                )
            )
        return keys

    async def status_of(self, key: str) -> FollowUpStatus | None:
        """What was done about the occurrence, or None when it was never stored."""
        return await self.session.scalar(
            select(FollowUpRecord.status).where(FollowUpRecord.key == key)
        )

    async def store_found(self, found: list[FollowUp], now: datetime) -> None:
        """Store as open; an occurrence stored already (also by a concurrent run) stays as it is."""
        # A rule's guidance is one object for all its follow-ups: dumped once, not per row.
        guidance: dict[int, Any] = {}
        for f in found:
            if f.guidance is not None and id(f.guidance) not in guidance:
                guidance[id(f.guidance)] = f.guidance.model_dump(mode="json")
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
                "why": f.why.model_dump(mode="json"),
                "guidance": guidance[id(f.guidance)] if f.guidance is not None else None,
                "advis_employee": f.advis_employee,
                "status": FollowUpStatus.OPEN,
                "created_at": now,
            }
            for f in found
        ]
        # Core on the transaction's connection: the ORM's bulk path costs more than the insert.
        connection = await self.session.connection()
        postgres = connection.dialect.name == "postgresql"
        statement = (postgresql.insert if postgres else sqlite.insert)(_FOLLOWUPS)
        for part in chunks(rows):
            await connection.execute(statement.on_conflict_do_nothing(), part)

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
        return [
            Period(
                a.first_day,
                a.last_day,
                str(a.kind),
                a.expected_return,
                a.partial_percent_off,
                a.partial_hours_off,
            )
            for a in rows
        ]

    async def periods_between(
        self, first_id: str, last_id: str, since: date
    ) -> dict[str, list[Period]]:
        """Periods of every employee whose id sorts from `first_id` to `last_id`, each in order."""
        # One range scan on (employee_id, first_day): far faster than one query per person.
        return await self._periods(Absence.employee_id.between(first_id, last_id), since)

    async def periods_of_many(
        self, employee_ids: list[str], since: date
    ) -> dict[str, list[Period]]:
        """Periods of these employees, each in order."""
        periods: dict[str, list[Period]] = {}
        for part in chunks(employee_ids):
            periods.update(await self._periods(Absence.employee_id.in_(part), since))
        return periods

    async def _periods(self, whose: ColumnElement[bool], since: date) -> dict[str, list[Period]]:
        # Plain columns on the transaction's connection, not ORM rows: the first run reads
        # 430,000. Days and kinds come as stored: SQLite's text days are read by
        # date.fromisoformat, far cheaper per row than the type's own parsing.
        connection = await self.session.connection()
        rows = await connection.execute(
            select(*_PERIOD_COLUMNS).where(
                whose, Absence.first_day >= since, Absence.status.in_(COUNTED)
            )
        )
        day = _day_reader(connection.dialect.name)
        periods: dict[str, list[Period]] = {}
        for employee_id, first, last, kind, expected, percent, hours in rows.all():
            periods.setdefault(employee_id, []).append(
                Period(
                    day(first),
                    day(last) if last else None,
                    kind,
                    day(expected) if expected else None,
                    percent,
                    hours,
                )
            )
        for history in periods.values():
            history.sort(key=_first_day)
        return periods

    async def staff_among(self, employee_ids: list[str]) -> list[StaffMember]:
        """Those of these employees who are active, by id."""
        staff: list[StaffMember] = []
        for part in chunks(employee_ids):
            staff += await self._staff(Employee.id.in_(part))
        return staff

    async def staff_to_evaluate(self) -> list[StaffMember]:
        """Every active employee, by id in the database's order (what `periods_between`
        ranges over: PostgreSQL's collation need not sort as Python does)."""
        return await self._staff(None)

    async def _staff(self, whose: ColumnElement[bool] | None) -> list[StaffMember]:
        # Plain rows, not ORM objects: building 50,000 entities costs seconds.
        query = (
            select(*_STAFF_COLUMNS)
            .where(Employee.status == EmploymentStatus.ACTIVE)
            .order_by(Employee.id)
        )
        if whose is not None:
            query = query.where(whose)
        connection = await self.session.connection()
        return [StaffMember(*row) for row in (await connection.execute(query)).all()]

    async def active_staff(self, unit_id: str | None = None) -> list[Employee]:
        """Active employees by id, all or of one unit (not its sub-units)."""
        query = select(Employee).where(Employee.status == EmploymentStatus.ACTIVE)
        if unit_id is not None:
            query = query.where(Employee.unit_id == unit_id)
        return list(await self.session.scalars(query.order_by(Employee.id)))


_PERIOD_COLUMNS = (
    Absence.employee_id,
    type_coerce(Absence.first_day, String),
    type_coerce(Absence.last_day, String),
    type_coerce(Absence.kind, String),
    type_coerce(Absence.expected_return, String),
    Absence.partial_percent_off,
    Absence.partial_hours_off,
)
_FOLLOWUPS = cast(Table, FollowUpRecord.__table__)
_STAFF_COLUMNS = (Employee.id, Employee.unit_id, Employee.start_date, Employee.workdays)


def _day_reader(dialect: str) -> Callable[[Any], date]:
    """PostgreSQL's driver gives dates; SQLite stores ISO text."""
    return date.fromisoformat if dialect == "sqlite" else _as_is


def _as_is(value: Any) -> Any:
    return value


def _first_day(period: Period) -> date:
    return period.first_day
