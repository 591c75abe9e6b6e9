"""Dates as people type them in a chat, in Danish and English, and hints that are always valid.

Understood (each against the injected `today`, never the machine's clock):

- relative words: "i dag", "i morgen", "i overmorgen" / "overmorgen", "i går", "i forgårs",
  "today", "tomorrow", "the day after tomorrow", "yesterday", "the day before yesterday";
- weekday names, Danish and English, full or short ("fredag", "fre", "friday", "fri"):
  a bare name is the next such day, **today included** (on a Friday "fredag" is today — the
  day a person reporting sick usually means); with "på", "on", "næste", "next", "kommende" or
  "this" in front it is the next such day **after** today ("på mandag" said on a Monday is
  in a week). A weekday in front of a date ("fredag 4/12") must match it;
- numbers: "4/12", "4.12", "4-12", "4/12/2026", "4/12/26", ISO "2026-12-04";
- month names through `dateparser` (languages da and en): "1. december", "1 dec",
  "4. januar 2027", "december 1", "in 3 days", "om 3 dage".

A day and month without a year mean the nearest such date (so "30/11" on 1/12 is yesterday,
"5. januar" in December is next month).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from dialogs.replies import Text

RELATIVE_DAYS: dict[str, int] = {
    "i dag": 0,
    "idag": 0,
    "today": 0,
    "nu": 0,
    "now": 0,
    "i morgen": 1,
    "imorgen": 1,
    "tomorrow": 1,
    "i overmorgen": 2,
    "overmorgen": 2,
    "iovermorgen": 2,
    "the day after tomorrow": 2,
    "day after tomorrow": 2,
    "i går": -1,
    "igår": -1,
    "i gar": -1,
    "yesterday": -1,
    "i forgårs": -2,
    "forgårs": -2,
    "the day before yesterday": -2,
    "day before yesterday": -2,
}
# Kept for callers that test membership (the fit dialog's "i dag").
TODAY_WORDS = {w for w, d in RELATIVE_DAYS.items() if d == 0}
TOMORROW_WORDS = {w for w, d in RELATIVE_DAYS.items() if d == 1}
YESTERDAY_WORDS = {w for w, d in RELATIVE_DAYS.items() if d == -1}
_WEEKDAY_NAMES = [
    ("mandag", "man", "monday", "mon"),
    ("tirsdag", "tir", "tuesday", "tue", "tues"),
    ("onsdag", "ons", "wednesday", "wed"),
    ("torsdag", "tor", "tors", "thursday", "thu", "thurs"),
    ("fredag", "fre", "friday", "fri"),
    ("lørdag", "lør", "saturday", "sat"),
    ("søndag", "søn", "sunday", "sun"),
]
WEEKDAYS: dict[str, int] = {name: n for n, names in enumerate(_WEEKDAY_NAMES) for name in names}
# Words in front of a weekday that mean "the coming one, not today", "the last one", or nothing.
AHEAD_WORDS = ("på", "on", "næste", "next", "kommende", "coming")
BACK_WORDS = ("sidste", "forrige", "last", "i")  # "i fredags", "sidste fredag", "last friday"
PLAIN_WORDS = ("this", "den", "d", "fra", "from", "til", "until", "to")
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_YEAR = re.compile(r"\b\d{4}\b|'\d{2}\b")
_LETTERS = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_HOURS = re.compile(r"tim|hour|min|sek|sec|%")
# '7', '7:30', '07.30', '0730', 'kl 7 30' (the command parser turns ':' into a space).
_TIME = re.compile(r"^(?:kl\.? |klokken |at )?(\d{1,2})(?:[:. ]?(\d{2}))?$")


@dataclass(frozen=True)
class DateWindow:
    """How far back and ahead a date may be (a report 30 days late is a mistake, not a report)."""

    days_back: int = 30
    days_ahead: int = 14

    def earliest(self, today: date) -> date:
        return today - timedelta(days=self.days_back)

    def latest(self, today: date) -> date:
        return today + timedelta(days=self.days_ahead)

    def contains(self, day: date, today: date) -> bool:
        return self.earliest(today) <= day <= self.latest(today)


def parse_day(text: str, today: date) -> date | None:
    """A date from typed text, or None (see the module docstring for what is understood)."""
    words = " ".join(text.casefold().replace(",", " ").split()).strip(" .!?")
    if not words:
        return None
    if words in RELATIVE_DAYS:
        return today + timedelta(days=RELATIVE_DAYS[words])
    parts = words.split()
    lead = parts[0].rstrip(".") if len(parts) > 1 else ""
    if lead in AHEAD_WORDS or lead in BACK_WORDS or lead in PLAIN_WORDS:
        parts = parts[1:]
    if len(parts) == 1 and lead in BACK_WORDS:
        name = parts[0][:-1] if lead == "i" and parts[0].endswith("s") else parts[0]
        if name in WEEKDAYS and (lead != "i" or name != parts[0]):
            return _last_weekday(today, WEEKDAYS[name])
        return None
    if parts and parts[0] in WEEKDAYS:
        weekday = WEEKDAYS[parts[0]]
        if len(parts) == 1:
            return _next_weekday(today, weekday, after_today=lead in AHEAD_WORDS)
        day = _numeric_or_named(" ".join(parts[1:]), today)
        return day if day is not None and day.weekday() == weekday else None
    return _numeric_or_named(" ".join(parts), today)


def _next_weekday(today: date, weekday: int, *, after_today: bool) -> date:
    days = (weekday - today.weekday()) % 7
    if days == 0 and after_today:
        days = 7
    return today + timedelta(days=days)


def _last_weekday(today: date, weekday: int) -> date:
    """ "i fredags" / "last friday": the latest such day before today."""
    return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)


def _numeric_or_named(words: str, today: date) -> date | None:
    try:
        if match := _ISO.match(words):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DMY.match(words):
            if match[3]:
                year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
                return date(year, int(match[2]), int(match[1]))
            return _nearest(int(match[1]), int(match[2]), today)
    except ValueError:
        return None
    if not _LETTERS.search(words) or not _DIGIT.search(words) or _HOURS.search(words):
        # "10" could be hours and "1" a choice; "maj" or "en" alone is no day; "10 timer" no date
        return None
    return _with_dateparser(words, today)


def _nearest(day: int, month: int, today: date) -> date | None:
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:  # 29/2 exists only in some of the years around today
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda c: abs((c - today).days)) if candidates else None


@cache
def _parser() -> Any:
    import dateparser

    return dateparser


def _with_dateparser(words: str, today: date) -> date | None:
    settings = {
        "RELATIVE_BASE": datetime.combine(today, time(12)),
        "PREFER_DATES_FROM": "current_period",
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": ["day"],
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its own deprecations are not our users' problem
        found = _parser().parse(words, languages=["da", "en"], settings=settings)
    if found is None:
        return None
    day: date = found.date()
    if _YEAR.search(words) is None and abs((day - today).days) > 31:
        # dateparser reads "1. december" against the current period; nearest is what people mean
        return _nearest(day.day, day.month, today) or day
    return day


def example_day(today: date, earliest: date, latest: date) -> date:
    """A day to show as "fx fredag 4/12": inside [earliest, latest], a weekday when one fits.

    Not today or tomorrow (the cards offer those as buttons), but soon: from the day after
    tomorrow on, else the first day of the window.
    """
    if latest < earliest:
        return earliest
    start = min(max(earliest, today + timedelta(days=2)), latest)
    for first in (start, earliest):
        day = first
        while day <= latest and day <= first + timedelta(days=6):
            if day.weekday() < 5:
                return day
            day += timedelta(days=1)
    return start


def window_hint(today: date, earliest: date, latest: date) -> dict[str, date]:
    """The parameters of the date texts ("date_hint", "bad_date"): the window and an example."""
    return {
        "earliest": earliest,
        "latest": latest,
        "example": example_day(today, earliest, latest),
    }


def bad_date_reply(text: str, today: date, earliest: date, latest: date) -> Text:
    """What to say to a date answer that is empty, no date, or outside [earliest, latest]."""
    hint = window_hint(today, earliest, latest)
    if not text.strip():
        return Text("date_empty", dict(hint))
    return Text("bad_date", {"text": text.strip()[:40], **hint})


def parse_time_of_day(text: str) -> time | None:
    """A time of day from typed text ('7:30', 'kl 14.30', '0800'), or None."""
    match = _TIME.match(" ".join(text.casefold().split()))
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
