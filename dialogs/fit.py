"""Raskmelding: back fully, or partly with hours or percent off and an end date.

```mermaid
stateDiagram-v2
    [*] --> when: rask (an open sick period)
    when --> how
    how --> [*]: fuld (ReportFit)
    how --> amount: delvis
    amount --> until
    until --> [*]: (ReportFit, partial)
```

Danish rules for delvis sygemelding: at least 4 hours a week off, normally at most 22 weeks.
"fortryd" ends the dialog at any step. `answer` looks the step up in STEPS, one handler per
state of the diagram.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel

from dialogs.dates import DateWindow, parse_day, window_hint
from dialogs.flow import CANCEL_WORDS, Step, words
from dialogs.replies import Card, CardName, Text

FULL_WEEK_HOURS = 37.0
MIN_HOURS_OFF = 4.0
MAX_PARTIAL = timedelta(weeks=22)
WINDOW = DateWindow()
FULL_WORDS = {"1", "fuld", "fuldt", "fuld tid", "helt", "full", "full time", "fully"}
PARTIAL_WORDS = {"2", "delvis", "delvist", "nedsat", "nedsat tid", "partly", "partial", "part time"}
_AMOUNT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(%|pct|procent|percent|t|timer|time|hours|hour|h)?$")


class FitStep(enum.StrEnum):
    WHEN = "when"
    HOW = "how"
    AMOUNT = "amount"
    UNTIL = "until"


class FitState(BaseModel):
    dialog: Literal["fit"] = "fit"
    step: FitStep
    since: date
    fte: float = 1.0
    day: date | None = None
    hours_off: float | None = None
    percent_off: int | None = None


@dataclass(frozen=True)
class ReportFit:
    day: date
    hours_off: float | None = None
    percent_off: int | None = None
    until: date | None = None


def start(since: date, fte: float, today: date) -> Step:
    state = FitState(step=FitStep.WHEN, since=since, fte=fte)
    return Step(state, [when_card(since, today)])


def fit_days(since: date, today: date) -> list[date]:
    """The days a card offers as buttons: back from today or tomorrow when that leaves at least
    one sick day (fit today means the last sick day was yesterday), else the first day that
    does."""
    offered = [day for day in (today, today + timedelta(days=1)) if day > since]
    return offered or [since + timedelta(days=1)]


def when_card(since: date, today: date) -> Card:
    earliest = max(since + timedelta(days=1), WINDOW.earliest(today))
    params = {"since": since, "today": today, "offers": fit_days(since, today)}
    return Card(CardName.FIT_WHEN, {**params, "earliest": earliest, "latest": WINDOW.latest(today)})


@dataclass(frozen=True)
class Said:
    """One answer: as typed (kept to echo a bad date), normalised, and when."""

    text: str
    words: str
    today: date


def answer(state: FitState, text: str, today: date) -> Step:
    said = Said(text, words(text), today)
    if said.words in CANCEL_WORDS:
        return Step(None, [Text("sick_cancelled")])
    return STEPS[state.step](state, said)


def _on_when(state: FitState, said: Said) -> Step:
    earliest = max(state.since + timedelta(days=1), WINDOW.earliest(said.today))
    hint = window_hint(said.today, earliest, WINDOW.latest(said.today))
    if not said.words:
        return Step(state, [Text("date_empty", hint), when_card(state.since, said.today)])
    day = parse_day(said.words, said.today)
    if day is None or not WINDOW.contains(day, said.today):
        bad = {**hint, "text": said.text.strip()[:40]}
        return Step(state, [Text("bad_date", bad), when_card(state.since, said.today)])
    if day <= state.since:
        return Step(
            state,
            [
                Text("fit_day_after_start", {"since": state.since, "example": hint["example"]}),
                when_card(state.since, said.today),
            ],
        )
    state = state.model_copy(update={"day": day, "step": FitStep.HOW})
    return Step(state, [Card(CardName.FIT_HOW)])


def _on_how(state: FitState, said: Said) -> Step:
    assert state.day is not None
    if said.words in FULL_WORDS:
        return Step(None, [], [ReportFit(state.day)])
    if said.words in PARTIAL_WORDS:
        return Step(state.model_copy(update={"step": FitStep.AMOUNT}), [Card(CardName.FIT_AMOUNT)])
    return Step(state, [Text("fit_how_again"), Card(CardName.FIT_HOW)])


def _on_amount(state: FitState, said: Said) -> Step:
    amount = amount_off(said.words, state.fte)
    if amount is None:
        full = round(FULL_WEEK_HOURS * state.fte, 1)
        return Step(state, [Text("fit_amount_again", {"full": full})])
    hours, percent = amount
    day = state.day
    assert day is not None
    state = state.model_copy(
        update={"hours_off": hours, "percent_off": percent, "step": FitStep.UNTIL}
    )
    return Step(state, [until_card(day)])


def until_card(day: date) -> Card:
    """The last partly sick day: after the fit day, within 22 weeks; two weeks pre-filled."""
    window = {"earliest": day + timedelta(days=1), "latest": day + MAX_PARTIAL}
    return Card(CardName.FIT_UNTIL, {"value": day + timedelta(weeks=2), **window})


def _on_until(state: FitState, said: Said) -> Step:
    assert state.day is not None
    until = parse_day(said.words, said.today)
    if until is None or until <= state.day or until > state.day + MAX_PARTIAL:
        example = state.day + timedelta(weeks=2)
        key = "fit_until_empty" if not said.words else "fit_until_again"
        return Step(state, [Text(key, {"day": state.day, "example": example})])
    report = ReportFit(state.day, state.hours_off, state.percent_off, until)
    return Step(None, [], [report])


STEPS: dict[FitStep, Callable[[FitState, Said], Step]] = {
    FitStep.WHEN: _on_when,
    FitStep.HOW: _on_how,
    FitStep.AMOUNT: _on_amount,
    FitStep.UNTIL: _on_until,
}


def amount_off(said: str, fte: float) -> tuple[float | None, int | None] | None:
    """Hours per week off, or a percentage off; at least 4 hours a week, less than full time."""
    match = _AMOUNT.match(said.replace(" ", "") if "%" in said else said)
    if match is None:
        return None
    value = float(match[1].replace(",", "."))
    full = FULL_WEEK_HOURS * fte
    if match[2] in ("%", "pct", "procent", "percent"):
        if not 0 < value < 100 or value / 100 * full < MIN_HOURS_OFF:
            return None
        return None, round(value)
    if not MIN_HOURS_OFF <= value < full:
        return None
    return value, None
