"""Bilingual texts filled with values: a rule's `why` and the engine's own explanations.

A value in a text is a date (written 2.3.2026 in Danish, ISO in English), a (da, en) pair, or
anything else written as it is.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any, Final

from rules.policy import Texts

Bilingual = tuple[str, str]
UNIT: Final[dict[bool, Bilingual]] = {
    False: ("kalenderdage", "calendar days"),
    True: ("arbejdsdage", "working days"),
}


def _da(d: date) -> str:
    return f"{d.day}.{d.month}.{d.year}"


@lru_cache(maxsize=4096)
def _date_texts(d: date) -> Bilingual:
    return _da(d), d.isoformat()


def fill(texts: Texts, values: dict[str, Any]) -> Texts:
    """A policy's texts with the placeholders filled in."""
    return _filled(texts.da, texts.en, tuple(values.items()))


def say(template: Bilingual, **values: Any) -> Texts:
    """One of the engine's own (da, en) templates filled in."""
    return _filled(template[0], template[1], tuple(values.items()))


# Across 50,000 employees the same texts are filled with the same days and dates again and
# again; Texts are immutable, so one object serves them all.
@lru_cache(maxsize=65_536)
def _filled(da: str, en: str, values: tuple[tuple[str, Any], ...]) -> Texts:
    if not values:
        return Texts(da=da, en=en)
    da_values: dict[str, Any] = {}
    en_values: dict[str, Any] = {}
    for name, value in values:
        if isinstance(value, date):
            da_values[name], en_values[name] = _date_texts(value)
        elif isinstance(value, tuple):
            da_values[name], en_values[name] = value
        else:
            da_values[name] = en_values[name] = value
    return Texts(da=da.format_map(da_values), en=en.format_map(en_values))
