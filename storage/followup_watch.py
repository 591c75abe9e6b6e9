"""Whom the daily follow-up run must look at, and what it last evaluated with.

The triggers of migration 0016 mark a person (wake_on = MARKED, marks + 1) on every write to
their absences or engine facts; the run writes the next day it must look again, but only over
the marks it read, so a mark made while it ran is never lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import NamedTuple, TypeVar, cast

from sqlalchemy import Table, delete, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.followup_watch import MARKED, FollowUpRun, FollowUpWatch

T = TypeVar("T")
_WATCH = cast(Table, FollowUpWatch.__table__)
CHUNK = 1000
RUN_ID = 1


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Watched(NamedTuple):
    employee_id: str
    wake_on: date
    marks: int

    @property
    def marked(self) -> bool:
        """Written since the last run, not only a day come."""
        return self.wake_on == MARKED


class Wake(NamedTuple):
    employee_id: str
    wake_on: date
    marks: int  # as read before evaluating


class LastRun(NamedTuple):
    evaluated_on: date
    fingerprint: str


class FollowUpWatchRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def due(self, on: date) -> list[Watched]:
        """Everyone marked, or whose next day to look has come, by id."""
        connection = await self.session.connection()
        rows = await connection.execute(
            select(FollowUpWatch.employee_id, FollowUpWatch.marks, FollowUpWatch.wake_on)
            .where(FollowUpWatch.wake_on <= on)
            .order_by(FollowUpWatch.employee_id)
        )
        return [Watched(who, wake, marks) for who, marks, wake in rows.all()]

    async def all_marks(self) -> dict[str, int]:
        connection = await self.session.connection()
        rows = await connection.execute(select(FollowUpWatch.employee_id, FollowUpWatch.marks))
        return {who: marks for who, marks in rows.all()}

    async def set_wakes(self, wakes: Sequence[Wake]) -> None:
        """The next day to look, for each; a row marked again meanwhile keeps its mark."""
        if not wakes:
            return
        connection = await self.session.connection()
        postgres = connection.dialect.name == "postgresql"
        statement = (postgresql.insert if postgres else sqlite.insert)(_WATCH)
        statement = statement.on_conflict_do_update(
            index_elements=[FollowUpWatch.employee_id],
            set_={"wake_on": statement.excluded.wake_on},
            where=FollowUpWatch.marks == statement.excluded.marks,
        )
        # One statement with many parameter sets, on the connection (the ORM's bulk path
        # costs more than the writing): compiled once, sent in batches.
        for part in chunks(wakes, 5000):
            await connection.execute(statement, [w._asdict() for w in part])

    async def forget(self, watched: Iterable[tuple[str, int]]) -> None:
        """Drop rows of people not evaluated any more (left, erased), unless marked meanwhile."""
        pairs = list(watched)
        for part in chunks(pairs):
            await self.session.execute(
                delete(FollowUpWatch).where(
                    tuple_(FollowUpWatch.employee_id, FollowUpWatch.marks).in_(part)
                )
            )

    async def last_run(self) -> LastRun | None:
        run = await self.session.get(FollowUpRun, RUN_ID)
        return LastRun(run.evaluated_on, run.fingerprint) if run else None

    async def save_run(self, day: date, fingerprint: str) -> None:
        run = await self.session.get(FollowUpRun, RUN_ID)
        if run is None:
            self.session.add(FollowUpRun(id=RUN_ID, evaluated_on=day, fingerprint=fingerprint))
        else:
            run.evaluated_on, run.fingerprint = day, fingerprint
