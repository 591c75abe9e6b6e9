"""Delivers the outbox: claims pipelined, Retry-After, backoff, terminal errors, exactly one send
per key.

Teams' limits (about 50 requests/s per app, and per conversation 7/1 s, 8/2 s, 60/30 s, 1,800/h)
are kept by the send budget (scheduler/send_budget.py), which the delivery asks just before its
HTTP request, and which the in-turn replies share. The delivery itself (HTTP to the Bot
Connector) is passed in by bot/, so this module stays free of Teams types and can be driven by
tests and benchmarks with any delivery function.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from scheduler.clock import Clock
from scheduler.send_budget import SendBudget, SendingStopped
from storage.db import Sessions
from storage.models import OutboxStatus, ReachStatus
from storage.outbox import ClaimedMessage, OutboxRepository
from storage.teams import TeamsUserRepository

log = logging.getLogger("naervaer.outbox")


@dataclass(frozen=True)
class Delivered:
    conversation_id: str
    activity_id: str | None


@dataclass(frozen=True)
class Throttled:
    retry_after: float


@dataclass(frozen=True)
class Transient:
    error: str


@dataclass(frozen=True)
class Unreachable:
    """The user blocked or removed the bot, or the conversation is gone: stop trying."""

    status: ReachStatus
    error: str


@dataclass(frozen=True)
class Rejected:
    """Teams refused this one message (e.g. 400): retrying the same payload will not help."""

    error: str


@dataclass(frozen=True)
class Parked:
    """Nobody to deliver to yet (the person has not opened the bot): wait, without using up
    attempts, until they do."""

    error: str


@dataclass(frozen=True)
class Deferred:
    """The send budget has no room for this conversation for `seconds` (a busy one): nothing
    was sent."""

    seconds: float


Outcome = Delivered | Throttled | Transient | Unreachable | Rejected | Parked | Deferred
PARKED_RETRY = timedelta(minutes=5)
# 429s a claimed message is tried again in hand, before it goes back to the outbox.
HELD_RETRIES = 3
Deliver = Callable[[ClaimedMessage], Awaitable[Outcome]]


@dataclass(frozen=True)
class SenderSettings:
    # Teams' 50/s per app; the send budget's window is 20 ms longer than Teams' second (49/s
    # at most; 0.97 of 50/s measured), see scheduler/send_budget.py for why.
    per_second: float = 50.0
    per_conversation_per_second: float = 7.0
    # Teams' windows per conversation (7/1 s, 8/2 s, 60/30 s, 1,800/h); off only for a
    # connector without them (the end-to-end tests' stub, which lives days in seconds).
    conversation_windows: bool = True
    max_attempts: int = 8
    backoff_base_seconds: float = 2.0
    backoff_cap_seconds: float = 300.0
    batch_size: int = 50
    # Claimed and not yet recorded, at most: sends waiting for the budget cost no more than a
    # future, and a busy conversation's queue must not hold up everyone else's.
    in_flight: int = 200
    lease: timedelta = timedelta(seconds=120)
    idle_poll_seconds: float = 0.5
    # Replicas say they are alive this often; one silent for three beats no longer takes a share.
    beat_seconds: float = 5.0


class OutboxSender:
    def __init__(
        self,
        sessions: Sessions,
        deliver: Deliver,
        clock: Clock,
        settings: SenderSettings | None = None,
        worker_id: str | None = None,
        budget: SendBudget | None = None,
    ) -> None:
        """`budget`: the one the delivery takes its places from (the messenger's), shared with
        the in-turn replies; this sender splits it with the other replicas and closes it on stop."""
        self.sessions = sessions
        self.deliver = deliver
        self.clock = clock
        self.settings = settings or SenderSettings()
        # Host and pid say which process holds a row; the suffix tells restarts apart.
        self.worker = (
            worker_id or f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        )
        self.budget = budget or SendBudget.for_rates(
            self.settings.per_second,
            self.settings.per_conversation_per_second,
            self.settings.conversation_windows,
        )
        # A send held for its conversation longer than this goes back to the outbox: its claim
        # is renewed at most every half lease (_still_ours), so the hold stays well inside it.
        self.budget.horizon = min(self.budget.horizon, self.settings.lease.total_seconds() / 4)
        # How many senders share Teams' per-app limit (this one included); see share_rate().
        self.senders = 1
        self._next_beat = 0.0
        self._wake = asyncio.Event()
        self._room = asyncio.Event()
        # What this process saw: sent, throttled (429), retried, failed, unreachable, parked.
        self.stats: Counter[str] = Counter()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        # A claim may hand back a row still going out here (its lease ran out on a clock that
        # jumped): one send per row.
        self._sending: set[int] = set()
        # SQLite has one writer; queueing here beats its busy-wait back-off by far.
        self._write_lock: asyncio.Lock | None = (
            asyncio.Lock() if sessions.kw["bind"].dialect.name == "sqlite" else None
        )

    def wake(self) -> None:
        """Something was just enqueued: do not wait for the next poll."""
        self._wake.set()

    def start(self) -> None:
        self._stopping = False
        self.budget.open()
        self._task = asyncio.create_task(self._run(), name=f"outbox-{self.worker}")

    async def stop(self, grace_seconds: float = 5.0) -> None:
        """Finish the sends already on the wire and hand back the rest (sends still waiting
        for the budget at once); cancel only what outlives the grace period."""
        if self._task is None:
            return
        self._stopping = True
        self.budget.close()
        self._wake.set()
        self._room.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), grace_seconds)
        except TimeoutError:
            # A send cut off here may have reached Teams unrecorded: it is sent again later.
            log.warning("outbox stop: sends still running after %.0f s, cancelled", grace_seconds)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None
        try:
            async with self._writing(), self.sessions.begin() as session:
                await OutboxRepository(session).leave(self.worker)
        except Exception:  # the others notice within three beats anyway
            log.warning("outbox stop: could not sign off", exc_info=True)

    async def share_rate(self) -> int:
        """Teams counts requests per app, not per process: each of N live senders (replicas)
        takes 1/N of every window of the budget. Returns N."""
        alive = timedelta(seconds=3 * self.settings.beat_seconds)
        async with self._writing(), self.sessions.begin() as session:
            senders = await OutboxRepository(session).beat(self.worker, self.clock.now(), alive)
        if senders != self.senders:
            log.info("outbox: %d senders share %.0f/s", senders, self.settings.per_second)
            self.senders = senders
            self.budget.share(senders)
        self._next_beat = time.monotonic() + self.settings.beat_seconds
        return senders

    async def _run(self) -> None:
        try:
            while not self._stopping:
                try:
                    if time.monotonic() >= self._next_beat:
                        await self.share_rate()
                    claimed = await self._top_up()
                except Exception:  # the sender must outlive a database hiccup
                    log.exception("outbox round failed")
                    claimed = 0
                await self._idle(claimed)
        finally:
            if self._in_flight:
                await asyncio.gather(*self._in_flight, return_exceptions=True)

    async def _top_up(self) -> int:
        """Claim the next batch while the current one is still going out, so the sends never
        wait for a claim; returns how many were claimed."""
        room = self.settings.in_flight - len(self._in_flight)
        if room < self.settings.batch_size:
            return 0
        batch = await self._claim(self.settings.batch_size)
        claimed_at = time.monotonic()
        for message in batch:
            if message.id in self._sending:
                continue
            task = asyncio.create_task(self._send(message, claimed_at))
            self._in_flight.add(task)
            task.add_done_callback(self._done)
        return len(batch)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        if len(self._in_flight) <= self.settings.in_flight - self.settings.batch_size:
            self._room.set()

    async def _idle(self, claimed: int) -> None:
        """Claim again at once after a full batch, as soon as one fits in when the sender is
        full, else when woken or polled."""
        if self._stopping:
            return
        if len(self._in_flight) > self.settings.in_flight - self.settings.batch_size:
            self._room.clear()
            await self._room.wait()
            return
        if claimed == self.settings.batch_size:
            return
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self.settings.idle_poll_seconds)

    async def _claim(self, limit: int) -> list[ClaimedMessage]:
        async with self._writing(), self.sessions.begin() as session:
            return await OutboxRepository(session).claim(
                self.worker, self.clock.now(), limit, self.settings.lease
            )

    async def run_once(self) -> int:
        """Claim one batch of due messages and deliver them; returns how many were claimed."""
        batch = await self._claim(self.settings.batch_size)
        claimed_at = time.monotonic()
        if batch:
            await asyncio.gather(*(self._send(message, claimed_at) for message in batch))
        return len(batch)

    async def drain(self, within_seconds: float = 60.0) -> None:
        """Deliver until nothing is due (tests, benchmarks, the CLI)."""
        deadline = time.monotonic() + within_seconds
        while time.monotonic() < deadline:
            if await self.run_once() == 0:
                return
        raise TimeoutError("outbox not drained in time")

    async def _send(self, message: ClaimedMessage, claimed_at: float) -> None:
        if message.id in self._sending:
            return
        self._sending.add(message.id)
        try:
            await self._send_once(message, claimed_at)
        finally:
            self._sending.discard(message.id)

    async def _send_once(self, message: ClaimedMessage, claimed_at: float) -> None:
        outcome: Outcome = Transient("not tried")
        for _ in range(HELD_RETRIES + 1):
            if not await self._still_ours(message, claimed_at):
                log.warning("outbox lease lost id=%s", message.id)
                return
            try:
                outcome = await self.deliver(message)
            except SendingStopped:
                # Shutting down: what is not yet on the wire goes back, for another process.
                async with self._writing(), self.sessions.begin() as session:
                    await OutboxRepository(session).release(message.id, self.worker)
                return
            except Exception as error:  # a bug or network fault must not lose the message
                log.exception("delivery raised", extra={"outbox_id": message.id})
                outcome = Transient(f"{type(error).__name__}: {error}")
            if not isinstance(outcome, Throttled) or outcome.retry_after > self.budget.horizon:
                break
            # Teams paused this conversation briefly, and the budget holds it back meanwhile:
            # tried again in hand, not behind the whole backlog (claims go by due time).
            self.stats["throttled"] += 1
        await self._record(message, outcome)

    async def _still_ours(self, message: ClaimedMessage, claimed_at: float) -> bool:
        """Only the lease holder may send. A claim is renewed (a write) only when half its lease
        has gone by: the budget holds sends seconds at most, usually; the delivery may wait for
        it up to its horizon, which is kept under a quarter of the lease."""
        if time.monotonic() - claimed_at < self.settings.lease.total_seconds() / 2:
            return True
        async with self._writing(), self.sessions.begin() as session:
            return await OutboxRepository(session).renew_lease(
                message.id, self.worker, self.clock.now(), self.settings.lease
            )

    async def _record(self, message: ClaimedMessage, outcome: Outcome) -> None:
        async with self._writing():
            await self._write(message, outcome)

    def _writing(self) -> contextlib.AbstractAsyncContextManager[object]:
        return self._write_lock if self._write_lock is not None else contextlib.nullcontext()

    async def _write(self, message: ClaimedMessage, outcome: Outcome) -> None:
        now = self.clock.now()
        self.stats[type(outcome).__name__.lower()] += 1
        async with self.sessions.begin() as session:
            outbox = OutboxRepository(session)
            match outcome:
                case Delivered(conversation_id, activity_id):
                    await outbox.mark_sent(
                        message.id, self.worker, now, conversation_id, activity_id
                    )
                    log.info("outbox sent id=%s", message.id)
                case Throttled(retry_after=seconds) | Deferred(seconds=seconds):
                    # Teams said slow down (the delivery paused that conversation in the
                    # budget), or its conversation has no room for a while: no attempt used.
                    why = f"{'429 ' if isinstance(outcome, Throttled) else ''}wait {seconds}s"
                    later = now + timedelta(seconds=seconds)
                    await outbox.retry_at(message.id, self.worker, later, why, count_attempt=False)
                case Parked(error):
                    await outbox.retry_at(
                        message.id, self.worker, now + PARKED_RETRY, error, count_attempt=False
                    )
                case Transient(error) if message.attempts + 1 < self.settings.max_attempts:
                    delay = min(
                        self.settings.backoff_base_seconds * 2**message.attempts,
                        self.settings.backoff_cap_seconds,
                    ) * random.uniform(0.5, 1.5)
                    await outbox.retry_at(
                        message.id,
                        self.worker,
                        now + timedelta(seconds=delay),
                        error,
                        count_attempt=True,
                    )
                    log.warning("outbox retry id=%s in %.1fs: %s", message.id, delay, error)
                case Transient(error) | Rejected(error):
                    await outbox.give_up(message.id, self.worker, OutboxStatus.FAILED, error)
                    log.error("outbox failed id=%s: %s", message.id, error)
                case Unreachable(status, error):
                    await outbox.give_up(message.id, self.worker, OutboxStatus.UNREACHABLE, error)
                    await TeamsUserRepository(session).mark_unreachable(
                        message.recipient_id, status, error
                    )
                    log.warning("recipient unreachable id=%s: %s", message.id, error)
