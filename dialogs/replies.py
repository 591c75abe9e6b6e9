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
