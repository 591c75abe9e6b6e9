"""OWASP's CSV injection advice as one rule for every export (issue 16)."""

from __future__ import annotations

import pytest

from rules.csv_cells import safe_cell, safe_row


@pytest.mark.parametrize(
    "text", ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)", "\tx", "\rx", '=HYPERLINK("x")']
)
def test_text_that_would_start_a_formula_gets_a_quote_in_front(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Solgården", "a=b", " =1", "'=1", "", "1,5", "44,4 %"])
def test_other_text_is_left_alone(value):
    assert safe_cell(value) == value


def test_numbers_we_write_stay_numbers():
    assert safe_row([-3, 4.5, None, True, "-3"]) == [-3, 4.5, None, True, "'-3"]
