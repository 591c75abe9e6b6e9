"""Notices health words in a note, so the bot can say that nobody needs to tell why."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

WORDS_FILE = Path(__file__).parent / "data" / "health_words.txt"


@cache
def _pattern() -> re.Pattern[str]:
    words = [
        line.strip().casefold()
        for line in WORDS_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    return re.compile(r"(?<!\w)(" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def health_words_in(note: str) -> list[str]:
    """The health words found, in order, each once."""
    found: list[str] = []
    for match in _pattern().finditer(note):
        word = match.group(0).casefold()
        if word not in found:
            found.append(word)
    return found
