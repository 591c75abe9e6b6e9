"""What the leader (or deputy, or HR) does with a report, re-checked on every click; and the
reminder and escalation when nobody acknowledges one."""

from __future__ import annotations

import logging
from datetime import timedelta

from dialogs.fit import FULL_WEEK_HOURS, ReportFit, amount_off
from dialogs.flow import words
from dialogs.replies import Amount, Card, CardName, Reply, Text, TextKey
from dialogs.sick import ReportSick, SickKind
from rules.access import acts_on_any_sick_report, is_leader, sees_everyone
from services import keys
from services.absence_views import undoable
from services.absences import Absences
from services.unit_notice import UnitNotice
from services.work import Work
from storage.models import Absence, AbsenceEvent, AbsenceKind, AbsenceStatus, Employee

log = logging.getLogger("naervaer.leader")
# Actions whose effect is a state that may be undone and chosen again (not once-only events).
STATEFUL = ("mark_partial", "work_injury")


class LeaderActions:
    """What the leader (or deputy, or HR) does with a report, re-checked on every click."""

    def __init__(self, work: Work, absences: Absences) -> None:
        self.work = work
        self.now = work.now
        self.settings = work.config
        self.people = work.store.people
        self.absences = work.store.absences
        self.outbox = work.store.outbox
        self.notifier = work.notifier
        self.org = work.org
        self.reports = absences

    async def act(
        self,
        actor: Employee,
        absence_id: int,
        action: str,
        message: str | None,
        turn_key: str,
        amount: str | None = None,
    ) -> list[Reply]:
        absence = await self.absences.get(absence_id)
        if absence is None or not await self._may_act(actor, absence):
            log.warning("refused action=%s absence=%s actor=%s", action, absence_id, actor.id)
            return [Text("not_allowed")]
        is_emergency = absence.kind == AbsenceKind.EMERGENCY_DAY
        # A child's sick day is the child's: nobody asks the parent to take other tasks.
        child_tasks = absence.kind == AbsenceKind.CHILD_SICK and action == "other_tasks"
        if child_tasks or is_emergency != (action in ("approve", "decline")):
            return [Text("not_allowed")]
        if absence.status == AbsenceStatus.WITHDRAWN:
            return [Text("ledger_leader_nothing_to_do", {"first_day": absence.first_day})]
        events = await self.absences.events(absence.id)
        refused = self._refused(absence, action, events)
        if refused is not None:
            return [refused]
        employee = await self.people.anyone(absence.employee_id)
        assert employee is not None
        partial = (
            amount_off(words(amount or ""), employee.fte) if action == "mark_partial" else None
        )
        if action == "mark_partial" and partial is None:
            full = round(FULL_WEEK_HOURS * employee.fte, 1)
            return [Text("ledger_partial_amount_bad", {"full": full})]
        if absence.acknowledged_at is None:
            absence.acknowledged_at = self.now
            absence.acknowledged_by = actor.id
        told = _apply(absence, action, actor.name, message, partial)
        if told is not None:
            await self.notifier.send(employee.id, told, keys.absence(absence.id, action))
        event = await self.absences.record(absence, self.now, action, actor.id, turn=turn_key)
        if action == "approve":  # a granted akutdag is an absence the unit plans around
            await UnitNotice(self.work).absent(absence, employee)
        await self.reports.refresh_leader_card(absence, event.id)
        # Say exactly who was told: nothing goes to the employee for some actions.
        key = "action_done" if told is not None else f"ledger_done_{action}"
        return [Text(key, {"name": employee.name})]

    async def _may_act(self, actor: Employee, absence: Absence) -> bool:
        """Whoever it was routed to, the nearest leader, the deputy standing in; and HR on any
        sick report but their own (an akutdag is the leader line's to grant)."""
        if await self.reports.may_act(actor, absence):
            return True
        return (
            acts_on_any_sick_report(actor.role)
            and actor.id != absence.employee_id
            and absence.kind != AbsenceKind.EMERGENCY_DAY
        )

    def _refused(self, absence: Absence, action: str, events: list[AbsenceEvent]) -> Text | None:
        """Already done, or (for an undo) nothing of today's left to undo."""
        if action.startswith("undo_"):
            if action.removeprefix("undo_") not in undoable(
                absence, events, self.work.today, self.settings.timezone
            ):
                return Text("ledger_undo_too_late")
            return None
        done = {event.kind for event in events}
        if (
            (action in done and action not in STATEFUL)
            or (action == "work_injury" and absence.work_injury)
            or (action == "mark_partial" and absence.kind != AbsenceKind.SICK)
            or (
                absence.kind == AbsenceKind.EMERGENCY_DAY
                and absence.status != AbsenceStatus.REQUESTED
            )
        ):
            return Text("already_done")
        return None

    async def answer_other_tasks(
        self, employee: Employee, absence_id: int, answer: str, typed: str | None
    ) -> list[Reply]:
        absence = await self.absences.get(absence_id)
        if absence is None or absence.employee_id != employee.id or absence.routed_to is None:
            return [Text("not_allowed")]
        events = await self.absences.events(absence.id)
        asked = next((e for e in events if e.kind == "other_tasks"), None)
        if asked is None or asked.actor_id is None:
            return [Text("not_allowed")]
        if any(e.kind == "other_tasks_answer" for e in events):
            return [Text("already_done")]
        words = {"yes": TextKey("answer_yes"), "no": TextKey("answer_no")}.get(answer)
        note = (typed or "").strip()[:1000]
        if words is None and not note:
            return [Text("answer_placeholder")]
        leader = await self.people.get(asked.actor_id)
        lang = await self.notifier.language_for(asked.actor_id)
        shown = " — ".join(
            x for x in (self.notifier.render.text(lang, words) if words else "", note) if x
        )
        event = await self.absences.record(
            absence, self.now, "other_tasks_answer", employee.id, answer=shown
        )
        await self.notifier.send(
            asked.actor_id,
            Text("other_tasks_answer_to_leader", {"name": employee.name, "answer": shown}),
            keys.absence(absence.id, "other-tasks-answer"),
        )
        await self.reports.refresh_leader_card(absence, event.id)
        return [Text("answer_sent", {"name": leader.name if leader else ""})]

    async def on_behalf_choices(self, leader: Employee, what: str) -> list[Reply]:
        if not is_leader(leader.role):
            return [Text("leaders_only")]
        staff = await self.people.staff_of(leader.id)
        if what == "fit":
            staff = [
                p for p in staff if await self.absences.open_sickness_for(p.id, self.work.today)
            ]
            if not staff:
                return [Text("on_behalf_no_sick_staff")]
        if not staff:
            return [Text("on_behalf_no_staff")]
        return [Card(CardName.ON_BEHALF, {"what": what, "staff": [(p.id, p.name) for p in staff]})]

    async def on_behalf(
        self, leader: Employee, what: str, employee_id: str, turn_key: str
    ) -> list[Reply]:
        employee = await self.people.get(employee_id)
        if employee is None or not (employee.leader_id == leader.id or sees_everyone(leader.role)):
            return [Text("on_behalf_not_yours")]
        if what == "sick":
            open_now = await self.absences.open_sickness_for(employee.id, self.work.today)
            if open_now is not None:
                return [
                    Text(
                        "on_behalf_already_sick",
                        {"name": employee.name, "since": open_now.first_day},
                    )
                ]
            report = ReportSick(SickKind.FULL, self.work.today, None, None)
            return await self.reports.report_sick(
                employee, report, keys.on_behalf(turn_key), reported_by=leader, channel="on_behalf"
            )
        absence = await self.absences.open_sickness_for(employee.id, self.work.today)
        # Fit from the day after the first sick day at the earliest: a period is never empty.
        day = (
            max(self.work.today, absence.first_day + timedelta(days=1))
            if absence
            else self.work.today
        )
        return await self.reports.report_fit(employee, ReportFit(day), reported_by=leader)

    async def nudge_unacknowledged(self) -> int:
        """Remind the recipient after N working hours, tell their leader after 2N."""
        sent = 0
        for absence in await self.absences.unacknowledged():
            sent += await self._nudge(absence)
        return sent

    async def _nudge(self, absence: Absence) -> int:
        assert absence.routed_to is not None
        hours = self.settings.acknowledge_within_hours
        calendar = self.work.calendar(await self.people.anyone(absence.routed_to))
        reported = absence.created_at
        remind_at = (
            calendar.next_working_morning(reported)
            if not calendar.is_working_time(reported)
            else calendar.add_working_hours(reported, hours)
        )
        escalate_at = calendar.add_working_hours(reported, 2 * hours)
        done = {e.kind for e in await self.absences.events(absence.id)}
        employee = await self.people.anyone(absence.employee_id)
        assert employee is not None
        at = reported.astimezone(self.settings.timezone)
        is_emergency = absence.kind == AbsenceKind.EMERGENCY_DAY
        sent = 0
        if self.now >= remind_at and "reminded" not in done:
            key = "reminder_emergency" if is_emergency else "reminder_unacknowledged"
            params = {"name": employee.name, "at": at, "day": absence.first_day}
            await self.notifier.send(
                absence.routed_to, Text(key, params), keys.absence(absence.id, "reminder")
            )
            event = await self.absences.record(absence, self.now, "reminded", None)
            await self.reports.refresh_leader_card(absence, event.id)
            sent += 1
        # An akutdag is a request, not a report to follow up: a reminder is enough.
        if self.now >= escalate_at and "escalated" not in done and not is_emergency:
            sent += await self._escalate(absence, employee, at, round(2 * hours))
        return sent

    async def _escalate(self, absence: Absence, employee: Employee, at: object, hours: int) -> int:
        assert absence.routed_to is not None
        recipient = await self.people.get(absence.routed_to)
        above = await self.org.above(employee, absence.routed_to)
        if above is None or above.id == absence.routed_to:
            return 0
        params = {
            "name": employee.name,
            "at": at,
            "hours": hours,
            "leader": recipient.name if recipient else "",
        }
        await self.notifier.send(
            above.id,
            Text("escalation_unacknowledged", params),
            keys.absence(absence.id, "escalation"),
        )
        event = await self.absences.record(absence, self.now, "escalated", None, name=above.name)
        await self.reports.refresh_leader_card(absence, event.id)
        return 1


def _apply(
    absence: Absence,
    action: str,
    leader: str,
    message: str | None,
    partial: tuple[float | None, int | None] | None,
) -> Reply | None:
    """Change the period as the leader's action says; what the employee is told, if anything."""
    child = absence.kind == AbsenceKind.CHILD_SICK
    match action:
        case "get_well":
            default = TextKey("ledger_child_greeting" if child else "get_well_default")
            text = (message or "").strip() or None
            return Text("from_leader", {"name": leader, "message": text or default})
        case "call_today":
            return Text("leader_calls_today", {"name": leader})
        case "other_tasks":
            return Card(CardName.OTHER_TASKS, {"absence_id": absence.id, "leader": leader})
        case "mark_partial":
            assert partial is not None
            absence.kind = AbsenceKind.PARTLY_SICK
            absence.partial_hours_off, absence.partial_percent_off = partial
            return Text("ledger_marked_partial", {"name": leader, "amount": Amount(*partial)})
        case "undo_mark_partial":
            absence.kind = AbsenceKind.SICK
            absence.partial_hours_off = absence.partial_percent_off = None
            return Text("ledger_partial_undone", {"name": leader})
        case "work_injury" | "undo_work_injury":
            # Nothing is sent to the employee: the leader reports it in EASY.
            absence.work_injury = action == "work_injury"
        case "approve":
            absence.status = AbsenceStatus.OPEN
            return Text("emergency_approved", {"name": leader, "day": absence.first_day})
        case "decline":
            absence.status = AbsenceStatus.DECLINED
            return Text("emergency_declined", {"name": leader, "day": absence.first_day})
    return None
