"""Dates as people type them, against a fixed today on several weekdays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dialogs.dates import DateWindow, example_day, parse_day, window_hint

TUE = date(2026, 12, 1)  # a Tuesday
FRI = date(2026, 12, 4)
SUN = date(2026, 12, 6)
MON = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("today", "typed", "expected"),
    [
        (TUE, "i dag", TUE),
        (TUE, "I dag.", TUE),
        (TUE, "i morgen", date(2026, 12, 2)),
        (TUE, "i overmorgen", date(2026, 12, 3)),
        (TUE, "overmorgen", date(2026, 12, 3)),
        (TUE, "i går", date(2026, 11, 30)),
        (TUE, "igår", date(2026, 11, 30)),
        (TUE, "i forgårs", date(2026, 11, 29)),
        (TUE, "the day after tomorrow", date(2026, 12, 3)),
        (TUE, "yesterday", date(2026, 11, 30)),
        (TUE, "fredag", FRI),
        (TUE, "Fredag", FRI),
        (TUE, "på fredag", FRI),
        (TUE, "fre", FRI),
        (TUE, "på mandag", MON),
        (TUE, "mandag", MON),
        (TUE, "next friday", FRI),
        (TUE, "on monday", MON),
        (TUE, "friday", FRI),
        # a bare weekday name on that weekday is today; "på"/"on"/"næste"/"next" means next week
        (TUE, "tirsdag", TUE),
        (TUE, "på tirsdag", date(2026, 12, 8)),
        (TUE, "næste tirsdag", date(2026, 12, 8)),
        (TUE, "next tuesday", date(2026, 12, 8)),
        (TUE, "i fredags", date(2026, 11, 27)),
        (TUE, "i tirsdags", date(2026, 11, 24)),
        (TUE, "last friday", date(2026, 11, 27)),
        (TUE, "1. december", TUE),
        (TUE, "1 dec", TUE),
        (TUE, "4. december", FRI),
        (TUE, "december 4", FRI),
        (TUE, "4/12", FRI),
        (TUE, "4.12", FRI),
        (TUE, "4-12", FRI),
        (TUE, "4/12/2026", FRI),
        (TUE, "4/12/26", FRI),
        (TUE, "2026-12-04", FRI),
        (TUE, "fredag 4/12", FRI),
        (TUE, "Friday 4 Dec", FRI),
        (TUE, "30/11", date(2026, 11, 30)),
        (TUE, "5. januar", date(2027, 1, 5)),
        (TUE, "om 3 dage", FRI),
        (TUE, "in 3 days", FRI),
        (FRI, "fredag", FRI),
        (FRI, "på fredag", date(2026, 12, 11)),
        (FRI, "mandag", MON),
        (FRI, "på mandag", MON),
        (FRI, "i overmorgen", SUN),
        (FRI, "i morgen", date(2026, 12, 5)),
        (SUN, "mandag", MON),
        (SUN, "on monday", MON),
        (SUN, "i fredags", FRI),
        (SUN, "søndag", SUN),
        (MON, "i går", SUN),
        (MON, "fredag", date(2026, 12, 11)),
        (date(2027, 1, 2), "30/12", date(2026, 12, 30)),
        (date(2027, 1, 2), "30. december", date(2026, 12, 30)),
        (date(2026, 12, 30), "2. januar", date(2027, 1, 2)),
    ],
)
def test_typed_dates_against_a_fixed_today(today: date, typed: str, expected: date) -> None:
    assert parse_day(typed, today) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        " ",
        "1",
        "10",
        "hej",
        "ved ikke",
        "maj",
        "en",
        "a",
        "10 timer",
        "50%",
        "fredag 5/12",
        "31/2",
        "2026-13-01",
        "syg",
        "send",
        "next week",
        "i",
    ],
)
def test_what_is_not_a_date(typed: str) -> None:
    assert parse_day(typed, TUE) is None


def test_example_day_is_a_weekday_inside_the_window_and_not_today_or_tomorrow() -> None:
    for offset in range(14):
        today = TUE + timedelta(days=offset)
        window = DateWindow()
        day = example_day(today, window.earliest(today), window.latest(today))
        assert window.contains(day, today)
        assert day.weekday() < 5
        assert day > today + timedelta(days=1)


def test_example_day_keeps_to_a_narrow_window() -> None:
    # fit after a period that started tomorrow: only days after it are valid
    assert example_day(TUE, date(2026, 12, 3), date(2026, 12, 3)) == date(2026, 12, 3)
    # a window of only weekend days still gets a day inside it
    assert example_day(FRI, date(2026, 12, 5), date(2026, 12, 6)) in (date(2026, 12, 5), SUN)
    # akutdag: today or tomorrow only
    assert example_day(TUE, TUE, date(2026, 12, 2)) == date(2026, 12, 2)
    assert example_day(TUE, TUE, TUE) == TUE


def test_the_hint_parses_back_to_its_day() -> None:
    """The example shown ("fredag 4/12", "Friday 4 Dec") can be typed as it is shown."""
    hint = window_hint(TUE, TUE, date(2026, 12, 15))
    example = hint["example"]
    da = f"{['mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag'][example.weekday()]} {example.day}/{example.month}"
    assert parse_day(da, TUE) == example
    assert parse_day(f"{example:%A %d %b}", TUE) == example
