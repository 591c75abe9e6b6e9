"""Payroll: which payroll lines became which periods (import), what was handed on and when
(hand-off, the payroll office's worklist), and the days the daily hand-off ran.

Only what payroll needs: dates, kind, code, partial hours or percent, the work-injury and §56
flags. No note, no check-in, no cause. The employee is found through the period, so an erasure
(which moves the period to an anonymous row) leaves nothing here that names the person."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from rules.absence_kinds import AbsenceKind
from storage.models.base import Base, enum_type


class PayrollImport(Base):
    """One line of a payroll export that became (part of) an absence period, as payroll has it:
    importing the same line again finds its key and changes nothing."""

    __tablename__ = "payroll_imports"

    import_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    absence_id: Mapped[int] = mapped_column(ForeignKey("absences.id"), index=True)
    code_table: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(20))
    section_56: Mapped[bool] = mapped_column(Boolean, default=False)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date | None] = mapped_column(Date)
    partial_hours_off: Mapped[float | None] = mapped_column(Float)
    partial_percent_off: Mapped[int | None] = mapped_column(Integer)
    imported_at: Mapped[datetime]


class PayrollHandoff(Base):
    """One row handed on to payroll: a new, changed or withdrawn period in the payroll's code.
    `row_id` is stable (period and version), so payroll applies each row once."""

    __tablename__ = "payroll_handoffs"

    row_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    absence_id: Mapped[int] = mapped_column(ForeignKey("absences.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(12))  # new, changed, withdrawn
    handed_at: Mapped[datetime] = mapped_column(index=True)
    code_table: Mapped[str] = mapped_column(String(40))
    code: Mapped[str | None] = mapped_column(String(20))  # None: the table has no code for it
    kind: Mapped[AbsenceKind] = mapped_column(enum_type(AbsenceKind))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date | None] = mapped_column(Date)
    partial_hours_off: Mapped[float | None] = mapped_column(Float)
    partial_percent_off: Mapped[int | None] = mapped_column(Integer)
    work_injury: Mapped[bool] = mapped_column(Boolean, default=False)
    section_56: Mapped[bool] = mapped_column(Boolean, default=False)
    paid_with: Mapped[str | None] = mapped_column(String(20))
    # The payroll office's worklist: keyed in (or applied) when, and by whom.
    done_at: Mapped[datetime | None]
    done_by: Mapped[str | None] = mapped_column(String(100))


class PayrollRun(Base):
    """The days the daily hand-off ran: once a day, whichever process gets there first."""

    __tablename__ = "payroll_runs"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    ran_at: Mapped[datetime]
    rows: Mapped[int] = mapped_column(Integer)
