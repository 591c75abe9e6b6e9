"""Recurring jobs. APScheduler stays behind this small wrapper, as python-telegram-bot's JobQueue does."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import timedelta
from typing import Generic, Protocol, TypeVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.clock import Clock
from storage.db import Sessions
from storage.locks import Lock
from storage.teams import IncomingActivities

log = logging.getLogger("naervaer.jobs")

# Teams re-sends within minutes; two days covers any retry with room to spare.
KEEP_INCOMING_IDS = timedelta(days=2)


class UnitOfWork(Protocol):
    """What a job runs in: one transaction that can take a lock and counts what it enqueued."""

    async def try_lock(self, lock: Lock) -> bool: ...

    @property
    def enqueued(self) -> int: ...


U = TypeVar("U", bound=UnitOfWork)


@dataclass(frozen=True)
class Job(Generic[U]):
    name: str
    lock: Lock | None  # one process at a time runs it, when set
    run: Callable[[U], Awaitable[object]]


def runner(
    job: Job[U],
    open_unit: Callable[[], AbstractAsyncContextManager[U]],
    wake_sender: Callable[[], None],
) -> Callable[[], Awaitable[None]]:
    """One run of a job: a transaction, the job's lock, the job, and the sender woken when the
    job put anything in the outbox (after the commit, so the sender finds it)."""

    async def run() -> None:
        async with open_unit() as unit:
            if job.lock is not None and not await unit.try_lock(job.lock):
                return
            await job.run(unit)
            enqueued = unit.enqueued
        if enqueued:
            wake_sender()

    return run


class Jobs:
    def __init__(self, timezone: str) -> None:
        self._scheduler = AsyncIOScheduler(timezone=timezone)
        self._running: set[asyncio.Future[object]] = set()

    def every(self, interval: timedelta, job: Callable[[], Awaitable[object]], name: str) -> None:
        async def tracked() -> object:
            # APScheduler 3 cancels running jobs when it shuts down. A job cut off mid-query leaves
            # its connection busy while the outbox still needs the pool to record its last sends,
            # so the job runs as a task of its own that stop() lets finish.
            task = asyncio.ensure_future(job())
            self._running.add(task)
            task.add_done_callback(self._finished)
            try:
                return await asyncio.shield(task)
            except asyncio.CancelledError:
                # The shutdown cancelled our wait, not the job: stop() waits for it, and a
                # cancelled wait is no error to report.
                return None

        self._scheduler.add_job(
            tracked,
            IntervalTrigger(seconds=interval.total_seconds()),
            id=name,
            name=name,
            coalesce=True,
            max_instances=1,
            replace_existing=True,
        )

    def table(
        self, interval: timedelta, runs: Sequence[tuple[str, Callable[[], Awaitable[object]]]]
    ) -> None:
        for name, run in runs:
            self.every(interval, run, name)

    def names(self) -> list[str]:
        return sorted(job.id for job in self._scheduler.get_jobs())

    def start(self) -> None:
        self._scheduler.start()

    async def stop(self, grace_seconds: float = 5.0) -> None:
        """No new runs; a run in progress finishes its transaction rather than being cut off."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        running = list(self._running)
        if running:
            await asyncio.wait(running, timeout=grace_seconds)
        for task in running:
            task.cancel()
        for outcome in await asyncio.gather(*running, return_exceptions=True):
            if isinstance(outcome, Exception):
                log.error("job failed while stopping: %s", type(outcome).__name__)

    def _finished(self, task: asyncio.Future[object]) -> None:
        self._running.discard(task)
        if not task.cancelled():
            task.exception()  # APScheduler reports it; or stop() does, after a shutdown


async def forget_old_incoming_ids(sessions: Sessions, clock: Clock) -> int:
    async with sessions.begin() as session:
        return await IncomingActivities().forget_before(session, clock.now() - KEEP_INCOMING_IDS)
