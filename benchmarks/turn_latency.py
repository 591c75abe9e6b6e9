"""Bot turns under concurrent load: 200 chats write "hjælp" to the real server at once.

    python benchmarks/turn_latency.py
    python benchmarks/turn_latency.py --database postgresql+asyncpg://postgres@127.0.0.1/bench
    python benchmarks/turn_latency.py --workers 2 --database postgresql+asyncpg://...

The server runs in processes of its own (`naervaer serve`), the connector stub in another, the
chats in this one. Each turn is timed from the POST to /api/messages until its HTTP answer,
which comes after the reply (an Adaptive Card) reached the stub: the whole turn, seen from
Teams. Two runs:

- saturated: every chat writes again as soon as it is answered (no think time); turns/s.
  Goal: >= 400/s on PostgreSQL, >= 250/s on SQLite (2 cores).
- think time: every chat writes every ~5 s (randomised), as people do; turn p99 < 50 ms.

Server CPU per turn is read from /proc (the server's processes only): a figure that a busy
machine does not inflate the way it inflates wall time.

Each turn's reply takes its place in the app's send budget (scheduler/send_budget.py:
NAERVAER_OUTBOX_RATE, default 40/s, at most Teams' 50/s per app and tenant), so turns that come
faster than that wait for it: the saturated figure then shows the budget, and 200 chats with
5 s think time (~40 turns/s) sit right at it. Compare cpu/turn for the server's own cost.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp

from benchmarks.common import (
    ROOT,
    cpu_seconds,
    empty_database,
    org_file,
    quantile,
    server,
    stub_process,
    wait_ready,
)
from scheduler.clock import SystemClock
from storage.db import create_engine, session_factory, upgrade
from storage.org_import import import_org_file
from tests.activities import message
from tests.conftest import free_port

GOAL_TURNS = {"postgresql": 400.0, "sqlite": 250.0}
GOAL_P99_MS = 50.0


@dataclass
class Run:
    timings: list[float] = field(default_factory=list)
    refused: int = 0
    elapsed: float = 0.0
    cpu: float = 0.0


async def chat(
    http: aiohttp.ClientSession,
    url: str,
    stub_url: str,
    who: str,
    until: float,
    think: float,
    run: Run,
) -> None:
    rng = random.Random(who)
    if think:
        await asyncio.sleep(rng.uniform(0, think))  # people do not all write at the same second
    while True:  # at least one turn each
        activity = message(stub_url, "hjælp", user=f"29:{who}", aad=f"aad-{who}")
        started = time.perf_counter()
        async with http.post(f"{url}/api/messages", json=activity) as response:
            await response.read()
            if response.status in (200, 202):
                run.timings.append(time.perf_counter() - started)
            else:
                run.refused += 1
        if time.perf_counter() >= until:
            return
        if think:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think)


async def load(
    url: str, stub_url: str, chats: list[str], seconds: float, think: float, pids: list[int]
) -> Run:
    run = Run()
    connector = aiohttp.TCPConnector(limit=len(chats))
    async with aiohttp.ClientSession(connector=connector) as http:
        cpu = sum(cpu_seconds(pid) for pid in pids)
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(*(chat(http, url, stub_url, w, until, think, run) for w in chats))
        run.elapsed = time.perf_counter() - started
        run.cpu = sum(cpu_seconds(pid) for pid in pids) - cpu
    return run


def report(label: str, run: Run, delivered: int, goal: str) -> None:
    t = [x * 1000 for x in run.timings]
    print(
        f"{label:<22}{len(t):>7}{len(t) / run.elapsed:>9.0f}"
        f"{statistics.median(t):>8.1f}{quantile(t, 0.95):>8.1f}{quantile(t, 0.99):>8.1f}"
        f"{max(t):>8.1f}{run.cpu * 1000 / max(1, len(t)):>9.2f}  {goal}"
    )
    if run.refused or delivered < len(t):
        print(f"{'':<22}!! {run.refused} refused, {delivered} replies for {len(t)} turns")


async def settled(delivered: Any, expected: int) -> None:
    """The stub process counts what reached it every 0.2 s: wait for the count to catch up."""
    for _ in range(50):
        if delivered.value >= expected:
            return
        await asyncio.sleep(0.1)


async def prepare(url: str, chats: int) -> list[str]:
    leaders = 10
    folder = Path(tempfile.mkdtemp())
    engine = create_engine(url)
    await upgrade(engine)
    path = org_file(folder, leaders, chats // leaders)
    await import_org_file(session_factory(engine), path, SystemClock().now().date())
    await engine.dispose()
    return [f"e{n}-{m}" for n in range(leaders) for m in range(chats // leaders)]


async def main(args: argparse.Namespace) -> None:
    url = await empty_database(args.database, "turns")
    kind = url.split(":")[0].split("+")[0]
    people = await prepare(url, args.chats)
    port = free_port()
    env = {
        "NAERVAER_DATABASE_URL": url,
        # 200 chats answered at once write faster than people: the per-user limit is not
        # what this measures (it has its own test).
        "NAERVAER_TURNS_PER_MINUTE": "600",
        "NAERVAER_TICK_SECONDS": "3600",
        "NAERVAER_WORKERS": str(args.workers),
    }
    base = f"http://127.0.0.1:{port}"
    root = Path(args.server_root) if args.server_root else ROOT
    with stub_process() as (stub_url, delivered), server(env, port, root) as process:
        await wait_ready(base, process)
        # Each chat's first turn stores its Teams address and shows the privacy notice.
        await load(base, stub_url, people, 0, 0, [process.pid])
        print(
            f"database              {kind}, {args.chats} chats, {args.workers} worker(s), "
            f"server from {root}"
        )
        print(
            f"{'':<22}{'turns':>7}{'turns/s':>9}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}"
            f"{'cpu/turn':>9}  (ms)"
        )
        for round_ in range(args.rounds):
            before = delivered.value
            run = await load(base, stub_url, people, args.seconds, 0, [process.pid])
            await settled(delivered, before + len(run.timings))
            rate = len(run.timings) / run.elapsed
            goal = f"{rate / GOAL_TURNS[kind]:.2f} of {GOAL_TURNS[kind]:.0f}/s"
            report(f"saturated #{round_ + 1}", run, delivered.value - before, goal)
        for round_ in range(args.rounds):
            before = delivered.value
            run = await load(base, stub_url, people, args.think_seconds, args.think, [process.pid])
            await settled(delivered, before + len(run.timings))
            p99 = quantile(run.timings, 0.99) * 1000
            goal = f"p99 {p99 / GOAL_P99_MS:.2f} of {GOAL_P99_MS:.0f} ms"
            report(f"think {args.think:g} s #{round_ + 1}", run, delivered.value - before, goal)


def arguments(argv: list[str] | None = None) -> Any:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=None, help="default: a new SQLite file")
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0, help="each saturated run")
    parser.add_argument("--think", type=float, default=5.0)
    parser.add_argument("--think-seconds", type=float, default=30.0, help="each think-time run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each kind")
    parser.add_argument("--workers", type=int, default=1, help="bot worker processes (serve)")
    parser.add_argument(
        "--server-root", default=None, help="serve another checkout (e.g. `git archive` of main)"
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(arguments()))
