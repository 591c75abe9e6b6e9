"""The organisation chart as the services need it: who leads whom, who stands in, who is above.

The rules themselves (routing, the line above, deputy periods, who is a leader) are pure and
live in rules/; this module loads the people they need. "Away" here is always the storage's
`is_away` (an open period that takes the person off work; someone partly back still reads).
"""

from __future__ import annotations

from datetime import date

from rules.recipients import (
    Person,
    Route,
    deputy_period_covers,
    first_present,
    line_above,
    route_report,
)
from storage.models import Employee
from storage.store import Store


class OrgChart:
    def __init__(self, store: Store, today: date) -> None:
        self.store = store
        self.today = today

    async def person(self, employee_id: str | None) -> Person | None:
        found = await self.store.people.get(employee_id)
        return as_person(found) if found else None

    async def route(self, employee: Employee, on: date) -> Route | None:
        """Who receives a report: the nearest leader, their deputy, up the line, then the
        unit's contact (or a unit above's) or HR."""
        contacts = await self.unit_contacts(employee.unit_id)
        hr = [p.id for p in await self.store.people.hr()]
        return await route_report(
            as_person(employee), on, self.person, self.store.absences.is_away, contacts, hr
        )

    async def unit_contacts(self, unit_id: str) -> list[str]:
        """The contact persons of the unit and of the units above it, nearest first."""
        contacts: list[str] = []
        seen: set[str] = set()
        unit = await self.store.people.unit(unit_id)
        while unit is not None and unit.id not in seen:
            seen.add(unit.id)
            if unit.fallback_contact_id:
                contacts.append(unit.fallback_contact_id)
            unit = await self.store.people.unit(unit.parent_id) if unit.parent_id else None
        return contacts

    async def stands_in(self, leader: Employee) -> bool:
        """The deputy acts for the leader during a deputy period or while the leader is away."""
        return deputy_period_covers(as_person(leader), self.today) or (
            await self.store.absences.is_away(leader.id, self.today)
        )

    async def acting_for(self, leader: Employee) -> Employee | None:
        """Who reads what is addressed to a leader's role today (digests, prompts, pings): the
        leader, or their deputy while standing in; nobody when the deputy is away too."""
        if not await self.stands_in(leader):
            return leader
        deputy = await self.store.people.get(leader.deputy_id)
        if deputy is None or await self.store.absences.is_away(deputy.id, self.today):
            return None
        return deputy

    async def standing_in_for(self, deputy: Employee) -> list[Employee]:
        """The leaders this person stands in for today."""
        return [
            leader
            for leader in await self.store.people.deputised_by(deputy.id)
            if await self.acting_for(leader) == deputy
        ]

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
        """Who hears of something left undone: the first one here today up the line above the
        employee's nearest leader (the same line routing climbs), past the person it was routed
        to; HR when the line ends."""
        people = self.store.people
        is_away = self.store.absences.is_away
        skip = {routed_to or "", employee.id}
        leader = await people.get(employee.leader_id)
        if leader is not None:
            async for candidate in line_above(as_person(leader), self.person):
                if candidate.id not in skip and not await is_away(candidate.id, self.today):
                    return await people.get(candidate.id)
        hr = [p.id for p in await people.hr() if p.id not in skip]
        present = await first_present(hr, skip, self.today, self.person, is_away)
        chosen = present or (hr[0] if hr else None)
        return await people.get(chosen) if chosen else None


def as_person(employee: Employee) -> Person:
    return Person(
        employee.id,
        employee.name,
        employee.leader_id,
        employee.deputy_id,
        employee.deputy_from,
        employee.deputy_to,
    )
