"""Recurring jobs. APScheduler stays behind this small wrapper, as python-telegram-bot's JobQueue does."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduler.clock import Clock
from storage.repositories import IncomingActivities

# Teams re-sends within minutes; two days covers any retry with room to spare.
KEEP_INCOMING_IDS = timedelta(days=2)


class Jobs:
    def __init__(self, timezone: str) -> None:
        self._scheduler = AsyncIOScheduler(timezone=timezone)
        self._running: set[asyncio.Task[object]] = set()

    def every(self, interval: timedelta, job: Callable[[], Awaitable[object]], name: str) -> None:
        async def tracked() -> object:
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            try:
                return await job()
            finally:
                if task is not None:
                    self._running.discard(task)

        self._scheduler.add_job(
            tracked,
            IntervalTrigger(seconds=interval.total_seconds()),
            id=name,
            name=name,
            coalesce=True,
            max_instances=1,
            replace_existing=True,
        )

    def names(self) -> list[str]:
        return sorted(job.id for job in self._scheduler.get_jobs())

    def start(self) -> None:
        self._scheduler.start()

    async def stop(self, grace_seconds: float = 5.0) -> None:
        """No new runs; a run in progress finishes its transaction rather than being cut off."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        if self._running:
            await asyncio.wait(list(self._running), timeout=grace_seconds)


async def forget_old_incoming_ids(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> int:
    async with sessions.begin() as session:
        return await IncomingActivities().forget_before(session, clock.now() - KEEP_INCOMING_IDS)
