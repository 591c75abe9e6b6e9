"""Payroll in SQL: the periods an import meets and adds, the lines it has seen, the hand-off's
rows and worklist, and the periods a reconciliation compares."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, and_, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rules.absence_kinds import LIVE, AbsenceKind, AbsenceStatus
from storage.models import (
    Absence,
    Employee,
    FollowUpRecord,
    FollowUpStatus,
    PayrollHandoff,
    PayrollImport,
    PayrollRun,
)
from storage.repositories import insert_ignoring_duplicates

CHUNK = 2000


@dataclass(frozen=True)
class Held:
    """A period as payroll needs it (and a reconciliation compares it)."""

    absence_id: int
    employee_id: str
    email: str | None
    kind: AbsenceKind
    status: AbsenceStatus
    first_day: date
    last_day: date | None
    partial_hours_off: float | None
    partial_percent_off: int | None
    work_injury: bool
    paid_with: str | None


_HELD = (
    Absence.id,
    Absence.employee_id,
    Employee.email,
    Absence.kind,
    Absence.status,
    Absence.first_day,
    Absence.last_day,
    Absence.partial_hours_off,
    Absence.partial_percent_off,
    Absence.work_injury,
    Absence.paid_with,
)


class PayrollRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- import ----------------------------------------------------------------------------

    async def employee_index(self) -> dict[str, str]:
        """Employee number and lower-cased e-mail, each to the employee id."""
        index: dict[str, str] = {}
        for employee_id, email in await self.session.execute(select(Employee.id, Employee.email)):
            index[employee_id] = employee_id
            if email:
                index.setdefault(email.strip().lower(), employee_id)
        return index

    async def imported(self, code_table: str) -> dict[str, Any]:
        """The lines imported before, by key: plain rows with the period and the line's end and
        partial share (a million lines must not become a million ORM objects)."""
        rows = await self.session.execute(
            select(
                PayrollImport.import_key,
                PayrollImport.absence_id,
                PayrollImport.last_day,
                PayrollImport.partial_hours_off,
                PayrollImport.partial_percent_off,
            ).where(PayrollImport.code_table == code_table)
        )
        return {row.import_key: row for row in rows}

    async def live_periods(self, since: date) -> dict[str, list[Absence]]:
        """Every person's live periods with a day on or after `since`, by person."""
        rows = await self.session.scalars(
            select(Absence)
            .where(
                Absence.status.in_(LIVE), or_(Absence.last_day.is_(None), Absence.last_day >= since)
            )
            .order_by(Absence.employee_id, Absence.first_day)
        )
        found: dict[str, list[Absence]] = defaultdict(list)
        for absence in rows:
            found[absence.employee_id].append(absence)
        return found

    async def add_absences(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        """Insert periods in bulk; their ids by source key."""
        ids: dict[str, int] = {}
        table = cast(Table, Absence.__table__)
        for start in range(0, len(rows), CHUNK):
            # Core, with RETURNING: many rows per statement on both databases, ids in one go.
            found = await self.session.execute(
                table.insert().returning(table.c.source_key, table.c.id),
                rows[start : start + CHUNK],
            )
            ids.update({key: absence_id for key, absence_id in found.all()})
        return ids

    async def add_imports(self, rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), CHUNK):
            await self.session.execute(
                cast(Table, PayrollImport.__table__).insert(), rows[start : start + CHUNK]
            )

    async def change_imports(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            key = row["import_key"]
            values = {k: v for k, v in row.items() if k != "import_key"}
            await self.session.execute(
                update(PayrollImport).where(PayrollImport.import_key == key).values(**values)
            )

    async def flush(self) -> None:
        await self.session.flush()

    async def settle_followups(
        self, employee_ids: set[str], created_at: datetime, before: date, reason: str
    ) -> int:
        """Follow-ups just stored from imported history whose deadline has passed: settled, so
        no leader is reminded of something long over."""
        settled = 0
        ids = sorted(employee_ids)
        for start in range(0, len(ids), CHUNK):
            result = await self.session.execute(
                update(FollowUpRecord)
                .where(
                    FollowUpRecord.employee_id.in_(ids[start : start + CHUNK]),
                    FollowUpRecord.created_at == created_at,
                    FollowUpRecord.status == FollowUpStatus.OPEN,
                    FollowUpRecord.reminded_at.is_(None),
                    FollowUpRecord.deadline_on < before,
                )
                .values(status=FollowUpStatus.DISMISSED, dismissed_reason=reason)
            )
            settled += int(result.rowcount or 0)  # type: ignore[attr-defined]
        return settled

    # --- hand-off --------------------------------------------------------------------------

    async def periods_touching(self, since: date) -> list[Held]:
        """Every period, whatever its status, with a day on or after `since`."""
        rows = await self.session.execute(
            select(*_HELD)
            .join(Employee, Employee.id == Absence.employee_id)
            .where(or_(Absence.last_day.is_(None), Absence.last_day >= since))
            .order_by(Absence.id)
        )
        return [Held(*row) for row in rows.all()]

    async def latest_handed(self, absence_ids: list[int]) -> dict[int, PayrollHandoff]:
        latest: dict[int, PayrollHandoff] = {}
        for start in range(0, len(absence_ids), CHUNK):
            rows = await self.session.scalars(
                select(PayrollHandoff)
                .where(PayrollHandoff.absence_id.in_(absence_ids[start : start + CHUNK]))
                .order_by(PayrollHandoff.absence_id, PayrollHandoff.version)
            )
            latest.update({row.absence_id: row for row in rows})
        return latest

    async def imports_of(self, absence_ids: list[int]) -> dict[int, list[PayrollImport]]:
        found: dict[int, list[PayrollImport]] = defaultdict(list)
        for start in range(0, len(absence_ids), CHUNK):
            rows = await self.session.scalars(
                select(PayrollImport)
                .where(PayrollImport.absence_id.in_(absence_ids[start : start + CHUNK]))
                .order_by(PayrollImport.first_day)
            )
            for row in rows:
                found[row.absence_id].append(row)
        return found

    async def add_handoffs(self, rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), CHUNK):
            await self.session.execute(insert(PayrollHandoff), rows[start : start + CHUNK])

    async def handed_since(self, at: datetime) -> list[tuple[PayrollHandoff, str]]:
        """Rows handed on since `at`, oldest first, with the period's employee id."""
        rows = await self.session.execute(
            select(PayrollHandoff, Absence.employee_id)
            .join(Absence, Absence.id == PayrollHandoff.absence_id)
            .where(PayrollHandoff.handed_at >= at)
            .order_by(PayrollHandoff.handed_at, PayrollHandoff.row_id)
        )
        return [(row, employee_id) for row, employee_id in rows.all()]

    async def worklist(self, done: bool, limit: int) -> list[tuple[PayrollHandoff, str, str]]:
        """The payroll office's rows to key in (or keyed in, newest first), with who."""
        order = PayrollHandoff.done_at.desc() if done else PayrollHandoff.handed_at
        state = PayrollHandoff.done_at.is_not(None) if done else PayrollHandoff.done_at.is_(None)
        rows = await self.session.execute(
            select(PayrollHandoff, Employee.id, Employee.name)
            .join(Absence, Absence.id == PayrollHandoff.absence_id)
            .join(Employee, Employee.id == Absence.employee_id)
            .where(state)
            .order_by(order, PayrollHandoff.row_id)
            .limit(limit)
        )
        return [(row, employee_id, name) for row, employee_id, name in rows.all()]

    async def count_undone(self) -> int:
        return int(
            await self.session.scalar(select(func.count()).where(PayrollHandoff.done_at.is_(None)))
            or 0
        )

    async def mark_done(self, row_id: str, by: str, at: datetime) -> bool:
        result = await self.session.execute(
            update(PayrollHandoff)
            .where(PayrollHandoff.row_id == row_id, PayrollHandoff.done_at.is_(None))
            .values(done_at=at, done_by=by)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def run_once(self, day: date, now: datetime) -> bool:
        """True once a day, for one process (a row in payroll_runs marks the day)."""
        return await insert_ignoring_duplicates(
            self.session, PayrollRun, {"day": day, "ran_at": now, "rows": 0}
        )

    async def ran(self, day: date, rows: int) -> None:
        await self.session.execute(
            update(PayrollRun).where(PayrollRun.day == day).values(rows=rows)
        )

    async def forget_done_before(self, at: datetime) -> int:
        """Done rows past retention that a later row of the same period has replaced: the
        latest row of each period stays, as what payroll was last told."""
        latest = (
            select(PayrollHandoff.absence_id, func.max(PayrollHandoff.version).label("v"))
            .group_by(PayrollHandoff.absence_id)
            .subquery()
        )
        superseded = select(PayrollHandoff.row_id).join(
            latest,
            and_(
                latest.c.absence_id == PayrollHandoff.absence_id,
                latest.c.v > PayrollHandoff.version,
            ),
        )
        result = await self.session.execute(
            delete(PayrollHandoff).where(
                PayrollHandoff.done_at < at, PayrollHandoff.row_id.in_(superseded)
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    # --- reconciliation --------------------------------------------------------------------

    async def periods_between(self, first: date, last: date) -> list[Held]:
        """Live periods (not requested or declined) with a day in [first, last]."""
        rows = await self.session.execute(
            select(*_HELD)
            .join(Employee, Employee.id == Absence.employee_id)
            .where(
                Absence.status.in_((AbsenceStatus.OPEN, AbsenceStatus.CLOSED)),
                Absence.first_day <= last,
                or_(Absence.last_day.is_(None), Absence.last_day >= first),
            )
            .order_by(Absence.employee_id, Absence.first_day)
        )
        return [Held(*row) for row in rows.all()]

    async def section_56(self, absence_ids: list[int]) -> set[int]:
        """Periods payroll coded as §56 when they were imported."""
        found: set[int] = set()
        for start in range(0, len(absence_ids), CHUNK):
            rows = await self.session.scalars(
                select(PayrollImport.absence_id).where(
                    PayrollImport.absence_id.in_(absence_ids[start : start + CHUNK]),
                    PayrollImport.section_56.is_(True),
                )
            )
            found.update(rows)
        return found
