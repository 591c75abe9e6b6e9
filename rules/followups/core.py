"""What the engine reads and writes: periods, employee facts, follow-ups, findings.

Shared by every rule kind, with how far back the engine looks and a month arithmetic that the
year-based kinds need.
"""

from __future__ import annotations

from calendar import isleap
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from rules.policy import Texts

ONE_DAY: Final = timedelta(days=1)
LOOKBACK: Final = timedelta(days=365 + 92)
# What the year-based rules read before an occurrence: a whole calendar year or 12 months.
YEAR_CONTEXT: Final = 366


@dataclass(frozen=True, slots=True)
class Period:
    first_day: date
    last_day: date | None  # None: still absent
    kind: str  # "sick" | "partly_sick" | "child_sick" | "emergency_day"
    expected_return: date | None = None
    # A partly sick period's share off work: a percentage of normal hours, or hours per week.
    percent_off: int | None = None
    hours_off: float | None = None


@dataclass(frozen=True, slots=True)
class EmployeeFacts:
    id: str
    start_date: date | None
    workdays: str = "12345"


@dataclass(frozen=True, slots=True)
class FollowUp:
    employee_id: str
    policy_id: str
    rule_id: str
    rule_kind: str
    occurrence: str
    due_on: date
    deadline_on: date
    guide: str
    recipient: str
    why: Texts
    guidance: Texts | None
    advis_employee: bool
    # Everyone told besides the recipient, in the policy's words ("employee", "leader_above").
    advis: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.employee_id}:{self.policy_id}:{self.rule_id}:{self.occurrence}"


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    fired: bool
    explanation: Texts
    followups: tuple[FollowUp, ...]


_MONTH_DAYS: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(d: date, months: int) -> date:
    """The same day `months` later (earlier if negative), the month's last day if it is short."""
    years, month0 = divmod(d.month - 1 + months, 12)
    year, day = d.year + years, d.day
    if day > 28:  # only then can the month be too short; monthrange costs a weekday computation
        day = min(day, 29 if month0 == 1 and isleap(year) else _MONTH_DAYS[month0])
    return date(year, month0 + 1, day)
