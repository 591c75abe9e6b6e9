"""The organisation chart as the services need it: who leads whom, who stands in, who is above.

The rules themselves (routing, deputy periods, who is a leader) are pure and live in rules/;
this module loads the people they need.
"""

from __future__ import annotations

from datetime import date

from rules.recipients import Person, Route, deputy_period_covers, route_report
from storage.models import Employee
from storage.store import Store


class OrgChart:
    def __init__(self, store: Store, today: date) -> None:
        self.store = store
        self.today = today

    async def route(self, employee: Employee, on: date) -> Route | None:
        """Who receives a report: the nearest leader, their deputy, the leader above, then the
        unit's contact or HR."""
        people = self.store.people
        unit = await people.unit(employee.unit_id)
        fallback = unit.fallback_contact_id if unit else None
        hr = [p.id for p in await people.hr()]

        async def person(employee_id: str | None) -> Person | None:
            found = await people.get(employee_id)
            return as_person(found) if found else None

        return await route_report(
            as_person(employee), on, person, self.store.absences.is_away, fallback, hr
        )

    async def stands_in(self, leader: Employee) -> bool:
        """The deputy acts for the leader during a deputy period or while the leader is away."""
        return deputy_period_covers(as_person(leader), self.today) or (
            await self.store.absences.is_away(leader.id, self.today)
        )

    async def may_act_for(self, actor: Employee, employee_id: str, routed_to: str | None) -> bool:
        """The person it was routed to or the employee's nearest leader; the deputy only while
        standing in. Nobody acts on their own."""
        if actor.id == employee_id:
            return False
        if actor.id == routed_to:
            return True
        employee = await self.store.people.get(employee_id)
        leader = await self.store.people.get(employee.leader_id) if employee else None
        if leader is None:
            return False
        if actor.id == leader.id:
            return True
        return actor.id == leader.deputy_id and await self.stands_in(leader)

    async def above(self, employee: Employee, routed_to: str | None) -> Employee | None:
        """Who hears of something left undone: up the employee's own line, past the person it
        was routed to; HR when the line ends."""
        people = self.store.people
        leader = await people.get(employee.leader_id)
        candidate = await people.get(leader.leader_id) if leader else None
        if candidate is None or candidate.id in (routed_to, employee.id):
            candidate = next(
                (p for p in await people.hr() if p.id not in (routed_to, employee.id)), None
            )
        return candidate


def as_person(employee: Employee) -> Person:
    return Person(
        employee.id,
        employee.name,
        employee.leader_id,
        employee.deputy_id,
        employee.deputy_from,
        employee.deputy_to,
    )
