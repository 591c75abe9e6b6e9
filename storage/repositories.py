"""One repository per aggregate; intention-revealing methods, no SQL outside storage/."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Employee,
    EmploymentStatus,
    OutboxMessage,
    OutboxSenderBeat,
    OutboxStatus,
    ProcessedActivity,
    ReachStatus,
    TeamsUser,
)


async def insert_many_ignoring_duplicates(
    session: AsyncSession, model: type, rows: list[dict[str, Any]], chunk: int = 1000
) -> None:
    """Bulk insert; rows whose unique key exists already are skipped, also under concurrency."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for start in range(0, len(rows), chunk):
        await session.execute(insert(model).on_conflict_do_nothing(), rows[start : start + chunk])


async def insert_ignoring_duplicates(
    session: AsyncSession, model: type, values: dict[str, Any]
) -> bool:
    """Insert a row unless its unique key exists; True when inserted. Safe under concurrency."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = await session.execute(insert(model).values(**values).on_conflict_do_nothing())
    return bool(result.rowcount)  # type: ignore[attr-defined]


class OrgRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, employee_id: str) -> Employee | None:
        return await self.session.get(Employee, employee_id)

    async def find_by_identity(
        self, aad_object_id: str | None, email: str | None
    ) -> Employee | None:
        """Teams' AAD object id first; e-mail only when the directory id is unknown to us."""
        if aad_object_id:
            found = await self.session.scalar(
                select(Employee).where(func.lower(Employee.aad_object_id) == aad_object_id.lower())
            )
            if found is not None:
                return found if found.status == EmploymentStatus.ACTIVE else None
        if email:
            found = await self.session.scalar(
                select(Employee).where(
                    func.lower(Employee.email) == email.lower(),
                    Employee.status == EmploymentStatus.ACTIVE,
                )
            )
            return found
        return None


@dataclass(frozen=True)
class Address:
    """Where to deliver to one Teams user."""

    teams_user_id: str
    tenant_id: str
    service_url: str
    channel_id: str
    bot_id: str | None
    conversation_id: str | None
    status: ReachStatus
    locale: str | None = None


@dataclass(frozen=True)
class SeenUser:
    teams_user_id: str
    tenant_id: str
    service_url: str
    channel_id: str
    bot_id: str | None
    conversation_id: str | None
    aad_object_id: str | None
    name: str | None
    locale: str | None


class TeamsUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(
        self, seen: SeenUser, employee_id: str | None, now: datetime, status: ReachStatus
    ) -> tuple[TeamsUser, bool]:
        """The row, and whether this is a first contact (or a return after uninstall/block)."""
        row = await self.session.scalar(
            select(TeamsUser).where(
                TeamsUser.tenant_id == seen.tenant_id, TeamsUser.teams_user_id == seen.teams_user_id
            )
        )
        returning = row is not None and row.status != ReachStatus.ACTIVE
        if row is None:
            # Teams sends installationUpdate and conversationUpdate at once: only the turn whose
            # insert wins counts as the first contact.
            returning = await insert_ignoring_duplicates(
                self.session,
                TeamsUser,
                {
                    "teams_user_id": seen.teams_user_id,
                    "tenant_id": seen.tenant_id,
                    "service_url": seen.service_url,
                    "last_seen": now,
                    "status": status,
                },
            )
            row = await self.session.scalar(
                select(TeamsUser).where(
                    TeamsUser.tenant_id == seen.tenant_id,
                    TeamsUser.teams_user_id == seen.teams_user_id,
                )
            )
            assert row is not None
        row.service_url = seen.service_url
        row.channel_id = seen.channel_id
        row.bot_id = seen.bot_id or row.bot_id
        # Only a personal (1:1) conversation is worth remembering for proactive messages.
        row.conversation_id = seen.conversation_id or row.conversation_id
        row.aad_object_id = seen.aad_object_id or row.aad_object_id
        row.name = seen.name or row.name
        row.locale = seen.locale or row.locale
        row.employee_id = employee_id
        row.status = status
        row.status_reason = None if status == ReachStatus.ACTIVE else row.status_reason
        row.last_seen = now
        return row, returning

    async def address_of(self, employee_id: str) -> Address | None:
        row = await self.session.scalar(
            select(TeamsUser)
            .where(TeamsUser.employee_id == employee_id)
            .order_by(TeamsUser.last_seen.desc())
            .limit(1)
        )
        if row is None:
            return None
        return Address(
            row.teams_user_id,
            row.tenant_id,
            row.service_url,
            row.channel_id,
            row.bot_id,
            row.conversation_id,
            row.status,
            row.locale,
        )

    async def remember_conversation(
        self, employee_id: str, teams_user_id: str, conversation_id: str
    ) -> None:
        await self.session.execute(
            update(TeamsUser)
            .where(TeamsUser.employee_id == employee_id, TeamsUser.teams_user_id == teams_user_id)
            .values(conversation_id=conversation_id)
        )

    async def mark_unreachable(self, employee_id: str, status: ReachStatus, reason: str) -> None:
        await self.session.execute(
            update(TeamsUser)
            .where(TeamsUser.employee_id == employee_id)
            .values(status=status, status_reason=reason[:200])
        )


class IncomingActivities:
    async def first_time(
        self, session: AsyncSession, conversation_id: str, activity_id: str, now: datetime
    ) -> bool:
        """Record an incoming activity; False when it was handled before (a Teams re-send)."""
        return await insert_ignoring_duplicates(
            session,
            ProcessedActivity,
            {"conversation_id": conversation_id, "activity_id": activity_id, "received_at": now},
        )

    async def forget_before(self, session: AsyncSession, cutoff: datetime) -> int:
        result = await session.execute(
            delete(ProcessedActivity).where(ProcessedActivity.received_at < cutoff)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ClaimedMessage:
    id: int
    idempotency_key: str
    recipient_id: str
    payload: dict[str, Any]
    replaces_key: str | None
    attempts: int


def _outbox_row(
    key: str,
    recipient_id: str,
    payload: dict[str, Any],
    now: datetime,
    not_before: datetime | None = None,
    replaces_key: str | None = None,
) -> dict[str, Any]:
    """The one shape of a new outbox message."""
    return {
        "idempotency_key": key,
        "recipient_id": recipient_id,
        "payload": payload,
        "replaces_key": replaces_key,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": not_before or now,
        "created_at": now,
    }


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(
        self,
        key: str,
        recipient_id: str,
        payload: dict[str, Any],
        now: datetime,
        *,
        not_before: datetime | None = None,
        replaces_key: str | None = None,
    ) -> bool:
        """Store a message to send; a key seen before is ignored (False), never sent twice."""
        return await insert_ignoring_duplicates(
            self.session,
            OutboxMessage,
            _outbox_row(key, recipient_id, payload, now, not_before, replaces_key),
        )

    async def enqueue_many(
        self, messages: list[tuple[str, str, dict[str, Any]]], now: datetime
    ) -> None:
        """Store many messages to send now, each (key, recipient, payload); keys seen before are
        ignored, as by `enqueue`, in bulk statements (a morning's check-in prompts)."""
        rows = [_outbox_row(key, recipient, payload, now) for key, recipient, payload in messages]
        await insert_many_ignoring_duplicates(self.session, OutboxMessage, rows)

    async def claim(
        self, worker: str, now: datetime, limit: int, lease: timedelta
    ) -> list[ClaimedMessage]:
        """Take due messages for this worker. A crashed worker's lease runs out and others retake."""
        due = (
            select(OutboxMessage.id)
            .where(
                or_(
                    (OutboxMessage.status == OutboxStatus.PENDING)
                    & (OutboxMessage.next_attempt_at <= now),
                    (OutboxMessage.status == OutboxStatus.SENDING)
                    & (OutboxMessage.lease_until < now),
                )
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
        if self.session.get_bind().dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        ids = list(await self.session.scalars(due))
        if not ids:
            return []
        # SQLite has no SKIP LOCKED; its single writer makes this conditional update the claim.
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(
                status=OutboxStatus.SENDING,
                claimed_by=worker,
                lease_until=now + lease,
                # A retaken row may have crashed its last worker: count it, so it cannot loop.
                attempts=OutboxMessage.attempts
                + case((OutboxMessage.status == OutboxStatus.SENDING, 1), else_=0),
            )
        )
        rows = await self.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == worker)
            .order_by(OutboxMessage.id)
        )
        return [
            ClaimedMessage(
                r.id, r.idempotency_key, r.recipient_id, r.payload, r.replaces_key, r.attempts
            )
            for r in rows
        ]

    async def renew_lease(
        self, message_id: int, worker: str, now: datetime, lease: timedelta
    ) -> bool:
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.claimed_by == worker,
                OutboxMessage.status == OutboxStatus.SENDING,
            )
            .values(lease_until=now + lease)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def release_parked(self, recipient_id: str, now: datetime) -> int:
        """The person just opened the bot: what waited for them goes now."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.recipient_id == recipient_id,
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.next_attempt_at > now,
            )
            .values(next_attempt_at=now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def next_version(self, prefix: str) -> int:
        """1 + how many messages have keys starting with `prefix`: versions of one thing (a card
        replaced again and again, replies to one comment) get keys of their own, even when the
        clock stands still."""
        count = await self.session.scalar(
            select(func.count()).where(OutboxMessage.idempotency_key.startswith(prefix))
        )
        return int(count or 0) + 1

    async def sent_activity(self, key: str) -> tuple[str, str] | None:
        """Conversation and activity id of a delivered message, so a later one can replace it."""
        row = await self.session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.idempotency_key == key, OutboxMessage.status == OutboxStatus.SENT
            )
        )
        if row is None or row.activity_id is None or row.conversation_id is None:
            return None
        return row.conversation_id, row.activity_id

    async def _finish(self, message_id: int, worker: str, **values: Any) -> None:
        # Only the worker holding the lease may write the outcome.
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == worker)
            .values(lease_until=None, **values)
        )

    async def mark_sent(
        self,
        message_id: int,
        worker: str,
        now: datetime,
        conversation_id: str,
        activity_id: str | None,
    ) -> None:
        await self._finish(
            message_id,
            worker,
            status=OutboxStatus.SENT,
            sent_at=now,
            conversation_id=conversation_id,
            activity_id=activity_id,
            last_error=None,
            attempts=OutboxMessage.attempts + 1,
        )

    async def retry_at(
        self, message_id: int, worker: str, at: datetime, error: str, *, count_attempt: bool
    ) -> None:
        await self._finish(
            message_id,
            worker,
            status=OutboxStatus.PENDING,
            next_attempt_at=at,
            last_error=error[:2000],
            attempts=OutboxMessage.attempts + (1 if count_attempt else 0),
        )

    async def beat(self, worker: str, now: datetime, alive: timedelta) -> int:
        """Say this sender is alive; returns how many senders are (itself included)."""
        seen = await self.session.execute(
            update(OutboxSenderBeat).where(OutboxSenderBeat.worker == worker).values(seen_at=now)
        )
        if not seen.rowcount:  # type: ignore[attr-defined]
            self.session.add(OutboxSenderBeat(worker=worker, seen_at=now))
        # A sender that stopped beating (killed) no longer takes a share.
        await self.session.execute(
            delete(OutboxSenderBeat).where(OutboxSenderBeat.seen_at < now - alive)
        )
        await self.session.flush()
        return int(await self.session.scalar(select(func.count(OutboxSenderBeat.worker))) or 1)

    async def leave(self, worker: str) -> None:
        await self.session.execute(
            delete(OutboxSenderBeat).where(OutboxSenderBeat.worker == worker)
        )

    async def release(self, message_id: int, worker: str) -> None:
        """Hand a claimed, unsent message back (shutting down): others may take it at once."""
        await self._finish(message_id, worker, status=OutboxStatus.PENDING, claimed_by=None)

    async def give_up(self, message_id: int, worker: str, status: OutboxStatus, error: str) -> None:
        await self._finish(
            message_id,
            worker,
            status=status,
            last_error=error[:2000],
            attempts=OutboxMessage.attempts + 1,
        )

    async def counts(self) -> dict[str, int]:
        rows = await self.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        return {str(status): int(n) for status, n in rows.all()}
