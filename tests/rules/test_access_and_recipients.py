"""Who leads, who may see whom, and who receives a report (rules/access.py, rules/recipients.py)."""

from __future__ import annotations

from datetime import date

from rules.access import Role, is_leader, may_see_person, pages_for
from rules.recipients import Person, RoutedAs, deputy_period_covers, route_report

DAY = date(2026, 11, 24)
LEADER = Person("l1", "Lars", "chef", "d1", None, None)
DEPUTY = Person("d1", "Dorte", "l1", None, None, None)
CHEF = Person("chef", "Chef", None, None, None, None)
EMMA = Person("e1", "Emma", "l1", None, None, None)


def test_leaders_hr_and_admin_lead_and_employees_do_not():
    assert is_leader(Role.HR) and is_leader(Role.ADMIN) and is_leader(Role.LEADER)
    assert not is_leader(Role.EMPLOYEE)


def test_a_person_sees_themselves_hr_everyone_a_leader_their_people():
    assert may_see_person("e1", Role.EMPLOYEE, "e1", set())
    assert not may_see_person("e1", Role.EMPLOYEE, "e2", set())
    assert may_see_person("h1", Role.HR, "e2", set())
    assert may_see_person("l1", Role.LEADER, "e2", {"e2"})


def test_each_role_is_offered_only_the_tab_pages_it_may_open():
    assert pages_for(Role.EMPLOYEE) == ("mig",)
    assert pages_for(Role.LEADER) == ("team", "trivsel", "organisation", "mig")
    assert pages_for(Role.ADMIN) == pages_for(Role.LEADER)
    assert pages_for(Role.HR) == ("team", "trivsel", "organisation", "mig", "audit", "payroll")
    assert pages_for("unknown") == ("mig",)


def test_a_deputy_period_without_dates_never_covers():
    assert not deputy_period_covers(LEADER, DAY)
    covered = Person("l1", "Lars", "chef", "d1", date(2026, 11, 23), date(2026, 11, 27))
    assert deputy_period_covers(covered, DAY)


async def _route(away: set[str], fallback: str | None = None, hr: list[str] | None = None):
    people = {p.id: p for p in (LEADER, DEPUTY, CHEF, EMMA)}

    async def person(pid: str | None) -> Person | None:
        return people.get(pid) if pid else None

    async def is_away(pid: str, _on: date) -> bool:
        return pid in away

    return await route_report(EMMA, DAY, person, is_away, [fallback] if fallback else [], hr or [])


async def test_the_report_goes_to_the_nearest_leader():
    route = await _route(set())
    assert route is not None and (route.recipient_id, route.routed_as) == ("l1", RoutedAs.LEADER)


async def test_the_deputy_gets_it_while_the_leader_is_away():
    route = await _route({"l1"})
    assert route is not None and (route.recipient_id, route.routed_as) == ("d1", RoutedAs.DEPUTY)


async def test_the_leaders_leader_gets_it_when_leader_and_deputy_are_away():
    route = await _route({"l1", "d1"})
    assert route is not None
    assert (route.recipient_id, route.routed_as) == ("chef", RoutedAs.LEADERS_LEADER)


async def test_without_a_leader_the_unit_contact_then_hr():
    alone = Person("x", "X", None, None, None, None)

    async def person(pid: str | None) -> Person | None:
        found = {
            "f1": Person("f1", "F", None, None, None, None),
            "h1": Person("h1", "H", None, None, None, None),
        }
        return found.get(pid or "")

    async def nobody_away(_pid: str, _on: date) -> bool:
        return False

    fallback = await route_report(alone, DAY, person, nobody_away, ["f1"], ["h1"])
    assert fallback is not None and fallback.routed_as == RoutedAs.FALLBACK
    hr = await route_report(alone, DAY, person, nobody_away, [], ["h1"])
    assert hr is not None and (hr.recipient_id, hr.routed_as) == ("h1", RoutedAs.HR)
