"""The daily check-in's queries: who is due a prompt, the rows of a day and of a window, the
leaders due their digest, skulderklap and nudges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import Time, and_, exists, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import (
    CheckIn,
    CheckInStatus,
    Colour,
    Employee,
    EmploymentStatus,
    Kudos,
    Nudge,
    ReachStatus,
    TeamsUser,
    Unit,
)
from storage.people import chunks
from storage.repositories import insert_many_ignoring_duplicates

_Staff = aliased(Employee)


@dataclass(frozen=True)
class DuePrompt:
    """One person whose check-in time has come today and who has not been asked."""

    employee_id: str
    unit_id: str
    leader_id: str | None
    unanswered: int
    pause_offered_on: date | None
    anonymous: bool
    at: time  # their own time, else the unit's, else the default


@dataclass(frozen=True)
class UnitAnswer:
    unit_id: str
    employee_id: str
    colour: Colour | None


class CheckInRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def due_for_prompt(self, today: date, now: time, default_at: time) -> list[DuePrompt]:
        """Active, reachable, working today, not paused or stopped, time come, not yet asked."""
        at = func.coalesce(Employee.checkin_time, Unit.checkin_time, literal(default_at, Time()))
        asked = exists().where(CheckIn.employee_id == Employee.id, CheckIn.day == today)
        reachable = exists().where(
            TeamsUser.employee_id == Employee.id, TeamsUser.status == ReachStatus.ACTIVE
        )
        rows = await self.session.execute(
            select(
                Employee.id,
                Employee.unit_id,
                Employee.leader_id,
                Employee.checkin_unanswered,
                Employee.checkin_pause_offered_on,
                Unit.checkin_anonymous,
                at,
            )
            .join(Unit, Unit.id == Employee.unit_id)
            .where(
                Employee.status == EmploymentStatus.ACTIVE,
                Employee.checkin_stopped.is_(False),
                or_(Employee.checkin_paused_until.is_(None), Employee.checkin_paused_until < today),
                Employee.workdays.contains(str(today.isoweekday())),
                at <= literal(now, Time()),
                ~asked,
                reachable,
            )
        )
        return [DuePrompt(*row) for row in rows.all()]

    async def record_prompts(
        self, day: date, now: datetime, due: list[DuePrompt], skipped: set[str]
    ) -> None:
        """The day's row for each person: prompted now, or skipped for good; existing kept."""
        rows = [
            {
                "employee_id": p.employee_id,
                "unit_id": p.unit_id,
                "day": day,
                "status": CheckInStatus.SKIPPED
                if p.employee_id in skipped
                else CheckInStatus.PROMPTED,
                "anonymous": p.anonymous,
                "prompted_at": None if p.employee_id in skipped else now,
            }
            for p in due
        ]
        await insert_many_ignoring_duplicates(self.session, CheckIn, rows)

    async def count_unanswered(self, employee_ids: list[str]) -> None:
        """One more prompt each has not (yet) answered."""
        for part in chunks(employee_ids):
            await self.session.execute(
                update(Employee)
                .where(Employee.id.in_(part))
                .values(checkin_unanswered=Employee.checkin_unanswered + 1)
            )

    async def pause_offered(self, employee_ids: list[str], on: date) -> None:
        if employee_ids:
            await self.session.execute(
                update(Employee)
                .where(Employee.id.in_(employee_ids))
                .values(checkin_pause_offered_on=on)
            )

    async def get(self, checkin_id: int) -> CheckIn | None:
        return await self.session.get(CheckIn, checkin_id)

    async def of_day(self, employee_id: str, day: date) -> CheckIn | None:
        return await self.session.scalar(
            select(CheckIn).where(CheckIn.employee_id == employee_id, CheckIn.day == day)
        )

    async def save(self, row: CheckIn) -> CheckIn:
        """Written now, so that it has an id for the keys of what it sends."""
        self.session.add(row)
        await self.session.flush()
        return row

    async def answered_since(self, employee_ids: list[str], since: date) -> list[CheckIn]:
        """The answers of these people from `since` on, oldest day first."""
        rows = await self.session.scalars(
            select(CheckIn)
            .where(
                CheckIn.employee_id.in_(employee_ids),
                CheckIn.day >= since,
                CheckIn.status == CheckInStatus.ANSWERED,
            )
            .order_by(CheckIn.day)
        )
        return list(rows)

    async def answered_in_units(self, unit_ids: list[str], since: date) -> list[UnitAnswer]:
        """Every answer given in these units from `since` on (the unit on the day)."""
        rows = await self.session.execute(
            select(CheckIn.unit_id, CheckIn.employee_id, CheckIn.colour).where(
                CheckIn.unit_id.in_(unit_ids),
                CheckIn.day >= since,
                CheckIn.status == CheckInStatus.ANSWERED,
            )
        )
        return [UnitAnswer(*row) for row in rows.all()]

    async def leaders_due_digest(self, today: date, now: time, default_at: time) -> list[Employee]:
        """Active leaders with active staff whose digest time has come and who had none today."""
        at = func.coalesce(Employee.checkin_digest_time, literal(default_at, Time()))
        has_staff = exists().where(
            and_(_Staff.leader_id == Employee.id, _Staff.status == EmploymentStatus.ACTIVE)
        )
        rows = await self.session.scalars(
            select(Employee).where(
                Employee.status == EmploymentStatus.ACTIVE,
                or_(Employee.checkin_digest_on.is_(None), Employee.checkin_digest_on < today),
                at <= literal(now, Time()),
                has_staff,
            )
        )
        return list(rows)


class KudosRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, kudos: Kudos) -> Kudos:
        """Written now, so that it has an id for the keys of its messages."""
        self.session.add(kudos)
        await self.session.flush()
        return kudos


class NudgeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def sent_since(self, leader_id: str, subject_id: str, kind: str, since: date) -> bool:
        """Whether this nudge went to this leader after `since`."""
        found = await self.session.scalar(
            select(Nudge.id).where(
                Nudge.leader_id == leader_id,
                Nudge.subject_id == subject_id,
                Nudge.kind == kind,
                Nudge.sent_on > since,
            )
        )
        return found is not None

    async def ever_sent(self, leader_id: str, subject_id: str) -> bool:
        """Whether any nudge about this subject ever went to this leader."""
        found = await self.session.scalar(
            select(Nudge.id).where(Nudge.leader_id == leader_id, Nudge.subject_id == subject_id)
        )
        return found is not None

    async def record(self, leader_id: str, subject_id: str, kind: str, on: date) -> None:
        self.session.add(Nudge(leader_id=leader_id, subject_id=subject_id, kind=kind, sent_on=on))
