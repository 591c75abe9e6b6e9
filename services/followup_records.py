"""The follow-up conversation on record: what the leader records when marking it held (when,
how, who took part, the next steps agreed), what the employee sees and comments on in the tab,
and HR's list of statutory (§ 7 a) conversations held and missing, by unit, as CSV or JSON in
the shape of NemRefusion's "Samtale" report. The leader's private note is never part of it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from rules.access import sees_everyone
from rules.csv_cells import safe_row
from rules.followups.record import (
    HOW,
    NEXT_STEPS,
    PARTICIPANTS,
    SAMTALE_FIELDS,
    SECTION_7A,
    Conversation,
    choices,
    samtale_row,
    status,
)
from rules.policy import Policy
from services.work import Work
from storage.models import Employee, FollowUpRecord, FollowUpStatus

COMMENT_MAX = 1000


class HeldDecision(Protocol):
    """The conversation's fields on a follow-up card's "held" submit."""

    @property
    def how(self) -> str | None: ...
    @property
    def participants(self) -> str | None: ...
    @property
    def next_steps(self) -> str | None: ...


@dataclass(frozen=True)
class RecordView:
    """One held conversation as the employee sees it in the tab."""

    id: int
    why: str
    held_on: date | None
    how: str | None
    participants: tuple[str, ...]
    next_steps: tuple[str, ...]
    comment: str | None


def record_held(record: FollowUpRecord, submit: HeldDecision, now: datetime) -> str | None:
    """Put the conversation on record; the text key saying why not when a choice is unknown."""
    how = (submit.how or "").strip() or None
    participants = choices(submit.participants, PARTICIPANTS)
    next_steps = choices(submit.next_steps, NEXT_STEPS)
    if (how is not None and how not in HOW) or participants is None or next_steps is None:
        return "record_bad_choice"
    record.held_how = how
    record.participants = participants
    record.next_steps = next_steps
    # Marked held with nothing filled in: held, but no conversation on record to show.
    record.recorded_at = now if how or participants or next_steps else None
    return None


def statutory_rule_ids(policies: Iterable[Policy]) -> frozenset[str]:
    """The ids of the rules whose conversation is the one § 7 a requires, in every policy."""
    return frozenset(
        rule.id
        for policy in policies
        for rule in policy.rules
        if rule.basis == "law" and (rule.law or "").startswith(SECTION_7A)
    )


class FollowUpRecords:
    def __init__(self, work: Work) -> None:
        self.work = work
        self.repo = work.store.followup_records
        self.followups = work.store.followups

    async def mine(self, employee: Employee, lang: str) -> list[RecordView]:
        return [
            RecordView(
                id=r.id,
                why=str(r.why.get(lang, r.why.get("da", ""))),
                held_on=r.held_on,
                how=r.held_how,
                participants=tuple(r.participants or ()),
                next_steps=tuple(r.next_steps or ()),
                comment=r.employee_comment,
            )
            for r in await self.repo.held_for(employee.id)
        ]

    async def comment(self, employee: Employee, followup_id: int, text: str) -> bool:
        """The employee's comment on their own held conversation; False changes nothing."""
        record = await self.followups.get(followup_id)
        if record is None or record.employee_id != employee.id:
            return False
        if record.status != FollowUpStatus.HELD or len(text) > COMMENT_MAX:
            return False
        record.employee_comment = text.strip() or None
        record.employee_commented_at = self.work.now
        return True

    async def statutory(self, viewer: Employee | None, unit: str | None) -> list[Conversation]:
        """§ 7 a conversations held, missing and still due, by unit; for HR (or an operator:
        viewer None) only."""
        if viewer is not None and not sees_everyone(viewer.role):
            return []
        today = self.work.today
        rule_ids = statutory_rule_ids(self.work.config.policies.values())
        rows = await self.repo.of_rules(rule_ids, [unit] if unit else None)
        return [
            Conversation(
                employee_id=employee.id,
                name=employee.name,
                unit_id=employee.unit_id,
                first_day=date.fromisoformat(record.occurrence[:10]),
                deadline=record.deadline_on,
                status=status(record.status == FollowUpStatus.HELD, record.deadline_on, today),
                held_on=record.held_on if record.status == FollowUpStatus.HELD else None,
                held_how=record.held_how,
                participants=tuple(record.participants or ()),
                next_steps=tuple(record.next_steps or ()),
            )
            for record, employee in rows
        ]


def conversations_json(conversations: list[Conversation]) -> str:
    return json.dumps([samtale_row(c) for c in conversations], ensure_ascii=False, indent=2)


def conversations_csv(conversations: list[Conversation]) -> str:
    """One row per conversation; lists joined by "|"; ';' between columns and a byte order mark
    for Danish Excel, as the access export; every cell safe from formula injection."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([field for field, _ in SAMTALE_FIELDS])
    for conversation in conversations:
        row = samtale_row(conversation)
        cells = ["|".join(v) if isinstance(v, list) else (v or "") for v in row.values()]
        writer.writerow(safe_row(cells))
    return out.getvalue()
