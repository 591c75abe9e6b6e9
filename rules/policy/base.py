"""What every part of a policy is built from: strict models (an unknown field is an error with
the file and the field named, never a rule that silently does nothing), ids, and the texts in
Danish and English with their placeholders."""

from __future__ import annotations

import string
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

Counting = Literal["calendar_days", "working_days"]
# Ids end up in follow-up keys joined by ":", and in file names and admin commands.
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Texts(Strict):
    da: NonEmpty
    en: NonEmpty

    def placeholders(self) -> tuple[set[str], set[str]]:
        """The placeholder names used in each language."""
        return _fields(self.da), _fields(self.en)


def _fields(text: str) -> set[str]:
    # Formatter.parse raises ValueError on a stray brace, which pydantic reports with the field.
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def check_placeholders(texts: Texts, allowed: frozenset[str]) -> Texts:
    da, en = texts.placeholders()
    if da != en:
        raise ValueError(
            f"da and en must use the same placeholders, got {sorted(da)} and {sorted(en)}"
        )
    if unknown := da - allowed:
        raise ValueError(
            f"unknown placeholders {sorted(unknown)}; this rule offers {sorted(allowed)}"
        )
    return texts
