"""The recurring jobs, as a table: each runs on every tick in its own transaction (see
scheduler.jobs.runner) and does nothing when nothing has come due."""

from __future__ import annotations

import logging
from datetime import date

from scheduler.jobs import Job
from services.features import Features
from services.payroll import PayrollConfig, payroll_job
from storage.locks import Lock

log = logging.getLogger("naervaer.jobs")


class _FollowUps:
    """Once a day the evaluation of those whose follow-ups can change that day (everyone on
    the first run or after a policy change); on every tick, reminders that have come due."""

    def __init__(self) -> None:
        self.evaluated_on: date | None = None

    async def __call__(self, f: Features) -> None:
        if f.work.today != self.evaluated_on:
            # A second process the same day finds only what was marked since the first's run.
            due, created = await f.followups.evaluation.daily()
            self.evaluated_on = f.work.today
            log.info("follow-ups evaluated: %s due, %s new", due, created)
        await f.followups.dispatch()


async def _check_ins(f: Features) -> None:
    """Prompts whose time has come, leaders' digests, the team day colour."""
    await f.team_day.team_day_due()
    await f.checkins.prompt_due()
    await f.checkins.digests_due()


async def _figures(f: Features) -> None:
    """Once a day: the units' monthly figures, and Viborg's nudge on a clear swing."""
    if await f.figures.nightly():
        log.info("unit figures refreshed")


async def _retention(f: Features) -> None:
    """Once a day: apply the retention rules."""
    if await f.privacy.retention_due():
        log.info("retention applied: %s", await f.privacy.run_retention())


async def _nudge(f: Features) -> None:
    await f.leader.nudge_unacknowledged()


def job_table(payroll: PayrollConfig | None = None) -> tuple[Job[Features], ...]:
    """A new table per app: the follow-up job remembers the day it last evaluated."""
    hand_off = (Job("payroll-hand-off", None, payroll_job(payroll)),) if payroll else ()
    return (
        *hand_off,
        Job("nudge-unacknowledged", None, _nudge),
        Job("follow-ups", Lock.FOLLOW_UPS, _FollowUps()),
        Job("check-ins", Lock.CHECK_INS, _check_ins),
        Job("unit-figures", Lock.FIGURES, _figures),
        Job("retention", Lock.RETENTION, _retention),
    )
