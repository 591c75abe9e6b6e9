"""Absence periods: records what dialogs decided, routes reports and tells the right people.

Runs inside the turn's (or job's) transaction. Everything for someone other than the person
in the turn goes through the outbox, rendered in the recipient's language.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from dialogs.emergency import RequestEmergencyDay
from dialogs.fit import ReportFit
from dialogs.replies import Amount, Card, CardName, Reply, Text, TextKey
from dialogs.sick import ReportSick, SickKind
from rules.calendar import absence_working_days
from rules.recipients import Route, RoutedAs
from services import keys
from services.views import AbsenceView
from services.work import Work
from storage.models import Absence, AbsenceKind, AbsenceStatus, Employee

log = logging.getLogger("naervaer.absences")

KIND_OF: dict[SickKind, AbsenceKind] = {
    SickKind.FULL: AbsenceKind.SICK,
    SickKind.GOING_HOME: AbsenceKind.SICK,
    SickKind.PARTIAL: AbsenceKind.PARTLY_SICK,
    SickKind.CHILD: AbsenceKind.CHILD_SICK,
}
DONE_KEYS = {
    "get_well": "done_get_well",
    "call_today": "done_call_today",
    "other_tasks": "done_other_tasks",
    "mark_partial": "done_mark_partial",
    "work_injury": "done_work_injury",
    "approve": "done_approved",
    "decline": "done_declined",
    "reminded": "done_reminded",
    "escalated": "done_escalated",
    "other_tasks_answer": "done_other_tasks_answer",
    "fit": "done_fit",
}


class Absences:
    def __init__(self, work: Work) -> None:
        self.work = work
        self.now = work.now
        self.settings = work.config
        self.people = work.store.people
        self.absences = work.store.absences
        self.outbox = work.store.outbox
        self.notifier = work.notifier
        self.org = work.org

    # --- the employee reports -------------------------------------------------------------

    async def report_sick(
        self,
        employee: Employee,
        report: ReportSick,
        source_key: str,
        reported_by: Employee | None = None,
        channel: str = "chat",
    ) -> list[Reply]:
        refused = await self._refuse_overlap(employee, report, source_key)
        if refused:
            return refused
        by = reported_by or employee
        # The employee's own leader (or deputy) on the phone has the report already; anyone else
        # registering it (HR) still lets the nearest leader know.
        knows = by.id != employee.id and await self.org.may_act_for(by, employee.id, None)
        route = (
            Route(by.id, RoutedAs.LEADER)
            if knows
            else await self.org.route(employee, self.work.today)
        )
        absence = await self.absences.add(
            self._sick_period(employee, report, by, route, knows, source_key, channel)
        )
        await self.absences.record(absence, self.now, "reported", by.id, channel=channel)
        if route is not None and not knows:
            await self.absences.record(
                absence,
                self.now,
                "routed",
                None,
                to=route.recipient_id,
                routed_as=str(route.routed_as),
            )
            await self._send_leader_card(absence)
        if by.id != employee.id:
            params = {"name": by.name, "first_day": report.first_day}
            await self.notifier.send(
                employee.id, Text("on_behalf_sick", params), keys.absence(absence.id, "on-behalf")
            )
            return [Text("on_behalf_done_sick", {**params, "name": employee.name})]
        if route is None:
            log.warning("sick report with nobody to route to employee=%s", employee.id)
            return [Text("sick_sent_nobody")]
        return [await self._told(route, "sick_sent"), Text("call_department")]

    async def _refuse_overlap(
        self, employee: Employee, report: ReportSick, source_key: str
    ) -> list[Reply]:
        """Nothing when the report may go in; a partial period it follows is ended first."""
        open_now = await self.absences.open_sickness_for(employee.id, report.first_day)
        if open_now is not None:
            if open_now.kind != AbsenceKind.PARTLY_SICK or report.first_day <= open_now.first_day:
                return [
                    Text("already_sick", {"since": open_now.first_day}),
                    Card(CardName.OFFER_FIT),
                ]
            # Partly back and now fully ill: the partial period ends the day before.
            open_now.last_day = report.first_day - timedelta(days=1)
            open_now.status = AbsenceStatus.CLOSED
            await self.absences.record(open_now, self.now, "ended_by_new_report", employee.id)
        if await self.absences.by_source(source_key) is not None:
            return [Text("sick_overlaps", {"first_day": report.first_day})]
        return []

    def _sick_period(
        self,
        employee: Employee,
        report: ReportSick,
        by: Employee,
        route: Route | None,
        knows: bool,
        source_key: str,
        channel: str,
    ) -> Absence:
        return Absence(
            employee_id=employee.id,
            kind=KIND_OF[report.kind],
            status=AbsenceStatus.OPEN,
            first_day=report.first_day,
            last_day=report.first_day if report.kind == SickKind.CHILD else None,
            expected_return=report.expected_return,
            going_home_sick=report.kind == SickKind.GOING_HOME,
            reported_by=by.id,
            channel=channel,
            note=report.note,
            routed_to=route.recipient_id if route else None,
            routed_as=route.routed_as if route else None,
            acknowledged_at=self.now if knows else None,
            acknowledged_by=by.id if knows else None,
            source_key=source_key,
            created_at=self.now,
        )

    async def report_fit(
        self,
        employee: Employee,
        report: ReportFit,
        reported_by: Employee | None = None,
    ) -> list[Reply]:
        absence = await self.absences.open_sickness_for(employee.id, self.work.today)
        if absence is None:
            return [Text("fit_nothing_open")]
        by = reported_by or employee
        await self._close(absence, report, by)
        partial = None
        if report.until is not None:
            partial = await self._partial_after(absence, employee, report, by)
        if by.id != employee.id:
            await self.notifier.send(
                employee.id,
                Text("on_behalf_fit", {"name": by.name, "day": report.day}),
                keys.absence(absence.id, "fit"),
            )
            return [Text("on_behalf_done_fit", {"name": employee.name, "day": report.day})]
        route = await self.org.route(employee, self.work.today)
        amount = _amount(report.hours_off, report.percent_off)
        if route is not None:
            params = {"name": employee.name, "day": report.day}
            text = (
                Text("leader_fit_partial", {**params, "until": report.until, "amount": amount})
                if partial is not None
                else Text("leader_fit", params)
            )
            await self.notifier.send(route.recipient_id, text, keys.absence(absence.id, "fit"))
        if route is None:
            return [Text("sick_sent_nobody")]
        if partial is None:
            return [await self._told(route, "fit_sent")]
        told = await self._told(route, "fit_sent_partial")
        extra = {"day": report.day, "until": report.until, "amount": amount}
        return [Text(told.key, {**told.params, **extra})]

    async def _close(self, absence: Absence, report: ReportFit, by: Employee) -> None:
        absence.last_day = report.day - timedelta(days=1)
        absence.status = AbsenceStatus.CLOSED
        event = await self.absences.record(
            absence, self.now, "fit", by.id, day=report.day.isoformat()
        )
        if absence.routed_to is not None and await self.outbox.sent_activity(
            keys.leader_card(absence.id)
        ):
            await self.refresh_leader_card(absence, event.id)

    async def _partial_after(
        self, absence: Absence, employee: Employee, report: ReportFit, by: Employee
    ) -> Absence:
        """Back part-time: a partial period follows the sick one, known to the same leader."""
        partial = await self.absences.add(
            Absence(
                employee_id=employee.id,
                kind=AbsenceKind.PARTLY_SICK,
                status=AbsenceStatus.OPEN,
                first_day=report.day,
                last_day=report.until,
                partial_hours_off=report.hours_off,
                partial_percent_off=report.percent_off,
                reported_by=by.id,
                channel="chat" if by.id == employee.id else "on_behalf",
                routed_to=absence.routed_to,
                routed_as=absence.routed_as,
                acknowledged_at=self.now,
                acknowledged_by=by.id,
                source_key=keys.partial_after(absence.id),
                created_at=self.now,
            )
        )
        await self.absences.record(partial, self.now, "reported", by.id, channel="fit")
        return partial

    async def request_emergency_day(
        self, employee: Employee, request: RequestEmergencyDay, source_key: str
    ) -> list[Reply]:
        for existing in await self.absences.emergency_days_for(employee.id, request.day):
            if existing.first_day == request.day:
                return [Text("emergency_exists", {"day": request.day})]
        route = await self.org.route(employee, self.work.today)
        if route is None:
            return [Text("sick_sent_nobody")]
        absence = await self.absences.add(
            Absence(
                employee_id=employee.id,
                kind=AbsenceKind.EMERGENCY_DAY,
                status=AbsenceStatus.REQUESTED,
                first_day=request.day,
                last_day=request.day,
                paid_with=str(request.paid_with),
                reported_by=employee.id,
                channel="chat",
                routed_to=route.recipient_id,
                routed_as=route.routed_as,
                source_key=source_key,
                created_at=self.now,
            )
        )
        await self.absences.record(absence, self.now, "requested", employee.id)
        await self._send_leader_card(absence)
        told = await self._told(route, "emergency_sent")
        return [Text(told.key, {**told.params, "day": request.day})]

    async def status(self, employee: Employee) -> list[Reply]:
        replies: list[Reply] = []
        absence = await self.absences.open_sickness_for(employee.id, self.work.today)
        if absence is not None:
            calendar = self.work.calendar(employee)
            days = absence_working_days(
                absence.first_day, absence.last_day, self.work.today, calendar
            )
            key = "status_upcoming" if absence.first_day > self.work.today else "status_sick"
            replies.append(
                Text(key, {"kind": _kind_word(absence), "since": absence.first_day, "days": days})
            )
            if absence.kind == AbsenceKind.PARTLY_SICK and absence.last_day:
                replies.append(
                    Text(
                        "status_partial",
                        {
                            "until": absence.last_day,
                            "amount": _amount(
                                absence.partial_hours_off, absence.partial_percent_off
                            ),
                        },
                    )
                )
            elif absence.expected_return:
                replies.append(Text("status_sick_return", {"day": absence.expected_return}))
        for day in await self.absences.emergency_days_for(employee.id, self.work.today):
            state = TextKey(
                "status_requested" if day.status == AbsenceStatus.REQUESTED else "status_approved"
            )
            replies.append(Text("status_emergency", {"day": day.first_day, "state": state}))
        return replies or [Text("status_nothing")]

    async def _told(self, route: Route | None, key: str) -> Text:
        recipient = await self.people.get(route.recipient_id) if route else None
        name = recipient.name if recipient else ""
        role = f"role_{route.routed_as}" if route else "role_leader"
        return Text(key, {"recipient": name, "role": TextKey(role)})

    async def may_act(self, actor: Employee, absence: Absence) -> bool:
        """The person it was routed to or the employee's nearest leader; the deputy only while
        standing in (a deputy period, or the leader away today). Nobody acts on their own."""
        return await self.org.may_act_for(actor, absence.employee_id, absence.routed_to)

    async def _send_leader_card(self, absence: Absence) -> None:
        assert absence.routed_to is not None
        view = await self.view(absence, await self.notifier.language_for(absence.routed_to))
        await self.notifier.send(
            absence.routed_to,
            Card(CardName.LEADER_ABSENCE, {"view": view}),
            keys.leader_card(absence.id),
        )

    async def refresh_leader_card(self, absence: Absence, event_id: int) -> None:
        """Teams shows the card with what was done and when: the card is replaced in place."""
        assert absence.routed_to is not None
        view = await self.view(absence, await self.notifier.language_for(absence.routed_to))
        await self.notifier.send(
            absence.routed_to,
            Card(CardName.LEADER_ABSENCE, {"view": view}),
            keys.version(keys.leader_card(absence.id), event_id),
            replaces_key=keys.leader_card(absence.id),
        )

    async def view(self, absence: Absence, lang: str) -> AbsenceView:
        employee = await self.people.anyone(absence.employee_id)
        assert employee is not None
        leader = await self.people.get(employee.leader_id)
        reporter = (
            await self.people.anyone(absence.reported_by)
            if absence.reported_by != absence.employee_id
            else None
        )
        done: list[tuple[str, dict[str, object]]] = []
        for event in await self.absences.events(absence.id):
            key = DONE_KEYS.get(event.kind)
            if key is None:
                continue
            params: dict[str, object] = {"at": event.at.astimezone(self.settings.timezone)}
            params.update({k: v for k, v in event.detail.items() if k in ("answer", "name")})
            if "day" in event.detail:
                params["day"] = date.fromisoformat(event.detail["day"])
            done.append((key, params))
        return AbsenceView(
            id=absence.id,
            employee_name=employee.name,
            kind=str(absence.kind),
            going_home=absence.going_home_sick,
            first_day=absence.first_day,
            expected_return=absence.expected_return,
            note=absence.note,
            routed_as=absence.routed_as,
            usual_leader_name=leader.name if leader else None,
            on_behalf_name=reporter.name if reporter else None,
            work_injury=absence.work_injury,
            paid_with=absence.paid_with,
            status=str(absence.status),
            done=done,
        )


def _amount(hours: float | None, percent: int | None) -> Amount:
    return Amount(hours, percent)


def _kind_word(absence: Absence) -> TextKey:
    return TextKey(f"kind_{absence.kind}")
