"""Monthly unit figures, the audit log of who looked, and retention runs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
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


class UnitTotal(Base):
    """One unit's figures with every unit below it added in, as the nightly job left them: the
    Organisation page reads these rows and rolls nothing up while a bot turn waits."""

    __tablename__ = "unit_totals"

    unit_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    staff: Mapped[int] = mapped_column(Integer)  # headcount in the month computed
    fte: Mapped[float] = mapped_column(Float)  # the same month
    # The last twelve months (the month computed included).
    lost_days: Mapped[float] = mapped_column(Float)
    planned_days: Mapped[float] = mapped_column(Float)
    periods_short: Mapped[int] = mapped_column(Integer)
    periods_medium: Mapped[int] = mapped_column(Integer)
    periods_long: Mapped[int] = mapped_column(Integer)
    swing: Mapped[bool] = mapped_column(Boolean)  # the last complete month above its level
    first_month: Mapped[date] = mapped_column(Date)  # of the trend
    trend: Mapped[list[float | None]] = mapped_column(JSON)  # percent per month, oldest first
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
