"""One language's text table from its area modules."""

from __future__ import annotations


def merged(*tables: dict[str, str]) -> dict[str, str]:
    """The union of the tables; a key in two of them is a mistake that would hide one text."""
    result: dict[str, str] = {}
    for table in tables:
        twice = result.keys() & table.keys()
        if twice:
            raise ValueError(f"text keys defined twice: {sorted(twice)}")
        result.update(table)
    return result
