"""The absence desk: records what dialogs decided, routes reports and tells the right people.

Runs inside the turn's (or job's) transaction. Everything for someone other than the person
in the turn goes through the outbox, rendered in the recipient's language.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import cards
from bot.render import activity_json
from bot.texts import language_of, t
from dialogs.emergency import RequestEmergencyDay
from dialogs.fit import ReportFit
from dialogs.replies import Amount, Card, Reply, Text, TextKey
from dialogs.sick import ReportSick, SickKind
from rules.calendar import WorkCalendar, absence_working_days
from rules.recipients import Person, Route, RoutedAs, deputy_period_covers, route_report
from rules.retention import Retention
from storage.absences import AbsenceRepository, PeopleRepository
from storage.models import Absence, AbsenceKind, AbsenceStatus, Employee, Role
from storage.repositories import OutboxRepository, TeamsUserRepository

log = logging.getLogger("naervaer.desk")

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


@dataclass(frozen=True)
class DeskSettings:
    timezone: ZoneInfo
    default_locale: str
    acknowledge_within_hours: float = 4.0
    # When leaders get the day's follow-ups (local time).
    morning: time = time(8, 0)
    # Daily check-in: the prompt (unless the unit or person has its own), the leader's digest,
    # and the team day colour message.
    checkin_time: time = time(14, 30)
    checkin_digest_time: time = time(15, 30)
    team_day_time: time = time(7, 30)
    retention: Retention = field(default_factory=Retention)


class AbsenceDesk:
    def __init__(self, session: AsyncSession, now: datetime, settings: DeskSettings) -> None:
        self.session = session
        self.now = now
        self.settings = settings
        self.absences = AbsenceRepository(session)
        self.people = PeopleRepository(session)
        self.outbox = OutboxRepository(session)
        self.enqueued = 0

    def calendar(self, employee: Employee | None) -> WorkCalendar:
        """A person's working days (Monday to Friday when unknown) with Danish holidays."""
        return WorkCalendar(employee.workdays if employee else "12345", self.settings.timezone)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.settings.timezone).date()

    # --- the employee reports -------------------------------------------------------------

    async def report_sick(
        self,
        employee: Employee,
        report: ReportSick,
        source_key: str,
        reported_by: Employee | None = None,
        channel: str = "chat",
    ) -> list[Reply]:
        open_now = await self.absences.open_sickness_for(employee.id, report.first_day)
        if open_now is not None:
            if open_now.kind != AbsenceKind.PARTLY_SICK or report.first_day <= open_now.first_day:
                return [Text("already_sick", {"since": open_now.first_day}), Card("offer_fit")]
            # Partly back and now fully ill: the partial period ends the day before.
            open_now.last_day = report.first_day - timedelta(days=1)
            open_now.status = AbsenceStatus.CLOSED
            await self.absences.record(open_now, self.now, "ended_by_new_report", employee.id)
        if await self.absences.by_source(source_key) is not None:
            return [Text("sick_overlaps", {"first_day": report.first_day})]
        by = reported_by or employee
        # The employee's own leader (or deputy) on the phone has the report already; anyone else
        # registering it (HR) still lets the nearest leader know.
        knows = by.id != employee.id and await self.may_act_for(by, employee.id, None)
        route = Route(by.id, RoutedAs.LEADER) if knows else await self.route(employee, self.today)
        absence = await self.absences.add(
            Absence(
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
            await self._send(
                employee.id,
                Text("on_behalf_sick", {"name": by.name, "first_day": report.first_day}),
                f"absence:{absence.id}:on-behalf",
            )
            return [
                Text("on_behalf_done_sick", {"name": employee.name, "first_day": report.first_day})
            ]
        if route is None:
            log.warning("sick report with nobody to route to employee=%s", employee.id)
            return [Text("sick_sent_nobody")]
        return [await self._told(route, "sick_sent"), Text("call_department")]

    async def report_fit(
        self,
        employee: Employee,
        report: ReportFit,
        reported_by: Employee | None = None,
    ) -> list[Reply]:
        absence = await self.absences.open_sickness_for(employee.id, self.today)
        if absence is None:
            return [Text("fit_nothing_open")]
        by = reported_by or employee
        absence.last_day = report.day - timedelta(days=1)
        absence.status = AbsenceStatus.CLOSED
        event = await self.absences.record(
            absence, self.now, "fit", by.id, day=report.day.isoformat()
        )
        if absence.routed_to is not None and await self.outbox.sent_activity(
            leader_card_key(absence.id)
        ):
            await self.refresh_leader_card(absence, event.id)
        partial = None
        if report.until is not None:
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
                    source_key=f"partial:{absence.id}",
                    created_at=self.now,
                )
            )
            await self.absences.record(partial, self.now, "reported", by.id, channel="fit")
        if by.id != employee.id:
            await self._send(
                employee.id,
                Text("on_behalf_fit", {"name": by.name, "day": report.day}),
                f"absence:{absence.id}:fit",
            )
            return [Text("on_behalf_done_fit", {"name": employee.name, "day": report.day})]
        route = await self.route(employee, self.today)
        if route is not None:
            amount = _amount(report.hours_off, report.percent_off)
            text = (
                Text(
                    "leader_fit_partial",
                    {
                        "name": employee.name,
                        "day": report.day,
                        "until": report.until,
                        "amount": amount,
                    },
                )
                if partial is not None
                else Text("leader_fit", {"name": employee.name, "day": report.day})
            )
            await self._send(route.recipient_id, text, f"absence:{absence.id}:fit")
        if partial is not None:
            told = (
                await self._told(route, "fit_sent_partial") if route else Text("sick_sent_nobody")
            )
            params = {
                **told.params,
                "day": report.day,
                "until": report.until,
                "amount": _amount(report.hours_off, report.percent_off),
            }
            return [Text(told.key, params)]
        return [await self._told(route, "fit_sent") if route else Text("sick_sent_nobody")]

    async def request_emergency_day(
        self, employee: Employee, request: RequestEmergencyDay, source_key: str
    ) -> list[Reply]:
        for existing in await self.absences.emergency_days_for(employee.id, request.day):
            if existing.first_day == request.day:
                return [Text("emergency_exists", {"day": request.day})]
        route = await self.route(employee, self.today)
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
        absence = await self.absences.open_sickness_for(employee.id, self.today)
        if absence is not None:
            calendar = self.calendar(employee)
            days = absence_working_days(absence.first_day, absence.last_day, self.today, calendar)
            key = "status_upcoming" if absence.first_day > self.today else "status_sick"
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
        for day in await self.absences.emergency_days_for(employee.id, self.today):
            state = TextKey(
                "status_requested" if day.status == AbsenceStatus.REQUESTED else "status_approved"
            )
            replies.append(Text("status_emergency", {"day": day.first_day, "state": state}))
        return replies or [Text("status_nothing")]

    # --- routing ----------------------------------------------------------------------------

    async def route(self, employee: Employee, on: date) -> Route | None:
        unit = await self.people.unit(employee.unit_id)
        fallback = unit.fallback_contact_id if unit else None
        hr = [p.id for p in await self.people.hr()]

        async def person(employee_id: str | None) -> Person | None:
            found = await self.people.get(employee_id)
            return _person(found) if found else None

        return await route_report(
            _person(employee), on, person, self.absences.is_away, fallback, hr
        )

    async def _told(self, route: Route | None, key: str) -> Text:
        recipient = await self.people.get(route.recipient_id) if route else None
        name = recipient.name if recipient else ""
        role = f"role_{route.routed_as}" if route else "role_leader"
        return Text(key, {"recipient": name, "role": TextKey(role)})

    # --- who may act ----------------------------------------------------------------------

    async def may_act(self, actor: Employee, absence: Absence) -> bool:
        """The person it was routed to or the employee's nearest leader; the deputy only while
        standing in (a deputy period, or the leader away today). Nobody acts on their own."""
        return await self.may_act_for(actor, absence.employee_id, absence.routed_to)

    async def may_act_for(self, actor: Employee, employee_id: str, routed_to: str | None) -> bool:
        if actor.id == employee_id:
            return False
        if actor.id == routed_to:
            return True
        employee = await self.people.get(employee_id)
        leader = await self.people.get(employee.leader_id) if employee else None
        if leader is None:
            return False
        if actor.id == leader.id:
            return True
        return actor.id == leader.deputy_id and await self.stands_in(leader)

    async def stands_in(self, leader: Employee) -> bool:
        return deputy_period_covers(_person(leader), self.today) or await self.absences.is_away(
            leader.id, self.today
        )

    async def above(self, employee: Employee, routed_to: str | None) -> Employee | None:
        """Who hears of something left undone: up the employee's own line, past the person it
        was routed to; HR when the line ends."""
        leader = await self.people.get(employee.leader_id)
        candidate = await self.people.get(leader.leader_id) if leader else None
        if candidate is None or candidate.id in (routed_to, employee.id):
            candidate = next(
                (p for p in await self.people.hr() if p.id not in (routed_to, employee.id)), None
            )
        return candidate

    # --- sending ----------------------------------------------------------------------------

    async def language_for(self, employee_id: str) -> str:
        person = await self.people.get(employee_id)
        locale = person.locale if person else None
        if locale is None:
            address = await TeamsUserRepository(self.session).address_of(employee_id)
            locale = address.locale if address else None
        return language_of(locale, self.settings.default_locale)

    async def _send(
        self, recipient_id: str, reply: Reply, key: str, replaces_key: str | None = None
    ) -> None:
        lang = await self.language_for(recipient_id)
        if await self.outbox.enqueue(
            key, recipient_id, activity_json(reply, lang), self.now, replaces_key=replaces_key
        ):
            self.enqueued += 1

    async def _send_leader_card(self, absence: Absence) -> None:
        assert absence.routed_to is not None
        view = await self.view(absence, await self.language_for(absence.routed_to))
        await self._send(
            absence.routed_to, Card("leader_absence", {"view": view}), leader_card_key(absence.id)
        )

    async def refresh_leader_card(self, absence: Absence, event_id: int) -> None:
        """Teams shows the card with what was done and when: the card is replaced in place."""
        assert absence.routed_to is not None
        view = await self.view(absence, await self.language_for(absence.routed_to))
        await self._send(
            absence.routed_to,
            Card("leader_absence", {"view": view}),
            f"{leader_card_key(absence.id)}:v{event_id}",
            replaces_key=leader_card_key(absence.id),
        )

    async def view(self, absence: Absence, lang: str) -> cards.AbsenceView:
        employee = await self.session.get(Employee, absence.employee_id)
        assert employee is not None
        leader = await self.people.get(employee.leader_id)
        reporter = (
            await self.session.get(Employee, absence.reported_by)
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
        return cards.AbsenceView(
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


def leader_card_key(absence_id: int) -> str:
    return f"absence:{absence_id}:leader-card"


def _person(employee: Employee) -> Person:
    return Person(
        employee.id,
        employee.name,
        employee.leader_id,
        employee.deputy_id,
        employee.deputy_from,
        employee.deputy_to,
    )


def _amount(hours: float | None, percent: int | None) -> Amount:
    return Amount(hours, percent)


def _kind_word(absence: Absence) -> TextKey:
    return TextKey(f"kind_{absence.kind}")


class LeaderDesk(AbsenceDesk):
    """What the leader (or deputy, or HR) does with a report, re-checked on every click."""

    async def act(
        self, actor: Employee, absence_id: int, action: str, message: str | None, turn_key: str
    ) -> list[Reply]:
        absence = await self.absences.get(absence_id)
        if absence is None or not await self.may_act(actor, absence):
            log.warning("refused action=%s absence=%s actor=%s", action, absence_id, actor.id)
            return [Text("not_allowed")]
        employee = await self.session.get(Employee, absence.employee_id)
        assert employee is not None
        is_emergency = absence.kind == AbsenceKind.EMERGENCY_DAY
        if is_emergency != (action in ("approve", "decline")):
            return [Text("not_allowed")]
        done = {event.kind for event in await self.absences.events(absence.id)}
        if (
            action in done
            or (action == "work_injury" and absence.work_injury)
            or (is_emergency and absence.status != AbsenceStatus.REQUESTED)
        ):
            return [Text("already_done")]
        if absence.acknowledged_at is None:
            absence.acknowledged_at = self.now
            absence.acknowledged_by = actor.id
        key = f"absence:{absence.id}:{action}"
        match action:
            case "get_well":
                text = (message or "").strip() or None
                await self._send(
                    employee.id,
                    Text(
                        "from_leader",
                        {"name": actor.name, "message": text or TextKey("get_well_default")},
                    ),
                    key,
                )
            case "call_today":
                await self._send(employee.id, Text("leader_calls_today", {"name": actor.name}), key)
            case "other_tasks":
                await self._send(
                    employee.id,
                    Card("other_tasks", {"absence_id": absence.id, "leader": actor.name}),
                    key,
                )
            case "mark_partial":
                absence.kind = AbsenceKind.PARTLY_SICK
                await self._send(employee.id, Text("marked_partial", {"name": actor.name}), key)
            case "work_injury":
                absence.work_injury = True
            case "approve":
                absence.status = AbsenceStatus.OPEN
                await self._send(
                    employee.id,
                    Text("emergency_approved", {"name": actor.name, "day": absence.first_day}),
                    key,
                )
            case "decline":
                absence.status = AbsenceStatus.DECLINED
                await self._send(
                    employee.id,
                    Text("emergency_declined", {"name": actor.name, "day": absence.first_day}),
                    key,
                )
        event = await self.absences.record(absence, self.now, action, actor.id, turn=turn_key)
        await self.refresh_leader_card(absence, event.id)
        return [Text("action_done", {"name": employee.name})]

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
        lang = await self.language_for(asked.actor_id)
        shown = " — ".join(x for x in (_render_key(lang, words), note) if x)
        event = await self.absences.record(
            absence, self.now, "other_tasks_answer", employee.id, answer=shown
        )
        await self._send(
            asked.actor_id,
            Text("other_tasks_answer_to_leader", {"name": employee.name, "answer": shown}),
            f"absence:{absence.id}:other-tasks-answer",
        )
        await self.refresh_leader_card(absence, event.id)
        return [Text("answer_sent", {"name": leader.name if leader else ""})]

    async def on_behalf_choices(self, leader: Employee, what: str) -> list[Reply]:
        if leader.role not in (Role.LEADER, Role.HR, Role.ADMIN):
            return [Text("leaders_only")]
        staff = await self.people.staff_of(leader.id)
        if what == "fit":
            staff = [p for p in staff if await self.absences.open_sickness_for(p.id, self.today)]
            if not staff:
                return [Text("on_behalf_no_sick_staff")]
        if not staff:
            return [Text("on_behalf_no_staff")]
        return [Card("on_behalf", {"what": what, "staff": [(p.id, p.name) for p in staff]})]

    async def on_behalf(
        self, leader: Employee, what: str, employee_id: str, turn_key: str
    ) -> list[Reply]:
        employee = await self.people.get(employee_id)
        if employee is None or not (employee.leader_id == leader.id or leader.role == Role.HR):
            return [Text("on_behalf_not_yours")]
        if what == "sick":
            open_now = await self.absences.open_sickness_for(employee.id, self.today)
            if open_now is not None:
                return [
                    Text(
                        "on_behalf_already_sick",
                        {"name": employee.name, "since": open_now.first_day},
                    )
                ]
            report = ReportSick(SickKind.FULL, self.today, None, None)
            return await self.report_sick(
                employee, report, f"on-behalf:{turn_key}", reported_by=leader, channel="on_behalf"
            )
        absence = await self.absences.open_sickness_for(employee.id, self.today)
        # Fit from the day after the first sick day at the earliest: a period is never empty.
        day = max(self.today, absence.first_day + timedelta(days=1)) if absence else self.today
        return await self.report_fit(employee, ReportFit(day), reported_by=leader)

    async def nudge_unacknowledged(self) -> int:
        """Remind the recipient after N working hours, tell their leader after 2N."""
        sent = 0
        hours = self.settings.acknowledge_within_hours
        for absence in await self.absences.unacknowledged():
            assert absence.routed_to is not None
            calendar = self.calendar(await self.session.get(Employee, absence.routed_to))
            reported = absence.created_at
            remind_at = (
                calendar.next_working_morning(reported)
                if not calendar.is_working_time(reported)
                else calendar.add_working_hours(reported, hours)
            )
            escalate_at = calendar.add_working_hours(reported, 2 * hours)
            done = {e.kind for e in await self.absences.events(absence.id)}
            employee = await self.session.get(Employee, absence.employee_id)
            assert employee is not None
            at = reported.astimezone(self.settings.timezone)
            is_emergency = absence.kind == AbsenceKind.EMERGENCY_DAY
            if self.now >= remind_at and "reminded" not in done:
                await self._send(
                    absence.routed_to,
                    Text(
                        "reminder_emergency" if is_emergency else "reminder_unacknowledged",
                        {"name": employee.name, "at": at, "day": absence.first_day},
                    ),
                    f"absence:{absence.id}:reminder",
                )
                event = await self.absences.record(absence, self.now, "reminded", None)
                await self.refresh_leader_card(absence, event.id)
                sent += 1
            # An akutdag is a request, not a report to follow up: a reminder is enough.
            if self.now >= escalate_at and "escalated" not in done and not is_emergency:
                recipient = await self.people.get(absence.routed_to)
                above = await self.above(employee, absence.routed_to)
                if above is not None and above.id != absence.routed_to:
                    await self._send(
                        above.id,
                        Text(
                            "escalation_unacknowledged",
                            {
                                "name": employee.name,
                                "at": at,
                                "hours": round(2 * hours),
                                "leader": recipient.name if recipient else "",
                            },
                        ),
                        f"absence:{absence.id}:escalation",
                    )
                    event = await self.absences.record(
                        absence, self.now, "escalated", None, name=above.name
                    )
                    await self.refresh_leader_card(absence, event.id)
                    sent += 1
        return sent


def _render_key(lang: str, key: TextKey | None) -> str:
    return t(lang, key) if key else ""
