"""Follow-up engine at municipal scale: 50,000 employees with 5 years of absence history.

    python benchmarks/followups.py                      # SQLite in a temporary folder
    python benchmarks/followups.py --database postgresql+asyncpg://postgres@127.0.0.1/test

Generates the organisation and history (about 4 periods per person per year, mostly short, a
few long; some partial, child's sick days and akutdage), then measures in a fresh process:
the full daily evaluation (load + engine, then storing the follow-ups) with its peak memory,
and the incremental evaluation of one employee after an absence event.
Targets (issue 5): full < 10 s, incremental < 20 ms, < 400 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select

from benchmarks.common import empty_database
from bot.app import features_opener, service_config
from bot.settings import Settings
from rules.policy import POLICY_DIR, load_policies
from scheduler.clock import SystemClock
from storage.db import create_engine, session_factory, upgrade
from storage.models import Absence, AbsenceKind, AbsenceStatus, Employee, Unit

TZ = ZoneInfo("Europe/Copenhagen")
PER_UNIT = 100
LENGTHS = [(0.70, 1, 3), (0.20, 4, 9), (0.08, 10, 29), (0.02, 30, 90)]
KINDS = [
    (0.85, AbsenceKind.SICK),
    (0.07, AbsenceKind.PARTLY_SICK),
    (0.05, AbsenceKind.CHILD_SICK),
    (0.03, AbsenceKind.EMERGENCY_DAY),
]


def pick(table, rng):  # type: ignore[no-untyped-def]
    roll, total = rng.random(), 0.0
    for row in table:
        total += row[0]
        if roll <= total:
            return row[1:] if len(row) > 2 else row[1]
    return table[-1][1:] if len(table[-1]) > 2 else table[-1][1]


async def generate(url: str, employees: int, today: date) -> int:
    url = await empty_database(url, "followups")
    engine = create_engine(url)
    await upgrade(engine)
    sessions = session_factory(engine)
    rng = random.Random(2026)
    policies = sorted(load_policies(POLICY_DIR))
    units = employees // PER_UNIT
    async with sessions.begin() as session:
        await session.execute(
            insert(Unit),
            [
                {"id": f"u{n}", "name": f"Enhed {n}", "policy_id": policies[n % len(policies)]}
                for n in range(units)
            ],
        )
        await session.execute(
            insert(Employee),
            [
                {"id": f"l{n}", "name": f"Leder {n}", "unit_id": f"u{n}", "role": "leader"}
                for n in range(units)
            ],
        )
        people = [
            {
                "id": f"e{n}",
                "name": f"Medarbejder {n}",
                "unit_id": f"u{n // PER_UNIT}",
                "leader_id": f"l{n // PER_UNIT}",
                "start_date": today - timedelta(days=rng.randint(30, 20 * 365)),
                "workdays": "1234" if rng.random() < 0.1 else "12345",
            }
            for n in range(employees)
        ]
        for start in range(0, len(people), 5000):
            await session.execute(insert(Employee), people[start : start + 5000])
    rows: list[dict[str, object]] = []
    periods = 0
    for n in range(employees):
        day = today - timedelta(days=5 * 365)
        while True:
            day += timedelta(days=int(rng.expovariate(1 / 90)) + 1)
            low, high = pick(LENGTHS, rng)
            length = rng.randint(low, high)
            if day > today:
                break
            last = day + timedelta(days=length - 1)
            open_now = last >= today
            rows.append(
                {
                    "employee_id": f"e{n}",
                    "kind": pick(KINDS, rng),
                    "status": AbsenceStatus.OPEN if open_now else AbsenceStatus.CLOSED,
                    "first_day": day,
                    "last_day": None if open_now else last,
                    "reported_by": f"e{n}",
                    "channel": "chat",
                    "source_key": f"g{n}-{day}",
                    "created_at": SystemClock().now(),
                }
            )
            day = last + timedelta(days=1)
        if len(rows) >= 20000:
            periods += len(rows)
            async with sessions.begin() as session:
                await session.execute(insert(Absence), rows)
            rows = []
    periods += len(rows)
    if rows:
        async with sessions.begin() as session:
            await session.execute(insert(Absence), rows)
    await engine.dispose()
    return periods


async def measure(url: str, samples: int) -> None:
    engine = create_engine(url)
    sessions = session_factory(engine)
    open_features = features_opener(service_config(Settings()))
    now = SystemClock().now()
    async with sessions.begin() as session:
        followups = open_features(session, now).followups
        started = time.perf_counter()
        due, created = await followups.evaluate_all()
        first_run = time.perf_counter() - started
    async with sessions.begin() as session:
        followups = open_features(session, now).followups
        started = time.perf_counter()
        await followups.evaluate_all()
        next_run = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    async with sessions() as session:
        ids = list(await session.scalars(select(Employee.id).where(Employee.id.like("e%"))))
    timings = []
    for employee_id in random.Random(7).sample(ids, samples):
        async with sessions.begin() as session:
            followups = open_features(session, now).followups
            employee = await session.get(Employee, employee_id)
            assert employee is not None
            started = time.perf_counter()
            await followups.evaluate_employee(employee)
            timings.append(time.perf_counter() - started)
    await engine.dispose()
    timings.sort()
    print(
        f"full evaluation      {first_run:.2f} s first run: load, engine, store "
        f"({due} follow-ups due, {created} new)"
    )
    print(f"full evaluation      {next_run:.2f} s next run (the daily case: all known already)")
    print(f"peak memory          {peak:.0f} MB (whole measuring process)")
    print(
        f"incremental p50/p95  {statistics.median(timings) * 1000:.1f} / "
        f"{timings[int(len(timings) * 0.95)] * 1000:.1f} ms per employee ({samples} samples)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--database", default=None)
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = args.database or f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/followups.db"
    if args.measure_only:
        asyncio.run(measure(url, args.samples))
        return
    today = SystemClock().now().astimezone(TZ).date()
    started = time.perf_counter()
    periods = asyncio.run(generate(url, args.employees, today))
    print(f"database             {url.split(':')[0]}")
    print(
        f"generated            {args.employees} employees, {periods} absence periods over 5 "
        f"years in {time.perf_counter() - started:.0f} s"
    )
    # A fresh process, so the peak memory is the evaluation's, not the generator's.
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure-only",
            "--database",
            url,
            "--samples",
            str(args.samples),
        ],
        check=True,
    )


if __name__ == "__main__":
    main()
