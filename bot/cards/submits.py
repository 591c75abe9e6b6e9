"""The payloads card buttons submit: pydantic models with a `kind` discriminator and the id
of the thing acted on (the handler re-checks that the person clicking may act on it)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dialogs.commands import Intent

# Ids are PostgreSQL `integer` columns (SQLite's reach is 2^63): a number outside 1..2^31-1 names
# nothing we hold, and handed to the database it would end the turn in an error.
DB_INTEGER_MAX = 2**31 - 1
RowId = Annotated[int, Field(ge=1, le=DB_INTEGER_MAX)]


class CommandSubmit(BaseModel):
    """A button that does what typing the command does."""

    model_config = ConfigDict(extra="ignore")
    kind: Literal["command"]
    command: Intent


class AnswerSubmit(BaseModel):
    """A choice in a dialog step: the same token a person could type, or an input field's value."""

    model_config = ConfigDict(extra="allow")
    kind: Literal["answer"]
    text: str | None = None
    field: str | None = None
    dialog: str | None = None
    step: str | None = None

    def said(self) -> str:
        if self.field:
            value = (self.model_extra or {}).get(self.field)
            return str(value) if value is not None else ""
        return self.text or ""


class LeaderAction(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["leader_action"]
    absence_id: RowId
    action: Literal[
        "get_well",
        "call_today",
        "other_tasks",
        "mark_partial",
        "work_injury",
        "approve",
        "decline",
        "undo_mark_partial",
        "undo_work_injury",
    ]
    message: str | None = Field(None, max_length=1000)
    amount: str | None = Field(None, max_length=40)  # mark_partial: "10 timer" or "50%"


class AbsenceChange(BaseModel):
    """The employee's receipt: withdraw the report, or correct its first day or return."""

    model_config = ConfigDict(extra="ignore")
    kind: Literal["absence_change"]
    absence_id: RowId
    change: Literal["withdraw", "first_day", "expected_return"]
    day: date | None = None

    @field_validator("day", mode="before")
    @classmethod
    def _blank_day(cls, value: object) -> object:
        return None if value == "" else value


class OtherTasksAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["other_tasks_answer"]
    absence_id: RowId
    answer: Literal["yes", "no", "text"]
    typed: str | None = Field(None, max_length=1000)


class OnBehalf(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["on_behalf"]
    what: Literal["sick", "fit"]
    employee: str = Field(min_length=1, max_length=100)


class FollowUpAction(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["followup_action"]
    followup_id: RowId
    action: Literal["held", "snooze", "dismiss"]
    day: date | None = None
    note: str | None = Field(None, max_length=1000)
    reason: str | None = Field(None, max_length=500)
    # The conversation on record (services/followup_records.py checks the words).
    how: str | None = Field(None, max_length=20)
    participants: str | None = Field(None, max_length=300)
    next_steps: str | None = Field(None, max_length=300)

    @field_validator("day", mode="before")
    @classmethod
    def _blank_day(cls, value: object) -> object:
        return None if value == "" else value
