"""The employee corrects their own report from its receipt: withdraw it, move its first day,
change the expected return. Re-checked on every press: whose it is, and whether it still may.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

from dialogs.replies import Reply, Text, TextKey
from rules.absence_kinds import AbsenceKind, AbsenceStatus
from rules.ledger import Decision, Meet, NewPeriod, may_withdraw
from services import keys
from services.ledger import first_day_range, receipt_card, return_range
from services.unit_notice import UnitNotice
from services.work import Work
from storage.models import Absence, Employee

if TYPE_CHECKING:
    from services.absences import Absences

log = logging.getLogger("naervaer.corrections")


class Corrections:
    def __init__(self, work: Work, absences: Absences) -> None:
        self.work = work
        self.store = work.store
        self.reports = absences

    async def change(
        self, employee: Employee, absence_id: int, change: str, day: date | None
    ) -> list[Reply]:
        absence = await self.store.absences.get(absence_id)
        if (
            absence is None
            or absence.employee_id != employee.id
            or absence.kind == AbsenceKind.EMERGENCY_DAY
        ):
            log.warning("refused change=%s absence=%s by=%s", change, absence_id, employee.id)
            return [Text("ledger_not_yours")]
        if absence.status == AbsenceStatus.WITHDRAWN:
            return [Text("ledger_already_withdrawn", {"first_day": absence.first_day})]
        if absence.reported_by != employee.id:
            # Registered by the leader (or HR): theirs to change, not the receipt's.
            return [await self._ask(absence, "ledger_ask_reporter")]
        if absence.status != AbsenceStatus.OPEN:
            # Ended by a raskmelding (or a later report): that, not a deadline, is the reason.
            return [await self._ask(absence, "ledger_closed_ask")]
        if change == "withdraw":
            return await self._withdraw(employee, absence)
        if change == "first_day":
            return await self._first_day(employee, absence, day)
        return await self._expected_return(employee, absence, day)

    async def _withdraw(self, employee: Employee, absence: Absence) -> list[Reply]:
        created = absence.created_at.astimezone(self.work.config.timezone).date()
        open_ = absence.status == AbsenceStatus.OPEN
        if not (open_ and may_withdraw(created, absence.first_day, self.work.today)):
            return [await self._ask(absence, "ledger_withdraw_too_late")]
        await self.reports.ledger.withdraw(absence, employee, "employee")
        await self.reports.receipts.refresh(absence)
        await self._tell_leader(absence, employee, "ledger_leader_withdrawn")
        await UnitNotice(self.work).withdrawn(absence)
        return [await self._told(absence, "ledger_withdrawn")]

    async def _first_day(
        self, employee: Employee, absence: Absence, day: date | None
    ) -> list[Reply]:
        earliest, latest = first_day_range(absence, self.work.today)
        if day is None or not earliest <= day <= latest:
            return [
                Text("ledger_pick_first_day", {"earliest": earliest, "latest": latest}),
                receipt_card(absence, self.work.today),
            ]
        if day == absence.first_day:
            return [Text("ledger_unchanged", {"day": day})]
        new = NewPeriod(absence.kind, day, absence.last_day, employee.id)
        decision = await self.reports.ledger.decide(employee.id, new, exclude=absence.id)
        met = decision.period or (decision.withdraw[0] if decision.withdraw else None)
        if met is not None:
            # A moved first day never merges or shortens another period: it is refused.
            return await self.reports.ledger.refusal(Decision(Meet.REFUSE, met), new)
        absence.first_day = day
        await self._changed(absence, employee, "first_day", day)
        return [await self._told(absence, "ledger_first_day_changed")]

    async def _expected_return(
        self, employee: Employee, absence: Absence, day: date | None
    ) -> list[Reply]:
        earliest, latest = return_range(absence, self.work.today)
        if day is None or not earliest <= day <= latest:
            return [
                Text("ledger_pick_return", {"earliest": earliest, "latest": latest}),
                receipt_card(absence, self.work.today),
            ]
        absence.expected_return = day
        await self._changed(absence, employee, "expected_return", day)
        return [await self._told(absence, "ledger_return_changed")]

    async def _changed(self, absence: Absence, by: Employee, what: str, day: date) -> None:
        await self.store.absences.record(
            absence, self.work.now, what, by.id, day=day.isoformat(), name=by.name
        )
        await self.store.absences.save()
        await self.reports.receipts.refresh(absence)
        key = {"first_day": "ledger_leader_first_day", "expected_return": "ledger_leader_return"}
        await self._tell_leader(absence, by, key[what], day=day)
        await UnitNotice(self.work).changed(absence)

    async def _tell_leader(
        self, absence: Absence, employee: Employee, key: str, **params: object
    ) -> None:
        """The leader's card shows the change; one short message says it, once per change."""
        if absence.routed_to is None:
            return
        await self.reports.tell_leader(absence)
        events = await self.store.absences.events(absence.id)
        await self.work.notifier.send(
            absence.routed_to,
            Text(key, {"name": employee.name, "first_day": absence.first_day, **params}),
            keys.absence(absence.id, f"{events[-1].kind}:{events[-1].id}"),
        )

    async def _told(self, absence: Absence, key: str) -> Text:
        """What the employee is told: exactly who was told of the change."""
        params = {"first_day": absence.first_day, "day": absence.expected_return}
        recipient = await self.store.people.get(absence.routed_to) if absence.routed_to else None
        if recipient is None:
            return Text(f"{key}_nobody", params)
        role = TextKey(f"role_{absence.routed_as or 'leader'}")
        return Text(key, {**params, "recipient": recipient.name, "role": role})

    async def _ask(self, absence: Absence, key: str) -> Text:
        """Who to contact instead: the person the report went to, else the nearest leader."""
        contact = absence.routed_to
        if contact is None:
            me = await self.store.people.anyone(absence.employee_id)
            contact = me.leader_id if me else None
        person = await self.store.people.anyone(contact) if contact else None
        reporter = await self.store.people.anyone(absence.reported_by)
        return Text(
            key,
            {
                "first_day": absence.first_day,
                "contact": person.name if person else TextKey("ledger_your_leader"),
                "name": reporter.name if reporter else "",
            },
        )
