"""Privacy operations: retention by data type, erasure of one person, and the privacy notice.

Erasure keeps figures right without keeping the person: their absence periods and check-in
answers move to a new anonymous row (a random id, no name, e-mail or directory id; the unit,
FTE, schedule and employment dates that the figures need), every text they wrote or that was
written about them is deleted, and the original row goes. Nothing links the two.
"""

from __future__ import annotations

import logging
import uuid

from dialogs.replies import Card, CardName, Reply
from rules.access import Role
from rules.retention import Data, due
from services.work import Work
from storage.models import Employee, EmploymentStatus

log = logging.getLogger("naervaer.privacy")


class StillNeeded(Exception):
    """The person still leads someone: the organisation file must change first."""


class Privacy:
    def __init__(self, work: Work) -> None:
        self.work = work
        self.people = work.store.people
        self.erasure = work.store.erasure
        self.retention = work.store.retention
        # Always the configured limits, never a default: the notice states what the run does.
        self.rules = work.config.retention

    # --- the notice ----------------------------------------------------------------------

    async def notice(self, employee: Employee) -> list[Reply]:
        unit = await self.people.unit(employee.unit_id)
        leader = await self.people.get(employee.leader_id)
        rules = self.rules
        return [
            Card(
                CardName.PRIVACY,
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
        person = await self.people.anyone(employee_id)
        if person is None:
            raise KeyError(employee_id)
        if await self.erasure.still_leads(person.id):
            raise StillNeeded(employee_id)
        anon = Employee(
            id=f"anon-{uuid.uuid4().hex[:12]}",
            name="",
            unit_id=person.unit_id,
            role=Role.EMPLOYEE,
            workdays=person.workdays,
            fte=person.fte,
            start_date=person.start_date,
            status=EmploymentStatus.LEFT,
            left_on=person.left_on or self.work.today,
        )
        await self.erasure.add_anonymous(anon)
        erasure = self.erasure
        # In this order: the events are found through the person's own periods before they move.
        counts = {
            "absence events cleared": await erasure.clear_absence_events(person.id),
            "absences anonymised": await erasure.move_absences(person.id, anon.id),
            "check-ins anonymised": await erasure.move_checkins(person.id, anon.id),
            "follow-ups deleted": await erasure.delete_followups(person.id),
            "skulderklap deleted": await erasure.delete_kudos(person.id),
            "nudges deleted": await erasure.delete_nudges(person.id),
            "messages deleted": await erasure.delete_messages(person),
            "teams addresses deleted": await erasure.delete_addresses(person.id),
            "outlook rows deleted": await erasure.delete_outlook(person.id),
            "activity feed notices deleted": await erasure.delete_feed_notices(person),
            "entra rows deleted": await erasure.forget_entra_id(person.aad_object_id),
            "audit entries anonymised": await erasure.move_audit(person.id, anon.id),
        }
        await erasure.remove(person, anon.id)
        # Last: moving the absences away above marks the person for the daily follow-up run.
        counts["follow-up marks deleted"] = await erasure.delete_followup_marks(person.id)
        log.info("erased an employee; anonymous row %s", anon.id)
        return counts

    # --- retention -----------------------------------------------------------------------

    async def retention_due(self) -> bool:
        """True once a day, for one process."""
        return await self.retention.first_run_on(self.work.today, self.work.now)

    async def run_retention(self, dry_run: bool = False) -> dict[str, int]:
        """Apply every retention rule (the daily job, `naervaer retention run`); with dry_run,
        count what would go and change nothing. Both walk the same list of rules."""
        rules = due(self.rules, self.work.now, self.work.today)
        found = {d.rule.report: await self.retention.count(d.rule.data, d.before) for d in rules}
        if dry_run:
            return found
        for d in rules:
            if d.rule.data == Data.LEAVERS:
                for employee_id in await self.retention.leavers(d.before):
                    await self.erase(employee_id)
            else:
                await self.retention.apply(d.rule.data, d.before)
        return found
