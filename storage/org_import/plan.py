"""What a valid organisation file says, as plain data: the result of parsing, the input of apply.

Pure: no SQLAlchemy, no session, nothing read from disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from rules.access import Role


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file; `line` is the line an editor shows (the header is 1)."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"


class OrgImportError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class PlannedUnit:
    id: str
    parent_id: str | None
    # Who receives sick reports from the unit's staff who have no leader (then HR).
    contact_id: str | None = None
    # The follow-up policy of the unit; None inherits the parent unit's.
    policy_id: str | None = None
    # The daily check-in: the unit's time (None: the default) and anonymous or named answers.
    checkin_time: time | None = None
    checkin_anonymous: bool = False
    # Måltal: the sick-absence percent the unit aims at.
    target_percent: float | None = None
    # Who plans the unit's shifts: told who is absent and until when, never why.
    planner_id: str | None = None

    def columns(self) -> dict[str, object]:
        """The Unit columns the file decides (a unit is named after its id)."""
        return {
            "name": self.id,
            "parent_id": self.parent_id,
            "fallback_contact_id": self.contact_id,
            "policy_id": self.policy_id,
            "checkin_time": self.checkin_time,
            "checkin_anonymous": self.checkin_anonymous,
            "target_percent": self.target_percent,
            "planner_id": self.planner_id,
        }


@dataclass(frozen=True)
class PlannedEmployee:
    line: int
    id: str
    name: str
    email: str
    aad_object_id: str | None
    unit_id: str
    leader_id: str | None
    deputy_id: str | None
    deputy_from: date | None
    deputy_to: date | None
    role: Role
    locale: str | None
    workdays: str
    checkin_time: time | None
    start_date: date | None
    fte: float

    def own_columns(self) -> dict[str, object]:
        """The Employee columns that need no other employee row to exist first."""
        return {
            "name": self.name,
            "email": self.email,
            "aad_object_id": self.aad_object_id,
            "unit_id": self.unit_id,
            "deputy_from": self.deputy_from,
            "deputy_to": self.deputy_to,
            "role": self.role,
            "locale": self.locale,
            "workdays": self.workdays,
            "checkin_time": self.checkin_time,
            "start_date": self.start_date,
            "fte": self.fte,
        }

    def links(self) -> dict[str, object]:
        return {"leader_id": self.leader_id, "deputy_id": self.deputy_id}


@dataclass(frozen=True)
class OrgPlan:
    """A validated organisation: units parents first, employees in file order."""

    units: tuple[PlannedUnit, ...]
    employees: tuple[PlannedEmployee, ...]
