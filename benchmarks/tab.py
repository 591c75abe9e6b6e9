"""Insight tab at municipal scale: 10,000 employees with 3 years of absences and check-ins.

    python benchmarks/tab.py
    python benchmarks/tab.py --database postgresql+asyncpg://postgres@127.0.0.1/test

Builds a unit tree (a municipality, 10 areas, 20 units each, 50 people per unit), generates
the history, runs the nightly figures job, then times pages through the real server over HTTP
(the round trip on localhost, so an upper bound on server time): Organisation for the top unit
(as HR), Mit team and Trivsel for a leader of 49 people, and Mig. Target: < 300 ms each.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from aiohttp import web
from sqlalchemy import insert

from benchmarks.common import empty_database
from benchmarks.followups import KINDS, LENGTHS, pick
from bot.app import FEATURES, create_app
from bot.settings import Settings
from rules.calendar import WorkCalendar
from scheduler.clock import SystemClock
from storage.db import create_engine, session_factory, upgrade
from storage.models import Absence, AbsenceStatus, CheckIn, CheckInStatus, Employee, Unit
from tests.conftest import free_port

AREAS, UNITS_PER_AREA, PER_UNIT = 10, 20, 50
COLOURS = (("green", 0.7), ("yellow", 0.22), ("red", 0.08))


async def generate(url: str, today: date) -> tuple[int, int]:
    engine = create_engine(url)
    await upgrade(engine)
    sessions = session_factory(engine)
    rng = random.Random(7)
    units = [{"id": "top", "name": "Kommunen"}]
    units += [{"id": f"a{a}", "name": f"Område {a}", "parent_id": "top"} for a in range(AREAS)]
    units += [
        {
            "id": f"u{a}-{u}",
            "name": f"Enhed {a}-{u}",
            "parent_id": f"a{a}",
            "target_percent": 4.5,
            "checkin_anonymous": u % 4 == 0,
        }
        for a in range(AREAS)
        for u in range(UNITS_PER_AREA)
    ]
    people = [{"id": "hr", "name": "HR", "unit_id": "top", "role": "hr"}]
    for a in range(AREAS):
        for u in range(UNITS_PER_AREA):
            unit = f"u{a}-{u}"
            people.append(
                {"id": f"l{a}-{u}", "name": f"Leder {a}-{u}", "unit_id": unit, "role": "leader"}
            )
            people += [
                {
                    "id": f"e{a}-{u}-{n}",
                    "name": f"Medarbejder {a}-{u}-{n}",
                    "unit_id": unit,
                    "leader_id": f"l{a}-{u}",
                    "fte": rng.choice((1.0, 1.0, 0.8, 0.6)),
                    "start_date": today - timedelta(days=rng.randint(30, 15 * 365)),
                }
                for n in range(PER_UNIT - 1)
            ]
    async with sessions.begin() as session:
        await session.execute(insert(Unit), units)
        for start in range(0, len(people), 5000):
            await session.execute(insert(Employee), people[start : start + 5000])
    staff = [p["id"] for p in people if p["id"].startswith("e")]
    unit_of = {p["id"]: p["unit_id"] for p in people}
    anonymous = {u["id"] for u in units if u.get("checkin_anonymous")}
    calendar = WorkCalendar("12345", ZoneInfo("Europe/Copenhagen"))
    first = today - timedelta(days=3 * 365)
    working = [first + timedelta(days=d) for d in range((today - first).days + 1)]
    working = [d for d in working if calendar.is_working_day(d)]
    absences = checkins = 0
    rows: list[dict[str, object]] = []
    answers: list[dict[str, object]] = []
    for number, employee in enumerate(staff):
        away: set[date] = set()
        day = first
        while True:
            day += timedelta(days=int(rng.expovariate(1 / 90)) + 1)
            low, high = pick(LENGTHS, rng)
            last = day + timedelta(days=rng.randint(low, high) - 1)
            if day > today:
                break
            open_now = last >= today
            rows.append(
                {
                    "employee_id": employee,
                    "kind": pick(KINDS, rng),
                    "status": AbsenceStatus.OPEN if open_now else AbsenceStatus.CLOSED,
                    "first_day": day,
                    "last_day": None if open_now else last,
                    "reported_by": employee,
                    "channel": "chat",
                    "source_key": f"t{employee}-{day}",
                    "created_at": SystemClock().now(),
                }
            )
            away.update(day + timedelta(days=k) for k in range((last - day).days + 1))
            day = last + timedelta(days=1)
        for d in working:
            if d in away or rng.random() < 0.4:
                continue
            roll, colour = rng.random(), "green"
            for name, share in COLOURS:
                if roll < share:
                    colour = name
                    break
                roll -= share
            answers.append(
                {
                    "employee_id": employee,
                    "unit_id": unit_of[employee],
                    "day": d,
                    "status": CheckInStatus.ANSWERED,
                    "anonymous": unit_of[employee] in anonymous,
                    "colour": colour,
                }
            )
        if len(answers) >= 50_000 or number == len(staff) - 1:
            async with sessions.begin() as session:
                if rows:
                    await session.execute(insert(Absence), rows)
                await session.execute(insert(CheckIn), answers)
            absences += len(rows)
            checkins += len(answers)
            rows, answers = [], []
    await engine.dispose()
    return absences, checkins


async def measure(url: str, rounds: int) -> None:
    settings = Settings(_env_file=None, database_url=url, port=free_port())  # type: ignore[call-arg]
    app = create_app(settings)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", settings.port).start()
    from bot.app import SESSIONS

    started = time.perf_counter()
    async with app[SESSIONS].begin() as session:
        await app[FEATURES](session, SystemClock().now()).figures.refresh()
    print(f"nightly figures      {time.perf_counter() - started:.2f} s for the whole tree")
    base = f"http://127.0.0.1:{settings.port}/tab/api"
    pages = [
        ("Organisation, top (HR)", "/organisation", "hr"),
        ("Organisation, a unit", "/organisation", "l0-0"),
        ("Mit team, 49 people", "/team", "l0-1"),
        ("Trivsel, 49 people", "/trivsel", "l0-1"),
        ("Mig", "/mig", "e0-1-3"),
    ]
    async with aiohttp.ClientSession() as http:
        for label, path, who in pages:
            timings = []
            for _ in range(rounds + 1):
                t0 = time.perf_counter()
                async with http.get(base + path, cookies={"naervaer_demo": who}) as response:
                    body = await response.text()
                    assert response.status == 200, (label, response.status, body[:200])
                timings.append(time.perf_counter() - t0)
            timings = sorted(timings[1:])  # the first warms caches
            print(
                f"{label:<24} p50 {statistics.median(timings) * 1000:6.0f} ms   "
                f"max {timings[-1] * 1000:6.0f} ms   ({len(body) // 1024} KiB)"
            )
    await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=None)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    url = asyncio.run(empty_database(args.database, "tab"))
    today = SystemClock().now().date()
    started = time.perf_counter()
    absences, checkins = asyncio.run(generate(url, today))
    print(f"database             {url.split(':')[0]}")
    print(
        f"generated            {AREAS * UNITS_PER_AREA * (PER_UNIT - 1)} employees, {absences} absences, "
        f"{checkins} check-ins over 3 years in {time.perf_counter() - started:.0f} s"
    )
    asyncio.run(measure(url, args.rounds))


if __name__ == "__main__":
    main()
