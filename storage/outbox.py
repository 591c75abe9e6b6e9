"""The outbox: messages stored in the transaction that decides them, claimed and delivered
by the senders (scheduler/outbox.py) under leases, each key sent at most once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage, OutboxSenderBeat, OutboxStatus
from storage.repositories import insert_ignoring_duplicates, insert_many_ignoring_duplicates


@dataclass(frozen=True)
class ClaimedMessage:
    id: int
    idempotency_key: str
    recipient_id: str
    payload: dict[str, Any]
    replaces_key: str | None
    attempts: int
    reply: bool = False  # a turn's reply Teams did not take: goes before the others


def _outbox_row(
    key: str,
    recipient_id: str,
    payload: dict[str, Any],
    now: datetime,
    not_before: datetime | None = None,
    replaces_key: str | None = None,
    reply: bool = False,
) -> dict[str, Any]:
    """The one shape of a new outbox message."""
    return {
        "idempotency_key": key,
        "recipient_id": recipient_id,
        "payload": payload,
        "replaces_key": replaces_key,
        "reply": reply,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": not_before or now,
        "created_at": now,
    }


def _claimed(r: OutboxMessage) -> ClaimedMessage:
    return ClaimedMessage(
        r.id, r.idempotency_key, r.recipient_id, r.payload, r.replaces_key, r.attempts, r.reply
    )


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
        reply: bool = False,
    ) -> bool:
        """Store a message to send; a key seen before is ignored (False), never sent twice.
        `reply`: a turn's reply Teams did not take, claimed before everything else."""
        return await insert_ignoring_duplicates(
            self.session,
            OutboxMessage,
            _outbox_row(key, recipient_id, payload, now, not_before, replaces_key, reply),
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
            .order_by(OutboxMessage.reply.desc(), OutboxMessage.next_attempt_at, OutboxMessage.id)
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
        return [_claimed(r) for r in rows]

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
