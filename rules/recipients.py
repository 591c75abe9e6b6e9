"""Who receives a sick report: the nearest leader, their deputy when away, then up the line,
then the unit's contact person or HR.

Pure: the caller loads the people and answers "is this person away on that day?". The line
above a person is one thing (`line_above`), read by routing and by escalation alike.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date

# How many leaders a line may have: an organisation file has no cycles (the import checks), so
# this only stops a line that was edited by hand into a loop.
MAX_LINE = 50


class RoutedAs(enum.StrEnum):
    LEADER = "leader"
    DEPUTY = "deputy"
    LEADERS_LEADER = "leaders_leader"
    FALLBACK = "fallback"
    HR = "hr"


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    leader_id: str | None
    deputy_id: str | None
    deputy_from: date | None
    deputy_to: date | None


@dataclass(frozen=True)
class Route:
    recipient_id: str
    routed_as: RoutedAs


PersonById = Callable[[str | None], Awaitable[Person | None]]
IsAway = Callable[[str, date], Awaitable[bool]]


def deputy_period_covers(leader: Person, on: date) -> bool:
    """A deputy with dates stands in during them; one without dates only when the leader is off."""
    if leader.deputy_from is None and leader.deputy_to is None:
        return False
    return (leader.deputy_from or date.min) <= on <= (leader.deputy_to or date.max)


async def leader_is_away(leader: Person, on: date, is_away: IsAway) -> bool:
    """The deputy stands in: a deputy period, or the leader's own absence."""
    return deputy_period_covers(leader, on) or await is_away(leader.id, on)


async def line_above(start: Person, person: PersonById) -> AsyncIterator[Person]:
    """The leaders above `start`, nearest first, each one's own `leader_id` up to the top.

    Only people who still work here (what `person` finds); the line ends at the first one who
    has left or at the top, and never visits anyone twice.
    """
    seen = {start.id}
    current = start
    for _ in range(MAX_LINE):
        above = await person(current.leader_id)
        if above is None or above.id in seen:
            return
        seen.add(above.id)
        yield above
        current = above


async def first_present(
    candidates: Sequence[str], skip: set[str], on: date, person: PersonById, is_away: IsAway
) -> str | None:
    """The first of these ids who still works here, is not skipped and is not away."""
    for candidate in candidates:
        if candidate in skip or await person(candidate) is None:
            continue
        if not await is_away(candidate, on):
            return candidate
    return None


async def route_report(
    employee: Person,
    on: date,
    person: PersonById,
    is_away: IsAway,
    contact_ids: Sequence[str],
    hr_ids: Sequence[str],
) -> Route | None:
    """`contact_ids`: the unit's contact person, then those of the units above, nearest first."""
    leader = await person(employee.leader_id)
    if leader is not None and leader.id != employee.id:
        if not await leader_is_away(leader, on, is_away):
            return Route(leader.id, RoutedAs.LEADER)
        deputy = await person(leader.deputy_id)
        if deputy is not None and deputy.id != employee.id and not await is_away(deputy.id, on):
            return Route(deputy.id, RoutedAs.DEPUTY)
        async for above in line_above(leader, person):
            if above.id != employee.id and not await is_away(above.id, on):
                return Route(above.id, RoutedAs.LEADERS_LEADER)
    usable = leader is not None and leader.id != employee.id
    present = await _contact_or_hr(employee, on, person, is_away, contact_ids, hr_ids)
    if present is not None:
        return present
    if usable:
        assert leader is not None
        # Everyone in reach is away too: it waits for the nearest leader's return.
        return Route(leader.id, RoutedAs.LEADER)
    # Nobody to wait for: the contact or HR gets it although away.
    return await _contact_or_hr(employee, on, person, _never_away, contact_ids, hr_ids)


async def _never_away(_employee_id: str, _on: date) -> bool:
    return False


async def _contact_or_hr(
    employee: Person,
    on: date,
    person: PersonById,
    is_away: IsAway,
    contact_ids: Sequence[str],
    hr_ids: Sequence[str],
) -> Route | None:
    skip = {employee.id}
    contact = await first_present(contact_ids, skip, on, person, is_away)
    if contact is not None:
        return Route(contact, RoutedAs.FALLBACK)
    hr = await first_present(hr_ids, skip, on, person, is_away)
    return Route(hr, RoutedAs.HR) if hr is not None else None
