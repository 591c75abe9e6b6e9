"""Working days (dagsværk) and working hours for one Danish schedule.

Pure functions of the dates and moments the caller passes in: this module never asks what time
it is. Moments in are aware datetimes in any zone; moments out are aware datetimes in UTC.

Days off are the Danish public holidays from the `holidays` package plus the days that the
public-sector agreements give off (`AGREED_DAYS_OFF`). The package already follows the law that
abolished Store Bededag: it is a holiday up to 2023 and not from 2024.
"""

from __future__ import annotations

from bisect import bisect_left
from calendar import isleap
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Final
from zoneinfo import ZoneInfo

import holidays

ONE_DAY: Final = timedelta(days=1)

# The package's DK "public" set lacks these, but the agreements for municipal and state
# employees give them off. Grundlovsdag is formally from 12:00 in some agreements; in practice
# workplaces close, and a half day cannot be counted in whole dagsværk anyway. 1 May is left out
# on purpose: it is a day off only by local agreement. Change the list here and nowhere else.
AGREED_DAYS_OFF: Final = {
    "Grundlovsdag": (6, 5),
    "Juleaftensdag": (12, 24),
    "Nytårsaftensdag": (12, 31),
}


@cache
def _days_off_in(year: int) -> frozenset[date]:
    public = holidays.country_holidays("DK", years=year)
    agreed = {date(year, month, day) for month, day in AGREED_DAYS_OFF.values()}
    return frozenset(public) | agreed


@dataclass(frozen=True)
class WorkCalendar:
    """One schedule: the ISO weekdays worked ("12345" = Mon-Fri) and the leader's hours.

    Public holidays are days off whatever the weekdays say: dagsværk counts a normal working
    week, so rota work on a holiday is not modelled here.
    """

    workdays: str
    tz: ZoneInfo
    day_start: time = time(8, 0)
    day_end: time = time(16, 0)

    def __post_init__(self) -> None:
        # An empty or mistyped schedule would make every "next working day" search endless.
        if not self.workdays or not set(self.workdays) <= set("1234567"):
            raise ValueError(f"workdays must be ISO weekday digits 1-7, got {self.workdays!r}")
        if not self.day_start < self.day_end:
            raise ValueError("day_start must be before day_end")

    # --- days -------------------------------------------------------------------------------

    def is_public_holiday(self, d: date) -> bool:
        """A Danish public holiday or one of the `AGREED_DAYS_OFF` (Grundlovsdag, 24 and 31
        December), which public-sector agreements give off although the law does not."""
        return d in _days_off_in(d.year)

    def is_working_day(self, d: date) -> bool:
        return str(d.isoweekday()) in self.workdays and not self.is_public_holiday(d)

    def working_days_between(self, start: date, end: date) -> int:
        """Dagsværk in [start, end], both ends included; 0 when end is before start."""
        days = (end - start).days + 1
        return sum(self.is_working_day(start + ONE_DAY * i) for i in range(max(days, 0)))

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after d."""
        return self.this_or_next_working_day(d + ONE_DAY)

    def this_or_next_working_day(self, d: date) -> date:
        while not self.is_working_day(d):
            d += ONE_DAY
        return d

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after d; n=0 gives d itself or the next working day."""
        if n < 0:
            raise ValueError("n must not be negative")
        d = self.this_or_next_working_day(d)
        for _ in range(n):
            d = self.next_working_day(d)
        return d

    # --- hours ------------------------------------------------------------------------------

    def next_working_morning(self, moment: datetime) -> datetime:
        """The first day_start on a working day at or after moment, e.g. when a sick report
        sent at the weekend or in the evening reaches the leader."""
        d = self.this_or_next_working_day(self._local_date(moment))
        opening, _ = self._working_hours(d)
        if opening < moment:
            opening, _ = self._working_hours(self.next_working_day(d))
        return opening

    def is_working_time(self, moment: datetime) -> bool:
        """On a working day from day_start (included) to day_end (excluded)."""
        d = self._local_date(moment)
        if not self.is_working_day(d):
            return False
        opening, closing = self._working_hours(d)
        return opening <= moment < closing

    def add_working_hours(self, moment: datetime, hours: float) -> datetime:
        """moment moved on by hours counted only inside working hours on working days."""
        if hours < 0:
            raise ValueError("hours must not be negative")
        remaining = timedelta(hours=hours)
        d = self._local_date(moment)
        moment = moment.astimezone(UTC)
        while True:
            if self.is_working_day(d):
                opening, closing = self._working_hours(d)
                begin = max(opening, moment)
                if begin <= closing:
                    if remaining <= closing - begin:
                        return begin + remaining
                    remaining -= closing - begin
            d += ONE_DAY

    def _local_date(self, moment: datetime) -> date:
        if moment.tzinfo is None:
            raise ValueError("moment must be an aware datetime")
        return moment.astimezone(self.tz).date()

    def _working_hours(self, d: date) -> tuple[datetime, datetime]:
        # Converted to UTC because Python subtracts datetimes sharing one tzinfo by wall clock,
        # which is an hour wrong across a DST change.
        opening = datetime.combine(d, self.day_start, tzinfo=self.tz).astimezone(UTC)
        closing = datetime.combine(d, self.day_end, tzinfo=self.tz).astimezone(UTC)
        return opening, closing


def absence_day_number(
    first_day: date, on: date, *, working_days: bool, calendar: WorkCalendar
) -> int:
    """The absence day number of `on` in a period starting `first_day` (day 1 = first_day).

    In working days it is the dagsværk in [first_day, on], but at least 1: a period that starts
    on a Saturday is on day 1 from Saturday until the end of Monday. Numbers never drop and grow
    by at most one a day, so every day number is reached; several dates may share one.
    """
    if on < first_day:
        raise ValueError("on must not be before first_day")
    if not working_days:
        return (on - first_day).days + 1
    return max(1, calendar.working_days_between(first_day, on))


def absence_working_days(
    first_day: date, last_day: date | None, today: date, calendar: WorkCalendar
) -> int:
    """Dagsværk of one absence period: its working days so far (an open period runs to today)."""
    if first_day > today:
        return 0  # planned, not yet begun
    end = last_day if last_day is not None else today
    return calendar.working_days_between(first_day, min(end, max(today, first_day)))


class DayIndex:
    """Dagsværk of one schedule as prefix sums per year, taken from WorkCalendar.is_working_day.

    `WorkCalendar.working_days_between` walks day by day; 50,000 employees with years of history
    need counting and stepping in constant time.
    """

    def __init__(self, calendar: WorkCalendar) -> None:
        self._calendar = calendar
        # year -> (ordinal of 1 January, cum) where cum[k] = working days among its first k days
        self._years: dict[int, tuple[int, list[int]]] = {}
        # Memos for the few questions asked for every follow-up; bounded by the dates in use.
        self._on_or_after: dict[date, date] = {}
        self._after: dict[tuple[date, int], date] = {}

    def _year(self, year: int) -> tuple[int, list[int]]:
        found = self._years.get(year)
        if found is None:
            jan1 = date(year, 1, 1)
            cum = [0]
            for k in range(366 if isleap(year) else 365):
                cum.append(cum[-1] + self._calendar.is_working_day(jan1 + timedelta(days=k)))
            found = self._years[year] = (jan1.toordinal(), cum)
        return found

    def count(self, first: date, last: date) -> int:
        """Working days in [first, last], both included."""
        if last < first:
            return 0
        start, cum = self._year(first.year)
        before = cum[first.toordinal() - start]
        total = 0
        for year in range(first.year, last.year):
            total += self._year(year)[1][-1]
        end, cum = self._year(last.year)
        return total + cum[last.toordinal() - end + 1] - before

    def nth(self, d: date, n: int) -> date:
        """The n-th working day on or after d (n >= 1); n=1 is d itself if it is one."""
        year = d.year
        start, cum = self._year(year)
        target = cum[d.toordinal() - start] + n
        while target > cum[-1]:
            target -= cum[-1]
            year += 1
            start, cum = self._year(year)
        return date.fromordinal(start + bisect_left(cum, target) - 1)

    def on_or_after(self, d: date) -> date:
        found = self._on_or_after.get(d)
        if found is None:
            found = self._on_or_after[d] = self.nth(d, 1)
        return found

    def after(self, d: date, n: int) -> date:
        """n working days after the working day d: WorkCalendar.add_working_days."""
        key = (d, n)
        found = self._after.get(key)
        if found is None:
            found = self._after[key] = self.nth(d, n + 1)
        return found

    def on_or_before(self, d: date) -> date:
        """The last working day on or before d."""
        start, cum = self._year(d.year)
        reached = cum[d.toordinal() - start + 1]
        if reached == 0:
            return self.on_or_before(date(d.year - 1, 12, 31))
        return date.fromordinal(start + bisect_left(cum, reached) - 1)
