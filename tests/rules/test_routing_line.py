"""Routing completes the line (issue 14, part 7): leader, deputy, up the line, unit contact, HR."""

from __future__ import annotations

from datetime import date

from rules.recipients import Person, Route, RoutedAs, line_above, route_report

DAY = date(2026, 11, 24)
TOP = Person("top", "Direktør", None, None, None, None)
CHEF = Person("chef", "Chef", "top", None, None, None)
LEADER = Person("l1", "Lars", "chef", "d1", None, None)
DEPUTY = Person("d1", "Dorte", "l1", None, None, None)
EMMA = Person("e1", "Emma", "l1", None, None, None)
# A leader at the top of their own line: nobody above them.
ALONE_AT_TOP = Person("l2", "Lone", None, None, None, None)
OLE = Person("e2", "Ole", "l2", None, None, None)
CONTACT = Person("k1", "Kontakt", None, None, None, None)
HR = Person("h1", "Hanne", None, None, None, None)
PEOPLE = {p.id: p for p in (TOP, CHEF, LEADER, DEPUTY, EMMA, ALONE_AT_TOP, OLE, CONTACT, HR)}


async def person(pid: str | None) -> Person | None:
    return PEOPLE.get(pid) if pid else None


async def _route(
    employee: Person, away: set[str], contacts: list[str] | None = None
) -> Route | None:
    async def is_away(pid: str, _on: date) -> bool:
        return pid in away

    return await route_report(employee, DAY, person, is_away, contacts or [], ["h1"])


async def test_the_line_above_is_each_leaders_own_leader_up_to_the_top():
    assert [p.id async for p in line_above(EMMA, person)] == ["l1", "chef", "top"]
    assert [p.id async for p in line_above(ALONE_AT_TOP, person)] == []


async def test_a_loop_in_the_line_ends_it_instead_of_running_forever():
    loop = {
        "a": Person("a", "A", "b", None, None, None),
        "b": Person("b", "B", "a", None, None, None),
    }

    async def looped(pid: str | None) -> Person | None:
        return loop.get(pid or "")

    assert [p.id async for p in line_above(loop["a"], looped)] == ["b"]


async def test_leader_and_deputy_away_goes_to_the_leaders_leader():
    assert await _route(EMMA, {"l1", "d1"}) == Route("chef", RoutedAs.LEADERS_LEADER)


async def test_the_leaders_leader_away_too_continues_up_the_line():
    assert await _route(EMMA, {"l1", "d1", "chef"}) == Route("top", RoutedAs.LEADERS_LEADER)


async def test_the_whole_line_away_goes_to_the_unit_contact_then_hr():
    everyone = {"l1", "d1", "chef", "top"}
    assert await _route(EMMA, everyone, ["k1"]) == Route("k1", RoutedAs.FALLBACK)
    assert await _route(EMMA, everyone) == Route("h1", RoutedAs.HR)
    assert await _route(EMMA, everyone | {"k1"}, ["k1"]) == Route("h1", RoutedAs.HR)


async def test_a_leader_away_at_the_top_of_the_line_never_gets_the_report():
    # The regression: the sick leader with no deputy and nobody above was sent the report.
    assert await _route(OLE, {"l2"}) == Route("h1", RoutedAs.HR)
    assert await _route(OLE, {"l2"}, ["k1"]) == Route("k1", RoutedAs.FALLBACK)


async def test_with_everyone_away_it_waits_for_the_nearest_leader():
    assert await _route(OLE, {"l2", "h1", "k1"}, ["k1"]) == Route("l2", RoutedAs.LEADER)


async def test_the_deputy_reporting_sick_is_never_routed_to_themselves():
    assert await _route(DEPUTY, {"l1"}) == Route("chef", RoutedAs.LEADERS_LEADER)


async def test_without_a_leader_an_away_contact_still_gets_it_when_nobody_else_can():
    alone = Person("x", "X", None, None, None, None)
    assert await _route(alone, {"k1", "h1"}, ["k1"]) == Route("k1", RoutedAs.FALLBACK)
