"""Follow-ups found by the policy engine, and what the leader did."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, enum_type


class FollowUpStatus(enum.StrEnum):
    OPEN = "open"
    HELD = "held"
    SNOOZED = "snoozed"
    DISMISSED = "dismissed"


class FollowUpRecord(Base):
    """A follow-up the policy produced for one employee, and what the leader did about it."""

    __tablename__ = "followups"
    __table_args__ = (Index("ix_followups_status_due", "status", "due_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # employee:policy:rule:occurrence — evaluating again never makes a second one.
    key: Mapped[str] = mapped_column(String(300), unique=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    policy_id: Mapped[str] = mapped_column(String(50))
    rule_id: Mapped[str] = mapped_column(String(80))
    rule_kind: Mapped[str] = mapped_column(String(30))
    occurrence: Mapped[str] = mapped_column(String(40))
    due_on: Mapped[date] = mapped_column(Date)
    deadline_on: Mapped[date] = mapped_column(Date)
    recipient: Mapped[str] = mapped_column(String(10))
    guide: Mapped[str] = mapped_column(String(30))
    why: Mapped[dict[str, Any]]
    guidance: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    advis_employee: Mapped[bool] = mapped_column(default=False)
    status: Mapped[FollowUpStatus] = mapped_column(
        enum_type(FollowUpStatus), default=FollowUpStatus.OPEN
    )
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    held_on: Mapped[date | None] = mapped_column(Date)
    # Written by the leader for the leader; never shown to anyone else, never in summaries.
    private_note: Mapped[str | None] = mapped_column(Text)
    dismissed_reason: Mapped[str | None] = mapped_column(Text)
    acted_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    reminded_to: Mapped[str | None] = mapped_column(String(100))
    overdue_reminded_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    employee_advised_at: Mapped[datetime | None]
    # The conversation on record when "held" (issue 18): how it was held, who took part and the
    # next steps agreed, in the words of rules/followups/record.py; the employee may comment.
    # Never the private note, never a cause: these are what HR, the employee and NemRefusion's
    # "Samtale" report may see.
    held_how: Mapped[str | None] = mapped_column(String(10))
    participants: Mapped[list[str] | None] = mapped_column(JSON)
    next_steps: Mapped[list[str] | None] = mapped_column(JSON)
    recorded_at: Mapped[datetime | None]
    employee_comment: Mapped[str | None] = mapped_column(Text)
    employee_commented_at: Mapped[datetime | None]
