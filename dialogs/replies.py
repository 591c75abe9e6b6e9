"""What a dialog asks the bot to say, without knowing how Teams shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Text:
    """A text from bot/texts by key, with its parameters."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Card:
    """An Adaptive Card built by bot/cards by name."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)


Reply = Text | Card


class TextKey(str):
    """A parameter that is itself a text key, translated in the reader's language."""

    __slots__ = ()


@dataclass(frozen=True)
class Amount:
    """How much of a partial sick leave is off work: hours per week or a percentage."""

    hours_off: float | None
    percent_off: int | None
