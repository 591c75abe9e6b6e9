"""How fast a sick report reaches the nearest leader: from the employee's "send" to the leader's
card arriving at the connector stub (through the turn, the outbox and the sender).

    python benchmarks/sick_report_latency.py --reports 200
    python benchmarks/sick_report_latency.py --database postgresql+asyncpg://postgres@127.0.0.1/test
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import empty_database, org_file
from bot.settings import Settings
from scheduler.clock import SystemClock
from storage.db import create_engine, session_factory
from storage.org_import import import_org_file
from tests.activities import message
from tests.conftest import free_port, start_bot
from tests.connector_stub import ConnectorStub


async def main(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp())
    url = await empty_database(args.database, "reports")
    leaders = 10
    per_leader = max(1, args.reports // leaders)
    # The per-user turn limit is not what this measures (each employee writes six times).
    settings = Settings(_env_file=None, database_url=url, port=free_port(), turns_per_minute=600)  # type: ignore[call-arg]
    async with ConnectorStub() as stub:
        runner, bot = await start_bot(settings, SystemClock())
        engine = create_engine(url)
        await import_org_file(
            session_factory(engine),
            org_file(folder, leaders, per_leader),
            SystemClock().now().date(),
        )
        await engine.dispose()

        async def say(who: str, said: str) -> None:
            activity = message(stub.base_url, said, user=f"29:{who}", aad=f"aad-{who}")
            response = await bot.post(activity)
            assert response.status in (200, 202)

        for n in range(leaders):
            await say(f"l{n}", "hjælp")
        turn_times: list[float] = []
        delivery: list[float] = []
        for n in range(leaders):
            for m in range(per_leader):
                who = f"e{n}-{m}"
                for said in ("syg", "1", "i dag", "ved ikke", "spring over"):
                    await say(who, said)
                before = len([c for c in stub.sent() if c.conversation_id == f"a:personal-29:l{n}"])
                started = time.perf_counter()
                await say(who, "send")
                turn_times.append(time.perf_counter() - started)
                await stub.wait_for(
                    lambda s, n=n, before=before: (
                        len([c for c in s.sent() if c.conversation_id == f"a:personal-29:l{n}"])
                        > before
                    ),
                    timeout=30,
                )
                delivery.append(time.perf_counter() - started)
        await bot.http.close()
        await runner.cleanup()

    def ms(values: list[float], q: float) -> float:
        return sorted(values)[int(len(values) * q)] * 1000

    print(f"database               {url.split(':')[0]}")
    print(f"sick reports           {len(delivery)} ({leaders} leaders)")
    print(
        f"'send' turn p50/p95    {statistics.median(turn_times) * 1000:.1f} / {ms(turn_times, 0.95):.1f} ms"
    )
    print(
        f"leader card p50/p95/max {statistics.median(delivery) * 1000:.1f} / "
        f"{ms(delivery, 0.95):.1f} / {max(delivery) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--database", default=None)
    asyncio.run(main(parser.parse_args()))
