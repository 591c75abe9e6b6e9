"""The demo municipality (`naervaer demo`): reproducible, Danish patterns, the Playground's people
where the personas expect them, and figures and follow-ups ready on first run."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from bot.cli_demo import DEMO_ORG, create_demo_town
from bot.settings import Settings
from rules.absence_kinds import AbsenceKind, AbsenceStatus
from rules.access import is_leader
from rules.figures import months_back
from scheduler.clock import FrozenClock
from services.demo_history import HistoryMaker
from services.demo_town import SEED, town
from storage.db import create_engine, session_factory
from storage.models import (
    Absence,
    CheckIn,
    Employee,
    FollowUpRecord,
    FollowUpStatus,
    OutboxMessage,
    Unit,
    UnitMonth,
)
from tests.conftest import COPENHAGEN, free_port, start_bot

PLAYGROUND = {
    "demo-chef": ("Lynne Robbins", "lynner@example.com", "00000000-0000-0000-0000-0000000000025"),
    "demo-leder": ("Megan Bowen", "meganb@example.com", "00000000-0000-0000-0000-0000000000021"),
    "demo-alex": ("Alex Wilber", "alexw@example.com", "00000000-0000-0000-0000-0000000000020"),
    "demo-adele": ("Adele Vance", "adelev@example.com", "00000000-0000-0000-0000-0000000000022"),
    "demo-stedfortraeder": (
        "Isaiah Langer",
        "isaiahl@example.com",
        "00000000-0000-0000-0000-0000000000023",
    ),
    "demo-patti": (
        "Patti Fernandez",
        "pattif@example.com",
        "00000000-0000-0000-0000-0000000000024",
    ),
    "demo-planner": (
        "Miriam Graham",
        "miriamg@example.com",
        "00000000-0000-0000-0000-0000000000026",
    ),
}


def generated(seed: int, today: date) -> tuple[list[dict], list[dict], list[dict]]:
    rng = random.Random(seed)
    rows, people = town(rng, DEMO_ORG.read_text(encoding="utf-8"), today)
    now = datetime(today.year, today.month, today.day, 9, 0, tzinfo=COPENHAGEN)
    maker = HistoryMaker(rng, now, COPENHAGEN)
    for person in people:
        maker.add(person)
    return rows, maker.history.absences, maker.history.checkins


def test_the_same_seed_gives_the_same_town_and_history():
    today = date(2026, 11, 24)
    first, second = generated(SEED, today), generated(SEED, today)
    assert [len(part) for part in first] == [len(part) for part in second]
    assert [part[:20] for part in first] == [part[:20] for part in second]
    assert first[1][-5:] == second[1][-5:]
    other = generated(SEED + 1, today)
    assert other[1][:20] != first[1][:20]


async def build(database_url: str, clock: FrozenClock):
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    return await create_demo_town(settings, clock.now())


async def test_the_demo_town_has_people_history_figures_and_followups(database_url, clock):
    made = await build(database_url, clock)
    assert made is not None
    assert 300 <= made.people <= 400 and made.absences > 1000 and made.checkins > 50_000
    assert made.seconds < 30, made.summary()
    print(made.summary())
    assert await build(database_url, clock) is None  # a second run keeps the town as it is
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            await _the_seeded_rows(session, clock)
            await _organisation(session)
            await _playground_people(session, clock)
            await _sickness(session, clock)
            await _checkins_and_followups(session, clock, made.people)
    finally:
        await engine.dispose()


async def _the_seeded_rows(session, clock) -> None:
    """What the database holds is what the seed generates, row for row."""
    stored = await session.execute(
        select(Absence.employee_id, Absence.kind, Absence.first_day, Absence.last_day)
        .order_by(Absence.id)
        .limit(50)
    )
    today = clock.now().astimezone(COPENHAGEN).date()
    expected = [
        (a["employee_id"], a["kind"], a["first_day"], a["last_day"])
        for a in generated(SEED, today)[1][:50]
    ]
    assert [tuple(row) for row in stored] == expected


async def _organisation(session) -> None:
    units = {u.id: u for u in await session.scalars(select(Unit))}
    people = list(await session.scalars(select(Employee)))

    def depth(unit_id: str) -> int:
        parent = units[unit_id].parent_id
        return 0 if parent is None else 1 + depth(parent)

    assert max(depth(u) for u in units) == 2 and len(units) >= 8
    for unit_id in units:
        assert any(p.unit_id == unit_id and is_leader(p.role) for p in people), unit_id
    assert any(u.checkin_anonymous for u in units.values())
    assert any(u.planner_id for u in units.values())
    assert sum(1 for p in people if p.deputy_id) >= 5


async def _playground_people(session, clock) -> None:
    people = {p.id: p for p in await session.scalars(select(Employee))}
    for employee_id, (name, email, aad) in PLAYGROUND.items():
        person = people[employee_id]
        assert (person.name, person.email, person.aad_object_id) == (name, email, aad)
    megan = people["demo-leder"]
    assert megan.unit_id == "Plejecenter Solgården" and megan.role == "leader"
    assert megan.deputy_id == "demo-stedfortraeder"
    assert people["demo-alex"].leader_id == people["demo-adele"].leader_id == "demo-leder"
    assert people["demo-patti"].role == "hr" and people["demo-chef"].leader_id is None
    assert (await session.get(Unit, "Plejecenter Solgården")).planner_id == "demo-planner"
    today = clock.now().astimezone(COPENHAGEN).date()
    for employee_id in ("demo-alex", "demo-adele", "demo-leder"):
        rows = await session.scalars(select(Absence).where(Absence.employee_id == employee_id))
        assert all(a.status == AbsenceStatus.CLOSED and a.last_day < today for a in rows)


async def _sickness(session, clock) -> None:
    today = clock.now().astimezone(COPENHAGEN).date()
    months = {m.unit_id + m.month.isoformat(): m for m in await session.scalars(select(UnitMonth))}
    assert months, "the figures were not refreshed"
    whole = months_back(today, 13)[:-1]
    lost = sum(m.lost_days for m in months.values() if m.month in whole)
    planned = sum(m.planned_days for m in months.values() if m.month in whole)
    assert 4 <= 100 * lost / planned <= 7, 100 * lost / planned
    season: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for m in months.values():
        name = (
            "winter"
            if m.month.month in (12, 1, 2, 3)
            else "summer"
            if m.month.month in (6, 7, 8)
            else ""
        )
        season[name][0] += m.lost_days
        season[name][1] += m.planned_days
    assert season["winter"][0] / season["winter"][1] > season["summer"][0] / season["summer"][1]
    kinds = set(await session.scalars(select(Absence.kind).distinct()))
    assert kinds == set(AbsenceKind)
    assert await session.scalar(select(func.count()).where(Absence.work_injury.is_(True))) >= 2
    periods = (
        await session.execute(select(Absence.kind, Absence.first_day, Absence.last_day))
    ).all()
    closed = [(kind, (last - first).days + 1) for kind, first, last in periods if last]
    assert sum(1 for _k, days in closed if days <= 3) > 0.6 * len(closed)
    assert sum(1 for kind, days in closed if kind == AbsenceKind.SICK and days >= 28) >= 5
    assert sum(1 for kind, _days in closed if kind == AbsenceKind.PARTLY_SICK) >= 3


async def _checkins_and_followups(session, clock, people: int) -> None:
    colours = dict(
        (await session.execute(select(CheckIn.colour, func.count()).group_by(CheckIn.colour))).all()
    )
    assert colours["green"] > colours["yellow"] > colours["red"] > 0
    assert await session.scalar(select(func.count()).where(CheckIn.anonymous.is_(True))) > 0
    followups = list(await session.scalars(select(FollowUpRecord)))
    open_ = [f for f in followups if f.status == FollowUpStatus.OPEN]
    assert open_ and len(open_) < len(followups) / 5
    # Only what is current is left to remind of: no burst on the first morning.
    today = clock.now().astimezone(COPENHAGEN).date()
    assert all(f.due_on >= today - timedelta(days=30) for f in open_)
    assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


async def test_hr_sees_the_demo_towns_figures_on_the_organisation_page(database_url, clock):
    assert await build(database_url, clock) is not None
    settings = Settings(_env_file=None, database_url=database_url, port=free_port())  # type: ignore[call-arg]
    runner, bot = await start_bot(settings, clock)
    try:
        cookies = {"naervaer_demo": "demo-patti"}
        async with bot.http.get(f"{bot.url}/tab/api/organisation", cookies=cookies) as response:
            assert response.status == 200
            html = await response.text()
    finally:
        await bot.http.close()
        await runner.cleanup()
    # Every unit's figures are shown (none too small, none revealed by subtraction).
    assert "skjult" not in html
    percents = dict(
        re.findall(r'<th scope="row">([^<]+)</th>\n<td>\d+</td><td>(\d+,\d)</td>', html)
    )
    assert len(percents) == 11, percents
    assert 4 <= float(percents["Demo Kommune"].replace(",", ".")) <= 7
    care, office = percents["Plejecenter Solgården"], percents["Borgerservice"]
    assert float(care.replace(",", ".")) > float(office.replace(",", "."))
