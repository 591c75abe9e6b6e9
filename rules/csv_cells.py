"""CSV cells a spreadsheet will not run: OWASP's advice on CSV injection, for every export.

Excel, LibreOffice and Google Sheets read a cell that begins with = + - @ (or a tab or a carriage
return, which they skip before looking) as a formula, and a formula can start programs or send
the sheet's contents away. Names, comments and skulderklap texts are written by colleagues, so
such a cell gets a ' in front: the sheet shows the text, and the ' only in the cell's edit line.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text that would start a formula, with a ' in front; anything else as it is (a number we
    wrote ourselves stays a number)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[object]) -> list[object]:
    return [safe_cell(value) for value in values]
