"""When each employee's follow-ups must be looked at again, so the daily run reads only them.

Rows are written by the daily run (the next day the result can change) and by database
triggers (migration 0016): any write to a person's absences or to the employee facts the engine
reads sets `wake_on` to MARKED and counts up `marks`, whoever wrote it (a turn, an import, a
script), so no writer has to remember to tell the follow-ups.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base

# A day before any evaluation: "look at this employee on the next run".
MARKED = date(2000, 1, 1)


class FollowUpWatch(Base):
    __tablename__ = "followup_watch"

    # No foreign key: a trigger may name an employee being erased in the same transaction.
    employee_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    wake_on: Mapped[date] = mapped_column(Date, index=True)
    # Counted up by every trigger: the run writes its wake date only over the marks it read.
    marks: Mapped[int] = mapped_column(Integer, default=0)


class FollowUpRun(Base):
    """The last daily evaluation: its day and what it evaluated with (policies, units, engine)."""

    __tablename__ = "followup_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluated_on: Mapped[date] = mapped_column(Date)
    fingerprint: Mapped[str] = mapped_column(String(64))
