"""Text as naervaer stores and shows it, and incoming data of bounded depth.

A right-to-left override makes "fdp.exe" read as "exe.pdf", and zero-width characters make two
names that look alike differ (or one name that looks harmless hide a word): both are taken out of
names and free text before they are stored or shown. A lone surrogate cannot be written as UTF-8
(PostgreSQL, SQLite and Teams all refuse it), so it becomes the replacement character.
Everything else is kept: Danish letters, Arabic and Hebrew letters, emoji — and the zero-width
joiner inside an emoji sequence (👩‍💻), where it is part of the picture.

Pure: no I/O. Walks over nested data are iterative, so no input is deep enough to exhaust the
stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# U+202A-U+202E embeddings and overrides, U+2066-U+2069 isolates, U+200E/U+200F marks, U+061C
# the Arabic letter mark.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
# Zero-width space, non-joiner, word joiner, and the byte order mark inside text. The
# zero-width joiner (U+200D) has its own rule below.
ZERO_WIDTH = "\u200b\u200c\u2060\ufeff"
ZWJ = "\u200d"
# What an emoji sequence is made of: pictographs, symbols, skin tones, variation selector 16.
_EMOJI = "\u2600-\u27bf\u2b00-\u2bff\ufe0f\U0001f000-\U0001faff"
_UNWANTED = re.compile(
    f"[{BIDI_CONTROLS}{ZERO_WIDTH}]|(?<![{_EMOJI}]){ZWJ}|{ZWJ}(?![{_EMOJI}])|[\ud800-\udfff]"
)
# Any character the rules above may take out: most text has none, and one search says so.
_SUSPECT = re.compile(f"[{BIDI_CONTROLS}{ZERO_WIDTH}{ZWJ}\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def _replace(match: re.Match[str]) -> str:
    # json.loads pairs surrogates that belong together, so any left in a str are lone.
    return REPLACEMENT if "\ud800" <= match[0] <= "\udfff" else ""


def clean_text(text: str) -> str:
    """Without bidi and zero-width controls, with lone surrogates replaced: safe to store,
    safe to show. Text without any of them comes back as it was."""
    if _SUSPECT.search(text) is None:
        return text
    return _UNWANTED.sub(_replace, text)


def clean_tree(data: Any, max_depth: int) -> Any:
    """Parsed JSON with every string (keys too) cleaned and every list or object nested deeper
    than `max_depth` replaced by None. Iterative: the depth of the input does not matter."""
    root: list[Any] = [None]
    # (container to fill, key or index in it, value to copy, depth of that value)
    stack: list[tuple[Any, Any, Any, int]] = [(root, 0, data, 1)]
    while stack:
        target, key, value, depth = stack.pop()
        if isinstance(value, str):
            target[key] = clean_text(value)
        elif isinstance(value, dict | list) and depth > max_depth:
            target[key] = None
        elif isinstance(value, dict):
            copy: dict[str, Any] = {}
            target[key] = copy
            for k, v in value.items():
                name = clean_text(k) if isinstance(k, str) else k
                copy[name] = None
                stack.append((copy, name, v, depth + 1))
        elif isinstance(value, list):
            items: list[Any] = [None] * len(value)
            target[key] = items
            stack.extend((items, n, v, depth + 1) for n, v in enumerate(value))
        else:
            target[key] = value
    return root[0]


def strings_in(data: Any) -> Iterator[str]:
    """Every string in nested data, keys included, without recursion."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
