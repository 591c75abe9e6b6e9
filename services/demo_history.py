"""Two years of a demo person's life at work, drawn from a seeded generator: absence periods
with Danish patterns and daily check-ins. Rows are plain dicts for storage.demo's bulk inserts.

The patterns: sickness starts more often in winter (December to March) and less in summer,
mostly short periods, a few long ones (4-20 weeks) often followed by a partial return, child's
first sick day for parents, the odd akutdag; check-ins mostly green with yellow and red patches.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rules.absence_kinds import AbsenceKind, AbsenceStatus
from rules.calendar import WorkCalendar
from rules.retention import Retention
from storage.models import CheckInStatus

Row = dict[str, Any]

YEARS = 2
# Sick periods started per working day at a unit's rate of 1 % sickness (each period loses
# about 4 working days on average, so 5.5 % is some 3 periods a year).
STARTS_PER_PERCENT = 0.0142 / 5.5
# Relative chance of falling ill by month, January first: winter peaks, summer lows (mean 1).
SEASON = (1.45, 1.4, 1.25, 1.0, 0.85, 0.6, 0.5, 0.6, 0.9, 1.0, 1.1, 1.35)
# Calendar days of a sick period: (share, shortest, longest).
LENGTHS = ((0.76, 1, 3), (0.17, 4, 10), (0.05, 11, 27), (0.02, 28, 140))
LONG = 28
CHILD_SICK_PER_DAY = 0.005  # parents: about one child's first sick day a year
EMERGENCY_PER_DAY = 0.002
PAID_WITH = ("care_day", "vacation", "time_off")
# Check-ins: the share of working days a person answers, and the colours on an ordinary day
# and in a rough patch (a few weeks of yellow and red).
ANSWER_SHARE = (0.35, 0.9)
ORDINARY = ((0.80, "green"), (0.16, "yellow"), (0.04, "red"))
ROUGH = ((0.30, "green"), (0.45, "yellow"), (0.25, "red"))
ROUGH_PATCH_PER_DAY = 0.006
COMMENTS = (
    "Travl vagt, vi var to for få",
    "Meget larm og mange afbrydelser",
    "Svært at nå det hele i dag",
    "Uenighed i teamet om planen",
    "Trænger til en pause",
)


@dataclass(frozen=True)
class Person:
    id: str
    unit_id: str
    leader_id: str | None
    workdays: str
    start_date: date
    sick_percent: float  # the person's own level, the unit's around which people vary
    parent: bool
    anonymous: bool
    answers: bool  # asked to check in (staff, not leaders)
    present_today: bool  # the Playground people: never absent on the demo's today


@dataclass
class History:
    absences: list[Row]
    checkins: list[Row]
    # Answers older than the retention limit, as the retention job would have left them.
    months: dict[tuple[str, date], dict[str, int]]


def pick(
    table: tuple[tuple[float, Any, Any], ...] | tuple[tuple[float, Any], ...], roll: float
) -> Any:
    for row in table:
        if roll < row[0]:
            return row[1:] if len(row) > 2 else row[1]
        roll -= row[0]
    last = table[-1]
    return last[1:] if len(last) > 2 else last[1]


class HistoryMaker:
    """One generator for the whole town, so the same seed gives the same rows."""

    def __init__(
        self,
        rng: random.Random,
        now: datetime,
        tz: ZoneInfo,
        retention: Retention | None = None,
    ) -> None:
        self.rng = rng
        self.today = now.astimezone(tz).date()
        self.now = now
        self.tz = tz
        self.first = self.today - timedelta(days=365 * YEARS)
        kept = retention or Retention()
        # Individual answers as long as the retention job keeps them, monthly totals before.
        self.kept_from = self.today - timedelta(days=kept.checkin_answer_days)
        self.comments_from = self.today - timedelta(days=kept.checkin_comment_days)
        self._working: dict[str, list[date]] = {}
        self.history = History([], [], {})

    def working_days(self, workdays: str, since: date) -> list[date]:
        """The working days from `since` to today: worked out once per working-week pattern."""
        if workdays not in self._working:
            calendar = WorkCalendar(workdays, self.tz)
            days = (
                self.first + timedelta(days=n) for n in range((self.today - self.first).days + 1)
            )
            self._working[workdays] = [d for d in days if calendar.is_working_day(d)]
        every = self._working[workdays]
        return every[bisect_left(every, since) :]

    def add(self, person: Person) -> None:
        away = self._absences(person)
        if person.answers:
            self._checkins(person, away)

    # --- absences -------------------------------------------------------------------------

    def _absences(self, person: Person) -> set[date]:
        rate = person.sick_percent * STARTS_PER_PERCENT
        away: set[date] = set()
        for day in self.working_days(person.workdays, person.start_date):
            if day in away:
                continue
            kind, last = self._start(person, day, rate)
            if kind is not None and self._allowed(person, last):
                self._period(person, kind, day, last, away)
                long = (last - day).days + 1 >= LONG
                # An open period runs until the raskmelding: nothing can follow it yet.
                if kind == AbsenceKind.SICK and long and last < self.today:
                    self._partial_return(person, last + timedelta(days=1), away)
        return away

    def _start(self, person: Person, day: date, rate: float) -> tuple[AbsenceKind | None, date]:
        roll = self.rng.random()
        sick = rate * SEASON[day.month - 1]
        if roll < sick:
            _low, high = pick(LENGTHS, self.rng.random())
            length = self.rng.randint(_low, high)
            return AbsenceKind.SICK, day + timedelta(days=length - 1)
        roll -= sick
        child = CHILD_SICK_PER_DAY * SEASON[day.month - 1] if person.parent else 0.0
        if roll < child:
            return AbsenceKind.CHILD_SICK, day
        roll -= child
        if roll < EMERGENCY_PER_DAY:
            return AbsenceKind.EMERGENCY_DAY, day
        return None, day

    def _allowed(self, person: Person, last: date) -> bool:
        # The walk's sick report needs the Playground people at work today and after.
        return not person.present_today or last < self.today - timedelta(days=1)

    def _partial_return(self, person: Person, first: date, away: set[date]) -> None:
        if self.rng.random() < 0.6:
            last = first + timedelta(days=self.rng.randint(14, 42) - 1)
            if self._allowed(person, last):
                self._period(person, AbsenceKind.PARTLY_SICK, first, last, away)

    def _period(
        self, person: Person, kind: AbsenceKind, first: date, last: date, away: set[date]
    ) -> None:
        ongoing = last >= self.today
        reported = datetime.combine(first, time(6, 45), self.tz)
        self.history.absences.append(
            {
                "employee_id": person.id,
                "kind": kind,
                "status": AbsenceStatus.OPEN if ongoing else AbsenceStatus.CLOSED,
                "first_day": first,
                "last_day": None if ongoing else last,
                "expected_return": last + timedelta(days=1) if ongoing else None,
                "partial_percent_off": self.rng.choice((50, 50, 25, 75))
                if kind == AbsenceKind.PARTLY_SICK
                else None,
                "paid_with": self.rng.choice(PAID_WITH)
                if kind == AbsenceKind.EMERGENCY_DAY
                else None,
                "work_injury": False,
                "reported_by": person.id,
                "channel": "chat",
                "routed_to": person.leader_id,
                "routed_as": "leader" if person.leader_id else None,
                "acknowledged_at": reported + timedelta(minutes=self.rng.randint(10, 90))
                if person.leader_id
                else None,
                "acknowledged_by": person.leader_id,
                "source_key": f"demo:{person.id}:{first.isoformat()}:{kind}",
                "created_at": min(reported, self.now),
            }
        )
        away.update(first + timedelta(days=n) for n in range((last - first).days + 1))

    # --- check-ins ------------------------------------------------------------------------

    def _checkins(self, person: Person, away: set[date]) -> None:
        share = self.rng.uniform(*ANSWER_SHARE)
        rough_until = self.first
        for day in self.working_days(person.workdays, person.start_date):
            if day >= self.today or day in away:
                continue
            if day >= rough_until and self.rng.random() < ROUGH_PATCH_PER_DAY:
                rough_until = day + timedelta(days=self.rng.randint(7, 21))
            if self.rng.random() < share:
                colour = pick(ROUGH if day < rough_until else ORDINARY, self.rng.random())
                self._answer(person, day, colour)

    def _answer(self, person: Person, day: date, colour: str) -> None:
        if day < self.kept_from:
            month = self.history.months.setdefault(
                (person.unit_id, day.replace(day=1)), {"green": 0, "yellow": 0, "red": 0}
            )
            month[colour] += 1
            return
        asked = datetime.combine(day, time(14, 30), self.tz)
        comment = (
            self.rng.choice(COMMENTS)
            if colour != "green" and day >= self.comments_from and self.rng.random() < 0.3
            else None
        )
        self.history.checkins.append(
            {
                "employee_id": person.id,
                "unit_id": person.unit_id,
                "day": day,
                "status": CheckInStatus.ANSWERED,
                "anonymous": person.anonymous,
                "colour": colour,
                "comment": comment,
                "prompted_at": asked,
                "answered_at": asked + timedelta(minutes=self.rng.randint(1, 120)),
            }
        )
