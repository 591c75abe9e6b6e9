"""Tell the unit, not the phone: a unit's planner hears that someone is absent and until when.

Sygdom er en privat sag, fravær er en fælles sag: the planner is told the name, the first day
and the expected return — never the kind of absence, the note or who it was routed to. Who is
told: a sick report (fully sick, going home sick, child's first sick day), whoever registers it.
A partly sick period is not told (the person is at work, and "absent" would be untrue), nor an
akutdag while it is only asked for; an approved one is told (services/leader.py). Through the outbox
under a key per absence, in the planner's language; an `unit_told` event remembers it, so a
withdrawal can be told to the same person.
"""

from __future__ import annotations

import logging
from datetime import date

from dialogs.replies import Reply, Text
from services import keys
from services.work import Work
from storage.models import Absence, AbsenceKind, Employee

log = logging.getLogger("naervaer.unit_notice")

TOLD = "unit_told"
NOT_TOLD = (AbsenceKind.PARTLY_SICK,)


class UnitNotice:
    def __init__(self, work: Work) -> None:
        self.work = work
        self.people = work.store.people
        self.absences = work.store.absences
        self.notifier = work.notifier

    async def planner_for(self, employee: Employee) -> Employee | None:
        """The unit's planner who still works here, and is not the absent person themself."""
        unit = await self.people.unit(employee.unit_id)
        planner = await self.people.get(unit.planner_id) if unit and unit.planner_id else None
        return planner if planner is not None and planner.id != employee.id else None

    async def absent(self, absence: Absence, employee: Employee) -> list[Reply]:
        """Tell the planner; the line for the employee's receipt says whether the unit knows
        (and only then spares them the phone call to the department)."""
        planner = await self.planner_for(employee)
        today = self.work.today
        over = absence.last_day is not None and absence.last_day < today
        if planner is None or absence.kind in NOT_TOLD or over:
            return [Text("call_department")]
        await self.notifier.send(
            planner.id, await self._notice(absence, employee), keys.unit_notice(absence.id)
        )
        await self.absences.record(absence, self.work.now, TOLD, None, to=planner.id)
        log.info("unit told absence=%s planner=%s", absence.id, planner.id)
        return [Text("unit_told", {**await self._who(employee), "planner": planner.name})]

    async def changed(self, absence: Absence) -> bool:
        """A corrected first day or expected return: the planner who was told hears the new
        dates, once per pair of dates (the outbox drops a repeat). True when they were told."""
        planner, employee = await self._told_before(absence)
        if planner is None or employee is None:
            return False
        dates = f"{absence.first_day}:{absence.expected_return or absence.last_day or ''}"
        await self.notifier.send(
            planner.id,
            await self._notice(absence, employee),
            keys.unit_notice_changed(absence.id, dates),
        )
        return True

    async def withdrawn(self, absence: Absence) -> bool:
        """A withdrawn report: the planner who was told hears it is off. True when sent."""
        planner, employee = await self._told_before(absence)
        if planner is None or employee is None:
            return False
        await self.notifier.send(
            planner.id,
            Text("unit_withdrawn", {**await self._who(employee), "day": absence.first_day}),
            keys.unit_notice_withdrawn(absence.id),
        )
        return True

    async def _who(self, employee: Employee) -> dict[str, object]:
        """The absent person's name and unit, as every text here names them."""
        unit = await self.people.unit(employee.unit_id)
        return {"name": employee.name, "unit": unit.name if unit else employee.unit_id}

    async def _told_before(self, absence: Absence) -> tuple[Employee | None, Employee | None]:
        """The planner told about this absence (if still here), and the absent person."""
        told = [e for e in await self.absences.events(absence.id) if e.kind == TOLD]
        planner_id = told[-1].detail.get("to") if told else None
        planner = await self.people.get(planner_id) if planner_id else None
        return planner, await self.people.anyone(absence.employee_id)

    async def _notice(self, absence: Absence, employee: Employee) -> Text:
        today = self.work.today
        starts = "today" if absence.first_day <= today else "from"
        back = self.expected_back(absence, employee)
        params = {**await self._who(employee), "day": absence.first_day}
        if back is None:
            return Text(f"unit_absent_{starts}_unknown", params)
        return Text(f"unit_absent_{starts}_back", {**params, "back": back})

    def expected_back(self, absence: Absence, employee: Employee) -> date | None:
        """The expected return the employee gave, else the working day after a period that
        has its last day (a child's first sick day); None when nobody knows yet."""
        if absence.expected_return is not None:
            return absence.expected_return
        if absence.last_day is not None:
            return self.work.calendar(employee).next_working_day(absence.last_day)
        return None
