"""One ledger of absence per person: what a new period meeting existing ones means.

A person's live periods (rules.absence_kinds.LIVE) never overlap. When a new report meets one,
the answer is what a person means, not an error:

- the same sickness reported again by someone else (the leader phoned it in, then the employee
  writes): one period, the second report folded into the first (MERGE);
- fully sick on a day that was partly sick: the partial period ends the day before (END_EARLIER)
  or, on its first day, becomes fully sick (CONVERT); back partly while fully sick likewise;
- a report that starts earlier than a planned period of the same kind moves its start (EXTEND);
- anything else already covering the day: "you are already registered since ..." (REFUSE);
- an akutdag on any day already off: refused; a sickness over a planned akutdag takes the day
  (the akutdag is withdrawn: nobody takes a vacation day while sick).

Pure: periods in, a decision out. The service applies it; the database refuses what slips by.
"""

from __future__ import annotations

import enum
import itertools
from dataclasses import dataclass
from datetime import date, timedelta

from rules.absence_kinds import KINDS, AbsenceKind

FOREVER = date.max


class Meet(enum.StrEnum):
    ADD = "add"  # nothing live meets it
    MERGE = "merge"  # the same period: fold the new report into `period`
    CONVERT = "convert"  # `period` becomes the new kind from its own first day
    END_EARLIER = "end_earlier"  # `period` ends the day before the new one starts
    EXTEND = "extend"  # `period` starts earlier, on the new first day
    REFUSE = "refuse"  # already registered: `period` says what and since when


@dataclass(frozen=True)
class Period:
    id: int
    kind: AbsenceKind
    first_day: date
    last_day: date | None  # None: open, until a raskmelding
    reported_by: str

    @property
    def end(self) -> date:
        return self.last_day or FOREVER

    def meets(self, first_day: date, last_day: date | None) -> bool:
        return self.first_day <= (last_day or FOREVER) and first_day <= self.end


@dataclass(frozen=True)
class NewPeriod:
    kind: AbsenceKind
    first_day: date
    last_day: date | None
    reported_by: str


@dataclass(frozen=True)
class Decision:
    meet: Meet
    period: Period | None = None
    # Planned akutdage the new sickness takes over: withdrawn, their leader told.
    withdraw: tuple[Period, ...] = ()

    @property
    def refused(self) -> bool:
        return self.meet == Meet.REFUSE


def overlaps(periods: list[Period]) -> bool:
    """True when any two live periods share a day: what the ledger must never hold."""
    ordered = sorted(periods, key=lambda p: p.first_day)
    return any(b.first_day <= a.end for a, b in itertools.pairwise(ordered))


def decide(new: NewPeriod, live: list[Period]) -> Decision:
    """What the new period means against the person's live periods (any statuses in LIVE)."""
    met = sorted(
        (p for p in live if p.meets(new.first_day, new.last_day)), key=lambda p: p.first_day
    )
    if not met:
        return Decision(Meet.ADD)
    if new.kind == AbsenceKind.EMERGENCY_DAY:
        return Decision(Meet.REFUSE, met[0])
    taken = tuple(p for p in met if _takes_over(new, p))
    rest = [p for p in met if p not in taken]
    if not rest:
        return Decision(Meet.ADD, withdraw=taken)
    if len(rest) > 1:
        return Decision(Meet.REFUSE, rest[0])
    return _meet_sickness(new, rest[0], taken)


def _takes_over(new: NewPeriod, period: Period) -> bool:
    """A sickness takes over a planned akutdag from its first day on (never one before it)."""
    return period.kind == AbsenceKind.EMERGENCY_DAY and period.first_day >= new.first_day


def _meet_sickness(new: NewPeriod, period: Period, taken: tuple[Period, ...]) -> Decision:
    if not KINDS[period.kind].is_sickness:
        return Decision(Meet.REFUSE, period)  # an akutdag already begun on the first day
    if period.first_day > new.first_day:
        # Reported from an earlier day than a planned period: the same sickness, started sooner.
        if period.kind == new.kind and new.last_day is None:
            return Decision(Meet.EXTEND, period, taken)
        return Decision(Meet.REFUSE, period)
    if period.kind == new.kind or AbsenceKind.CHILD_SICK in (period.kind, new.kind):
        if period.kind == new.kind and new.reported_by != period.reported_by:
            return Decision(Meet.MERGE, period, taken)
        return Decision(Meet.REFUSE, period)
    # Fully sick while partly back, or partly back while fully sick: a new period from that day.
    if period.first_day == new.first_day:
        return Decision(Meet.CONVERT, period, taken)
    if period.end >= FOREVER or new.last_day is None or new.last_day >= period.end:
        return Decision(Meet.END_EARLIER, period, taken)
    return Decision(Meet.REFUSE, period)


def may_withdraw(reported_on: date, first_day: date, today: date) -> bool:
    """A report may be taken back the day it was sent, or any day before its first day: after
    that the leader has planned around it, and a correction goes through them."""
    return today == reported_on or today < first_day


def day_before(day: date) -> date:
    return day - timedelta(days=1)
