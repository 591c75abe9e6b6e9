"""History import at municipal scale: a payroll export of 50,000 people × 5 years (and 500 × 2).

    python benchmarks/payroll_import.py                       # SQLite, both sizes
    python benchmarks/payroll_import.py --database postgresql+asyncpg://postgres@127.0.0.1/bench
    python benchmarks/payroll_import.py --sizes 500x2

For each size: an empty database with the staff (100 per unit), a generated KMD export (about
4 periods per person per year: mostly short SY, some DS with a percentage, HJ, TT, OS, and FE
lines that are skipped), then, each timer stopping after the commit:

- import: the whole `naervaer absences import` work (read, check, insert, follow-ups evaluated
  and the past ones settled),
- again: the same file a second time (nothing changes),

and the process's peak memory (VmHWM). Goal: an operator's go-live import of 50,000 × 5 years
within 10 minutes (a lunch break), the repeat within 1 minute. Prints figures and ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from benchmarks.common import empty_database
from bot.app import features_opener, service_config
from bot.settings import Settings
from rules.payroll import load_code_tables
from services.payroll import Payroll
from storage.db import create_engine, session_factory, upgrade
from storage.models import Employee, Unit

TODAY = date(2026, 12, 1)
NOON = datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
PER_UNIT = 100
GOALS = {"import": 600.0, "again": 60.0}
CODES = [(0.70, "SY"), (0.08, "DS"), (0.08, "HJ"), (0.02, "TT"), (0.05, "OS"), (0.07, "FE")]


def history(people: int, years: int, rng: random.Random) -> tuple[str, int]:
    """The payroll export and its number of lines."""
    out = ["medarbejder;fra;til;kode;timer;procent"]
    start = TODAY - timedelta(days=365 * years)
    for n in range(people):
        day = start + timedelta(days=rng.randint(0, 60))
        while day < TODAY - timedelta(days=3):
            code = rng.choices([c for _, c in CODES], [w for w, _ in CODES])[0]
            length = {"SY": rng.choice((1, 1, 2, 3, 5, 8, 15)), "DS": 28, "TT": 10}.get(code, 1)
            last = min(day + timedelta(days=length - 1), TODAY - timedelta(days=1))
            percent = "50" if code == "DS" else ""
            out.append(f"e{n};{day};{last};{code};;{percent}")
            day = last + timedelta(days=rng.randint(30, 150))
    return "\n".join(out) + "\n", len(out) - 1


async def staff(url: str, people: int) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    async with session_factory(engine).begin() as session:
        units = range((people + PER_UNIT - 1) // PER_UNIT)
        await session.execute(insert(Unit), [{"id": f"u{u}", "name": f"Enhed {u}"} for u in units])
        rows = [
            {
                "id": f"e{n}",
                "name": f"Medarbejder {n}",
                "email": f"e{n}@x.dk",
                "unit_id": f"u{n // PER_UNIT}",
                "start_date": date(2015, 1, 1),
            }
            for n in range(people)
        ]
        for i in range(0, len(rows), 5000):
            await session.execute(insert(Employee), rows[i : i + 5000])
    await engine.dispose()


async def timed_import(url: str, text: str) -> tuple[float, str]:
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    open_features = features_opener(service_config(settings))
    table = load_code_tables()["kmd"]
    engine = create_engine(url)
    try:
        started = time.perf_counter()
        async with session_factory(engine).begin() as session:
            counts = await Payroll(open_features(session, NOON).work, table).import_history(text)
        return time.perf_counter() - started, counts.summary()
    finally:
        await engine.dispose()


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def run(url: str | None, people: int, years: int) -> None:
    database = await empty_database(url, f"payroll-{people}x{years}")
    await staff(database, people)
    text, lines = history(people, years, random.Random(20))
    print(f"\n{people} people × {years} years: {lines} lines ({len(text) / 1e6:.1f} MB)")
    seconds, summary = await timed_import(database, text)
    print(f"  import  {seconds:8.1f} s  {lines / seconds:9.0f} lines/s   {summary}")
    again, summary = await timed_import(database, text)
    print(f"  again   {again:8.1f} s  {lines / again:9.0f} lines/s   {summary}")
    if (people, years) == (50_000, 5):
        for name, value in (("import", seconds), ("again", again)):
            print(f"  goal {name}: {GOALS[name]:.0f} s, ratio {value / GOALS[name]:.2f}")
    print(f"  peak memory of this process so far: {peak_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--sizes", default="500x2,50000x5", help="PEOPLExYEARS,...")
    args = parser.parse_args()
    for size in args.sizes.split(","):
        people, years = (int(v) for v in size.split("x"))
        asyncio.run(run(args.database, people, years))


if __name__ == "__main__":
    main()
