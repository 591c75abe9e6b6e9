"""Who receives a sick report: the nearest leader, their deputy when away, else fallback or HR.

Pure: the caller loads the people and answers "is this person away on that day?".
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date


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


def deputy_period_covers(leader: Person, on: date) -> bool:
    """A deputy with dates stands in during them; one without dates only when the leader is off."""
    if leader.deputy_from is None and leader.deputy_to is None:
        return False
    return (leader.deputy_from or date.min) <= on <= (leader.deputy_to or date.max)


async def route_report(
    employee: Person,
    on: date,
    person: Callable[[str | None], Awaitable[Person | None]],
    is_away: Callable[[str, date], Awaitable[bool]],
    fallback_id: str | None,
    hr_ids: list[str],
) -> Route | None:
    leader = await person(employee.leader_id)
    if leader is not None and leader.id != employee.id:
        away = deputy_period_covers(leader, on) or await is_away(leader.id, on)
        if not away:
            return Route(leader.id, RoutedAs.LEADER)
        deputy = await person(leader.deputy_id)
        if deputy is not None and deputy.id != employee.id and not await is_away(deputy.id, on):
            return Route(deputy.id, RoutedAs.DEPUTY)
        above = await person(leader.leader_id)
        if above is not None and above.id != employee.id and not await is_away(above.id, on):
            return Route(above.id, RoutedAs.LEADERS_LEADER)
        return Route(leader.id, RoutedAs.LEADER)  # nobody else: it waits for their return
    if fallback_id and fallback_id != employee.id and await person(fallback_id) is not None:
        return Route(fallback_id, RoutedAs.FALLBACK)
    for hr_id in hr_ids:
        if hr_id != employee.id:
            return Route(hr_id, RoutedAs.HR)
    return None
