"""The daily check-in's words and rules: the three colours and how they are shown, when to ask,
when to warn a leader, and the team day colour. Plain values in, plain values out."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from rules.anonymity import visible_units


class Colour(enum.StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


# Shown beside every colour so that colour is never the only signal; white when unanswered.
SYMBOLS: dict[str | None, str] = {"green": "🟢", "yellow": "🟡", "red": "🔴", None: "⚪"}
HEX = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828"}


# --- the prompt ----------------------------------------------------------------------------

# A prompt later than this after the person's time is no longer about "today's work".
LATEST_PROMPT = timedelta(hours=4)
# After this many unanswered prompts in a row, the next one asks about a pause instead (once).
OFFER_PAUSE_AFTER = 10


def too_late_to_ask(at: time, now: time) -> bool:
    """Whether a prompt due at `at` has waited too long by `now` (same day): a server that was
    down all afternoon does not ask in the evening."""
    day = date.min
    return datetime.combine(day, at) + LATEST_PROMPT < datetime.combine(day, now)


def offers_pause(unanswered: int, offered_on: date | None) -> bool:
    """Ask about a pause instead of the day, once per run of unanswered prompts."""
    return unanswered >= OFFER_PAUSE_AFTER and offered_on is None


def last_working_days(is_working_day: Callable[[date], bool], today: date, n: int) -> list[date]:
    """The last n working days up to today, oldest first (today alone if none are found)."""
    days: list[date] = []
    day = today
    while len(days) < n and (today - day).days < 3 * n + 14:
        if is_working_day(day):
            days.append(day)
        day -= timedelta(days=1)
    return list(reversed(days)) or [today]


def comment_text(comment: str | None, to_green: str | None) -> str:
    """A comment and what would have made the day green, as the leader reads them."""
    return " · ".join(x for x in (comment, to_green and f"→ {to_green}") if x)


# --- early warnings (a nudge, never a verdict) ------------------------------------------------

# Named mode: in the last WARN_WINDOW working days, this many reds or yellows and reds.
WARN_REDS, WARN_NOT_GREEN, WARN_WINDOW = 3, 5, 7
# A team's 7-day share of yellow/red this far above its 30-day share, and at least this high.
SWING_RISE, SWING_FLOOR = 0.2, 0.4
# The same nudge is not repeated within this time.
NUDGE_QUIET = timedelta(days=7)


@dataclass(frozen=True)
class HardDays:
    reds: int
    hard: int  # yellow or red

    @property
    def warns(self) -> bool:
        return self.reds >= WARN_REDS or self.hard >= WARN_NOT_GREEN


def hard_days(colours: Iterable[str | None]) -> HardDays:
    """A person's red and yellow-or-red days among their answers of the warning window."""
    week = list(colours)
    reds = week.count(Colour.RED)
    return HardDays(reds=reds, hard=reds + week.count(Colour.YELLOW))


def hard_share(colours: Sequence[str | None]) -> float:
    """The share of answers that were yellow or red (0 when there are none)."""
    if not colours:
        return 0.0
    return sum(c in (Colour.YELLOW, Colour.RED) for c in colours) / len(colours)


def team_swings(share_7: float, share_30: float) -> bool:
    """A clear rise in the team's hard days: high this week, and well above the month."""
    return share_7 >= SWING_FLOOR and share_7 - share_30 >= SWING_RISE


# --- the team day colour (Varde) -------------------------------------------------------------


def day_colour(yellow_absent: int | None, red_percent: int | None, away: int, working: int) -> str:
    """Varde's staffing rule: red from a share absent, yellow from a number absent."""
    if red_percent is not None and working and away * 100 >= red_percent * working:
        return Colour.RED
    if yellow_absent is not None and away >= yellow_absent:
        return Colour.YELLOW
    return Colour.GREEN


# --- the units below a leader -----------------------------------------------------------------


def unit_tree(top: str, parents: Mapping[str, str | None]) -> list[str]:
    """`top` and every unit below it, level by level, siblings in id order."""
    below: dict[str, list[str]] = {}
    for unit, parent in parents.items():
        if parent is not None:
            below.setdefault(parent, []).append(unit)
    tree = [top]
    for unit in tree:
        tree += sorted(below.get(unit, []))
    return tree


def unit_totals(
    tree: list[str],
    parents: Mapping[str, str | None],
    answers: Iterable[tuple[str, str, str | None]],
) -> dict[str, Counter[str] | None]:
    """Colour totals per unit of `tree` (its first unit the top) from (unit, person, colour)
    answers, rolled up to every unit above; None where too few answered or where subtraction
    would reveal a smaller group."""
    up = {u: (parents.get(u) if u != tree[0] else None) for u in tree}
    people: dict[str, set[str]] = {u: set() for u in tree}
    colours: dict[str, Counter[str]] = {u: Counter() for u in tree}
    for unit_id, employee_id, colour in answers:
        at: str | None = unit_id
        while at is not None and at in people:
            people[at].add(employee_id)
            colours[at][str(colour)] += 1
            at = up[at]
    shown = visible_units({u: len(people[u]) for u in tree}, up)
    return {u: colours[u] if u in shown else None for u in tree}
