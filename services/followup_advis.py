"""Who besides the recipient hears of a follow-up: the roles a rule's `advis` lists (Lemvig: the
area leader beside the staff leader), and the escalation chain of the policy (Viborg: HR, the
PO, first, then the chef, the leader above). The employee's own advis stays in FollowUps.
Every message is keyed per follow-up and role, so a repeated tick sends nothing twice, and none
carries the private note."""

from __future__ import annotations

from dialogs.replies import Text
from rules.policy import Policy, Rule
from services import keys
from services.notifier import Notifier
from services.org import OrgChart
from storage.models import Employee, FollowUpRecord
from storage.people import PeopleRepository


def rule_of(policy: Policy | None, record: FollowUpRecord) -> Rule | None:
    """The rule a stored follow-up came from, in the policy it names (None if since removed)."""
    if policy is None:
        return None
    return next((rule for rule in policy.rules if rule.id == record.rule_id), None)


class Advis:
    def __init__(self, people: PeopleRepository, org: OrgChart, notifier: Notifier) -> None:
        self.people = people
        self.org = org
        self.notifier = notifier

    async def hr_present(self) -> Employee | None:
        hr = await self.people.hr()
        present = [p for p in hr if not await self.org.stands_in(p)]
        chosen = present or hr
        return chosen[0] if chosen else None

    async def _role(self, role: str, employee: Employee, record: FollowUpRecord) -> Employee | None:
        if role == "hr":
            return await self.hr_present()
        if role == "leader_above":
            return await self.org.above(employee, record.reminded_to)
        if role == "leader":
            return await self.people.get(employee.leader_id) if employee.leader_id else None
        return None  # the employee's advis is sent by FollowUps

    async def roles(
        self, rule: Rule | None, record: FollowUpRecord, employee: Employee, leader: Employee
    ) -> int:
        """The rule's advis to roles other than the employee: told who was reminded and why."""
        sent = 0
        for role in rule.advis if rule else ():
            person = await self._role(role, employee, record)
            if person is None or person.id in (leader.id, employee.id):
                continue
            why = await self.why(record, person.id)
            await self.notifier.send(
                person.id,
                Text(
                    "record_advis_role", {"leader": leader.name, "name": employee.name, "rule": why}
                ),
                keys.followup(record.id, f"advis-{role}"),
            )
            sent += 1
        return sent

    async def escalate(
        self,
        policy: Policy,
        record: FollowUpRecord,
        employee: Employee,
        leader: Employee | None,
        days: int,
    ) -> int:
        """Tell each one of the chain, in order: HR (asked to follow up with the chef), then the
        leader above (asked to follow up with the leader)."""
        above = await self.org.above(employee, record.reminded_to)
        values = {
            "leader": leader.name if leader else "",
            "name": employee.name,
            "days": days,
            "deadline": record.deadline_on,
            "chef": above.name if above else "",
        }
        sent = 0
        for step in policy.escalation.chain:
            person = above if step == "leader_above" else await self.hr_present()
            if person is None or person.id == record.reminded_to:
                continue
            text = "followup_escalation" if step == "leader_above" else "record_escalation_hr"
            values["rule"] = await self.why(record, person.id)
            key = keys.followup_escalation(record.id, record.due_on)
            await self.notifier.send(
                person.id,
                Text(text, dict(values)),
                key if step == "leader_above" else f"{key}:hr",
            )
            sent += 1
        return sent

    async def why(self, record: FollowUpRecord, reader_id: str) -> str:
        lang = await self.notifier.language_for(reader_id)
        return str(record.why.get(lang, record.why.get("da", "")))
