"""What the tab's heavy pages cost the database: Mit team asks a fixed number of queries however
large the team, and the Organisation page reads the nightly job's sums instead of adding up
24 months of every unit (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import service_config
from bot.settings import Settings
from rules.figures import Month, roll_up
from services.features import features
from services.insight import TEAM_PAGE, page_number
from services.work import Work
from storage.models import Absence, AbsenceKind, AbsenceStatus, CheckIn, CheckInStatus, Employee
from storage.org_import import import_org_file
from storage.store import Store
from tests.conftest import COPENHAGEN, SMALL_ORG


class PlainRenderer:
    def activity(self, reply: Any, lang: str) -> dict[str, Any]:
        return {"type": "message", "text": lang}

    def text(self, lang: str, key: str, **params: object) -> str:
        return f"{lang}:{key}"


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


async def _grow_team(sessions, clock, extra: int) -> None:
    """Lars's team gets `extra` more people, each with two periods and a check-in today."""
    today = clock.now().date()
    async with sessions.begin() as session:
        for n in range(extra):
            session.add(
                Employee(id=f"x{n}", name=f"X {n:03d}", unit_id="Solgården", leader_id="l1")
            )
        await session.flush()
        for n in range(extra):
            for k, (first, last) in enumerate(
                ((date(2026, 3, 2), date(2026, 3, 6)), (today, None))
            ):
                session.add(
                    Absence(
                        employee_id=f"x{n}",
                        kind=AbsenceKind.SICK,
                        status=AbsenceStatus.CLOSED if last else AbsenceStatus.OPEN,
                        first_day=first,
                        last_day=last,
                        reported_by=f"x{n}",
                        channel="chat",
                        source_key=f"q-{n}-{k}",
                        created_at=datetime(2026, 1, 1, tzinfo=COPENHAGEN),
                    )
                )
            session.add(
                CheckIn(
                    employee_id=f"x{n}",
                    unit_id="Solgården",
                    day=today,
                    status=CheckInStatus.ANSWERED,
                    anonymous=False,
                    colour="green",
                )
            )


async def _team_page(engine, sessions, clock, page: object = 1) -> tuple[dict[str, Any], int]:
    async with sessions.begin() as session:
        work = Work(Store(session), clock.now(), service_config(Settings()), PlainRenderer())
        insight = features(work).insight
        lars = await work.store.people.get("l1")
        assert lars is not None
        with statements(engine) as seen:
            data = await insight.team(lars, page)
            await session.flush()  # the audit entries, written at the latest on commit
    return data, len(seen)


async def test_mit_team_asks_the_same_number_of_queries_for_4_and_64_people(
    engine, sessions, clock
):
    await import_org_file(sessions, SMALL_ORG, clock.now().date())
    small, few = await _team_page(engine, sessions, clock)
    assert len(small["cards"]) == 4
    await _grow_team(sessions, clock, 60)
    large, many = await _team_page(engine, sessions, clock)
    assert large["staff"] == 64 and len(large["cards"]) == TEAM_PAGE and large["pages"] == 3
    assert len(large["absent"]) == 60  # the whole team, not just the page shown
    assert sum(large["checkins_named"].values()) == 60
    assert many == few <= 5  # staff, periods, audit, check-ins, follow-ups


async def test_mit_team_pages(engine, sessions, clock):
    await import_org_file(sessions, SMALL_ORG, clock.now().date())
    await _grow_team(sessions, clock, 60)
    seen: list[str] = []
    for page in (1, 2, 3):
        data, _ = await _team_page(engine, sessions, clock, page)
        assert data["page"] == page
        seen += [card.id for card in data["cards"]]
    assert len(seen) == len(set(seen)) == 64
    last, _ = await _team_page(engine, sessions, clock, "99999")
    assert last["page"] == 3 and len(last["cards"]) == 64 - 2 * TEAM_PAGE
    x0 = next(card for card in last["cards"] if card.id == "x0") if "x0" in seen[50:] else None
    assert x0 is None or (x0.periods == 2 and x0.absent_today == "sick")


@pytest.mark.parametrize(
    ("asked", "count", "expected"),
    [
        (None, 49, (1, 2)),
        ("2", 49, (2, 2)),
        (2, 49, (2, 2)),
        ("abc", 49, (1, 2)),
        ("-1", 49, (1, 2)),
        ("0", 49, (1, 2)),
        ("2.5", 49, (1, 2)),
        ("99999", 49, (2, 2)),
        ("9" * 5000, 49, (1, 2)),  # too long for int(): the first page, not an error
        ("3", 0, (1, 1)),
        ("1", 25, (1, 1)),
        ("2", 26, (2, 2)),
    ],
)
def test_a_page_number_is_read_politely(asked, count, expected):
    assert page_number(asked, count, 25) == expected


def test_units_are_rolled_up_once_for_every_view():
    months = [date(2026, m, 1) for m in range(1, 13)]
    own = {
        "a": {months[-1]: Month(1.0, 20.0, [1, 0, 0], 1, 1.0)},
        "b": {months[-1]: Month(2.0, 20.0, [0, 1, 0], 1, 1.0)},
        "top": {months[0]: Month(0.0, 10.0, [0, 0, 0], 1, 1.0)},
    }
    totals = roll_up(own, {"top": ["a", "b"]}, ["top"], months)
    assert set(totals) == {"top", "a", "b"}
    assert totals["top"].year.lost == 3.0 and totals["top"].year.periods == [1, 1, 0]
    assert totals["top"].staff == 2  # in the last month: a and b
    assert totals["top"].trend[0] == 0.0 and totals["top"].trend[-1] == pytest.approx(7.5)
    assert totals["a"].trend[-1] == pytest.approx(5.0) and totals["a"].trend[0] is None


async def test_the_organisation_page_reads_the_nightly_sums(engine, sessions, clock):
    await import_org_file(sessions, SMALL_ORG, clock.now().date())
    async with sessions.begin() as session:
        work = Work(Store(session), clock.now(), service_config(Settings()), PlainRenderer())
        found = features(work)
        assert await found.figures.computed_at() is None
        await found.figures.refresh()
    async with sessions.begin() as session:
        work = Work(Store(session), clock.now(), service_config(Settings()), PlainRenderer())
        found = features(work)
        hr = await work.store.people.get("h1")
        assert hr is not None
        with statements(engine) as seen:
            rows = await found.insight.organisation(hr)
        assert await found.figures.computed_at() == clock.now()
    top = rows[0]
    assert (top.name, top.depth, top.staff, top.shown) == ("Ældreområdet", 0, 7, True)
    assert len(top.trend) == 24 and top.trend[-1][0] == date(2026, 11, 1)
    assert [s for s in seen if "unit_months" in s] == []  # the sums, not the months
    assert len(seen) == 2  # the units and their sums
