"""What is to be sent, and which incoming activities were seen."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, enum_type


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"


class OutboxMessage(Base):
    """Everything the bot sends on its own initiative, stored before it is sent."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    payload: Mapped[dict[str, Any]]
    # When set, the payload replaces an earlier message (card updated in place).
    replaces_key: Mapped[str | None] = mapped_column(String(200))
    # A turn's reply Teams did not take (429) waits here and goes before everything else.
    reply: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[OutboxStatus] = mapped_column(
        enum_type(OutboxStatus), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    activity_id: Mapped[str | None] = mapped_column(String(200))
    conversation_id: Mapped[str | None] = mapped_column(String(500))


class OutboxSenderBeat(Base):
    """A live outbox sender. Teams' limit is per app, so replicas count each other and share it."""

    __tablename__ = "outbox_senders"

    worker: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime]


class ProcessedActivity(Base):
    """Teams re-sends an activity it thinks timed out; this remembers what we already handled."""

    __tablename__ = "processed_activities"

    conversation_id: Mapped[str] = mapped_column(String(500), primary_key=True)
    activity_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
