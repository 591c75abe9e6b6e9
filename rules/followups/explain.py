"""The explanations several rule kinds share: not due yet, no absence, the latest day reached."""

from __future__ import annotations

from typing import Final

from rules.followups.context import Context
from rules.followups.texts import UNIT, Bilingual, say
from rules.policy import Rule, Texts

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
