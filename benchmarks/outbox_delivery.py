"""Outbox throughput: N messages through the real sender and messenger to the connector stub.

    python benchmarks/outbox_delivery.py --messages 2000 --throttle-first 100
    python benchmarks/outbox_delivery.py --database postgresql+asyncpg://postgres@127.0.0.1/test

Prints delivered messages per second, how many 429s were answered, duplicates (must be 0)
and the enqueue-to-delivery latency.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from benchmarks.common import empty_database
from bot.messenger import Messenger
from scheduler.clock import SystemClock
from scheduler.outbox import OutboxSender, SenderSettings
from storage.db import create_engine, session_factory, upgrade
from storage.models import Employee, ReachStatus, TeamsUser, Unit
from storage.outbox import OutboxRepository
from tests.connector_stub import ConnectorStub, TeamsLimits


async def _no_token() -> str:
    return ""


async def main(args: argparse.Namespace) -> None:
    url = await empty_database(args.database, "outbox")
    engine = create_engine(url)
    await upgrade(engine)
    sessions = session_factory(engine)
    clock = SystemClock()
    async with ConnectorStub(limits=TeamsLimits(50, 7)) as stub:
        people = [f"p{i}" for i in range(args.people)]
        async with sessions.begin() as session:
            await session.execute(insert(Unit), [{"id": "U", "name": "U"}])
            await session.execute(
                insert(Employee), [{"id": p, "name": p, "unit_id": "U"} for p in people]
            )
            await session.execute(
                insert(TeamsUser),
                [
                    {
                        "teams_user_id": f"29:{p}",
                        "tenant_id": "t",
                        "employee_id": p,
                        "service_url": stub.base_url,
                        "conversation_id": f"a:{p}",
                        "last_seen": clock.now(),
                        "status": ReachStatus.ACTIVE,
                    }
                    for p in people
                ],
            )
        enqueued_at: dict[str, float] = {}
        async with sessions.begin() as session:
            outbox = OutboxRepository(session)
            for i in range(args.messages):
                key = f"m{i}"
                await outbox.enqueue(
                    key, people[i % len(people)], {"type": "message", "text": key}, clock.now()
                )
                enqueued_at[key] = time.monotonic()
        stub.fail_next(args.throttle_first, 429, retry_after=1)
        messenger = Messenger(sessions, _no_token, None)
        sender = OutboxSender(
            sessions, messenger.deliver, clock, SenderSettings(per_second=args.rate)
        )
        started = time.monotonic()
        while len(set(stub.texts())) < args.messages:
            if await sender.run_once() == 0:
                await asyncio.sleep(0.05)
        elapsed = time.monotonic() - started
        await messenger.close()
        delivered = Counter(stub.texts())
        latencies = sorted(c.at - enqueued_at[c.body["text"]] for c in stub.sent())
    await engine.dispose()
    print(f"database            {url.split(':')[0]}")
    print(f"messages            {args.messages} to {args.people} people, rate limit {args.rate}/s")
    print(f"elapsed             {elapsed:.1f} s")
    print(f"throughput          {args.messages / elapsed:.1f} messages/s")
    print(
        f"429 answered        {sum(1 for c in stub.calls if c.status == 429)} "
        f"(scripted {args.throttle_first}, stub limits {stub.throttled})"
    )
    print(f"duplicates          {sum(n - 1 for n in delivered.values())}")
    print(
        f"latency p50/p95/max {statistics.median(latencies):.2f} / "
        f"{latencies[int(len(latencies) * 0.95)]:.2f} / {latencies[-1]:.2f} s"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--rate", type=float, default=40.0)
    parser.add_argument("--throttle-first", type=int, default=100)
    parser.add_argument("--database", default=None)
    asyncio.run(main(parser.parse_args()))
