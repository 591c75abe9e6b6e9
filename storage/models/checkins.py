"""The daily check-in, skulderklap and early-warning nudges."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from rules.checkin import Colour
from storage.models.base import Base, enum_type


class CheckInStatus(enum.StrEnum):
    PROMPTED = "prompted"
    ANSWERED = "answered"
    SKIPPED = "skipped"  # the day was decided against a prompt (absent, too late): never again


class CheckIn(Base):
    """One person's working day: asked once, answered (or not), maybe changed the same day."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("employee_id", "day"),
        Index("ix_checkins_unit_day", "unit_id", "day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    # The unit on that day: figures stay where they belonged when someone moves.
    unit_id: Mapped[str] = mapped_column(String(100))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[CheckInStatus] = mapped_column(enum_type(CheckInStatus))
    # The unit's mode when asked: an answer given anonymously stays anonymous for good.
    anonymous: Mapped[bool] = mapped_column(default=False)
    colour: Mapped[Colour | None] = mapped_column(enum_type(Colour))
    comment: Mapped[str | None] = mapped_column(Text)
    to_green: Mapped[str | None] = mapped_column(Text)
    prompted_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    # The leader saw it (one click) or answered the comment.
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None]


class Kudos(Base):
    """A skulderklap from one colleague to another."""

    __tablename__ = "kudos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sender_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    recipient_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    tell_leader: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]


class Nudge(Base):
    """An early warning sent to a leader; remembered so the same one is not repeated for a week."""

    __tablename__ = "nudges"
    __table_args__ = (Index("ix_nudges_leader_subject", "leader_id", "subject_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    leader_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    # An employee id (a person's streak) or a unit id (a team's swing).
    subject_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    sent_on: Mapped[date] = mapped_column(Date)


class CheckInMonth(Base):
    """Check-in totals per unit and month: what is left of individual answers after retention
    (and of an erased person's answers), so figures over time stay right."""

    __tablename__ = "checkin_months"

    unit_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    green: Mapped[int] = mapped_column(Integer, default=0)
    yellow: Mapped[int] = mapped_column(Integer, default=0)
    red: Mapped[int] = mapped_column(Integer, default=0)
