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
from rules.ledger import Decision, Meet, NewPeriod, Period
from rules.recipients import Route, RoutedAs
from services import keys
from services.absence_views import absence_view, status_of
from services.corrections import Corrections
from services.ledger import Ledger
from services.receipts import Receipts
from services.unit_notice import UnitNotice
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
# A report's own reporter folding into it is a refusal; these are a second report joining it.
FOLDED = (Meet.MERGE, Meet.EXTEND, Meet.CONVERT)


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
        self.ledger = Ledger(work)
        self.corrections = Corrections(work, self)
        self.receipts = Receipts(work)

    # --- the employee reports -------------------------------------------------------------

    async def report_sick(
        self,
        employee: Employee,
        report: ReportSick,
        source_key: str,
        reported_by: Employee | None = None,
        channel: str = "chat",
    ) -> list[Reply]:
        if await self.absences.by_source(source_key) is not None:
            return [Text("sick_overlaps", {"first_day": report.first_day})]
        by = reported_by or employee
        new = NewPeriod(KIND_OF[report.kind], report.first_day, _last_day(report), by.id)
        decision = await self.ledger.decide(employee.id, new)
        if decision.refused:
            return await self.ledger.refusal(decision, new)
        for taken in decision.withdraw:
            await self._take_over(taken, by)
        if decision.meet in FOLDED:
            return await self._folded(employee, report, decision, new, by)
        if decision.meet == Meet.END_EARLIER:
            await self.ledger.end_earlier(decision, new, by)
            await self.receipts.refresh(await self.ledger.stored(decision))
        return await self._new_sick_period(employee, report, by, source_key, channel)

    async def _new_sick_period(
        self, employee: Employee, report: ReportSick, by: Employee, source_key: str, channel: str
    ) -> list[Reply]:
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
        # The unit's planner: who is absent and until when, never why (services/unit_notice.py).
        unit_told = await UnitNotice(self.work).absent(absence, employee)
        if by.id != employee.id:
            params = {"name": by.name, "first_day": report.first_day}
            await self.notifier.send(
                employee.id, Text("on_behalf_sick", params), keys.absence(absence.id, "on-behalf")
            )
            return [Text("on_behalf_done_sick", {**params, "name": employee.name})]
        # The receipt, to withdraw or correct the report: through the outbox, so that a later
        # change of the period replaces it in place (services/receipts.py).
        await self.receipts.send(absence)
        if route is None:
            log.warning("sick report with nobody to route to employee=%s", employee.id)
            return [Text("sick_sent_nobody")]
        return [await self._told(route, _sent_key(absence)), *unit_told]

    async def _folded(
        self,
        employee: Employee,
        report: ReportSick,
        decision: Decision,
        new: NewPeriod,
        by: Employee,
    ) -> list[Reply]:
        """The report joins the period already there; its leader is told once, on one card."""
        assert decision.period is not None
        absence = await self.ledger.fold(decision, new, by, report.note, report.expected_return)
        absence.going_home_sick = absence.going_home_sick or report.kind == SickKind.GOING_HOME
        await self.tell_leader(absence)
        # Theirs to withdraw or correct; a period the leader registered stays the leader's.
        if absence.reported_by == employee.id:
            await self.receipts.send(absence)
        first = await self.people.anyone(decision.period.reported_by)
        params = {
            "since": absence.first_day,
            "old": decision.period.first_day,
            "name": first.name if first else "",
            "kind": _kind_word(absence),
        }
        if by.id != employee.id:
            return [Text("ledger_on_behalf_folded", {**params, "name": employee.name})]
        if absence.routed_to is None:
            return [Text(f"ledger_{decision.meet}_nobody", params)]
        route = Route(absence.routed_to, RoutedAs(absence.routed_as or "leader"))
        told = await self._told(route, f"ledger_{decision.meet}")
        return [Text(told.key, {**told.params, **params})]

    async def _take_over(self, taken: Period, by: Employee) -> None:
        """A planned akutdag inside a new sickness: withdrawn, its leader's card says so."""
        absence = await self.absences.get(taken.id)
        assert absence is not None
        await self.ledger.withdraw(absence, by, "sick")
        await self.tell_leader(absence)

    async def tell_leader(self, absence: Absence) -> None:
        """The leader's card for this period: refreshed in place if they have it, else sent."""
        if absence.routed_to is None:
            return
        events = await self.absences.events(absence.id)
        if any(e.kind in ("routed", "requested") for e in events):
            await self.refresh_leader_card(absence, events[-1].id)
            return
        # Registered by the leader themselves: no card yet, so this is the first (and a later
        # change replaces it).
        await self.absences.record(absence, self.now, "routed", None, to=absence.routed_to)
        await self._send_leader_card(absence)

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
            last_day=_last_day(report),
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
        refused = await self._partial_refused(absence, report, by)
        if refused:
            return refused
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

    async def _partial_refused(
        self, absence: Absence, report: ReportFit, by: Employee
    ) -> list[Reply]:
        """Back partly: the partial period must fit the ledger beside the one it follows."""
        if report.until is None:
            return []
        new = NewPeriod(AbsenceKind.PARTLY_SICK, report.day, report.until, by.id)
        decision = await self.ledger.decide(absence.employee_id, new, exclude=absence.id)
        if decision.refused:
            return await self.ledger.refusal(decision, new)
        for taken in decision.withdraw:
            await self._take_over(taken, by)
        return []

    async def _close(self, absence: Absence, report: ReportFit, by: Employee) -> None:
        absence.last_day = report.day - timedelta(days=1)
        absence.status = AbsenceStatus.CLOSED
        # A partial raskmelding: the leader's card says the partial period that follows.
        partly: dict[str, object] = {"hours": report.hours_off, "percent": report.percent_off}
        partly = {**partly, "until": report.until.isoformat()} if report.until else {}
        event = await self.absences.record(
            absence, self.now, "fit", by.id, day=report.day.isoformat(), **partly
        )
        if absence.routed_to is not None and await self.outbox.sent_activity(
            keys.leader_card(absence.id)
        ):
            await self.refresh_leader_card(absence, event.id)
        await self.receipts.refresh(absence)

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
        new = NewPeriod(AbsenceKind.EMERGENCY_DAY, request.day, request.day, employee.id)
        decision = await self.ledger.decide(employee.id, new)
        if decision.refused:
            return await self.ledger.refusal(decision, new)
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

    async def free_for_emergency(
        self, employee: Employee, days: list[date]
    ) -> tuple[list[date], list[Reply]]:
        """The days an akutdag may still be asked for, and if none, why (what is registered)."""
        free: list[date] = []
        refusal: list[Reply] = []
        for day in days:
            new = NewPeriod(AbsenceKind.EMERGENCY_DAY, day, day, employee.id)
            decision = await self.ledger.decide(employee.id, new)
            if not decision.refused:
                free.append(day)
            elif not refusal:
                refusal = await self.ledger.refusal(decision, new)
        return free, refusal

    async def status(self, employee: Employee) -> list[Reply]:
        return await status_of(self.work, employee)

    async def view(self, absence: Absence, lang: str) -> AbsenceView:
        return await absence_view(self.work, absence, lang)

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


def _amount(hours: float | None, percent: int | None) -> Amount:
    return Amount(hours, percent)


def _last_day(report: ReportSick) -> date | None:
    """A child's first sick day is one day; other reports are open until a raskmelding."""
    return report.first_day if report.kind == SickKind.CHILD else None


def _sent_key(absence: Absence) -> str:
    # A child's sick day wishes the employee nothing: it is the child who is ill.
    return "ledger_child_sent" if absence.kind == AbsenceKind.CHILD_SICK else "sick_sent"


def _kind_word(absence: Absence) -> TextKey:
    return TextKey(f"kind_{absence.kind}")
