"""How fast a turn is answered: POST /api/messages ("hjælp") until Teams gets its HTTP answer.

    python benchmarks/turn_latency.py --turns 500
    python benchmarks/turn_latency.py --database postgresql+asyncpg://postgres@127.0.0.1/test

Teams re-sends an activity that is not answered within ~15 s; we aim for well under a second.
The turn includes the database transaction and the reply to the connector stub.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp

from benchmarks.common import empty_database
from bot.settings import Settings
from scheduler.clock import SystemClock
from storage.db import create_engine, session_factory
from storage.org_import import import_org_file
from tests.activities import message
from tests.conftest import SMALL_ORG, free_port, start_bot
from tests.connector_stub import ConnectorStub


async def main(args: argparse.Namespace) -> None:
    url = await empty_database(args.database, "turns")
    settings = Settings(_env_file=None, database_url=url, port=free_port())  # type: ignore[call-arg]
    async with ConnectorStub() as stub:
        runner, bot = await start_bot(settings, SystemClock())
        engine = create_engine(url)
        await import_org_file(session_factory(engine), SMALL_ORG, SystemClock().now().date())
        await engine.dispose()
        timings: list[float] = []
        async with aiohttp.ClientSession() as http:
            for i in range(args.turns):
                started = time.perf_counter()
                user, aad = ("29:emma", "aad-emma") if i % 2 else ("29:ali", "aad-ali")
                activity = message(stub.base_url, "hjælp", user=user, aad=aad)
                async with http.post(f"{bot.url}/api/messages", json=activity) as response:
                    await response.read()
                    assert response.status in (200, 202), response.status
                timings.append(time.perf_counter() - started)
        assert len(stub.sent()) == args.turns
        await bot.http.close()
        await runner.cleanup()
    timings.sort()
    print(f"database        {url.split(':')[0]}")
    print(f"turns           {args.turns} sequential 'hjælp' turns, each with a card reply")
    print(
        f"p50 / p95 / max {statistics.median(timings) * 1000:.1f} / "
        f"{timings[int(len(timings) * 0.95)] * 1000:.1f} / {timings[-1] * 1000:.1f} ms"
    )
    print(f"throughput      {len(timings) / sum(timings):.0f} turns/s (one client)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=500)
    parser.add_argument("--database", default=None)
    asyncio.run(main(parser.parse_args()))
