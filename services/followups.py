"""Follow-ups: evaluate the policy into stored follow-ups, remind the right leader at the right
morning, escalate what is overdue, and record what the leader did.

Evaluation (which policy, what is due, stored once per occurrence) is FollowUpEvaluation's;
this feature sends through the outbox. Ticks are idempotent: only one process runs a tick at a time on PostgreSQL
(an advisory lock), and the outbox keys make a repeated tick send nothing twice.
"""

from __future__ import annotations

import logging
from datetime import date, time, timedelta
from typing import Any, Protocol

from dialogs.dates import parse_time_of_day
from dialogs.replies import Card, CardName, Reply, Text
from rules.access import is_leader
from rules.calendar import absence_working_days
from rules.followups import Finding, FollowUp
from rules.policy import Policy
from services import keys
from services.followup_advis import Advis, rule_of
from services.followup_evaluation import FollowUpEvaluation
from services.followup_records import HeldDecision, record_held
from services.views import AbsenceLine, FollowUpView
from services.work import Work
from storage.models import (
    AbsenceStatus,
    Employee,
    EmploymentStatus,
    FollowUpRecord,
    FollowUpStatus,
    Role,
)

log = logging.getLogger("naervaer.followups")

HELD_BACK = timedelta(days=30)
SNOOZE_AHEAD = timedelta(days=60)
DONE = (FollowUpStatus.HELD, FollowUpStatus.DISMISSED)


class FollowUpDecision(HeldDecision, Protocol):
    """What a leader decided on a follow-up card (the card's submit payload has these, and for
    "held" the conversation's how, participants and next steps)."""

    @property
    def followup_id(self) -> int: ...
    @property
    def action(self) -> str: ...
    @property
    def day(self) -> date | None: ...
    @property
    def note(self) -> str | None: ...
    @property
    def reason(self) -> str | None: ...


class FollowUps:
    def __init__(self, work: Work) -> None:
        self.work = work
        self.now = work.now
        self.settings = work.config
        self.people = work.store.people
        self.absences = work.store.absences
        self.records = work.store.followups
        self.evaluation = FollowUpEvaluation(work)
        self.outbox = work.store.outbox
        self.notifier = work.notifier
        self.org = work.org
        self.advis = Advis(self.people, self.org, self.notifier)

    # --- evaluation (FollowUpEvaluation) -----------------------------------------------------

    async def policy_for(self, employee: Employee) -> Policy:
        return await self.evaluation.policy_for(employee)

    async def evaluate_employee(self, employee: Employee) -> int:
        return await self.evaluation.evaluate_employee(employee)

    async def evaluate_all(self, chunk: int = 5000) -> tuple[int, int]:
        return await self.evaluation.evaluate_all(chunk)

    async def findings_for(self, employee: Employee) -> list[Finding]:
        return await self.evaluation.findings_for(employee)

    async def listing(self, unit: str | None = None) -> list[tuple[Employee, FollowUp, str]]:
        return await self.evaluation.listing(unit)

    # --- reminding ------------------------------------------------------------------------

    async def dispatch(self) -> int:
        """The morning's reminders (a card, or one digest a leader), then what is overdue."""
        await self._wake_snoozed()
        digests: dict[str, list[FollowUpRecord]] = {}
        sent = 0
        for record in await self.records.open_due(self.work.today):
            employee = await self.people.anyone(record.employee_id)
            if employee is None or employee.status != EmploymentStatus.ACTIVE:
                continue
            if record.reminded_at is None:
                sent += await self._remind(record, employee, digests)
            else:
                sent += await self._overdue(record, employee)
        await self._send_digests(digests)
        return sent

    async def _wake_snoozed(self) -> None:
        for record in await self.records.snoozed_to_wake(self.work.today):
            record.status = FollowUpStatus.OPEN
            record.due_on = record.snoozed_until or self.work.today
            record.deadline_on = max(record.deadline_on, record.due_on)
            record.reminded_at = None
            record.overdue_reminded_at = None

    def _before_morning_of(self, leader: Employee) -> bool:
        return self.now.astimezone(self.settings.timezone).time() < self.morning_of(leader)

    async def _remind(
        self, record: FollowUpRecord, employee: Employee, digests: dict[str, list[FollowUpRecord]]
    ) -> int:
        """The first reminder, on the recipient's morning; a digest leader's waits for the rest."""
        recipient = await self._recipient(record, employee)
        if recipient is None:
            log.warning("follow-up %s has nobody to remind", record.id)
            return 0
        if self._before_morning_of(recipient):
            return 0
        record.reminded_at, record.reminded_to = self.now, recipient.id
        if recipient.followup_digest:
            digests.setdefault(recipient.id, []).append(record)
        else:
            await self._send_card(record, recipient.id)
        rule = rule_of(self.settings.policies.get(record.policy_id), record)
        await self.advis.roles(rule, record, employee, recipient)
        if record.advis_employee and record.employee_advised_at is None:
            record.employee_advised_at = self.now
            why = await self._why(record, employee.id)
            await self.notifier.send(
                employee.id,
                Text("followup_employee_advis", {"rule": why}),
                keys.followup(record.id, "advis"),
            )
        return 1

    async def _send_digests(self, digests: dict[str, list[FollowUpRecord]]) -> None:
        for recipient_id, records in digests.items():
            lang = await self.notifier.language_for(recipient_id)
            views = [await self.followup_view(r, lang) for r in records]
            await self.notifier.send(
                recipient_id,
                Card(CardName.FOLLOWUP_DIGEST, {"views": views}),
                keys.followup_digest(recipient_id, self.work.today),
            )

    async def _overdue(self, record: FollowUpRecord, employee: Employee) -> int:
        """Past the deadline: remind the leader, later tell the leader above (the policy's days)."""
        assert record.reminded_to is not None
        leader = await self.people.get(record.reminded_to)
        reader = await self._reader(record, employee, leader)
        if reader is not None and self._before_morning_of(reader):
            return 0
        calendar = self.work.calendar(leader)
        escalation = (await self.policy_for(employee)).escalation
        remind_on = calendar.add_working_days(
            record.deadline_on, escalation.remind_after_working_days
        )
        escalate_on = calendar.add_working_days(
            record.deadline_on, escalation.escalate_after_working_days
        )
        sent = 0
        if self.work.today >= remind_on and record.overdue_reminded_at is None and reader:
            sent += await self._remind_overdue(record, employee, reader.id)
        if self.work.today >= escalate_on and record.escalated_at is None:
            days = escalation.escalate_after_working_days
            sent += await self._escalate(record, employee, leader, days)
        return sent

    async def _reader(
        self, record: FollowUpRecord, employee: Employee, reminded: Employee | None
    ) -> Employee | None:
        """Who is reminded again: the one reminded first, unless away today (org.stands_in,
        the one definition); then whoever it would reach today (the deputy, up the line)."""
        if reminded is not None and not await self.org.stands_in(reminded):
            return reminded
        return await self._recipient(record, employee)

    async def _remind_overdue(
        self, record: FollowUpRecord, employee: Employee, leader_id: str
    ) -> int:
        # Handed over when the first one is away: the card's actions follow (may_follow_up).
        record.overdue_reminded_at, record.reminded_to = self.now, leader_id
        await self.notifier.send(
            leader_id,
            Text(
                "followup_overdue",
                {
                    "name": employee.name,
                    "rule": await self._why(record, leader_id),
                    "deadline": record.deadline_on,
                },
            ),
            keys.followup_overdue(record.id, record.due_on),
        )
        return 1

    async def _escalate(
        self,
        record: FollowUpRecord,
        employee: Employee,
        leader: Employee | None,
        days: int,
    ) -> int:
        # The policy's chain (Viborg: HR, then the chef) gets a summary, never the private note.
        record.escalated_at = self.now
        policy = await self.policy_for(employee)
        return await self.advis.escalate(policy, record, employee, leader, days)

    async def _recipient(self, record: FollowUpRecord, employee: Employee) -> Employee | None:
        if record.recipient == "hr":
            return await self.advis.hr_present()
        route = await self.org.route(employee, self.work.today)
        return await self.people.get(route.recipient_id) if route else None

    def card_key(self, record: FollowUpRecord) -> str:
        return keys.followup_card(record.id, record.due_on)

    async def _send_card(self, record: FollowUpRecord, recipient_id: str) -> None:
        view = await self.followup_view(record, await self.notifier.language_for(recipient_id))
        await self.notifier.send(
            recipient_id, Card(CardName.FOLLOWUP, {"view": view}), self.card_key(record)
        )

    async def _why(self, record: FollowUpRecord, reader_id: str) -> str:
        return await self.advis.why(record, reader_id)

    # --- what the leader does ----------------------------------------------------------------

    async def may_follow_up(self, actor: Employee, record: FollowUpRecord) -> bool:
        if record.recipient == "hr" and actor.role == Role.HR and actor.id != record.employee_id:
            return True
        return await self.org.may_act_for(actor, record.employee_id, record.reminded_to)

    async def act_on_followup(self, actor: Employee, submit: FollowUpDecision) -> list[Reply]:
        record = await self.records.get(submit.followup_id)
        if record is None or not await self.may_follow_up(actor, record):
            log.warning(
                "refused follow-up action=%s id=%s actor=%s",
                submit.action,
                submit.followup_id,
                actor.id,
            )
            return [Text("not_allowed")]
        if record.status in DONE:
            return [Text("already_done")]
        refusal = self._decide(record, submit)
        if refusal is not None:
            return [Text(refusal)]
        record.acted_by = actor.id
        await self._refresh_card(record)
        # The card pressed may be a copy listed on request ("opfølgning"), which no outbox key
        # can replace: it shows the record (not the private note) like the one sent on its own.
        view = await self.followup_view(record, await self.notifier.language_for(actor.id))
        await self.notifier.show_in_place(actor.id, Card(CardName.FOLLOWUP, {"view": view}))
        return [Text("followup_recorded")]

    def _decide(self, record: FollowUpRecord, submit: FollowUpDecision) -> str | None:
        """Record the decision; the text saying why not when it cannot be taken as given."""
        today = self.work.today
        day = submit.day or today
        match submit.action:
            case "held":
                if not today - HELD_BACK <= day <= today:
                    return "followup_bad_date"
                if refusal := record_held(record, submit, self.now):
                    return refusal
                record.status, record.held_on = FollowUpStatus.HELD, day
                record.private_note = (submit.note or "").strip() or None
            case "snooze":
                if not today < day <= today + SNOOZE_AHEAD:
                    return "followup_bad_date"
                record.status, record.snoozed_until = FollowUpStatus.SNOOZED, day
            case "dismiss":
                reason = (submit.reason or "").strip()
                if not reason:
                    return "followup_reason_needed"
                record.status, record.dismissed_reason = FollowUpStatus.DISMISSED, reason
        return None

    async def _refresh_card(self, record: FollowUpRecord) -> None:
        original = self.card_key(record)
        if record.reminded_to is None or await self.outbox.sent_activity(original) is None:
            return  # never sent as a card of its own (a digest, or listed on request)
        view = await self.followup_view(
            record, await self.notifier.language_for(record.reminded_to)
        )
        await self.notifier.send(
            record.reminded_to,
            Card(CardName.FOLLOWUP, {"view": view}),
            keys.followup_card_update(original, str(record.status), self.now),
            replaces_key=original,
        )

    async def open_for(self, leader: Employee) -> list[Reply]:
        records = await self.records.undone_due(self.work.today)
        mine = [r for r in records if await self.may_follow_up(leader, r)]
        if not mine:
            return [Text("followup_none")]
        lang = await self.notifier.language_for(leader.id)
        replies: list[Reply] = [Text("followup_list", {"count": len(mine)})]
        replies += [
            Card(CardName.FOLLOWUP, {"view": await self.followup_view(r, lang)}) for r in mine[:10]
        ]
        return replies

    async def set_digest(self, leader: Employee, on: bool) -> list[Reply]:
        if not is_leader(leader.role):
            return [Text("leaders_only")]
        leader.followup_digest = on
        return [Text("followup_digest_on" if on else "followup_digest_off")]

    async def set_morning(self, leader: Employee, typed: str) -> list[Reply]:
        if not is_leader(leader.role):
            return [Text("leaders_only")]
        morning = parse_time_of_day(typed)
        if morning is None:
            return [Text("followup_morning_bad")]
        leader.followup_morning = morning
        return [Text("followup_morning_set", {"time": morning})]

    def morning_of(self, leader: Employee) -> time:
        return leader.followup_morning or self.settings.morning

    async def followup_view(self, record: FollowUpRecord, lang: str) -> FollowUpView:
        employee = await self.people.anyone(record.employee_id)
        assert employee is not None
        lines, calendar_days = await self._last_year(employee)
        guidance = record.guidance.get(lang) if record.guidance else None
        return FollowUpView(
            id=record.id,
            employee_id=employee.id,
            employee_name=employee.name,
            why=str(record.why.get(lang, record.why.get("da", ""))),
            guidance=guidance,
            guide=record.guide,
            due_on=record.due_on,
            deadline_on=record.deadline_on,
            absences=lines,
            calendar_days=calendar_days,
            working_days=sum(line.working_days for line in lines),
            open=record.status in (FollowUpStatus.OPEN, FollowUpStatus.SNOOZED),
            done=_done(record),
            links=_links(record.guidance, lang),
        )

    async def _last_year(self, employee: Employee) -> tuple[list[AbsenceLine], int]:
        """The employee's absence periods of the last 365 days, and their calendar days."""
        today = self.work.today
        calendar = self.work.calendar(employee)
        year_ago = today - timedelta(days=365)
        lines: list[AbsenceLine] = []
        calendar_days = 0
        for absence in await self.absences.for_employee(employee.id):
            if absence.status not in (AbsenceStatus.OPEN, AbsenceStatus.CLOSED):
                continue
            last = absence.last_day
            if (last or today) < year_ago or absence.first_day > today:
                continue
            first = max(absence.first_day, year_ago)
            days = absence_working_days(first, last, today, calendar)
            calendar_days += ((min(last, today) if last else today) - first).days + 1
            lines.append(AbsenceLine(str(absence.kind), first, last, days))
        return lines, calendar_days


def _done(record: FollowUpRecord) -> list[tuple[str, dict[str, object]]]:
    """What was done about the follow-up, as the card says it."""
    if record.status == FollowUpStatus.HELD and record.held_on:
        held: list[tuple[str, dict[str, object]]] = [
            ("followup_done_held", {"day": record.held_on})
        ]
        if record.recorded_at is not None:
            steps = {"how": record.held_how, "participants": record.participants or []}
            held.append(("record_done", {**steps, "steps": record.next_steps or []}))
        return held
    if record.status == FollowUpStatus.SNOOZED and record.snoozed_until:
        return [("followup_done_snoozed", {"day": record.snoozed_until})]
    if record.status == FollowUpStatus.DISMISSED:
        return [("followup_done_dismissed", {"reason": record.dismissed_reason})]
    return []


def _links(guidance: dict[str, Any] | None, lang: str) -> list[tuple[str, str]]:
    """A stored guidance's links (rules.policy.Link as JSON) in the reader's language."""
    links = (guidance or {}).get("links") or []
    return [(str(link["title"].get(lang, link["title"]["da"])), str(link["url"])) for link in links]
