"""The conversation on record's fixed words and NemRefusion-shaped row (issue 18)."""

from __future__ import annotations

from datetime import date

from rules.followups.record import (
    NEXT_STEPS,
    PARTICIPANTS,
    SAMTALE_FIELDS,
    Conversation,
    choices,
    samtale_row,
    status,
)


def test_choices_keep_the_fixed_order_and_refuse_any_unknown_word() -> None:
    assert choices("union_rep, employee,leader", PARTICIPANTS) == [
        "employee",
        "leader",
        "union_rep",
    ]
    assert choices(None, NEXT_STEPS) == [] and choices("", NEXT_STEPS) == []
    assert choices("return_plan,diagnosis", NEXT_STEPS) is None


def test_a_conversation_is_held_missing_after_its_deadline_or_still_due() -> None:
    deadline = date(2026, 11, 30)
    assert status(True, deadline, date(2026, 12, 10)) == "held"
    assert status(False, deadline, date(2026, 11, 30)) == "due"
    assert status(False, deadline, date(2026, 12, 1)) == "missing"


def test_the_samtale_row_names_every_field_in_order_dates_in_iso() -> None:
    talk = Conversation(
        "e1",
        "Emma Sørensen",
        "Solgården",
        date(2026, 11, 2),
        date(2026, 11, 30),
        "held",
        date(2026, 11, 20),
        "phone",
        ("employee", "leader"),
        ("return_plan",),
    )
    row = samtale_row(talk)
    assert list(row) == [field for field, _ in SAMTALE_FIELDS]
    assert row["foerste_fravaersdag"] == "2026-11-02" and row["frist"] == "2026-11-30"
    assert row["deltagere"] == ["employee", "leader"] and row["aftalt"] == ["return_plan"]
