"""Absence periods, what happened to them, and unfinished dialogs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from rules.absence_kinds import AbsenceKind, AbsenceStatus
from storage.models.base import Base, enum_type


class Absence(Base):
    """One absence period. Never a cause: illness is private, absence is shared."""

    __tablename__ = "absences"
    __table_args__ = (Index("ix_absences_employee_first_day", "employee_id", "first_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    kind: Mapped[AbsenceKind] = mapped_column(enum_type(AbsenceKind))
    status: Mapped[AbsenceStatus] = mapped_column(enum_type(AbsenceStatus))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date | None] = mapped_column(Date)
    expected_return: Mapped[date | None] = mapped_column(Date)
    going_home_sick: Mapped[bool] = mapped_column(default=False)
    # Partial periods: either hours per week off work or a percentage of normal hours off.
    partial_hours_off: Mapped[float | None] = mapped_column(Float)
    partial_percent_off: Mapped[int | None] = mapped_column(Integer)
    work_injury: Mapped[bool] = mapped_column(default=False)
    # An akutdag is paid with vacation, omsorgsdag or afspadsering; never a reason.
    paid_with: Mapped[str | None] = mapped_column(String(20))
    reported_by: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    channel: Mapped[str] = mapped_column(String(20))
    # Seen only by the people the report was routed to.
    note: Mapped[str | None] = mapped_column(Text)
    routed_to: Mapped[str | None] = mapped_column(ForeignKey("employees.id"))
    routed_as: Mapped[str | None] = mapped_column(String(20))
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))
    # A double click or Teams' re-send carries the same key: one period, not two.
    source_key: Mapped[str] = mapped_column(String(300), unique=True)
    created_at: Mapped[datetime]


class AbsenceEvent(Base):
    """Routing, acknowledgement and action history of one absence period."""

    __tablename__ = "absence_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    absence_id: Mapped[int] = mapped_column(ForeignKey("absences.id"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]]


class DialogState(Base):
    """Where one person is in a conversation, so a restart or a second replica loses nothing."""

    __tablename__ = "dialog_states"

    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), primary_key=True)
    dialog: Mapped[str] = mapped_column(String(40))
    state: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
