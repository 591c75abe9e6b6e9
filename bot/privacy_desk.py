"""Privacy operations: retention by data type, erasure of one person, and the privacy notice.

Erasure keeps figures right without keeping the person: their absence periods and check-in
answers move to a new anonymous row (a random id, no name, e-mail or directory id; the unit,
FTE, schedule and employment dates that the figures need), every text they wrote or that was
written about them is deleted, and the original row goes. Nothing links the two.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import String, cast, delete, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.desk import AbsenceDesk, DeskSettings
from dialogs.replies import Card, Reply
from rules.retention import Cutoffs, Retention, cutoffs
from storage.models import (
    Absence,
    AbsenceEvent,
    AuditEntry,
    CheckIn,
    CheckInMonth,
    CheckInStatus,
    DialogState,
    Employee,
    EmploymentStatus,
    FollowUpRecord,
    Kudos,
    Nudge,
    OutboxMessage,
    OutboxStatus,
    RetentionRun,
    Role,
    TeamsUser,
    Unit,
)
from storage.repositories import insert_ignoring_duplicates

log = logging.getLogger("naervaer.privacy")
RETENTION_LOCK = 744_221_005


class StillNeeded(Exception):
    """The person still leads someone: the organisation file must change first."""


class PrivacyDesk(AbsenceDesk):
    def __init__(
        self,
        session: AsyncSession,
        now: Any,
        settings: DeskSettings,
        retention: Retention | None = None,
    ) -> None:
        super().__init__(session, now, settings)
        self.retention = retention or Retention()

    # --- the notice ----------------------------------------------------------------------

    async def notice(self, employee: Employee) -> list[Reply]:
        unit = await self.session.get(Unit, employee.unit_id)
        leader = await self.people.get(employee.leader_id)
        rules = self.retention
        return [
            Card(
                "privacy",
                {
                    "anonymous": bool(unit and unit.checkin_anonymous),
                    "unit": unit.name if unit else "",
                    "leader": leader.name if leader else "",
                    "absence_years": rules.absence_years_after_leaving,
                    "comment_days": rules.checkin_comment_days,
                    "answer_months": round(rules.checkin_answer_days / 30.4),
                    "audit_years": rules.audit_years,
                },
            )
        ]

    # --- erasure -------------------------------------------------------------------------

    async def erase(self, employee_id: str) -> dict[str, int]:
        """Right to erasure (and the end of retention for someone who left)."""
        person = await self.session.get(Employee, employee_id)
        if person is None:
            raise KeyError(employee_id)
        led = await self.session.scalar(
            select(func.count()).where(
                or_(Employee.leader_id == person.id, Employee.deputy_id == person.id),
                Employee.status == EmploymentStatus.ACTIVE,
                Employee.id != person.id,
            )
        )
        if led:
            raise StillNeeded(employee_id)
        counts: Counter[str] = Counter()
        anon = Employee(
            id=f"anon-{uuid.uuid4().hex[:12]}",
            name="",
            unit_id=person.unit_id,
            role=Role.EMPLOYEE,
            workdays=person.workdays,
            fte=person.fte,
            start_date=person.start_date,
            status=EmploymentStatus.LEFT,
            left_on=person.left_on or self.today,
        )
        self.session.add(anon)
        await self.session.flush()
        own = select(Absence.id).where(Absence.employee_id == person.id)
        counts["absence events cleared"] = await self._rows(
            update(AbsenceEvent).where(AbsenceEvent.absence_id.in_(own)).values(detail={})
        )
        counts["absences anonymised"] = await self._rows(
            update(Absence)
            .where(Absence.employee_id == person.id)
            .values(employee_id=anon.id, note=None, reported_by=anon.id)
        )
        # Other people's periods that the person reported, received or acted on.
        await self._rows(
            update(Absence).where(Absence.reported_by == person.id).values(reported_by=anon.id)
        )
        await self._rows(
            update(Absence).where(Absence.routed_to == person.id).values(routed_to=anon.id)
        )
        await self._rows(
            update(Absence).where(Absence.acknowledged_by == person.id).values(acknowledged_by=None)
        )
        await self._rows(
            update(AbsenceEvent).where(AbsenceEvent.actor_id == person.id).values(actor_id=None)
        )
        counts["check-ins anonymised"] = await self._rows(
            update(CheckIn)
            .where(CheckIn.employee_id == person.id)
            .values(employee_id=anon.id, comment=None, to_green=None, reply=None)
        )
        await self._rows(
            update(CheckIn).where(CheckIn.acknowledged_by == person.id).values(acknowledged_by=None)
        )
        counts["follow-ups deleted"] = await self._rows(
            delete(FollowUpRecord).where(FollowUpRecord.employee_id == person.id)
        )
        await self._rows(
            update(FollowUpRecord)
            .where(FollowUpRecord.reminded_to == person.id)
            .values(reminded_to=None)
        )
        await self._rows(
            update(FollowUpRecord).where(FollowUpRecord.acted_by == person.id).values(acted_by=None)
        )
        counts["skulderklap deleted"] = await self._rows(
            delete(Kudos).where(or_(Kudos.sender_id == person.id, Kudos.recipient_id == person.id))
        )
        counts["nudges deleted"] = await self._rows(
            delete(Nudge).where(or_(Nudge.leader_id == person.id, Nudge.subject_id == person.id))
        )
        # Messages to the person, and to others about them (a leader's card names them; payloads
        # are stored as JSON with non-ASCII escaped, so the name is searched for as JSON has it).
        mentions = [json.dumps(person.name)[1:-1], json.dumps(person.id)]
        payload = cast(OutboxMessage.payload, String)
        counts["messages deleted"] = await self._rows(
            delete(OutboxMessage).where(
                or_(
                    OutboxMessage.recipient_id == person.id,
                    *(payload.contains(m, autoescape=True) for m in mentions if m.strip('"')),
                )
            )
        )
        counts["teams addresses deleted"] = await self._rows(
            delete(TeamsUser).where(TeamsUser.employee_id == person.id)
        )
        await self._rows(delete(DialogState).where(DialogState.employee_id == person.id))
        counts["audit entries anonymised"] = await self._rows(
            update(AuditEntry).where(AuditEntry.subject_id == person.id).values(subject_id=anon.id)
        ) + await self._rows(
            update(AuditEntry).where(AuditEntry.actor_id == person.id).values(actor_id=anon.id)
        )
        # Former staff who still name the person as their leader or deputy.
        await self._rows(
            update(Employee).where(Employee.leader_id == person.id).values(leader_id=anon.id)
        )
        await self._rows(
            update(Employee).where(Employee.deputy_id == person.id).values(deputy_id=None)
        )
        await self.session.delete(person)
        await self.session.flush()
        log.info("erased an employee; anonymous row %s", anon.id)
        return dict(counts)

    async def _rows(self, statement: Any) -> int:
        result = await self.session.execute(statement)
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    # --- retention -----------------------------------------------------------------------

    async def retention_due(self) -> bool:
        """True once a day, for one process (a row per day in retention_runs marks the run)."""
        if self.session.get_bind().dialect.name == "postgresql" and not await self.session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": RETENTION_LOCK}
        ):
            return False
        return await insert_ignoring_duplicates(
            self.session, RetentionRun, {"day": self.today, "at": self.now}
        )

    async def run_retention(self, dry_run: bool = False) -> dict[str, int]:
        """Apply every retention rule (the daily job, `naervaer retention run`); with dry_run,
        count what would go and change nothing."""
        limits = cutoffs(self.retention, self.now, self.today)
        found = await self._due(limits)
        if dry_run:
            return found
        for employee_id in await self._left_long_ago(limits):
            await self.erase(employee_id)
        await self._fold_old_answers(limits.answers_before)
        await self._rows(
            update(CheckIn)
            .where(
                CheckIn.day < limits.comments_before,
                or_(
                    CheckIn.comment.is_not(None),
                    CheckIn.to_green.is_not(None),
                    CheckIn.reply.is_not(None),
                ),
            )
            .values(comment=None, to_green=None, reply=None)
        )
        await self._rows(delete(AuditEntry).where(AuditEntry.at < limits.audit_before))
        await self._rows(delete(OutboxMessage).where(*self._old_messages(limits)))
        await self._rows(delete(Kudos).where(Kudos.created_at < limits.kudos_before))
        await self._rows(delete(Nudge).where(Nudge.sent_on < limits.kudos_before.date()))
        await self._rows(delete(DialogState).where(DialogState.updated_at < limits.dialogs_before))
        return found

    def _old_messages(self, limits: Cutoffs) -> list[Any]:
        return [
            OutboxMessage.status.in_(
                (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.UNREACHABLE)
            ),
            OutboxMessage.created_at < limits.messages_before,
        ]

    async def _left_long_ago(self, limits: Cutoffs) -> list[str]:
        return list(
            await self.session.scalars(
                select(Employee.id).where(
                    Employee.status == EmploymentStatus.LEFT,
                    Employee.left_on < limits.left_before,
                    Employee.name != "",  # already anonymous rows
                )
            )
        )

    async def _due(self, limits: Cutoffs) -> dict[str, int]:
        async def count(*where: Any, model: Any) -> int:
            return int(
                await self.session.scalar(select(func.count()).select_from(model).where(*where))
                or 0
            )

        return {
            "people who left to erase": len(await self._left_long_ago(limits)),
            "check-in comments to clear": await count(
                CheckIn.day < limits.comments_before,
                or_(
                    CheckIn.comment.is_not(None),
                    CheckIn.to_green.is_not(None),
                    CheckIn.reply.is_not(None),
                ),
                model=CheckIn,
            ),
            "check-in answers to fold into totals": await count(
                CheckIn.day < limits.answers_before, model=CheckIn
            ),
            "audit entries to delete": await count(
                AuditEntry.at < limits.audit_before, model=AuditEntry
            ),
            "sent messages to delete": await count(
                *self._old_messages(limits), model=OutboxMessage
            ),
            "skulderklap to delete": await count(
                Kudos.created_at < limits.kudos_before, model=Kudos
            ),
            "unfinished dialogs to delete": await count(
                DialogState.updated_at < limits.dialogs_before, model=DialogState
            ),
        }

    async def _fold_old_answers(self, before: date) -> None:
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
        await self._rows(delete(CheckIn).where(CheckIn.day < before))
