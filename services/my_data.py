"""Everything naervaer holds about one person (GDPR art. 15): the "Mig" page's downloads and
`naervaer employee export`."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

from services.work import Work
from storage.models import Employee

EMPLOYEE_FIELDS = (
    "id",
    "name",
    "email",
    "unit_id",
    "leader_id",
    "role",
    "locale",
    "workdays",
    "checkin_time",
    "start_date",
    "fte",
    "status",
    "checkin_stopped",
    "checkin_paused_until",
)
ABSENCE_FIELDS = (
    "kind",
    "status",
    "first_day",
    "last_day",
    "expected_return",
    "partial_hours_off",
    "partial_percent_off",
    "paid_with",
    "note",
    "reported_by",
    "routed_to",
    "created_at",
)
CHECKIN_FIELDS = ("day", "status", "colour", "comment", "to_green", "reply", "anonymous")
FOLLOWUP_FIELDS = ("rule_id", "due_on", "deadline_on", "status", "held_on")


class MyData:
    def __init__(self, work: Work) -> None:
        self.absences = work.store.absences
        self.held = work.store.personal_data
        self.audit = work.store.audit

    async def about(self, employee: Employee) -> dict[str, Any]:
        """Everything held about the person, except a leader's private follow-up notes, which
        are the leader's working notes (see the README)."""
        held, employee_id = self.held, employee.id
        return {
            "employee": _plain(employee, *EMPLOYEE_FIELDS),
            "absences": [
                _plain(a, *ABSENCE_FIELDS) for a in await self.absences.for_employee(employee_id)
            ],
            "checkins": [_plain(c, *CHECKIN_FIELDS) for c in await held.checkins(employee_id)],
            "followups": [_plain(f, *FOLLOWUP_FIELDS) for f in await held.followups(employee_id)],
            "kudos_received": [
                _plain(k, "sender_id", "text", "created_at")
                for k in await held.kudos_received(employee_id)
            ],
            "kudos_sent": [
                _plain(k, "recipient_id", "text", "created_at")
                for k in await held.kudos_sent(employee_id)
            ],
            "teams": [
                _plain(t, "tenant_id", "locale", "status", "last_seen")
                for t in await held.teams_addresses(employee_id)
            ],
            "dialog": [_plain(d, "dialog", "updated_at") for d in await held.dialogs(employee_id)],
            "viewed_by": [
                _plain(a, "at", "actor_id", "what") for a in await self.audit.about(employee_id)
            ],
        }


def _plain(row: object, *names: str) -> dict[str, Any]:
    return {n: _json(getattr(row, n)) for n in names}


def _json(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def as_csv(data: dict[str, Any]) -> str:
    """The same as the JSON, one line per fact: section, row, field, value."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["section", "row", "field", "value"])
    for section, content in data.items():
        rows = content if isinstance(content, list) else [content]
        for n, row in enumerate(rows, start=1):
            for name, value in row.items():
                writer.writerow([section, n, name, "" if value is None else value])
    return out.getvalue()
