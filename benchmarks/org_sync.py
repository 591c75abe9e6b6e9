"""Org sync from Entra ID (issue 19): a full read of users/delta and an incremental one.

    python benchmarks/org_sync.py                      # SQLite in a temporary folder
    python benchmarks/org_sync.py --database postgresql+asyncpg://postgres@127.0.0.1/test

For 2,000 and 50,000 people: the first sync (every page of users/delta from the Graph stub,
the mirror written, the organisation planned, checked and applied as the CSV import does) and
then a delta sync after 1 % of the people changed manager and 0.2 % were disabled (the whole
tree is planned and checked again, as the CSV import would), and one with nothing changed. The
stub runs in the same process (its JSON counts against the sync), 200 users a page.
Goals: first sync of 50,000 < 120 s, of 2,000 < 5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import empty_database
from bot.graph.entra import EntraDirectory
from scheduler.clock import FrozenClock
from services.org_sync import OrgSync, SyncOptions
from storage.db import create_engine, session_factory, upgrade
from tests.graph_stub import GraphStub, build_tenant, client_for

GOALS = {2000: 5.0, 50000: 120.0}


async def measure(url: str | None, people: int) -> tuple[float, float]:
    database = await empty_database(url, f"org_sync_{people}")
    engine = create_engine(database)
    await upgrade(engine)
    sessions = session_factory(engine)
    clock = FrozenClock(datetime(2026, 12, 1, 8, tzinfo=UTC))
    options = SyncOptions(timezone=ZoneInfo("Europe/Copenhagen"), policies=None)
    async with GraphStub() as stub:
        stub.record_reads = False
        ids = build_tenant(stub, people)
        client = client_for(stub)
        sync = OrgSync(sessions, EntraDirectory(client), options, clock)
        started = time.perf_counter()
        first = await sync.run()
        full = time.perf_counter() - started
        assert first.report.created == people, first.summary()
        leaders = ids[11::20]
        for n, person in enumerate(ids[12 : 12 + people // 100]):
            stub.set_manager(person, leaders[n % len(leaders)])
        for person in ids[-(people // 500) :]:
            stub.update_user(person, accountEnabled=False)
        started = time.perf_counter()
        second = await sync.run()
        delta = time.perf_counter() - started
        assert not second.full and second.report.left == people // 500, second.summary()
        started = time.perf_counter()
        third = await sync.run()
        quiet = time.perf_counter() - started
        assert third.users_changed == 0, third.summary()
        await client.close()
    await engine.dispose()
    return full, delta, quiet


async def main(url: str | None) -> None:
    print(f"database: {'SQLite' if url is None else url}")
    for people, goal in GOALS.items():
        full, delta, quiet = await measure(url, people)
        print(
            f"{people:>6} people: first sync {full:7.2f} s (goal {goal:.0f} s, "
            f"{full / goal:.2f} of it); delta sync with 1.2 % changed {delta:6.2f} s "
            f"({delta / full:.2f} of the first: the whole tree is checked again); "
            f"delta sync with nothing changed {quiet * 1000:6.1f} ms"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", help="PostgreSQL URL (default: SQLite in a temp folder)")
    asyncio.run(main(parser.parse_args().database))
