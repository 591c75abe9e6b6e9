"""Which policy applies to whom, and what it finds due: evaluated into stored follow-ups.

The engine (rules.followups) is pure; this loads the history it reads and stores what it finds
(insert-ignore on the occurrence key, so evaluating again never doubles anything). The daily
run looks only at the people whose result can change that day (services.followup_daily).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, timedelta

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
from services.followup_daily import fingerprint, next_look
from services.work import Work
from storage.followup_watch import Wake
from storage.followups import StaffMember
from storage.models import Employee

log = logging.getLogger("naervaer.followups")

# As far back as any rule reads: its look-back plus the year before an occurrence.
HISTORY = LOOKBACK + timedelta(days=YEAR_CONTEXT)


class FollowUpEvaluation:
    def __init__(self, work: Work) -> None:
        self.work = work
        self.now = work.now
        self.people = work.store.people
        self.records = work.store.followups
        self.watch = work.store.followups.watch
        self.absence_history = work.store.absence_history
        self.policies = work.config.policies
        self.default_policy = work.config.default_policy
        self._unit_policy: dict[str, str] = {}
        self._calendars: dict[str, WorkCalendar] = {}
        self._fingerprint = ""

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
        """The full evaluation (the first run, and after a policy, unit or engine change): every
        active employee, a range at a time so memory stays flat; only follow-ups not stored
        before are written, and each person's next day to look is kept for the daily run.
        Returns (follow-ups due, newly stored)."""
        marks = await self.watch.all_marks()  # read first: a mark made meanwhile stays
        known = await self.records.keys()
        staff = await self.absence_history.staff_to_evaluate()
        await self._load_unit_policies()
        due = created = 0
        for start in range(0, len(staff), chunk):
            part = staff[start : start + chunk]
            histories = await self.absence_history.periods_between(
                part[0].id, part[-1].id, self.work.today - HISTORY
            )
            found, new, wakes = self._evaluate(part, histories, marks, {})
            due += found
            created += await self.store(new, known=known)
            await self.watch.set_wakes(wakes)
        active = {person.id for person in staff}
        await self.watch.forget((who, n) for who, n in marks.items() if who not in active)
        await self.watch.save_run(self.work.today, self._fingerprint)
        return due, created

    async def daily(self) -> tuple[int, int]:
        """The daily run: only the people whose follow-ups can change today (the conditions
        in services.followup_daily), storing only what became due. Everyone when the
        policies, units or engine changed, or on the first run. Returns (due, newly stored)."""
        await self._load_unit_policies()
        last = await self.watch.last_run()
        if last is None or last.fingerprint != self._fingerprint:
            log.info("follow-ups: full evaluation (%s)", "first run" if last is None else "changed")
            return await self.evaluate_all()
        watched = {w.employee_id: w for w in await self.watch.due(self.work.today)}
        staff = await self.absence_history.staff_among(list(watched))
        histories = await self.absence_history.periods_of_many(
            [person.id for person in staff], self.work.today - HISTORY
        )
        # Not marked: what was due before the day to look was stored when that day was set.
        since = {w.employee_id: w.wake_on for w in watched.values() if not w.marked}
        marks = {who: w.marks for who, w in watched.items()}
        due, new, wakes = self._evaluate(staff, histories, marks, since)
        known = await self.records.keys_of({f.employee_id for f in new})
        created = await self.store(new, known=known)
        await self.watch.set_wakes(wakes)
        active = {person.id for person in staff}
        await self.watch.forget((who, n) for who, n in marks.items() if who not in active)
        await self.watch.save_run(self.work.today, self._fingerprint)
        log.info("follow-ups: %s people looked at, %s new", len(staff), created)
        return due, created

    def _evaluate(
        self,
        part: Sequence[StaffMember],
        histories: dict[str, list[Period]],
        marks: dict[str, int],
        since: dict[str, date],
    ) -> tuple[int, list[FollowUp], list[Wake]]:
        """How many follow-ups are due for these employees, those due from `since` on (all
        where not given), and each one's next day to look."""
        today = self.work.today
        due = 0
        found: list[FollowUp] = []
        wakes: list[Wake] = []
        for person in part:
            history = histories.get(person.id, [])
            facts = EmployeeFacts(person.id, person.start_date, person.workdays)
            policy = self._policy_of_loaded(person.unit_id)
            calendar = self._calendar_of(person.workdays)
            if history:
                now_due = due_followups(history, facts, policy, today, calendar)
                due += len(now_due)
                first = since.get(person.id)
                found += now_due if first is None else [f for f in now_due if f.due_on >= first]
            wake = next_look(history, facts, policy, today, calendar)
            wakes.append(Wake(person.id, wake, marks.get(person.id, 0)))
        return due, found, wakes

    async def _load_unit_policies(self) -> None:
        """Every unit's policy (its own, else the nearest ancestor's, else the default), read
        in one query; and the fingerprint of what every evaluation depends on."""
        units = await self.work.store.units.by_id()
        for unit_id in units:
            chosen, above, seen = None, units.get(unit_id), set()
            while above is not None and chosen is None and above.id not in seen:
                seen.add(above.id)
                chosen = above.policy_id
                above = units.get(above.parent_id) if above.parent_id else None
            self._unit_policy[unit_id] = chosen or self.default_policy
        tree = [(u.id, u.parent_id, u.policy_id) for u in units.values()]
        zone = str(self.work.config.timezone)
        self._fingerprint = fingerprint(
            self.policies, self.default_policy, tree, zone, self.work.today
        )

    def _policy_of_loaded(self, unit_id: str) -> Policy:
        chosen = self._unit_policy.get(unit_id, self.default_policy)
        return self.policies.get(chosen) or self.policies[self.default_policy]

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
