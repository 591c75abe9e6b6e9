"""Check-in fan-out: 50,000 check-in cards through the outbox and sender to a Teams-limited stub.

One card to each of 50,000 people, through the outbox and the real sender, to a connector stub
that enforces Teams' limits; the same killed halfway and restarted; and the naive loop of the
official proactive-message sample on the same stub.

    python benchmarks/checkin_fanout.py                                  # SQLite, about 70 min
    python benchmarks/checkin_fanout.py --messages 2000 --naive-messages 200   # a quick look
    python benchmarks/checkin_fanout.py --skip-kill --rate 45
    python benchmarks/checkin_fanout.py \\
        --database postgresql+asyncpg://postgres@127.0.0.1:5432/fanout  # emptied first!

Every check-in is written by the bot's own daily check-in job (CheckIns.prompt_due: the prompt
row and its outbox message, key checkin:{employee}:{day}, the real card) and delivered by OutboxSender + Messenger running in a worker process of its own; the stub
(TeamsLimits: 50 requests/s per app, 7/s per conversation, 429 with Retry-After beyond, plus a
round trip of --latency) runs in this process, so it outlives a killed worker and counts what
really arrived.

Run 1   one worker drains everything: messages/s achieved against the configured rate, 429s,
        duplicates, lost, peak memory of the sending process.
Run 2   the same, the worker SIGKILLed at about 50 % and a new one started. A hard kill can
        resend what was on the wire at that instant (the Bot Connector has no idempotency key):
        those rows are retaken when the dead worker's lease (--lease, short here) runs out, and
        are reported as "resent after kill".
Run 2b  the same with SIGTERM: OutboxSender.stop() finishes what is on the wire and hands back
        the rest, so the total must be exactly the number enqueued, without duplicates.
Naive   the official sample's loop (await each send in turn, here at least honouring
        Retry-After) on --naive-messages of them for at most --naive-seconds; the ratio of the
        sender's messages/s to the loop's.

Targets: >= 0.9 of the configured rate, 0 duplicates, 0 lost, < 400 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import resource
import shutil
import signal
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from aiohttp import web
from sqlalchemy import insert, select

from benchmarks.common import empty_database
from bot.app import features_opener, service_config
from bot.cards import ADAPTIVE_CARD
from bot.messenger import Messenger
from bot.metrics import Metrics
from bot.settings import Settings
from rules.calendar import WorkCalendar
from scheduler.clock import SystemClock
from scheduler.outbox import Delivered, OutboxSender, SenderSettings, Throttled
from storage.db import create_engine, session_factory, upgrade
from storage.models import Employee, OutboxMessage, OutboxStatus, ReachStatus, TeamsUser, Unit
from storage.outbox import ClaimedMessage, OutboxRepository
from tests.conftest import free_port
from tests.connector_stub import ConnectorStub, TeamsLimits

SCRIPT = str(Path(__file__).resolve())
TZ = ZoneInfo("Europe/Copenhagen")
CHECKIN_AT = dt_time(14, 30)
OPEN = features_opener(service_config(Settings(timezone="Europe/Copenhagen")))
PROGRESS_EVERY = 120.0  # seconds between progress lines during a long run
MEMORY_TARGET_MB = 400
RATE_TARGET = 0.9


def conversation_of(employee_id: str) -> str:
    return f"a:{employee_id}"


def chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def peak_rss_mb() -> float:
    # ru_maxrss of a spawned worker starts at its parent's peak (Linux keeps it across fork and
    # exec), which would charge the 50,000-row setup to the sender; VmHWM is this process's own.
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _no_token() -> str:
    return ""


# --- Setting up --------------------------------------------------------------------------------


async def prepare(
    database: str | None, employees: Sequence[str], day: date, service_url: str
) -> tuple[str, float]:
    """An emptied database with the people, their Teams addresses (at the stub) and one check-in
    each in the outbox; returns the url and how long enqueueing took."""
    url = await empty_database(database, "fanout")
    engine = create_engine(url)
    await upgrade(engine)
    sessions = session_factory(engine)
    now = SystemClock().now()
    async with sessions.begin() as session:
        await session.execute(insert(Unit), [{"id": "U", "name": "Fanout"}])
    for chunk in chunks(employees, 5000):
        async with sessions.begin() as session:
            await session.execute(
                insert(Employee),
                # Every weekday a working day, so the benchmark runs on any date but a holiday.
                [
                    {"id": e, "name": f"Medarbejder {e}", "unit_id": "U", "workdays": "1234567"}
                    for e in chunk
                ],
            )
            await session.execute(
                insert(TeamsUser),
                [
                    {
                        "teams_user_id": f"29:{e}",
                        "tenant_id": "t",
                        "employee_id": e,
                        "service_url": service_url,
                        "conversation_id": conversation_of(e),
                        "last_seen": now,
                        "status": ReachStatus.ACTIVE,
                    }
                    for e in chunk
                ],
            )
    # The bot's own daily check-in job writes every prompt row and its outbox message (the real
    # card, in each person's language, with the who-can-see footer), as at 14:30 on `day`.
    started = time.perf_counter()
    async with sessions.begin() as session:
        checkins = OPEN(session, datetime.combine(day, CHECKIN_AT, tzinfo=TZ)).checkins
        prompted = await checkins.prompt_due()
    assert prompted == len(employees), (prompted, len(employees))
    enqueue_seconds = time.perf_counter() - started
    await engine.dispose()
    return url, enqueue_seconds


@contextlib.asynccontextmanager
async def metrics_endpoint(url: str) -> AsyncIterator[Callable[[], Awaitable[str]]]:
    """The bot's own /metrics on the benchmark's database, scraped over HTTP as Prometheus would;
    yields a function returning the outbox depth it reports."""
    engine = create_engine(url)
    app = web.Application()
    metrics = Metrics(session_factory(engine), SystemClock().now, dict, dict)
    app.router.add_get("/metrics", metrics.handler)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()

    async def scrape() -> str:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/metrics") as response:
                text = await response.text()
        depth = {
            line.split('"')[1]: int(float(line.rsplit(" ", 1)[1]))
            for line in text.splitlines()
            if line.startswith("naervaer_outbox_depth{")
        }
        return ", ".join(f"{k} {depth.get(k, 0)}" for k in ("pending", "sending", "sent"))

    try:
        yield scrape
    finally:
        await runner.cleanup()
        await engine.dispose()


async def sample_metrics(scrape: Callable[[], Awaitable[str]], every: float) -> None:
    while True:
        await asyncio.sleep(every)
        print(f"    /metrics outbox     {await scrape()}", flush=True)


def discard(url: str, args: argparse.Namespace) -> None:
    """Remove a temporary SQLite database once its run is counted (about 120 MB at 50,000)."""
    if args.database is None:
        shutil.rmtree(Path(url.split(":///", 1)[1]).parent, ignore_errors=True)


async def outbox_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        counts = await OutboxRepository(session).counts()
    await engine.dispose()
    return counts


# --- Counting what reached the stub --------------------------------------------------------------


@dataclass
class Tally:
    """Empties the stub's call log as it grows and keeps only counts, so the stub process stays
    small however many cards pass through."""

    stub: ConnectorStub
    deliveries: Counter[str] = field(default_factory=Counter)  # per conversation = per check-in
    throttled: int = 0
    other: Counter[int] = field(default_factory=Counter)  # any other status, by status
    delivered: int = 0  # deliveries counted with their repeats
    not_a_card: int = 0
    first_at: float | None = None
    last_delivery_at: float | None = None

    def collect(self) -> None:
        # The stub appends with no await between deciding and recording, so swapping is safe.
        calls, self.stub.calls = self.stub.calls, []
        for call in calls:
            if self.first_at is None:
                self.first_at = call.at
            if call.status == 429:
                self.throttled += 1
            elif call.delivered and call.conversation_id is not None:
                self.deliveries[call.conversation_id] += 1
                self.delivered += 1
                self.last_delivery_at = call.at
                attachments = (call.activity or {}).get("attachments") or [{}]
                if attachments[0].get("contentType") != ADAPTIVE_CARD:
                    self.not_a_card += 1
            else:
                self.other[call.status] += 1

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.deliveries.values() if n > 1)

    def lost(self, employees: Sequence[str]) -> int:
        return sum(1 for e in employees if self.deliveries[conversation_of(e)] == 0)

    def rate(self) -> float:
        if self.first_at is None or self.last_delivery_at is None:
            return 0.0
        return self.delivered / max(self.last_delivery_at - self.first_at, 1e-9)


# --- Worker processes ----------------------------------------------------------------------------


class Worker:
    """This file run again as a hidden worker; its last stdout line is a JSON result."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.output = asyncio.ensure_future(proc.communicate())
        self.timed_out = False

    @classmethod
    async def start(cls, mode: str, url: str, args: argparse.Namespace) -> Worker:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            SCRIPT,
            "--worker",
            mode,
            "--database",
            url,
            "--rate",
            str(args.rate),
            "--lease",
            str(args.lease),
            "--naive-messages",
            str(args.naive_messages),
            "--naive-seconds",
            str(args.naive_seconds),
            stdout=asyncio.subprocess.PIPE,
        )
        return cls(proc)

    async def follow(self, tally: Tally, within: float, until: int | None = None) -> bool:
        """Count the stub's calls while the worker runs. True once it has exited; False as soon
        as `until` deliveries arrived. A worker still running after `within` seconds is killed."""
        deadline = time.monotonic() + within
        report = time.monotonic() + PROGRESS_EVERY
        while True:
            tally.collect()
            if self.output.done():
                return True
            if until is not None and tally.delivered >= until:
                return False
            now = time.monotonic()
            if now >= deadline:
                print(f"    worker {self.proc.pid} overran {within:.0f} s: killed", flush=True)
                self.timed_out = True
                self.proc.kill()
                await self.output
                tally.collect()
                return True
            if now >= report:
                report = now + PROGRESS_EVERY
                print(f"    ... {tally.delivered} delivered, {tally.rate():.1f}/s", flush=True)
            await asyncio.wait({self.output}, timeout=0.05)

    def result(self) -> dict[str, Any]:
        stdout, _ = self.output.result()
        lines = stdout.decode().strip().splitlines()
        if self.proc.returncode != 0 or not lines:
            return {}
        result: dict[str, Any] = json.loads(lines[-1])
        return result


def sender_settings(args: argparse.Namespace) -> SenderSettings:
    return SenderSettings(per_second=args.rate, lease=timedelta(seconds=args.lease))


async def send_worker(args: argparse.Namespace) -> dict[str, Any]:
    """The production path: OutboxSender.start() with the Messenger, until nothing is left to
    send, or until SIGTERM, which stops it the way the bot stops (OutboxSender.stop())."""
    engine = create_engine(args.database)
    sessions = session_factory(engine)
    messenger = Messenger(sessions, _no_token, None)
    sender = OutboxSender(sessions, messenger.deliver, SystemClock(), sender_settings(args))
    stopping = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
    started = time.monotonic()
    sender.start()
    while not stopping.is_set():
        try:
            await asyncio.wait_for(stopping.wait(), 1.0)
        except TimeoutError:
            async with sessions() as session:
                counts = await OutboxRepository(session).counts()
            if counts.get(OutboxStatus.PENDING, 0) + counts.get(OutboxStatus.SENDING, 0) == 0:
                break
    elapsed = time.monotonic() - started
    await sender.stop()
    stop_seconds = time.monotonic() - started - elapsed
    await messenger.close()
    await engine.dispose()
    return {
        "elapsed": elapsed,
        "stop_seconds": stop_seconds,
        "signalled": stopping.is_set(),
        "peak_rss_mb": peak_rss_mb(),
    }


async def naive_worker(args: argparse.Namespace) -> dict[str, Any]:
    """The official proactive-message sample: for each person, await the send, then the next.
    Through the same Messenger; a 429 waits Retry-After and tries again (the sample does not)."""
    engine = create_engine(args.database)
    sessions = session_factory(engine)
    messenger = Messenger(sessions, _no_token, None)
    async with sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage).order_by(OutboxMessage.id).limit(args.naive_messages)
        )
        messages = [
            ClaimedMessage(
                r.id, r.idempotency_key, r.recipient_id, r.payload, r.replaces_key, r.attempts
            )
            for r in rows
        ]
    delivered = throttled = failed = 0
    started = time.monotonic()
    for message in messages:
        if time.monotonic() - started >= args.naive_seconds:
            break
        while isinstance(outcome := await messenger.deliver(message), Throttled):
            throttled += 1
            await asyncio.sleep(outcome.retry_after)
        if isinstance(outcome, Delivered):
            delivered += 1
        else:
            failed += 1
    elapsed = time.monotonic() - started
    await messenger.close()
    await engine.dispose()
    return {
        "delivered": delivered,
        "throttled": throttled,
        "failed": failed,
        "elapsed": elapsed,
        "rate": delivered / max(elapsed, 1e-9),
        "peak_rss_mb": peak_rss_mb(),
    }


# --- The runs ------------------------------------------------------------------------------------


class TeamsStub(ConnectorStub):
    """The connector stub with Teams' limits, acting on a request when it arrives and answering
    a round trip later. The stub's own latency waits before it reads the request, so a sender
    killed meanwhile would lose those requests; Teams would already have delivered them, and a
    restarted sender resends them. Counting them on arrival keeps "resent after kill" honest."""

    def __init__(self, round_trip: float) -> None:
        super().__init__(limits=TeamsLimits(app_per_second=50, conversation_per_second=7))
        self.round_trip = round_trip

    async def _handle(self, kind: str, request: web.Request) -> web.StreamResponse:
        response = await super()._handle(kind, request)
        if self.round_trip:
            await asyncio.sleep(self.round_trip)
        return response


def new_stub(args: argparse.Namespace) -> ConnectorStub:
    return TeamsStub(args.latency)


def run_timeout(args: argparse.Namespace, messages: int) -> float:
    return messages / args.rate * 2 + 300


def fmt_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{status} {n}" for status, n in sorted(counts.items())) or "empty"


async def run_single(
    args: argparse.Namespace, employees: Sequence[str], day: date
) -> dict[str, Any]:
    print(f"\nrun 1: one sender drains {len(employees)} check-ins", flush=True)
    async with new_stub(args) as stub:
        url, enqueue_seconds = await prepare(args.database, employees, day, stub.base_url)
        print(
            f"    enqueued {len(employees)} in {enqueue_seconds:.1f} s "
            f"({len(employees) / enqueue_seconds:.0f}/s by the check-in job, rows and outbox)",
            flush=True,
        )
        tally = Tally(stub)
        worker = await Worker.start("send", url, args)
        async with metrics_endpoint(url) as scrape:
            sampler = asyncio.create_task(sample_metrics(scrape, args.metrics_every))
            await worker.follow(tally, run_timeout(args, len(employees)))
            sampler.cancel()
            print(f"    /metrics at the end  {await scrape()}", flush=True)
        result = worker.result()
        counts = await outbox_counts(url)
    discard(url, args)
    figures = {
        "rate": tally.rate(),
        "throttled": tally.throttled,
        "duplicates": tally.duplicates,
        "lost": tally.lost(employees),
        "delivered": tally.delivered,
        "peak_rss_mb": result.get("peak_rss_mb"),
        "timed_out": worker.timed_out,
    }
    rss = result.get("peak_rss_mb")
    print(f"    database            {url.split(':')[0]}")
    print(
        f"    throughput          {figures['rate']:.1f} messages/s against {args.rate:g}/s "
        f"configured ({figures['rate'] / args.rate:.2f}); worker took {result.get('elapsed', 0):.0f} s"
    )
    print(f"    429 received        {tally.throttled}")
    print(f"    delivered           {tally.delivered} (cards {tally.delivered - tally.not_a_card})")
    print(f"    duplicates          {tally.duplicates}")
    print(f"    lost                {figures['lost']}")
    print(f"    other answers       {dict(tally.other) or 'none'}")
    print(f"    outbox afterwards   {fmt_counts(counts)}")
    print(
        f"    peak memory         {rss:.0f} MB sending process"
        if rss is not None
        else "    peak memory         unknown (worker gave no result)"
    )
    print(
        f"                        ({peak_rss_mb():.0f} MB this process: stub and counting)",
        flush=True,
    )
    return figures


async def run_interrupted(
    args: argparse.Namespace, employees: Sequence[str], day: date, sig: signal.Signals
) -> dict[str, Any]:
    kill_at = max(1, round(len(employees) * args.kill_at))
    print(
        f"\nrun 2{'b' if sig == signal.SIGTERM else ''}: {sig.name} at {kill_at} deliveries, then a new "
        f"sender (lease {args.lease:g} s)",
        flush=True,
    )
    async with new_stub(args) as stub:
        url, _ = await prepare(args.database, employees, day, stub.base_url)
        tally = Tally(stub)
        first = await Worker.start("send", url, args)
        timeout = run_timeout(args, len(employees))
        exited = await first.follow(tally, timeout, until=kill_at)
        at_signal = tally.delivered
        signalled_at = time.monotonic()
        if not exited:
            first.proc.send_signal(sig)
            await first.follow(tally, 60)
        exit_seconds = time.monotonic() - signalled_at
        by_first = Counter(tally.deliveries)
        first_result = first.result()
        held = await outbox_counts(url)
        second = await Worker.start("send", url, args)
        restarted = time.monotonic()
        await second.follow(tally, timeout)
        second_seconds = time.monotonic() - restarted
        counts = await outbox_counts(url)
    discard(url, args)
    by_second = tally.deliveries - by_first
    resent = sum(1 for c in by_first if by_second[c] > 0)
    figures = {
        "signal": sig.name,
        "at_signal": at_signal,
        "total": tally.delivered,
        "distinct": len(tally.deliveries),
        "duplicates": tally.duplicates,
        "resent": resent,
        "lost": tally.lost(employees),
        "timed_out": first.timed_out or second.timed_out,
    }
    recorded = held.get(OutboxStatus.SENT, 0)
    print(
        f"    {sig.name:<8}            at {at_signal} deliveries "
        f"({at_signal / len(employees):.0%}); exited after {exit_seconds:.2f} s with "
        f"{sum(by_first.values())} delivered"
        + (f" (stop() took {first_result.get('stop_seconds', 0):.2f} s)" if first_result else "")
    )
    print(
        f"    outbox then         {fmt_counts(held)}; the stub had "
        f"{sum(by_first.values()) - recorded} more than recorded as sent"
    )
    print(f"    second sender       {sum(by_second.values())} delivered in {second_seconds:.0f} s")
    print(
        f"    delivered           {tally.delivered} in total, {len(tally.deliveries)} distinct, "
        f"of {len(employees)} enqueued"
    )
    print(f"    duplicates          {tally.duplicates}")
    print(
        f"    resent after {sig.name.lower()[3:]:<6} {resent} (delivered before the signal and again after)"
    )
    print(f"    lost                {figures['lost']}")
    print(f"    429 received        {tally.throttled}; other answers {dict(tally.other) or 'none'}")
    print(f"    outbox afterwards   {fmt_counts(counts)}", flush=True)
    return figures


async def run_naive(
    args: argparse.Namespace, employees: Sequence[str], day: date
) -> dict[str, Any]:
    subset = employees[: args.naive_messages]
    print(
        f"\nnaive loop: await each send in turn, {len(subset)} check-ins, at most "
        f"{args.naive_seconds:g} s",
        flush=True,
    )
    async with new_stub(args) as stub:
        url, _ = await prepare(args.database, subset, day, stub.base_url)
        tally = Tally(stub)
        worker = await Worker.start("naive", url, args)
        await worker.follow(tally, args.naive_seconds + 300)
        result = worker.result()
    discard(url, args)
    rate = float(result.get("rate", 0.0))
    print(
        f"    throughput          {rate:.1f} messages/s ({result.get('delivered', 0)} delivered in "
        f"{result.get('elapsed', 0):.0f} s)"
    )
    print(f"    429 received        {tally.throttled}; duplicates {tally.duplicates}")
    print(
        f"    (one request at a time: at most 1 / round trip = {1 / max(args.latency, 1e-3):.0f}/s, "
        "whatever Teams allows)",
        flush=True,
    )
    return {"rate": rate, "throttled": tally.throttled}


async def main(args: argparse.Namespace) -> None:
    day = SystemClock().now().astimezone(TZ).date()
    while WorkCalendar("1234567", TZ).is_public_holiday(day):
        day += timedelta(days=1)  # the check-in job asks nobody on a holiday
    employees = [f"e{n:05d}" for n in range(args.messages)]
    print(
        f"check-in fan-out: {args.messages} people, sender rate {args.rate:g}/s, stub "
        f"TeamsLimits(50/s per app, 7/s per conversation), latency {args.latency * 1000:.0f} ms",
        flush=True,
    )
    single = await run_single(args, employees, day)
    interrupted = []
    if not args.skip_kill:
        interrupted.append(await run_interrupted(args, employees, day, signal.SIGKILL))
        interrupted.append(await run_interrupted(args, employees, day, signal.SIGTERM))
    naive = await run_naive(args, employees, day) if args.naive_messages > 0 else None
    summary(args, single, interrupted, naive)


def summary(
    args: argparse.Namespace,
    single: dict[str, Any],
    interrupted: list[dict[str, Any]],
    naive: dict[str, Any] | None,
) -> None:
    n = args.messages

    def met(ok: bool) -> str:
        return "yes" if ok else "NO"

    rows: list[tuple[str, str, str, str]] = [
        (
            "run 1 messages/s",
            f"{single['rate']:.1f} ({single['rate'] / args.rate:.2f} of {args.rate:g})",
            f">= {RATE_TARGET * args.rate:.1f}",
            met(single["rate"] >= RATE_TARGET * args.rate),
        ),
        ("run 1 429s received", str(single["throttled"]), "-", ""),
        ("run 1 duplicates", str(single["duplicates"]), "0", met(single["duplicates"] == 0)),
        ("run 1 lost", str(single["lost"]), "0", met(single["lost"] == 0)),
    ]
    rss = single["peak_rss_mb"]
    rows.append(
        (
            "run 1 peak memory",
            f"{rss:.0f} MB" if rss is not None else "unknown",
            f"< {MEMORY_TARGET_MB} MB",
            met(rss is not None and rss < MEMORY_TARGET_MB),
        )
    )
    notes = []
    for run in interrupted:
        name = f"{run['signal']} at {run['at_signal']}"
        rows.append(
            (
                f"{name}: delivered",
                f"{run['total']} ({run['distinct']} distinct)",
                f"= {n}",
                met(run["total"] == n),
            )
        )
        rows.append(
            (
                f"{name}: duplicates",
                f"{run['duplicates']} ({run['resent']} resent after restart)",
                "0",
                met(run["duplicates"] == 0),
            )
        )
        rows.append((f"{name}: lost", str(run["lost"]), "0", met(run["lost"] == 0)))
        if run["signal"] == "SIGKILL" and run["duplicates"] and run["duplicates"] == run["resent"]:
            notes.append(
                f"SIGKILL: the {run['resent']} duplicates had reached the stub but were not yet "
                "recorded as sent when the worker died (round trip plus the write, at the "
                "sender's rate); the Bot Connector takes no idempotency key, so no sender can tell "
                "they arrived. A graceful stop (SIGTERM) neither resends nor loses."
            )
    if naive is not None:
        rows.append(("naive loop messages/s", f"{naive['rate']:.1f}", "-", ""))
        ratio = single["rate"] / naive["rate"] if naive["rate"] else float("inf")
        rows.append(("sender / naive", f"{ratio:.1f}x", "-", ""))
    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    print(f"\nsummary ({n} check-ins, latency {args.latency * 1000:.0f} ms)")
    print(f"    {'figure':<{width}}  {'value':<{value_width}}  {'target':<10}  met")
    for name, value, target, ok in rows:
        print(f"    {name:<{width}}  {value:<{value_width}}  {target:<10}  {ok}".rstrip())
    for note in notes:
        print(f"    {note}")
    sys.stdout.flush()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=50_000, help="check-ins, one per person")
    parser.add_argument(
        "--rate", type=float, default=SenderSettings().per_second, help="sender's requests/s"
    )
    parser.add_argument("--database", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--naive-messages", type=int, default=2000)
    parser.add_argument(
        "--metrics-every", type=float, default=120.0, help="seconds between /metrics scrapes"
    )
    parser.add_argument("--naive-seconds", type=float, default=300.0)
    parser.add_argument("--skip-kill", action="store_true", help="only run 1 and the naive loop")
    parser.add_argument("--kill-at", type=float, default=0.5, help="fraction delivered")
    parser.add_argument(
        "--lease",
        type=float,
        default=5.0,
        help="sender lease in seconds (production: 120), how long a killed worker's rows wait",
    )
    parser.add_argument(
        "--latency", type=float, default=0.1, help="stub round trip in seconds (Teams: 0.1-0.3)"
    )
    parser.add_argument("--worker", choices=["send", "naive"], help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.worker is None:
        sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
        asyncio.run(main(arguments))
    else:
        logging.basicConfig(level=logging.WARNING, format="    [worker] %(levelname)s %(message)s")
        work = send_worker if arguments.worker == "send" else naive_worker
        print(json.dumps(asyncio.run(work(arguments))), flush=True)
