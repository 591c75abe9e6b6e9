"""What a card shows, as plain data: the services fill these, bot/cards/ draws them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class AbsenceView:
    """What a leader's card shows about one absence period (never a cause)."""

    id: int
    employee_name: str
    kind: str
    going_home: bool
    first_day: date
    expected_return: date | None
    note: str | None
    routed_as: str | None
    usual_leader_name: str | None
    on_behalf_name: str | None
    work_injury: bool
    paid_with: str | None
    status: str
    done: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # The employee's language: what the leader sends them is pre-filled in it.
    employee_language: str = "da"
    # Leader actions chosen today that may still be undone ("work_injury", "mark_partial").
    undoable: tuple[str, ...] = ()
    # Whose absence: the card links to the person's page in the tab.
    employee_id: str = ""


@dataclass(frozen=True)
class AbsenceLine:
    kind: str
    first_day: date
    last_day: date | None
    working_days: int


@dataclass(frozen=True)
class FollowUpView:
    """One follow-up as its leader sees it: what, why, the fraværskort and the guide."""

    id: int
    employee_name: str
    why: str
    guidance: str | None
    guide: str
    due_on: date
    deadline_on: date
    absences: list[AbsenceLine]
    calendar_days: int
    working_days: int
    open: bool
    done: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    employee_id: str = ""
    # The guidance's links as (title, url), in the reader's language (issue 18).
    links: list[tuple[str, str]] = field(default_factory=list)
