"""Monthly unit figures, the audit log of who looked, and retention runs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    Float,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class UnitMonth(Base):
    """One unit's sick-absence figures for one month (its own staff, not the units below),
    computed each night from the absence periods: what the Organisation page and exports read."""

    __tablename__ = "unit_months"

    unit_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # the 1st
    lost_days: Mapped[float] = mapped_column(Float)  # dagsværk lost to sickness, FTE-weighted
    planned_days: Mapped[float] = mapped_column(Float)  # dagsværk planned, FTE-weighted
    # Sick periods that began this month, by length (seed 000's 0-9, 10-29, 30+ days).
    periods_short: Mapped[int] = mapped_column(Integer)
    periods_medium: Mapped[int] = mapped_column(Integer)
    periods_long: Mapped[int] = mapped_column(Integer)
    staff: Mapped[int] = mapped_column(Integer)
    fte: Mapped[float] = mapped_column(Float)
    computed_at: Mapped[datetime]


class AuditEntry(Base):
    """Who looked at whose individual data, what and when; HR reads it."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[str] = mapped_column(String(100))
    subject_id: Mapped[str] = mapped_column(String(100), index=True)
    what: Mapped[str] = mapped_column(String(40))


class RetentionRun(Base):
    """The days the retention job ran: once a day, whichever process gets there first."""

    __tablename__ = "retention_runs"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    at: Mapped[datetime]
