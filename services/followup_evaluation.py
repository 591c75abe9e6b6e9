"""Which policy applies to whom, and what it finds due: evaluated into stored follow-ups.

The engine (rules.followups) is pure; this loads the history it reads and stores what it finds
(insert-ignore on the occurrence key, so evaluating again never doubles anything).
"""

from __future__ import annotations

from datetime import timedelta

from rules.calendar import WorkCalendar
from rules.followups import (
    LOOKBACK,
    YEAR_CONTEXT,
    EmployeeFacts,
    Finding,
    FollowUp,
    Period,
    due_followups,
    evaluate,
)
from rules.policy import Policy
from services.work import Work
from storage.followups import StaffMember
from storage.models import Employee

# As far back as any rule reads: its look-back plus the year before an occurrence.
HISTORY = LOOKBACK + timedelta(days=YEAR_CONTEXT)


class FollowUpEvaluation:
    def __init__(self, work: Work) -> None:
        self.work = work
        self.now = work.now
        self.people = work.store.people
        self.records = work.store.followups
        self.absence_history = work.store.absence_history
        self.policies = work.config.policies
        self.default_policy = work.config.default_policy
        self._unit_policy: dict[str, str] = {}
        self._calendars: dict[str, WorkCalendar] = {}

    async def policy_for(self, employee: Employee) -> Policy:
        return await self.policy_of_unit(employee.unit_id)

    async def policy_of_unit(self, own_unit: str) -> Policy:
        """The unit's own policy, else the nearest ancestor's, else the default."""
        if own_unit not in self._unit_policy:
            unit_id: str | None = own_unit
            chosen = None
            seen: set[str] = set()
            while unit_id is not None and chosen is None and unit_id not in seen:
                seen.add(unit_id)
                unit = await self.people.unit(unit_id)
                if unit is None:
                    break
                chosen, unit_id = unit.policy_id, unit.parent_id
            self._unit_policy[own_unit] = chosen or self.default_policy
        return self.policies.get(self._unit_policy[own_unit]) or self.policies[self.default_policy]

    async def history(self, employee_id: str) -> list[Period]:
        return await self.absence_history.periods_of(employee_id, self.work.today - HISTORY)

    async def due_for(self, employee: Employee) -> list[FollowUp]:
        return due_followups(
            await self.history(employee.id),
            _facts(employee),
            await self.policy_for(employee),
            self.work.today,
            self.work.calendar(employee),
        )

    async def evaluate_employee(self, employee: Employee) -> int:
        return await self.store(await self.due_for(employee))

    async def store(self, found: list[FollowUp], known: set[str] | None = None) -> int:
        """Keep what is new; an occurrence already stored (whatever its status) stays as it is."""
        if not found:
            return 0
        if known is None:
            known = await self.records.keys_of({f.employee_id for f in found})
        new = [f for f in found if f.key not in known]
        await self.records.store_found(new, self.now)
        return len(new)

    async def evaluate_all(self, chunk: int = 5000) -> tuple[int, int]:
        """The daily full evaluation, a range of employees at a time so memory stays flat;
        only follow-ups not stored before are written. Returns (follow-ups due, newly stored)."""
        known = await self.records.keys()
        staff = await self.absence_history.staff_to_evaluate()
        due = created = 0
        for start in range(0, len(staff), chunk):
            found, new = await self._evaluate_range(staff[start : start + chunk], known)
            due += found
            created += await self.store(new, known=known)
        return due, created

    async def _evaluate_range(
        self, part: list[StaffMember], known: set[str]
    ) -> tuple[int, list[FollowUp]]:
        """How many follow-ups are due for these employees (sorted by id), and the unknown ones."""
        histories = await self.absence_history.periods_between(
            part[0].id, part[-1].id, self.work.today - HISTORY
        )
        due = 0
        new: list[FollowUp] = []
        for person in part:
            history = histories.get(person.id)
            if not history:
                continue
            found = due_followups(
                history,
                EmployeeFacts(person.id, person.start_date, person.workdays),
                await self.policy_of_unit(person.unit_id),
                self.work.today,
                self._calendar_of(person.workdays),
            )
            due += len(found)
            new.extend(f for f in found if f.key not in known)
        return due, new

    def _calendar_of(self, workdays: str) -> WorkCalendar:
        # One calendar per working-week pattern, not one per employee.
        if workdays not in self._calendars:
            self._calendars[workdays] = WorkCalendar(workdays, self.work.config.timezone)
        return self._calendars[workdays]

    async def findings_for(self, employee: Employee) -> list[Finding]:
        """Every rule of the employee's policy, fired or not, and why (`followups explain`)."""
        return evaluate(
            await self.history(employee.id),
            _facts(employee),
            await self.policy_for(employee),
            self.work.today,
            self.work.calendar(employee),
        )

    async def listing(self, unit: str | None = None) -> list[tuple[Employee, FollowUp, str]]:
        """What is due as of today, with what was done about it (`followups list`)."""
        rows: list[tuple[Employee, FollowUp, str]] = []
        for employee in await self.absence_history.active_staff(unit):
            for followup in await self.due_for(employee):
                stored = await self.records.status_of(followup.key)
                rows.append((employee, followup, str(stored) if stored else "not stored"))
        return rows


def _facts(employee: Employee) -> EmployeeFacts:
    return EmployeeFacts(employee.id, employee.start_date, employee.workdays)
