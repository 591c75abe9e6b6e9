"""The conversation on record: how a follow-up conversation was held, who took part and the next
steps agreed, in fixed words (never free text, never a cause), and the §7a listing's row in the
shape of NemRefusion's "Samtale" report.

The next steps are the law's: a return plan and a partial return (sygedagpengeloven § 7 a: "hvordan
og hvornår lønmodtageren kan vende tilbage"), the mulighedserklæring (§ 36), the
fastholdelsesplan (§ 7 b) and contact with the job centre (fast-track, § 7 c).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final

HOW: Final = ("meeting", "phone", "video")
PARTICIPANTS: Final = (
    "employee",
    "leader",
    "leader_above",
    "hr",
    "union_rep",
    "safety_rep",
    "job_centre",
    "companion",
)
NEXT_STEPS: Final = (
    "return_plan",
    "partial_return",
    "mulighedserklaering",
    "fastholdelsesplan",
    "job_centre_contact",
)
# Rules whose conversation is the statutory one (policies/statutory.yaml).
SECTION_7A: Final = "sygedagpengeloven § 7 a"


def choices(given: str | Iterable[str] | None, allowed: tuple[str, ...]) -> list[str] | None:
    """The chosen words in the allowed order; None if any is not allowed. A card's multi-select
    sends them comma-separated."""
    if given is None:
        return []
    words = given.split(",") if isinstance(given, str) else list(given)
    chosen = {word.strip() for word in words if word.strip()}
    if not chosen <= set(allowed):
        return None
    return [word for word in allowed if word in chosen]


@dataclass(frozen=True, slots=True)
class Conversation:
    """One §7a conversation, held or not, as HR lists it."""

    employee_id: str
    name: str
    unit_id: str | None
    first_day: date
    deadline: date
    status: str  # held | missing (deadline passed, not held) | due (not yet)
    held_on: date | None
    held_how: str | None
    participants: tuple[str, ...]
    next_steps: tuple[str, ...]


def status(held: bool, deadline: date, today: date) -> str:
    if held:
        return "held"
    return "missing" if deadline < today else "due"


# NemRefusion's "Samtale" (DP333): the record type is named in NemRefusion's Kommuneservice
# interface description, version 2 ("Indberetninger for Sygdom ... Samtale"; example "Samtale
# (DP333)"), but its field list is not in any public text found, and the Virksomhedsservice
# description of 2 July 2012 (v1.4) no longer lists it among the employer's sickness reports:
# since 5 March 2012 the employer need not tell the municipality about the conversation. The
# export therefore names what the law states, in the order a supplier would map it: the employee,
# the first day of absence (sygedagpengeloven § 7 a: "første sygefraværsdag"), the deadline
# ("senest 4 uger efter"), whether it was held, when and how (by phone if a meeting is not
# possible) and what was agreed about "hvordan og hvornår" the return happens.
SAMTALE_FIELDS: Final = (
    ("medarbejder_id", "employee_id"),
    ("navn", "name"),
    ("enhed", "unit_id"),
    ("foerste_fravaersdag", "first_day"),
    ("frist", "deadline"),
    ("status", "status"),
    ("samtale_dato", "held_on"),
    ("samtale_form", "held_how"),
    ("deltagere", "participants"),
    ("aftalt", "next_steps"),
)


def samtale_row(conversation: Conversation) -> dict[str, str | list[str] | None]:
    """One conversation as the export's row, dates in ISO, lists as lists."""
    row: dict[str, str | list[str] | None] = {}
    for field, attribute in SAMTALE_FIELDS:
        value = getattr(conversation, attribute)
        if isinstance(value, date):
            row[field] = value.isoformat()
        elif isinstance(value, tuple):
            row[field] = list(value)
        else:
            row[field] = value
    return row
