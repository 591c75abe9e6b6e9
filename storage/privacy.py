"""Privacy in SQL: moving one person's history to an anonymous row (erasure), and what each
retention rule finds and takes."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, String, cast, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rules.retention import Data
from storage.models import (
    Absence,
    AbsenceEvent,
    AppInstall,
    AuditEntry,
    CheckIn,
    CheckInMonth,
    CheckInStatus,
    DialogState,
    DirectoryUser,
    Employee,
    EmploymentStatus,
    FeedNotice,
    FollowUpRecord,
    FollowUpWatch,
    Kudos,
    Nudge,
    OutboxMessage,
    OutboxStatus,
    OutlookAbsence,
    OutlookChoice,
    RetentionRun,
    TeamsUser,
)
from storage.repositories import insert_ignoring_duplicates


async def _rows(session: AsyncSession, statement: Any) -> int:
    result = await session.execute(statement)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


class ErasureRepository:
    """Each method moves or removes one kind of trace of a person; the anonymous row it moves
    to is added first (`add_anonymous`), and nothing links the two afterwards."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _rows(self, statement: Any) -> int:
        return await _rows(self.session, statement)

    async def still_leads(self, person_id: str) -> bool:
        """Active staff still name the person as their leader or deputy."""
        led = await self.session.scalar(
            select(func.count()).where(
                or_(Employee.leader_id == person_id, Employee.deputy_id == person_id),
                Employee.status == EmploymentStatus.ACTIVE,
                Employee.id != person_id,
            )
        )
        return bool(led)

    async def add_anonymous(self, anonymous: Employee) -> None:
        self.session.add(anonymous)
        await self.session.flush()

    async def clear_absence_events(self, person_id: str) -> int:
        own = select(Absence.id).where(Absence.employee_id == person_id)
        return await self._rows(
            update(AbsenceEvent).where(AbsenceEvent.absence_id.in_(own)).values(detail={})
        )

    async def move_absences(self, person_id: str, anon_id: str) -> int:
        """The person's periods move (without their note); other people's periods that the
        person reported, received or acted on forget them."""
        moved = await self._rows(
            update(Absence)
            .where(Absence.employee_id == person_id)
            .values(employee_id=anon_id, note=None, reported_by=anon_id)
        )
        for column, value in (
            (Absence.reported_by, anon_id),
            (Absence.routed_to, anon_id),
            (Absence.acknowledged_by, None),
        ):
            await self._rows(update(Absence).where(column == person_id).values({column: value}))
        await self._rows(
            update(AbsenceEvent).where(AbsenceEvent.actor_id == person_id).values(actor_id=None)
        )
        return moved

    async def move_checkins(self, person_id: str, anon_id: str) -> int:
        moved = await self._rows(
            update(CheckIn)
            .where(CheckIn.employee_id == person_id)
            .values(employee_id=anon_id, comment=None, to_green=None, reply=None)
        )
        await self._rows(
            update(CheckIn).where(CheckIn.acknowledged_by == person_id).values(acknowledged_by=None)
        )
        return moved

    async def delete_followups(self, person_id: str) -> int:
        deleted = await self._rows(
            delete(FollowUpRecord).where(FollowUpRecord.employee_id == person_id)
        )
        for column in (FollowUpRecord.reminded_to, FollowUpRecord.acted_by):
            await self._rows(
                update(FollowUpRecord).where(column == person_id).values({column: None})
            )
        return deleted

    async def delete_kudos(self, person_id: str) -> int:
        return await self._rows(
            delete(Kudos).where(or_(Kudos.sender_id == person_id, Kudos.recipient_id == person_id))
        )

    async def delete_nudges(self, person_id: str) -> int:
        return await self._rows(
            delete(Nudge).where(or_(Nudge.leader_id == person_id, Nudge.subject_id == person_id))
        )

    async def delete_messages(self, person: Employee) -> int:
        """Messages to the person, and to others about them (a leader's card names them;
        payloads are stored as JSON with non-ASCII escaped, so the name is searched for as JSON
        has it)."""
        mentions = [json.dumps(person.name)[1:-1], json.dumps(person.id)]
        payload = cast(OutboxMessage.payload, String)
        return await self._rows(
            delete(OutboxMessage).where(
                or_(
                    OutboxMessage.recipient_id == person.id,
                    *(payload.contains(m, autoescape=True) for m in mentions if m.strip('"')),
                )
            )
        )

    async def delete_followup_marks(self, person_id: str) -> int:
        """The daily follow-up run's note of when to look at the person again."""
        return await self._rows(delete(FollowUpWatch).where(FollowUpWatch.employee_id == person_id))

    async def delete_outlook(self, person_id: str) -> int:
        """Their word on Outlook while sick and what their Outlook was last told."""
        return await self._rows(
            delete(OutlookChoice).where(OutlookChoice.employee_id == person_id)
        ) + await self._rows(delete(OutlookAbsence).where(OutlookAbsence.employee_id == person_id))

    async def delete_feed_notices(self, person: Employee) -> int:
        """Activity feed notices to the person, and to leaders about them (a notice quotes the
        chat message it stands for, so the name is searched for as delete_messages does)."""
        mentions = [json.dumps(person.name)[1:-1], json.dumps(person.id)]
        notification = cast(FeedNotice.notification, String)
        return await self._rows(
            delete(FeedNotice).where(
                or_(
                    FeedNotice.recipient_id == person.id,
                    *(notification.contains(m, autoescape=True) for m in mentions if m.strip('"')),
                )
            )
        )

    async def forget_entra_id(self, aad_object_id: str | None) -> int:
        """The directory mirror's row and the app install under the person's Entra object id.
        While others in the mirror still name them as manager, a bare disabled row with only
        their own manager stays: the org sync walks past it to the next leader up, where a
        missing manager would refuse the whole sync (unknown leader)."""
        if not aad_object_id:
            return 0
        aad = aad_object_id.lower()
        own = func.lower(DirectoryUser.id) == aad
        installs = await self._rows(
            delete(AppInstall).where(func.lower(AppInstall.aad_object_id) == aad)
        )
        named = DirectoryUser.data["manager"].as_string()
        if await self.session.scalar(select(func.count()).where(func.lower(named) == aad)):
            rows = (await self.session.execute(select(DirectoryUser).where(own))).scalars().all()
            for row in rows:
                manager = row.data.get("manager")
                row.data = {"accountEnabled": False, **({"manager": manager} if manager else {})}
            await self.session.flush()
            return installs + len(rows)
        return installs + await self._rows(delete(DirectoryUser).where(own))

    async def delete_addresses(self, person_id: str) -> int:
        """Teams addresses (the count) and any unfinished dialog."""
        deleted = await self._rows(delete(TeamsUser).where(TeamsUser.employee_id == person_id))
        await self._rows(delete(DialogState).where(DialogState.employee_id == person_id))
        return deleted

    async def move_audit(self, person_id: str, anon_id: str) -> int:
        return await self._rows(
            update(AuditEntry).where(AuditEntry.subject_id == person_id).values(subject_id=anon_id)
        ) + await self._rows(
            update(AuditEntry).where(AuditEntry.actor_id == person_id).values(actor_id=anon_id)
        )

    async def remove(self, person: Employee, anon_id: str) -> None:
        """The row goes; former staff who still name the person as leader name the anonymous
        row, and lose them as deputy."""
        await self._rows(
            update(Employee).where(Employee.leader_id == person.id).values(leader_id=anon_id)
        )
        await self._rows(
            update(Employee).where(Employee.deputy_id == person.id).values(deputy_id=None)
        )
        await self.session.delete(person)
        await self.session.flush()


Expired = tuple[type, list[ColumnElement[bool]]]

# Where each kind of data lives, and which of its rows are past a cut-off.
EXPIRED: dict[Data, Callable[[date], Expired]] = {
    Data.LEAVERS: lambda before: (
        Employee,
        [
            Employee.status == EmploymentStatus.LEFT,
            Employee.left_on < before,
            Employee.name != "",  # already anonymous rows
        ],
    ),
    Data.CHECKIN_COMMENTS: lambda before: (
        CheckIn,
        [
            CheckIn.day < before,
            or_(
                CheckIn.comment.is_not(None),
                CheckIn.to_green.is_not(None),
                CheckIn.reply.is_not(None),
            ),
        ],
    ),
    Data.CHECKIN_ANSWERS: lambda before: (CheckIn, [CheckIn.day < before]),
    Data.AUDIT_ENTRIES: lambda before: (AuditEntry, [AuditEntry.at < before]),
    Data.SENT_MESSAGES: lambda before: (
        OutboxMessage,
        [
            OutboxMessage.status.in_(
                (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.UNREACHABLE)
            ),
            OutboxMessage.created_at < before,
        ],
    ),
    Data.KUDOS: lambda before: (Kudos, [Kudos.created_at < before]),
    Data.NUDGES: lambda before: (Nudge, [Nudge.sent_on < before]),
    Data.DIALOGS: lambda before: (DialogState, [DialogState.updated_at < before]),
}


class RetentionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def first_run_on(self, day: date, now: datetime) -> bool:
        """True once a day, for one process (a row per day in retention_runs marks the run)."""
        return await insert_ignoring_duplicates(self.session, RetentionRun, {"day": day, "at": now})

    async def count(self, data: Data, before: date) -> int:
        model, where = EXPIRED[data](before)
        return int(
            await self.session.scalar(select(func.count()).select_from(model).where(*where)) or 0
        )

    async def leavers(self, before: date) -> list[str]:
        _model, where = EXPIRED[Data.LEAVERS](before)
        return list(await self.session.scalars(select(Employee.id).where(*where)))

    async def apply(self, data: Data, before: date) -> None:
        """Take what the rule takes (people who left are erased by the privacy service)."""
        if data == Data.LEAVERS:
            raise ValueError("people are erased one by one, not by a statement")
        if data == Data.CHECKIN_ANSWERS:
            await self._fold_answers(before)
        model, where = EXPIRED[data](before)
        if data == Data.CHECKIN_COMMENTS:
            await _rows(
                self.session,
                update(CheckIn).where(*where).values(comment=None, to_green=None, reply=None),
            )
        else:
            await _rows(self.session, delete(model).where(*where))

    async def _fold_answers(self, before: date) -> None:
        """Individual answers older than the limit become monthly unit totals."""
        rows = (
            await self.session.execute(
                select(CheckIn.unit_id, CheckIn.day, CheckIn.colour).where(
                    CheckIn.day < before, CheckIn.status == CheckInStatus.ANSWERED
                )
            )
        ).all()
        totals: dict[tuple[str, date], Counter[str]] = {}
        for unit_id, day, colour in rows:
            totals.setdefault((unit_id, day.replace(day=1)), Counter())[str(colour)] += 1
        for (unit_id, month), counter in totals.items():
            stored = await self.session.get(CheckInMonth, (unit_id, month))
            if stored is None:
                stored = CheckInMonth(unit_id=unit_id, month=month, green=0, yellow=0, red=0)
                self.session.add(stored)
            stored.green += counter["green"]
            stored.yellow += counter["yellow"]
            stored.red += counter["red"]
