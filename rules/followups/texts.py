"""Bilingual texts filled with values: a rule's `why` and the engine's own explanations.

A value in a text is a date (written 2.3.2026 in Danish, ISO in English), a (da, en) pair, a
count (a text may write "{total:sygedag|sygedage}" to get "1 sygedag" / "2 sygedage"; a
fraction reads "2,5 sygedage" / "2.5 sick days"), or anything else written as it is.
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
# The same units after a count: "{total:{unit}}" reads "1 kalenderdag", "5 kalenderdage".
COUNTED: Final[dict[bool, Bilingual]] = {
    False: ("kalenderdag|kalenderdage", "calendar day|calendar days"),
    True: ("arbejdsdag|arbejdsdage", "working day|working days"),
}


class Count(int):
    """A whole number that, given "one|many" as its format, writes the word in its form."""

    def __format__(self, spec: str) -> str:
        if "|" not in spec:
            return super().__format__(spec)
        one, _, many = spec.partition("|")
        return f"{int(self)} {one if self == 1 else many}"


class Amount(float):
    """A count with a fraction (partly sick days as their share): "2,5 sygedage" in Danish,
    "2.5 sick days" in English."""

    def __new__(cls, value: float, comma: bool) -> Amount:
        made = super().__new__(cls, value)
        made.comma = comma
        return made

    comma: bool

    def __format__(self, spec: str) -> str:
        number = f"{float(self):g}"
        if self.comma:
            number = number.replace(".", ",")
        if "|" not in spec:
            return number
        _, _, many = spec.partition("|")
        return f"{number} {many}"


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
        elif isinstance(value, int) and not isinstance(value, bool):
            da_values[name] = en_values[name] = Count(value)
        elif isinstance(value, float):
            da_values[name], en_values[name] = Amount(value, True), Amount(value, False)
        else:
            da_values[name] = en_values[name] = value
    return Texts(da=da.format_map(da_values), en=en.format_map(en_values))
