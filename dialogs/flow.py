"""What every dialog step returns: the next state, what to say, and what to record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from dialogs.replies import Reply

CANCEL_WORDS = {"fortryd", "annuller", "annullér", "afbryd", "cancel"}


@dataclass(frozen=True)
class Step:
    state: BaseModel | None
    replies: list[Reply]
    effects: list[Any] = field(default_factory=list)


def words(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .!")
