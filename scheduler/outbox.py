"""Delivers the outbox: rate limits, Retry-After, backoff, terminal errors, exactly one send per key.

Teams allows about 50 requests/s per app and 7/s per conversation, answering 429 beyond that.
The delivery itself (HTTP to the Bot Connector) is passed in by bot/, so this module stays free
of Teams types and can be driven by tests and benchmarks with any delivery function.
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


Outcome = Delivered | Throttled | Transient | Unreachable | Rejected | Parked
PARKED_RETRY = timedelta(minutes=5)
Deliver = Callable[[ClaimedMessage], Awaitable[Outcome]]


class RateLimiter:
    """A token bucket on the monotonic clock; pause() holds everyone back after a 429."""

    def __init__(self, per_second: float, burst: float | None = None) -> None:
        self._burst = burst
        self.rate = per_second
        self.capacity = burst if burst is not None else max(1.0, per_second / 5)
        self.tokens = self.capacity
        self.updated = time.monotonic()
        self.paused_until = 0.0
        self._lock = asyncio.Lock()

    def set_rate(self, per_second: float) -> None:
        self.rate = per_second
        self.capacity = self._burst if self._burst is not None else max(1.0, per_second / 5)
        self.tokens = min(self.tokens, self.capacity)

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                if now < self.paused_until:
                    await asyncio.sleep(self.paused_until - now)
                    continue
                self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
                self.updated = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                await asyncio.sleep((1 - self.tokens) / self.rate)


@dataclass(frozen=True)
class SenderSettings:
    per_second: float = 40.0
    per_conversation_per_second: float = 7.0
    max_attempts: int = 8
    backoff_base_seconds: float = 2.0
    backoff_cap_seconds: float = 300.0
    batch_size: int = 50
    concurrency: int = 16
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
    ) -> None:
        self.sessions = sessions
        self.deliver = deliver
        self.clock = clock
        self.settings = settings or SenderSettings()
        # Host and pid say which process holds a row; the suffix tells restarts apart.
        self.worker = (
            worker_id or f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        )
        self.limiter = RateLimiter(self.settings.per_second)
        # How many senders share Teams' per-app limit (this one included); see share_rate().
        self.senders = 1
        self._next_beat = 0.0
        self._per_conversation: dict[str, RateLimiter] = {}
        self._wake = asyncio.Event()
        # What this process saw: sent, throttled (429), retried, failed, unreachable, parked.
        self.stats: Counter[str] = Counter()
        self._stopping = False
        # Set by stop(): sends still waiting for the rate limits give their rows back at once,
        # so the grace period is spent only on the sends already on the wire.
        self._stop_requested = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._slots = asyncio.Semaphore(self.settings.concurrency)
        # SQLite has one writer; queueing here beats its busy-wait back-off by far.
        self._write_lock: asyncio.Lock | None = (
            asyncio.Lock() if sessions.kw["bind"].dialect.name == "sqlite" else None
        )

    def wake(self) -> None:
        """Something was just enqueued: do not wait for the next poll."""
        self._wake.set()

    def start(self) -> None:
        self._stopping = False
        self._stop_requested.clear()
        self._task = asyncio.create_task(self._run(), name=f"outbox-{self.worker}")

    async def stop(self, grace_seconds: float = 5.0) -> None:
        """Finish the sends already on the wire and hand back the rest of the round (a cancelled
        transaction may leave a lock behind); cancel only a round that outlives the grace period."""
        if self._task is None:
            return
        self._stopping = True
        self._stop_requested.set()
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), grace_seconds)
        except TimeoutError:
            # A send cut off here may have reached Teams unrecorded: it is sent again later.
            log.warning("outbox stop: round still running after %.0f s, cancelled", grace_seconds)
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        self._task = None
        try:
            async with self._writing(), self.sessions.begin() as session:
                await OutboxRepository(session).leave(self.worker)
        except Exception:  # the others notice within three beats anyway
            log.warning("outbox stop: could not sign off", exc_info=True)

    async def share_rate(self) -> int:
        """Teams counts requests per app, not per process: each of N live senders (replicas)
        sends at the configured rates divided by N. Returns N."""
        alive = timedelta(seconds=3 * self.settings.beat_seconds)
        async with self._writing(), self.sessions.begin() as session:
            senders = await OutboxRepository(session).beat(self.worker, self.clock.now(), alive)
        if senders != self.senders:
            log.info("outbox: %d senders share %.0f/s", senders, self.settings.per_second)
            self.senders = senders
            self.limiter.set_rate(self.settings.per_second / senders)
            self._per_conversation.clear()  # new buckets get the new share
        self._next_beat = time.monotonic() + self.settings.beat_seconds
        return senders

    async def _run(self) -> None:
        while not self._stopping:
            try:
                if time.monotonic() >= self._next_beat:
                    await self.share_rate()
                handled = await self.run_once()
            except Exception:  # the sender must outlive a database hiccup
                log.exception("outbox round failed")
                handled = 0
            if handled == 0 and not self._stopping:
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), self.settings.idle_poll_seconds)
                except TimeoutError:
                    pass

    async def run_once(self) -> int:
        """Claim one batch of due messages and deliver them; returns how many were claimed."""
        async with self._writing(), self.sessions.begin() as session:
            batch = await OutboxRepository(session).claim(
                self.worker, self.clock.now(), self.settings.batch_size, self.settings.lease
            )
        if batch:
            await asyncio.gather(*(self._send(message) for message in batch))
        return len(batch)

    async def drain(self, within_seconds: float = 60.0) -> None:
        """Deliver until nothing is due (tests, benchmarks, the CLI)."""
        deadline = time.monotonic() + within_seconds
        while time.monotonic() < deadline:
            if await self.run_once() == 0:
                return
        raise TimeoutError("outbox not drained in time")

    def _conversation_limiter(self, recipient_id: str) -> RateLimiter:
        limiter = self._per_conversation.get(recipient_id)
        if limiter is None:
            if len(self._per_conversation) > 10_000:
                self._per_conversation.clear()  # idle buckets are full anyway
            limiter = RateLimiter(self.settings.per_conversation_per_second / self.senders, burst=1)
            self._per_conversation[recipient_id] = limiter
        return limiter

    async def _send(self, message: ClaimedMessage) -> None:
        async with self._slots:
            await self._wait_for_limits(message.recipient_id)
            async with self._writing(), self.sessions.begin() as session:
                outbox = OutboxRepository(session)
                if self._stopping:
                    # Shutting down: what is not yet on the wire goes back, for another process.
                    await outbox.release(message.id, self.worker)
                    return
                # Waiting for the limiters may outlast the lease; only the lease holder may send.
                still_ours = await outbox.renew_lease(
                    message.id, self.worker, self.clock.now(), self.settings.lease
                )
            if not still_ours:
                log.warning("outbox lease lost id=%s", message.id)
                return
            try:
                outcome = await self.deliver(message)
            except Exception as error:  # a bug or network fault must not lose the message
                log.exception("delivery raised", extra={"outbox_id": message.id})
                outcome = Transient(f"{type(error).__name__}: {error}")
        await self._record(message, outcome)

    async def _wait_for_limits(self, recipient_id: str) -> None:
        """Wait for both rate limits, or return early when the sender is told to stop."""

        async def both() -> None:
            await self._conversation_limiter(recipient_id).acquire()
            await self.limiter.acquire()

        if self._stop_requested.is_set():
            return
        waiting = asyncio.ensure_future(both())
        stopping = asyncio.ensure_future(self._stop_requested.wait())
        await asyncio.wait({waiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        for task in (waiting, stopping):
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

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
                case Throttled(retry_after):
                    # Teams says slow down: everyone waits, this one is not charged an attempt.
                    self.limiter.pause(retry_after)
                    await outbox.retry_at(
                        message.id,
                        self.worker,
                        now + timedelta(seconds=retry_after),
                        f"429 retry after {retry_after}s",
                        count_attempt=False,
                    )
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
