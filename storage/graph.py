"""Entra ID as naervaer keeps it (issue 19): the directory mirror, where the delta feed left off,
and app installs. The org sync applies a plan through storage.org_import in the same
transaction, so the mirror, the feed's place and the organisation move together or not at all."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import (
    AppInstall,
    DirectorySync,
    DirectoryUser,
    Employee,
    EmploymentStatus,
    FeedNotice,
    ReachStatus,
    TeamsUser,
)

T = TypeVar("T")
USERS_FEED = "users"
# One org sync (one Outlook round) at a time across replicas: numbers of their own beside
# storage.locks.Lock's.
_SYNC_LOCK = 744_221_019
OUTLOOK_LOCK = 744_221_020


class Rollback(Exception):
    """Raised inside `transaction` to undo everything (a dry run) and still return a result."""

    def __init__(self, result: object) -> None:
        self.result = result


async def transaction(
    sessions: async_sessionmaker[AsyncSession], work: Callable[[AsyncSession], Awaitable[T]]
) -> T:
    """`work` in one transaction; a `Rollback` it raises undoes all and returns its result."""
    try:
        async with sessions.begin() as session:
            return await work(session)
    except Rollback as undone:
        return undone.result  # type: ignore[return-value]


async def try_sync_lock(session: AsyncSession) -> bool:
    """Held until the transaction ends; False when another process is syncing."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    query = text("SELECT pg_try_advisory_xact_lock(:k)")
    return bool(await session.scalar(query, {"k": _SYNC_LOCK}))


@asynccontextmanager
async def held(sessions: async_sessionmaker[AsyncSession], key: int) -> AsyncIterator[bool]:
    """A lock across processes for work that calls out between its own transactions: True if
    this process has it (always on SQLite, which has one writer), held until the block ends."""
    async with sessions.begin() as session:
        if session.get_bind().dialect.name != "postgresql":
            yield True
            return
        query = text("SELECT pg_try_advisory_xact_lock(:k)")
        yield bool(await session.scalar(query, {"k": key}))


class Directory:
    """The mirror of Entra's users and the delta feed's place."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def feed(self, feed: str = USERS_FEED) -> DirectorySync | None:
        return await self.session.get(DirectorySync, feed)

    async def users(self) -> dict[str, dict[str, Any]]:
        rows = await self.session.execute(select(DirectoryUser.id, DirectoryUser.data))
        return {user_id: dict(data) for user_id, data in rows}

    async def save(
        self,
        users: Mapping[str, dict[str, Any] | None],
        *,
        replace_all: bool,
        delta_link: str,
        selected: str,
        now: datetime,
    ) -> None:
        """Store what changed (None: gone) and where the feed now stands."""
        if replace_all:
            await self.session.execute(delete(DirectoryUser))
            self.session.add_all(
                DirectoryUser(id=user_id, data=data)
                for user_id, data in users.items()
                if data is not None
            )
        else:
            gone = [user_id for user_id, data in users.items() if data is None]
            if gone:
                await self.session.execute(delete(DirectoryUser).where(DirectoryUser.id.in_(gone)))
            for user_id, data in users.items():
                if data is not None:
                    await self.session.merge(DirectoryUser(id=user_id, data=data))
        await self.session.merge(
            DirectorySync(feed=USERS_FEED, delta_link=delta_link, selected=selected, synced_at=now)
        )
        await self.session.flush()

    async def people(self) -> dict[str, tuple[str, str, str | None, bool]]:
        """Employee id -> (name, unit, leader, active): what a dry run compares the plan with."""
        rows = await self.session.execute(
            select(
                Employee.id, Employee.name, Employee.unit_id, Employee.leader_id, Employee.status
            )
        )
        return {
            row.id: (row.name, row.unit_id, row.leader_id, row.status == EmploymentStatus.ACTIVE)
            for row in rows
        }

    async def employee_ids(self) -> dict[str, str]:
        """Entra object id (lower case) -> the employee id naervaer already uses for them, so
        people first imported from a CSV keep their id (and their history)."""
        rows = await self.session.execute(
            select(Employee.aad_object_id, Employee.id).where(Employee.aad_object_id.is_not(None))
        )
        return {aad.lower(): employee_id for aad, employee_id in rows if aad}


class Installs:
    """Who should have the Teams app and who got it."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lacking(self, app_id: str) -> list[str]:
        """Entra object ids of active people with no working Teams address and no install."""
        reached = select(TeamsUser.employee_id).where(
            TeamsUser.employee_id.is_not(None), TeamsUser.status == ReachStatus.ACTIVE
        )
        installed = select(AppInstall.aad_object_id).where(AppInstall.app_id == app_id)
        rows = await self.session.scalars(
            select(Employee.aad_object_id)
            .where(
                Employee.status == EmploymentStatus.ACTIVE,
                Employee.aad_object_id.is_not(None),
                Employee.id.not_in(reached),
                Employee.aad_object_id.not_in(installed),
            )
            .order_by(Employee.id)
        )
        return [aad for aad in rows if aad]

    async def record(self, aad_object_ids: Iterable[str], app_id: str, now: datetime) -> None:
        for aad in aad_object_ids:
            await self.session.merge(AppInstall(aad_object_id=aad, app_id=app_id, installed_at=now))
        await self.session.flush()


@dataclass(frozen=True)
class DueNotice:
    id: int
    aad_object_id: str | None
    notification: dict[str, Any]
    tries: int


class FeedNotices:
    """The activity feed's own small outbox: stored once per key, claimed for a lease, sent."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self, key: str, recipient_id: str, notification: dict[str, Any], now: datetime
    ) -> bool:
        if await self.session.scalar(select(FeedNotice.id).where(FeedNotice.notice_key == key)):
            return False
        self.session.add(
            FeedNotice(
                notice_key=key,
                recipient_id=recipient_id,
                notification=notification,
                status="pending",
                tries=0,
                due_at=now,
            )
        )
        await self.session.flush()
        return True

    async def claim(self, now: datetime, lease: timedelta, limit: int = 50) -> list[DueNotice]:
        """Pending notices that are due (or claimed by a process that went away), held for
        `lease` so that another process leaves them alone."""
        rows = await self.session.execute(
            select(FeedNotice, Employee.aad_object_id)
            .join(Employee, Employee.id == FeedNotice.recipient_id)
            .where(FeedNotice.status.in_(("pending", "sending")), FeedNotice.due_at <= now)
            .order_by(FeedNotice.due_at, FeedNotice.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claimed = []
        for notice, aad in rows:
            notice.status, notice.due_at = "sending", now + lease
            claimed.append(DueNotice(notice.id, aad, dict(notice.notification), notice.tries))
        await self.session.flush()
        return claimed

    async def finish(
        self,
        notice_id: int,
        status: str,
        now: datetime,
        problem: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        values: dict[str, Any] = {"status": status, "problem": problem}
        if status == "sent":
            values["sent_on"] = now
        if retry_at is not None:
            values.update(due_at=retry_at, tries=FeedNotice.tries + 1)
        await self.session.execute(
            update(FeedNotice).where(FeedNotice.id == notice_id).values(**values)
        )

    async def forget(self, before: datetime) -> None:
        """Sent or failed notices older than the message retention (they quote the chat)."""
        await self.session.execute(
            delete(FeedNotice).where(
                FeedNotice.status.in_(("sent", "failed")), FeedNotice.due_at < before
            )
        )

    async def counts(self) -> dict[str, int]:
        rows = await self.session.execute(select(FeedNotice.status))
        counted: dict[str, int] = {}
        for (status,) in rows:
            counted[status] = counted.get(status, 0) + 1
        return counted
