"""Everything stored about one person, table by table, for the access export (GDPR art. 15).

Each area names the table and the condition that makes a row about the person; every column of
such a row is exported except the few in `LEFT_OUT`, each with its reason. Columns are read from
the models, not listed by hand, so a column added to a table is exported the day it is added
(tests/services/test_access_export.py holds every table and every column naming a person to
this file)."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Column, ColumnElement, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage.models import (
    Absence,
    AbsenceEvent,
    AppInstall,
    AuditEntry,
    Base,
    CheckIn,
    DialogState,
    DirectoryUser,
    Employee,
    FeedNotice,
    FollowUpRecord,
    Kudos,
    Nudge,
    OutboxMessage,
    OutlookAbsence,
    OutlookChoice,
    PayrollHandoff,
    PayrollImport,
    TeamsUser,
    Unit,
)

Row = dict[str, Any]


@dataclass(frozen=True)
class Area:
    """One kind of data about a person: its name (the export's text key ends in it), the table,
    the column that names the person, the order, and where the column names the person only
    through another table, how to find their rows."""

    name: str
    model: type[Base]
    subject: InstrumentedAttribute[Any]
    order: InstrumentedAttribute[Any]
    through: Callable[[str], ColumnElement[bool]] | None = None

    def about(self, person_id: str) -> ColumnElement[bool]:
        return self.through(person_id) if self.through else self.subject == person_id


def _own_absences(person_id: str) -> ColumnElement[bool]:
    return AbsenceEvent.absence_id.in_(select(Absence.id).where(Absence.employee_id == person_id))


def _through_absences(column: InstrumentedAttribute[Any]) -> Callable[[str], ColumnElement[bool]]:
    return lambda person_id: column.in_(select(Absence.id).where(Absence.employee_id == person_id))


def _own_entra_id(column: InstrumentedAttribute[Any]) -> Callable[[str], ColumnElement[bool]]:
    return lambda person_id: column.in_(
        select(Employee.aad_object_id).where(Employee.id == person_id)
    )


AREAS: tuple[Area, ...] = (
    Area("person", Employee, Employee.id, Employee.id),
    Area("absences", Absence, Absence.employee_id, Absence.id),
    # Who did what to each period, and when: the leader's actions and the person's own.
    Area("absence_events", AbsenceEvent, AbsenceEvent.absence_id, AbsenceEvent.id, _own_absences),
    Area("checkins", CheckIn, CheckIn.employee_id, CheckIn.day),
    Area("kudos_received", Kudos, Kudos.recipient_id, Kudos.id),
    Area("kudos_sent", Kudos, Kudos.sender_id, Kudos.id),
    Area("followups", FollowUpRecord, FollowUpRecord.employee_id, FollowUpRecord.id),
    # Early warnings a leader got about the person (three red days in a row).
    Area("nudges", Nudge, Nudge.subject_id, Nudge.id),
    Area("teams", TeamsUser, TeamsUser.employee_id, TeamsUser.id),
    Area("dialog", DialogState, DialogState.employee_id, DialogState.employee_id),
    Area("messages", OutboxMessage, OutboxMessage.recipient_id, OutboxMessage.id),
    Area("viewed_by", AuditEntry, AuditEntry.subject_id, AuditEntry.id),
    # Payroll's lines a period was imported from, and what was handed on to payroll about it.
    Area(
        "payroll_imports",
        PayrollImport,
        PayrollImport.absence_id,
        PayrollImport.import_key,
        _through_absences(PayrollImport.absence_id),
    ),
    Area(
        "payroll_handoffs",
        PayrollHandoff,
        PayrollHandoff.absence_id,
        PayrollHandoff.row_id,
        _through_absences(PayrollHandoff.absence_id),
    ),
    # What the last read of Entra ID said about the person, and the app installed for them.
    Area(
        "directory",
        DirectoryUser,
        DirectoryUser.id,
        DirectoryUser.id,
        _own_entra_id(DirectoryUser.id),
    ),
    Area("activity_feed", FeedNotice, FeedNotice.recipient_id, FeedNotice.id),
    # Outlook while sick: the person's choice, and what their calendar and replies show.
    Area("outlook_choice", OutlookChoice, OutlookChoice.employee_id, OutlookChoice.employee_id),
    Area("outlook", OutlookAbsence, OutlookAbsence.employee_id, OutlookAbsence.absence_id),
    Area(
        "app_install",
        AppInstall,
        AppInstall.aad_object_id,
        AppInstall.aad_object_id,
        _own_entra_id(AppInstall.aad_object_id),
    ),
)

# Left out of the export, each for its reason. Everything else in an area's table goes out.
LEFT_OUT: dict[InstrumentedAttribute[Any], str] = {
    # The leader's own working notes, never shown to anyone else (README, "Mig"): an access
    # request for them goes through the municipality's usual procedure, and the export says so.
    FollowUpRecord.private_note: "the leader's private working note",
    # Keys naervaer makes so that a re-sent message is stored once; they repeat facts exported.
    Absence.source_key: "idempotency key",
    FollowUpRecord.key: "idempotency key",
    OutboxMessage.idempotency_key: "idempotency key",
    OutboxMessage.replaces_key: "idempotency key",
    # Which server process is sending a message right now: nothing about the person.
    OutboxMessage.claimed_by: "sender process",
    OutboxMessage.lease_until: "sender process",
}

# Columns that name a person without making the row theirs: the row is about someone else (a
# period the person reported or received as leader is the absent colleague's), or about a unit.
NOT_ABOUT: dict[InstrumentedAttribute[Any], str] = {
    Absence.reported_by: "a colleague's period the person reported on their behalf",
    Absence.routed_to: "a colleague's period the person received as leader",
    Employee.leader_id: "a colleague the person leads",
    Employee.deputy_id: "a colleague the person deputises for",
    Nudge.leader_id: "a warning about a colleague the person leads",
    Unit.planner_id: "the unit's settings; the person plans its shifts",
    Unit.fallback_contact_id: "the unit's settings; the person is its contact",
    AuditEntry.actor_id: "a colleague's data the person looked at",
}

# Tables that hold nothing about one person.
NOT_PERSONAL = {
    "units",  # the unit's settings (planner and contact: NOT_ABOUT)
    "unit_months",  # unit figures, never below 5 people
    "unit_totals",  # the same, with the units below added in
    "checkin_months",  # unit totals
    "retention_runs",
    "payroll_runs",  # the days the payroll hand-off ran, and how many rows
    "outbox_senders",
    "directory_sync",  # where the last read of Entra ID ended
    "processed_activities",  # Teams' activity ids, to skip re-sent activities
    # When the daily run looks at an id's follow-ups again: a date derived from the absences
    # exported above, no fact of its own; rows of people no longer active go on the next run.
    "followup_watch",
    "followup_runs",  # the last run's day and fingerprint
    "alembic_version",
}

# Columns holding a person's id: the export names these people (who acted, who looked).
PEOPLE: tuple[InstrumentedAttribute[Any], ...] = (
    Employee.leader_id,
    Employee.deputy_id,
    Absence.reported_by,
    Absence.routed_to,
    Absence.acknowledged_by,
    AbsenceEvent.actor_id,
    CheckIn.acknowledged_by,
    Kudos.sender_id,
    Kudos.recipient_id,
    FollowUpRecord.acted_by,
    FollowUpRecord.reminded_to,
    Nudge.leader_id,
    AuditEntry.actor_id,
)


def exported_columns(area: Area) -> list[Column[Any]]:
    """Every column of the area's table but those left out, in the table's order."""
    left_out = {attribute.key for attribute in LEFT_OUT if attribute.class_ is area.model}
    return [c for c in inspect(area.model).columns if c.key not in left_out]


def plain(value: object) -> object:
    """A value as JSON holds it: ISO dates and times, an enum's stored value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


class AccessExportRepository:
    """Reads each area's rows about one person, every exported column as a plain value."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def rows(self, area: Area, person_id: str) -> list[Row]:
        columns = exported_columns(area)
        result = await self.session.execute(
            select(*columns).where(area.about(person_id)).order_by(area.order)
        )
        return [
            {column.key: plain(value) for column, value in zip(columns, row, strict=True)}
            for row in result.all()
        ]

    async def names(self, person_ids: set[str]) -> dict[str, str]:
        rows = await self.session.execute(
            select(Employee.id, Employee.name)
            .where(Employee.id.in_(person_ids))
            .order_by(Employee.id)
        )
        return {person_id: name for person_id, name in rows.all()}
