"""Routing up the line, standing in, and the unit's planner on a real database (SQLite and
PostgreSQL), with no Teams (issue 14, parts 7 and 8)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from dialogs.replies import Text
from rules.recipients import Route, RoutedAs
from services.unit_notice import UnitNotice
from storage.models import Absence, AbsenceKind, AbsenceStatus, EmploymentStatus, OutboxMessage
from storage.org_import import import_org_file
from tests.builders import Org
from tests.conftest import SMALL_ORG
from tests.services.test_org_chart import _work

TUESDAY = date(2026, 11, 24)


async def _sick(session, who: str, first: date = TUESDAY, **values) -> Absence:
    absence = Absence(
        employee_id=who,
        kind=values.pop("kind", AbsenceKind.SICK),
        status=AbsenceStatus.OPEN,
        first_day=first,
        reported_by=who,
        channel="chat",
        source_key=f"{who}-{first}-{values.get('note', '')}",
        created_at=session.info.get("now"),
        **values,
    )
    session.add(absence)
    await session.flush()
    return absence


async def _route(sessions, clock, who: str) -> Route | None:
    async with sessions.begin() as session:
        work = _work(clock, session)
        employee = await work.store.people.get(who)
        assert employee is not None
        return await work.org.route(employee, work.today)


async def _set_sick(sessions, clock, *who: str) -> None:
    async with sessions.begin() as session:
        session.info["now"] = clock.now()
        for person in who:
            await _sick(session, person)


async def test_the_top_leader_away_never_gets_their_staffs_report(sessions, clock):
    # The regression: Chef has nobody above; Lars's report went to the sick Chef.
    await import_org_file(sessions, SMALL_ORG, clock.now().date())
    await _set_sick(sessions, clock, "c1")
    assert await _route(sessions, clock, "l1") == Route("h1", RoutedAs.HR)
    await Org(sessions).unit("Ældreområdet", fallback_contact_id="e3")
    # The contact of a unit above Solgården is nearer than HR.
    assert await _route(sessions, clock, "l1") == Route("e3", RoutedAs.FALLBACK)


async def test_leader_and_deputy_away_go_up_the_line_then_to_hr(sessions, clock):
    await import_org_file(sessions, SMALL_ORG, clock.now().date())
    await _set_sick(sessions, clock, "l1", "d1")
    assert await _route(sessions, clock, "e1") == Route("c1", RoutedAs.LEADERS_LEADER)
    await _set_sick(sessions, clock, "c1")
    assert await _route(sessions, clock, "e1") == Route("h1", RoutedAs.HR)


async def test_escalation_climbs_the_same_line_past_the_away(sessions, clock):
    await import_org_file(sessions, SMALL_ORG, clock.now().date())
    async with sessions.begin() as session:
        work = _work(clock, session)
        emma = await work.store.people.get("e1")
        assert emma is not None
        above = await work.org.above(emma, "l1")
        assert above is not None and above.id == "c1"
        # Routed to Chef already (leader and deputy away): Chef is the end of the line.
        above = await work.org.above(emma, "c1")
        assert above is not None and above.id == "h1"
    await _set_sick(sessions, clock, "c1")
    async with sessions.begin() as session:
        work = _work(clock, session)
        emma = await work.store.people.get("e1")
        assert emma is not None
        above = await work.org.above(emma, "l1")
        assert above is not None and above.id == "h1"


async def test_the_deputy_acts_for_an_away_leader_and_nobody_when_both_are(sessions, clock):
    await import_org_file(sessions, SMALL_ORG, clock.now().date())

    async def acting() -> str | None:
        async with sessions.begin() as session:
            work = _work(clock, session)
            lars = await work.store.people.get("l1")
            assert lars is not None
            reader = await work.org.acting_for(lars)
            return reader.id if reader else None

    assert await acting() == "l1"
    await _set_sick(sessions, clock, "l1")
    assert await acting() == "d1"
    await _set_sick(sessions, clock, "d1")
    assert await acting() is None


async def _tell(sessions, clock, who: str, **values) -> tuple[list, list[OutboxMessage]]:
    async with sessions.begin() as session:
        session.info["now"] = clock.now()
        work = _work(clock, session)
        employee = await work.store.people.get(who)
        assert employee is not None
        absence = await _sick(session, who, **values)
        receipt = await UnitNotice(work).absent(absence, employee)
    async with sessions() as session:
        sent = list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    return receipt, sent


async def test_the_planner_is_told_in_their_language_and_the_receipt_says_so(sessions, clock):
    await import_org_file(sessions, SMALL_ORG, clock.now().date())
    await Org(sessions).unit("Solgården", planner_id="e2")  # Ali reads English
    receipt, [sent] = await _tell(sessions, clock, "e1", note="flyttet aftaler")
    assert receipt == [
        Text("unit_told", {"name": "Emma Sørensen", "unit": "Solgården", "planner": "Ali Khan"})
    ]
    assert (sent.recipient_id, sent.payload["text"]) == ("e2", "en:unit_absent_today_unknown")
    assert sent.idempotency_key.endswith(":unit-notice")


async def test_no_planner_the_planner_themself_or_one_who_left_keep_todays_receipt(sessions, clock):
    await import_org_file(sessions, SMALL_ORG, clock.now().date())
    receipt, sent = await _tell(sessions, clock, "e1")
    assert (receipt, sent) == ([Text("call_department")], [])
    await Org(sessions).unit("Solgården", planner_id="e3")
    receipt, sent = await _tell(sessions, clock, "e3")
    assert (receipt, sent) == ([Text("call_department")], [])
    await Org(sessions).person("e3", status=EmploymentStatus.LEFT)
    receipt, sent = await _tell(sessions, clock, "e2")
    assert (receipt, sent) == ([Text("call_department")], [])


async def test_partly_sick_and_a_period_already_over_are_not_told(sessions, clock):
    await import_org_file(sessions, SMALL_ORG, clock.now().date())
    await Org(sessions).unit("Solgården", planner_id="e3")
    receipt, sent = await _tell(sessions, clock, "e1", kind=AbsenceKind.PARTLY_SICK)
    assert (receipt, sent) == ([Text("call_department")], [])
    last_week = TUESDAY - timedelta(days=7)
    receipt, sent = await _tell(
        sessions, clock, "e2", first=last_week, last_day=last_week, kind=AbsenceKind.CHILD_SICK
    )
    assert (receipt, sent) == ([Text("call_department")], [])


async def test_a_childs_sick_day_tomorrow_says_from_and_back_the_next_working_day(sessions, clock):
    await import_org_file(sessions, SMALL_ORG, clock.now().date())
    await Org(sessions).unit("Solgården", planner_id="e3")
    friday = date(2026, 11, 27)
    async with sessions.begin() as session:
        session.info["now"] = clock.now()
        work = _work(clock, session)
        emma = await work.store.people.get("e1")
        assert emma is not None
        absence = await _sick(session, "e1", friday, last_day=friday, kind=AbsenceKind.CHILD_SICK)
        notice = UnitNotice(work)
        assert notice.expected_back(absence, emma) == date(2026, 11, 30)  # Monday
        assert (await notice._notice(absence, emma)).key == "unit_absent_from_back"


async def test_a_withdrawal_is_told_to_the_planner_who_was_told(sessions, clock):
    await import_org_file(sessions, SMALL_ORG, clock.now().date())
    await Org(sessions).unit("Solgården", planner_id="e3")
    async with sessions.begin() as session:
        session.info["now"] = clock.now()
        work = _work(clock, session)
        emma = await work.store.people.get("e1")
        assert emma is not None
        quiet = await _sick(session, "e2", note="never told")
        assert not await UnitNotice(work).withdrawn(quiet)
        told = await _sick(session, "e1", TUESDAY + timedelta(days=1), note="told")
        await UnitNotice(work).absent(told, emma)
        told.expected_return = TUESDAY + timedelta(days=6)
        assert await UnitNotice(work).changed(told)
        assert await UnitNotice(work).changed(told)  # the same dates: told once
        assert not await UnitNotice(work).changed(quiet)
        assert await UnitNotice(work).withdrawn(told)
    async with sessions() as session:
        sent = list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [(m.recipient_id, m.payload["text"]) for m in sent] == [
        ("e3", "da:unit_absent_from_unknown"),
        ("e3", "da:unit_absent_from_back"),
        ("e3", "da:unit_withdrawn"),
    ]
