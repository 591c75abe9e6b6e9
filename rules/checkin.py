"""The daily check-in's words: the three colours and how they are shown."""

from __future__ import annotations

import enum


class Colour(enum.StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


# Shown beside every colour so that colour is never the only signal; white when unanswered.
SYMBOLS: dict[str | None, str] = {"green": "🟢", "yellow": "🟡", "red": "🔴", None: "⚪"}
HEX = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828"}
