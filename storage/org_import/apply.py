"""Making the database match a parsed organisation, inside the caller's transaction.

The file is the whole truth about who works here now. People missing from it are marked as left,
never deleted, because absence periods and follow-ups keep pointing at them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    DialogState,
    Employee,
    EmploymentStatus,
    OutboxMessage,
    OutboxStatus,
    TeamsUser,
    Unit,
)
from storage.org_import.plan import OrgPlan, PlannedEmployee

log = logging.getLogger("naervaer.org_import")


@dataclass
class ImportReport:
    """What an import changed. Every employee in the file is counted once, as created, updated,
    reactivated or unchanged; `updated` also counts a former employee whose directory id moved to
    someone in the file."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    left: int = 0
    reactivated: int = 0
    units_created: int = 0
    units_updated: int = 0

    @property
    def changed(self) -> bool:
        return self != ImportReport(unchanged=self.unchanged)

    def summary(self) -> str:
        if not self.changed:
            return f"No changes: {self.unchanged} employees unchanged."
        return (
            f"Employees: {self.created} created, {self.updated} updated, "
            f"{self.reactivated} reactivated, {self.unchanged} unchanged, {self.left} marked as left;"
            f" units: {self.units_created} created, {self.units_updated} updated."
        )


@dataclass
class _Changes:
    """Existing employee rows touched so far, by id, so each is counted once at the end."""

    changed: set[str] = field(default_factory=set)
    reactivated: set[str] = field(default_factory=set)


def _assign(row: object, values: Mapping[str, object]) -> bool:
    """Set only what differs, so an unchanged row is never written and counts stay exact."""
    differs = {name: value for name, value in values.items() if getattr(row, name) != value}
    for name, value in differs.items():
        setattr(row, name, value)
    return bool(differs)


async def _apply_units(session: AsyncSession, plan: OrgPlan, report: ImportReport) -> None:
    existing = {unit.id: unit for unit in await session.scalars(select(Unit))}
    for planned in plan.units:
        if planned.id not in existing:
            session.add(Unit(id=planned.id, **planned.columns()))
            report.units_created += 1
    # The ORM writes updates before inserts within one flush; an existing unit may be moving
    # under a unit that is new in this file, so the new ones go in first.
    await session.flush()
    for planned in plan.units:
        unit = existing.get(planned.id)
        if unit is not None and _assign(unit, planned.columns()):
            report.units_updated += 1
    await session.flush()


async def _free_directory_ids(
    session: AsyncSession, rows: Mapping[str, Employee], plan: OrgPlan
) -> set[str]:
    """Clear directory ids that are about to change hands (swapped, or taken over from someone
    who left): the unique index is checked statement by statement, not at commit."""
    wanted = {planned.id: planned.aad_object_id for planned in plan.employees}
    claimed = {aad.lower() for aad in wanted.values() if aad}
    freed: set[str] = set()
    for row in rows.values():
        current = row.aad_object_id
        if current is None:
            continue
        keeps = wanted[row.id] == current if row.id in wanted else current.lower() not in claimed
        if not keeps:
            row.aad_object_id = None
            freed.add(row.id)
    await session.flush()
    return freed


def _update_employee(row: Employee, planned: PlannedEmployee, changes: _Changes) -> None:
    if _assign(row, planned.own_columns()):
        changes.changed.add(row.id)
    if row.status == EmploymentStatus.LEFT:
        row.status, row.left_on = EmploymentStatus.ACTIVE, None
        changes.reactivated.add(row.id)


def _upsert_employees(
    session: AsyncSession,
    rows: Mapping[str, Employee],
    plan: OrgPlan,
    report: ImportReport,
    changes: _Changes,
) -> dict[str, Employee]:
    """The row of every employee in the file, created or updated (without leader and deputy)."""
    targets: dict[str, Employee] = {}
    for planned in plan.employees:
        row = rows.get(planned.id)
        if row is None:
            row = Employee(id=planned.id, status=EmploymentStatus.ACTIVE, **planned.own_columns())
            session.add(row)
            report.created += 1
        else:
            _update_employee(row, planned, changes)
        targets[planned.id] = row
    return targets


def _link_employees(
    plan: OrgPlan,
    rows: Mapping[str, Employee],
    targets: Mapping[str, Employee],
    changes: _Changes,
) -> None:
    for planned in plan.employees:
        if _assign(targets[planned.id], planned.links()) and planned.id in rows:
            changes.changed.add(planned.id)


def _count_kept(employee_id: str, changes: _Changes, report: ImportReport) -> None:
    if employee_id in changes.reactivated:
        report.reactivated += 1
    elif employee_id in changes.changed:
        report.updated += 1
    else:
        report.unchanged += 1


def _count_and_mark_left(
    rows: Mapping[str, Employee],
    targets: Mapping[str, Employee],
    changes: _Changes,
    today: date,
    report: ImportReport,
) -> list[str]:
    """Count every existing row once; mark the active ones missing from the file as left."""
    leaving: list[str] = []
    for row in rows.values():
        if row.id in targets:
            _count_kept(row.id, changes, report)
        elif row.status == EmploymentStatus.ACTIVE:
            row.status, row.left_on = EmploymentStatus.LEFT, today
            report.left += 1
            leaving.append(row.id)
        elif row.id in changes.changed:
            # Already gone, but their directory id moved to someone in the file.
            report.updated += 1
    return leaving


async def _apply_employees(
    session: AsyncSession, plan: OrgPlan, today: date, report: ImportReport
) -> None:
    rows = {row.id: row for row in await session.scalars(select(Employee))}
    changes = _Changes(changed=await _free_directory_ids(session, rows, plan))
    targets = _upsert_employees(session, rows, plan, report, changes)
    await session.flush()
    # Leader and deputy may be rows created just above: link only once every row exists.
    _link_employees(plan, rows, targets, changes)
    await session.flush()
    leaving = _count_and_mark_left(rows, targets, changes, today, report)
    await forget_how_to_reach(session, leaving)
    await session.flush()


async def forget_how_to_reach(session: AsyncSession, employee_ids: list[str]) -> None:
    """Someone who left: no conversation reference, no unfinished dialog, nothing more to send
    (and so no check-ins). Their absence history stays until retention says otherwise."""
    if not employee_ids:
        return
    await session.execute(delete(TeamsUser).where(TeamsUser.employee_id.in_(employee_ids)))
    await session.execute(delete(DialogState).where(DialogState.employee_id.in_(employee_ids)))
    await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.recipient_id.in_(employee_ids),
            OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
        )
    )


async def apply_org(session: AsyncSession, plan: OrgPlan, today: date) -> ImportReport:
    """Make units and employees match the plan, inside the caller's transaction."""
    report = ImportReport()
    await _apply_units(session, plan, report)
    await _apply_employees(session, plan, today, report)
    log.info("org import applied: %s", report.summary())
    return report
