"""The ledger's invariant held by the database itself (migration 0009): a person's live
periods never share a day, on SQLite (triggers) and PostgreSQL (exclusion constraint)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from storage.absences import AbsenceRepository, PeriodsOverlap
from storage.models import Absence, AbsenceKind, AbsenceStatus
from storage.org_import import import_org_file
from tests.conftest import COPENHAGEN, SMALL_ORG

TUE, WED, THU, FRI = (date(2026, 11, d) for d in (24, 25, 26, 27))
AT = datetime(2026, 11, 24, 9, tzinfo=COPENHAGEN)


def period(key: str, first: date, last: date | None = None, **values) -> Absence:
    fields = {
        "employee_id": "e1",
        "kind": AbsenceKind.SICK,
        "status": AbsenceStatus.OPEN,
        "first_day": first,
        "last_day": last,
        "reported_by": "e1",
        "channel": "chat",
        "source_key": key,
        "created_at": AT,
        **values,
    }
    return Absence(**fields)


@pytest.fixture
async def ledger(sessions, clock):
    await import_org_file(sessions, SMALL_ORG, clock.now().date())
    async with sessions.begin() as session:
        await AbsenceRepository(session).add(period("first", TUE, WED))
    return sessions


async def add(sessions, absence: Absence) -> None:
    async with sessions.begin() as session:
        await AbsenceRepository(session).add(absence)


async def test_an_overlapping_insert_is_refused_by_the_database(ledger):
    with pytest.raises(PeriodsOverlap):
        await add(ledger, period("second", WED))
    with pytest.raises(PeriodsOverlap):
        await add(ledger, period("akut", TUE, TUE, kind=AbsenceKind.EMERGENCY_DAY))


async def test_an_open_period_overlaps_every_later_day(ledger):
    await add(ledger, period("open", THU))
    with pytest.raises(PeriodsOverlap):
        await add(ledger, period("later", date(2027, 3, 1), date(2027, 3, 1)))


async def test_an_update_that_makes_periods_overlap_is_refused(ledger):
    await add(ledger, period("next", THU, FRI))
    with pytest.raises(PeriodsOverlap):
        async with ledger.begin() as session:
            repo = AbsenceRepository(session)
            [first, _] = await repo.live_from("e1", TUE)
            first.last_day = THU
            await repo.save()


async def test_adjacent_periods_other_people_and_dead_periods_are_allowed(ledger):
    await add(ledger, period("adjacent", THU, kind=AbsenceKind.PARTLY_SICK))
    await add(ledger, period("ali", TUE, employee_id="e2", reported_by="e2"))
    for n, status in enumerate((AbsenceStatus.DECLINED, AbsenceStatus.WITHDRAWN)):
        await add(ledger, period(f"dead{n}", TUE, TUE, status=status))
    async with ledger() as session:
        live = await AbsenceRepository(session).live_from("e1", TUE)
    assert [(a.first_day, a.last_day) for a in live] == [(TUE, WED), (THU, None)]


async def test_withdrawing_a_period_frees_its_days(ledger):
    async with ledger.begin() as session:
        repo = AbsenceRepository(session)
        [first] = await repo.live_from("e1", TUE)
        first.status = AbsenceStatus.WITHDRAWN
        await repo.save()
    await add(ledger, period("again", TUE))
