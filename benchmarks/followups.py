"""Follow-up evaluation at municipal scale: 50,000 employees with 5 years of absence history.

    python benchmarks/followups.py                      # SQLite, generated once and reused
    python benchmarks/followups.py --database postgresql+asyncpg://postgres@127.0.0.1/bench

Generates the organisation and history once (about 4 periods per person per year, mostly
short, a few long; some partial, child's sick days and akutdage; the SQLite file is kept in
the temp folder, a PostgreSQL database is reused when it holds the same staff), then measures,
each repetition in a fresh process of its own from the same starting state (no follow-ups
stored, everyone marked as after an import):

- first run: the daily job's first evaluation (everyone, all follow-ups stored),
- daily: the next days' runs (only whom can change, only what became due),
- full: a full re-evaluation with everything known (what a policy change costs),
- incremental: one employee after an absence event (p50/p95),

each timer stopping after the commit, and the measuring process's own peak memory (VmHWM from
/proc/self/status, read by that process). Planner statistics are gathered after the import
and after the first run (outside the timers), as autovacuum would on a live server. Wall time and the process's CPU time are both shown:
on a shared machine the CPU time is the steadier figure (on PostgreSQL it leaves out the
server's own work). Goals (issue 17): daily < 1 s, first run < 5 s,
memory < 300 MB, incremental p95 < 5 ms. Prints medians of the repetitions and the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select, text

from benchmarks.common import empty_database
from bot.app import features_opener, service_config
from bot.settings import Settings
from rules.policy import POLICY_DIR, load_policies
from storage.db import create_engine, session_factory, upgrade
from storage.models import Absence, AbsenceKind, AbsenceStatus, Employee, Unit

TZ = ZoneInfo("Europe/Copenhagen")
# A fixed day, so every run and every database sees the same history and the same follow-ups.
TODAY = date(2026, 12, 1)
MORNING = datetime(2026, 12, 1, 5, 0, tzinfo=ZoneInfo("UTC"))
PER_UNIT = 100
LENGTHS = [(0.70, 1, 3), (0.20, 4, 9), (0.08, 10, 29), (0.02, 30, 90)]
KINDS = [
    (0.85, AbsenceKind.SICK),
    (0.07, AbsenceKind.PARTLY_SICK),
    (0.05, AbsenceKind.CHILD_SICK),
    (0.03, AbsenceKind.EMERGENCY_DAY),
]
GOALS = {"first": 5.0, "daily": 1.0, "memory": 300.0, "incremental_p95": 5.0}
DAILY_DAYS = 3


def pick(table, rng):  # type: ignore[no-untyped-def]
    roll, total = rng.random(), 0.0
    for row in table:
        total += row[0]
        if roll <= total:
            return row[1:] if len(row) > 2 else row[1]
    return table[-1][1:] if len(table[-1]) > 2 else table[-1][1]


def _people(employees: int, rng: random.Random) -> list[dict[str, object]]:
    return [
        {
            "id": f"e{n}",
            "name": f"Medarbejder {n}",
            "unit_id": f"u{n // PER_UNIT}",
            "leader_id": f"l{n // PER_UNIT}",
            "start_date": TODAY - timedelta(days=rng.randint(30, 20 * 365)),
            "workdays": "1234" if rng.random() < 0.1 else "12345",
        }
        for n in range(employees)
    ]


def _periods(n: int, rng: random.Random) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    day = TODAY - timedelta(days=5 * 365)
    while True:
        day += timedelta(days=int(rng.expovariate(1 / 90)) + 1)
        low, high = pick(LENGTHS, rng)
        length = rng.randint(low, high)
        if day > TODAY:
            return rows
        last = day + timedelta(days=length - 1)
        open_now = last >= TODAY
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
                "created_at": MORNING,
            }
        )
        day = last + timedelta(days=1)


async def generate(url: str, employees: int) -> int:
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
        people = _people(employees, rng)
        for start in range(0, len(people), 5000):
            await session.execute(insert(Employee), people[start : start + 5000])
    rows: list[dict[str, object]] = []
    periods = 0
    for n in range(employees):
        rows += _periods(n, rng)
        if len(rows) >= 20000 or n == employees - 1:
            periods += len(rows)
            async with sessions.begin() as session:
                await session.execute(insert(Absence), rows)
            rows = []
    await engine.dispose()
    return periods


async def prepared(url: str, employees: int) -> bool:
    """True when the database holds the generated staff already (then it is only reset)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            staff = await conn.scalar(
                select(func.count()).select_from(Employee).where(Employee.id.like("e%"))
            )
            return bool(staff == employees)
    except Exception:  # no tables yet
        return False
    finally:
        await engine.dispose()


async def reset(url: str) -> None:
    """Back to the state after the import: no follow-ups, no run, everyone marked."""
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DELETE FROM followups"))
        await conn.execute(text("DELETE FROM followup_runs"))
        await conn.execute(text("UPDATE followup_watch SET wake_on = '2000-01-01', marks = 1"))
    await analyze(engine)
    await engine.dispose()


async def analyze(engine) -> None:  # type: ignore[no-untyped-def]
    """Planner statistics, as autovacuum keeps them on a live server: freshly bulk-loaded,
    PostgreSQL guessed 770 of 952,190 rows and scanned them all for 1,000 people."""
    async with engine.begin() as conn:
        await conn.execute(text("ANALYZE"))


def peak_memory_mb() -> float:
    """This process's own peak resident memory (not a child's ru_maxrss, nor the parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _timed_run(sessions, open_features, day: int, full: bool) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """Wall and CPU seconds of one run, the commit inside both; and how many it stored."""
    started, cpu = time.perf_counter(), time.process_time()
    async with sessions.begin() as session:
        evaluation = open_features(session, MORNING + timedelta(days=day)).followups.evaluation
        _, created = await (evaluation.evaluate_all() if full else evaluation.daily())
    return time.perf_counter() - started, time.process_time() - cpu, created


async def measure(url: str, samples: int) -> dict[str, object]:
    engine = create_engine(url)
    sessions = session_factory(engine)
    open_features = features_opener(service_config(Settings()))
    first, first_cpu, stored = await _timed_run(sessions, open_features, 0, full=False)
    await analyze(engine)  # a day passes before the next run: 239,000 new rows get statistics
    daily = [await _timed_run(sessions, open_features, d, False) for d in range(1, DAILY_DAYS + 1)]
    full = await _timed_run(sessions, open_features, DAILY_DAYS + 1, full=True)
    async with sessions() as session:
        ids = list(await session.scalars(select(Employee.id).where(Employee.id.like("e%"))))
    timings, cpu_timings = [], []
    now = MORNING + timedelta(days=DAILY_DAYS + 1)
    for employee_id in random.Random(7).sample(ids, samples):
        async with sessions.begin() as session:
            followups = open_features(session, now).followups
            employee = await session.get(Employee, employee_id)
            assert employee is not None
            started, cpu = time.perf_counter(), time.process_time()
            await followups.evaluate_employee(employee)  # what a turn adds after an event
            timings.append(time.perf_counter() - started)
            cpu_timings.append(time.process_time() - cpu)
    await engine.dispose()
    timings.sort()
    cpu_timings.sort()
    return {
        "first": first,
        "first_cpu": first_cpu,
        "stored": stored,
        "daily": statistics.median(t for t, _, _ in daily),
        "daily_cpu": statistics.median(c for _, c, _ in daily),
        "daily_new": [n for _, _, n in daily],
        "full": full[0],
        "full_cpu": full[1],
        "memory": peak_memory_mb(),
        "incremental_p50": statistics.median(timings) * 1000,
        "incremental_p95": timings[int(len(timings) * 0.95)] * 1000,
        "incremental_cpu_p95": cpu_timings[int(len(cpu_timings) * 0.95)] * 1000,
    }


def report(results: list[dict[str, object]]) -> None:
    def median(name: str) -> float:
        return statistics.median(float(r[name]) for r in results)  # type: ignore[arg-type]

    def line(label: str, name: str, unit: str, goal: float | None = None) -> None:
        value = median(name)
        runs = " / ".join(f"{float(r[name]):.2f}" for r in results)  # type: ignore[arg-type]
        ratio = f"   {value / goal:.2f} of the goal < {goal:g} {unit}" if goal else ""
        print(f"{label:<22}{value:8.2f} {unit:<3} (runs {runs}){ratio}")

    print(
        f"stored on the first run {results[0]['stored']}; new on the daily runs "
        f"{results[0]['daily_new']}"
    )
    line("first run", "first", "s", GOALS["first"])
    line("  its CPU", "first_cpu", "s", GOALS["first"])
    line(f"daily (median {DAILY_DAYS} d)", "daily", "s", GOALS["daily"])
    line("  its CPU", "daily_cpu", "s", GOALS["daily"])
    line("full, all known", "full", "s")
    line("  its CPU", "full_cpu", "s")
    line("peak memory (VmHWM)", "memory", "MB", GOALS["memory"])
    line("incremental p50", "incremental_p50", "ms")
    line("incremental p95", "incremental_p95", "ms", GOALS["incremental_p95"])
    line("  its CPU p95", "incremental_cpu_p95", "ms", GOALS["incremental_p95"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--database", default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder = Path(tempfile.gettempdir())
    url = args.database or f"sqlite+aiosqlite:///{folder}/naervaer-followups-{args.employees}.db"
    if args.measure_only:
        print(json.dumps(asyncio.run(measure(url, args.samples))))
        return
    print(f"database             {url.split(':')[0]}, {args.employees} employees")
    if not asyncio.run(prepared(url, args.employees)):
        started = time.perf_counter()
        url = asyncio.run(empty_database(url, "followups"))
        periods = asyncio.run(generate(url, args.employees))
        print(f"generated            {periods} periods in {time.perf_counter() - started:.0f} s")
    results = []
    for _ in range(args.runs):
        asyncio.run(reset(url))
        # A fresh process each time: its peak memory is the evaluation's own.
        child = [sys.executable, __file__, "--measure-only", "--database", url]
        out = subprocess.run(
            [*child, "--samples", str(args.samples)], check=True, capture_output=True, text=True
        ).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    report(results)


if __name__ == "__main__":
    main()
