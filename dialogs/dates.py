"""Dates as people type them in a chat: 'i dag', 'i morgen', '26/11', '26.11.2026', '2026-11-26'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

TODAY_WORDS = {"i dag", "idag", "today", "nu", "now"}
TOMORROW_WORDS = {"i morgen", "imorgen", "tomorrow"}
YESTERDAY_WORDS = {"i går", "igår", "i gar", "yesterday"}
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# '7', '7:30', '07.30', '0730', 'kl 7 30' (the command parser turns ':' into a space).
_TIME = re.compile(r"^(?:kl\.? |klokken |at )?(\d{1,2})(?:[:. ]?(\d{2}))?$")


@dataclass(frozen=True)
class DateWindow:
    """How far back and ahead a date may be (a report 30 days late is a mistake, not a report)."""

    days_back: int = 30
    days_ahead: int = 14

    def contains(self, day: date, today: date) -> bool:
        return (
            today - timedelta(days=self.days_back) <= day <= today + timedelta(days=self.days_ahead)
        )


def parse_day(text: str, today: date) -> date | None:
    """A date from typed text, or None. Day-month without a year means the nearest such date."""
    words = " ".join(text.casefold().split()).rstrip(".")
    if words in TODAY_WORDS:
        return today
    if words in TOMORROW_WORDS:
        return today + timedelta(days=1)
    if words in YESTERDAY_WORDS:
        return today - timedelta(days=1)
    try:
        if match := _ISO.match(words):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DMY.match(words):
            day, month = int(match[1]), int(match[2])
            if match[3]:
                year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
                return date(year, month, day)
            candidates = []
            for year in (today.year - 1, today.year, today.year + 1):
                try:  # 29/2 exists only in some of the years around today
                    candidates.append(date(year, month, day))
                except ValueError:
                    continue
            return min(candidates, key=lambda c: abs((c - today).days)) if candidates else None
    except ValueError:
        return None
    return None


def parse_time_of_day(text: str) -> time | None:
    """A time of day from typed text ('7:30', 'kl 14.30', '0800'), or None."""
    match = _TIME.match(" ".join(text.casefold().split()))
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
