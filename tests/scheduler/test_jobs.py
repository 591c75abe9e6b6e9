"""The job wrapper: a stop lets a run in progress finish instead of cutting it off mid-query."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from scheduler.jobs import Jobs


async def test_a_stop_lets_the_running_job_finish() -> None:
    jobs = Jobs("Europe/Copenhagen")
    started, finished = asyncio.Event(), []

    async def slow() -> None:
        started.set()
        await asyncio.sleep(0.3)  # a transaction still at work when the stop comes
        finished.append(True)

    jobs.every(timedelta(milliseconds=10), slow, "slow")
    jobs.start()
    await asyncio.wait_for(started.wait(), 10)
    await jobs.stop(grace_seconds=10)
    assert finished == [True]


async def test_a_job_that_outlives_the_grace_is_cancelled() -> None:
    jobs = Jobs("Europe/Copenhagen")
    started = asyncio.Event()

    async def stuck() -> None:
        started.set()
        await asyncio.Event().wait()

    jobs.every(timedelta(milliseconds=10), stuck, "stuck")
    jobs.start()
    await asyncio.wait_for(started.wait(), 10)
    await jobs.stop(grace_seconds=0.05)
    assert jobs._running == set()
