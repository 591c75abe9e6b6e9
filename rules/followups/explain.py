"""The explanations several rule kinds share: not due yet, no absence, the latest day reached."""

from __future__ import annotations

from typing import Final

from rules.followups.context import Absence, Context
from rules.followups.texts import UNIT, Bilingual, say
from rules.policy import LongExpected, Rule, Texts

NO_ABSENCE: Final = (
    "Intet sygefravær fra {since} til {on}.",
    "No sick absence from {since} to {on}.",
)
PENDING: Final = (
    "Nået, men forfalder først {due} (næste arbejdsdag).",
    "Reached, but due only on {due} (the next working day).",
)
LATEST_DAY: Final = (
    "Seneste fravær fra {first} nåede dag {day} ({unit}); reglen: {need}.",
    "The latest absence from {first} reached day {day} ({unit}); the rule: {need}.",
)

RETURN_EXPECTED: Final = (
    "Fraværet fra {first} forventes slut {expected}, inden for {weeks:uge|uger}; reglen gælder kun "
    "ved længere fravær.",
    "The absence from {first} is expected to end {expected}, within {weeks:week|weeks}; the rule "
    "applies only to longer absence.",
)
RETURN_UNKNOWN: Final = (
    "Der er ikke oplyst en forventet tilbagevenden for fraværet fra {first}; reglen gælder kun, "
    "når der er udsigt til fravær ud over {weeks:uge|uger}.",
    "No expected return is given for the absence from {first}; the rule applies only when an "
    "absence beyond {weeks:week|weeks} is in prospect.",
)


def not_long(rule: LongExpected, absence: Absence) -> Texts:
    """Why a rule for long absence did not fire for an absence that reached it."""
    weeks = rule.long_expected_weeks
    if absence.expected_return is None:
        return say(RETURN_UNKNOWN, first=absence.first, weeks=weeks)
    return say(RETURN_EXPECTED, first=absence.first, expected=absence.expected_return, weeks=weeks)


def pending(ctx: Context) -> Texts | None:
    """Why nothing fired when something is reached but falls due only after `on`."""
    if ctx.pending is not None:
        return say(PENDING, due=ctx.pending)
    return None


def no_absence(ctx: Context) -> Texts:
    return say(NO_ABSENCE, since=ctx.emit_from, on=ctx.on)


def waiting(ctx: Context) -> Texts | None:
    """Why nothing fired when something is reached but falls due after `on`, or nothing is."""
    if ctx.pending is not None:
        return say(PENDING, due=ctx.pending)
    if not ctx.recent:
        return no_absence(ctx)
    return None


def latest_day(ctx: Context, rule: Rule, need: Bilingual) -> Texts:
    """Why a rule about the day numbers of one absence did not fire."""
    if found := waiting(ctx):
        return found
    latest = ctx.recent[-1]
    working = ctx.working(rule)
    day = ctx.day_number(latest.first, latest.last, working)
    return say(LATEST_DAY, first=latest.first, day=day, unit=UNIT[working], need=need)
