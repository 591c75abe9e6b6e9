"""Notices health words in a note, so the bot can say that nobody needs to tell why.

One list, dialogs/data/health_words.txt, serves both uses: every word in it is a health word
in a note, and its [symptoms] section ("feber", "ondt i hovedet", "🤒") also tells the intent
reader that someone written to outside a dialog is ill now.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

WORDS_FILE = Path(__file__).parent / "data" / "health_words.txt"


@cache
def _sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = "other"
    for raw in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip().casefold()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            continue
        sections.setdefault(current, []).append(line)
    return sections


def _compile(words: list[str]) -> re.Pattern[str]:
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    # longest first, so "ondt i hovedet" is found whole and not as a shorter word inside it
    parts.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


@cache
def _pattern() -> re.Pattern[str]:
    return _compile([w for words in _sections().values() for w in words])


@cache
def _symptom_pattern() -> re.Pattern[str]:
    return _compile(_sections().get("symptoms", []))


def _found(pattern: re.Pattern[str], text: str) -> list[str]:
    found: list[str] = []
    for match in pattern.finditer(text):
        word = match.group(0).casefold()
        if word not in found:
            found.append(word)
    return found


def health_words_in(note: str) -> list[str]:
    """The health words found, in order, each once."""
    return _found(_pattern(), note)


def symptoms_in(text: str) -> list[str]:
    """The words of the [symptoms] section found: someone saying they are ill now."""
    return _found(_symptom_pattern(), text)
