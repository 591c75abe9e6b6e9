"""Absence periods, their history, and per-person dialog state."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from rules.absence_kinds import LIVE, OUT_OF_REACH, OUT_OF_REACH_KINDS, SICKNESS
from storage.models import (
    Absence,
    AbsenceEvent,
    AbsenceKind,
    AbsenceStatus,
    DialogState,
)


class PeriodsOverlap(Exception):
    """The database refused a period that shares a day with another live one of the person."""


# The constraint's and the triggers' names (migration 0009): how an overlap is told apart from
# another integrity error (a double click's source key).
_OVERLAP_MARKS = ("ex_absences_one_ledger", "absence periods overlap")


class AbsenceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, absence_id: int) -> Absence | None:
        return await self.session.get(Absence, absence_id)

    async def by_source(self, source_key: str) -> Absence | None:
        return await self.session.scalar(select(Absence).where(Absence.source_key == source_key))

    async def open_sickness_for(self, employee_id: str, on: date) -> Absence | None:
        """The sick period that covers `on` or is still open (first day may be in the future)."""
        return await self.session.scalar(
            select(Absence)
            .where(
                Absence.employee_id == employee_id,
                Absence.kind.in_(SICKNESS),
                Absence.status == AbsenceStatus.OPEN,
                or_(Absence.last_day.is_(None), Absence.last_day >= on),
            )
            # The period covering `on` before one planned to start later.
            .order_by(Absence.first_day > on, Absence.first_day.desc())
            .limit(1)
        )

    async def emergency_days_for(self, employee_id: str, since: date) -> list[Absence]:
        rows = await self.session.scalars(
            select(Absence)
            .where(
                Absence.employee_id == employee_id,
                Absence.kind == AbsenceKind.EMERGENCY_DAY,
                Absence.first_day >= since,
                Absence.status.in_((AbsenceStatus.OPEN, AbsenceStatus.REQUESTED)),
            )
            .order_by(Absence.first_day)
        )
        return list(rows)

    async def is_away(self, employee_id: str, on: date) -> bool:
        """Out of reach for a report: fully off on an open period (partly back still reads)."""
        absence = await self.session.scalar(
            select(Absence.id).where(
                Absence.employee_id == employee_id,
                Absence.status.in_(OUT_OF_REACH),
                Absence.kind.in_(OUT_OF_REACH_KINDS),
                Absence.first_day <= on,
                or_(Absence.last_day.is_(None), Absence.last_day >= on),
            )
        )
        return absence is not None

    async def live_from(self, employee_id: str, since: date) -> list[Absence]:
        """The person's live periods that have a day on or after `since` (the ledger's rows)."""
        rows = await self.session.scalars(
            select(Absence)
            .where(
                Absence.employee_id == employee_id,
                Absence.status.in_(LIVE),
                or_(Absence.last_day.is_(None), Absence.last_day >= since),
            )
            .order_by(Absence.first_day)
        )
        return list(rows)

    async def sickness_on(self, employee_id: str, on: date) -> Absence | None:
        """The live sickness period that covers `on`, whether still open or already ended."""
        return await self.session.scalar(
            select(Absence).where(
                Absence.employee_id == employee_id,
                Absence.kind.in_(SICKNESS),
                Absence.status.in_(LIVE),
                Absence.first_day <= on,
                or_(Absence.last_day.is_(None), Absence.last_day >= on),
            )
        )

    async def sickness_after(self, employee_id: str, on: date) -> Absence | None:
        """The next live sickness period planned to start after `on`."""
        return await self.session.scalar(
            select(Absence)
            .where(
                Absence.employee_id == employee_id,
                Absence.kind.in_(SICKNESS),
                Absence.status.in_(LIVE),
                Absence.first_day > on,
            )
            .order_by(Absence.first_day)
            .limit(1)
        )

    async def add(self, absence: Absence) -> Absence:
        self.session.add(absence)
        await self.save()
        return absence

    async def save(self) -> None:
        """Flush changed periods; an overlap the database refuses is PeriodsOverlap (the turn's
        transaction is then spoilt and rolls back: nothing half-done stays)."""
        try:
            await self.session.flush()
        except IntegrityError as error:
            if any(mark in str(error.orig) for mark in _OVERLAP_MARKS):
                raise PeriodsOverlap(str(error.orig)) from error
            raise

    async def record(
        self, absence: Absence, at: datetime, kind: str, actor_id: str | None, **detail: Any
    ) -> AbsenceEvent:
        event = AbsenceEvent(
            absence_id=absence.id, at=at, kind=kind, actor_id=actor_id, detail=detail
        )
        self.session.add(event)
        await self.session.flush()
        return event

    async def events(self, absence_id: int) -> list[AbsenceEvent]:
        rows = await self.session.scalars(
            select(AbsenceEvent)
            .where(AbsenceEvent.absence_id == absence_id)
            .order_by(AbsenceEvent.id)
        )
        return list(rows)

    async def unacknowledged(self) -> list[Absence]:
        rows = await self.session.scalars(
            select(Absence).where(
                Absence.acknowledged_at.is_(None),
                Absence.routed_to.is_not(None),
                Absence.status.in_((AbsenceStatus.OPEN, AbsenceStatus.REQUESTED)),
            )
        )
        return list(rows)

    async def for_employee(self, employee_id: str) -> list[Absence]:
        rows = await self.session.scalars(
            select(Absence).where(Absence.employee_id == employee_id).order_by(Absence.first_day)
        )
        return list(rows)


class DialogStateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def load(self, employee_id: str) -> dict[str, Any] | None:
        row = await self.session.get(DialogState, employee_id)
        return dict(row.state) if row is not None else None

    async def save(self, employee_id: str, state: dict[str, Any] | None, now: datetime) -> None:
        row = await self.session.get(DialogState, employee_id)
        if state is None:
            if row is not None:
                await self.session.execute(
                    delete(DialogState).where(DialogState.employee_id == employee_id)
                )
            return
        if row is None:
            self.session.add(
                DialogState(
                    employee_id=employee_id,
                    dialog=str(state.get("dialog")),
                    state=state,
                    updated_at=now,
                )
            )
        else:
            row.dialog = str(state.get("dialog"))
            row.state = state
            row.updated_at = now
