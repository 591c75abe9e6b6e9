"""Sygemelding: fully or partly sick, going home sick, or a child's first sick day.

```mermaid
stateDiagram-v2
    [*] --> kind: syg
    [*] --> expected_return: går syg hjem
    kind --> first_day
    kind --> expected_return: går syg hjem
    first_day --> expected_return
    expected_return --> note
    note --> health_words: the note mentions health
    health_words --> note: ret
    health_words --> confirm: send alligevel / uden besked
    note --> confirm
    confirm --> [*]: send (ReportSick)
```

Never asks why: the only free text is an optional note, and a note that mentions health is met
with "du behøver ikke fortælle hvorfor" and a choice (Lov om brug af helbredsoplysninger §2).
"fortryd" ends the dialog at any step. `answer` looks the step up in STEPS, one handler per
state of the diagram.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel

from dialogs.dates import DateWindow, parse_day
from dialogs.flow import CANCEL_WORDS, Step, words
from dialogs.replies import Card, CardName, Text
from dialogs.symptoms import health_words_in

NOTE_LIMIT = 500
WINDOW = DateWindow()


class SickKind(enum.StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    GOING_HOME = "going_home"
    CHILD = "child"


class SickStep(enum.StrEnum):
    KIND = "kind"
    FIRST_DAY = "first_day"
    EXPECTED_RETURN = "expected_return"
    NOTE = "note"
    HEALTH_WORDS = "health_words"
    CONFIRM = "confirm"


KIND_WORDS: dict[str, SickKind] = {
    "1": SickKind.FULL,
    "fuldt": SickKind.FULL,
    "fuldt syg": SickKind.FULL,
    "helt": SickKind.FULL,
    "fully": SickKind.FULL,
    "full": SickKind.FULL,
    "2": SickKind.PARTIAL,
    "delvis": SickKind.PARTIAL,
    "delvist": SickKind.PARTIAL,
    "delvis syg": SickKind.PARTIAL,
    "partly": SickKind.PARTIAL,
    "partial": SickKind.PARTIAL,
    "3": SickKind.GOING_HOME,
    "går hjem": SickKind.GOING_HOME,
    "går syg hjem": SickKind.GOING_HOME,
    "going home": SickKind.GOING_HOME,
    "home": SickKind.GOING_HOME,
    "4": SickKind.CHILD,
    "barn": SickKind.CHILD,
    "barn syg": SickKind.CHILD,
    "barns første sygedag": SickKind.CHILD,
    "child": SickKind.CHILD,
}
UNKNOWN_WORDS = {"ved ikke", "vedikke", "ved det ikke", "don't know", "dont know", "unknown", "?"}
SKIP_WORDS = {"spring over", "ingen", "nej", "nej tak", "skip", "no", "none", "-"}
SEND_WORDS = {"send", "ja", "ok", "yes", "bekræft", "confirm"}
EDIT_WORDS = {"ret", "ret beskeden", "edit"}
SEND_ANYWAY_WORDS = {"send alligevel", "alligevel", "send anyway"}
WITHOUT_NOTE_WORDS = {"send uden besked", "uden besked", "without note", "send without note"}


class SickState(BaseModel):
    dialog: Literal["sick"] = "sick"
    step: SickStep
    kind: SickKind | None = None
    first_day: date | None = None
    expected_return: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class ReportSick:
    kind: SickKind
    first_day: date
    expected_return: date | None
    note: str | None


def start(today: date, *, going_home: bool = False) -> Step:
    if going_home:
        state = SickState(step=SickStep.EXPECTED_RETURN, kind=SickKind.GOING_HOME, first_day=today)
        return Step(state, [Card(CardName.SICK_RETURN, {"first_day": today})])
    return Step(SickState(step=SickStep.KIND), [Card(CardName.SICK_KIND)])


@dataclass(frozen=True)
class Said:
    """One answer: as typed (kept for the note and to echo a bad date), normalised, and when."""

    text: str
    words: str
    today: date
    window: DateWindow


def answer(state: SickState, text: str, today: date, window: DateWindow = WINDOW) -> Step:
    said = Said(text, words(text), today, window)
    if said.words in CANCEL_WORDS:
        return Step(None, [Text("sick_cancelled")])
    return STEPS[state.step](state, said)


def _on_kind(state: SickState, said: Said) -> Step:
    kind = KIND_WORDS.get(said.words)
    if kind is None:
        return Step(state, [Text("sick_kind_again"), Card(CardName.SICK_KIND)])
    if kind == SickKind.GOING_HOME:
        state = state.model_copy(
            update={"kind": kind, "first_day": said.today, "step": SickStep.EXPECTED_RETURN}
        )
        return Step(state, [Card(CardName.SICK_RETURN, {"first_day": said.today})])
    state = state.model_copy(update={"kind": kind, "step": SickStep.FIRST_DAY})
    return Step(state, [Card(CardName.SICK_FIRST_DAY)])


def _on_first_day(state: SickState, said: Said) -> Step:
    day = parse_day(said.words, said.today)
    if day is None or not said.window.contains(day, said.today):
        return Step(
            state, [_bad_date(said.text, said.today, said.window), Card(CardName.SICK_FIRST_DAY)]
        )
    state = state.model_copy(update={"first_day": day, "step": SickStep.EXPECTED_RETURN})
    return Step(state, [Card(CardName.SICK_RETURN, {"first_day": day})])


def _on_expected_return(state: SickState, said: Said) -> Step:
    assert state.first_day is not None
    unknown = said.words in UNKNOWN_WORDS
    back = None if unknown else parse_day(said.words, said.today)
    if not unknown and not _plausible_return(back, state.first_day, said.today):
        return Step(
            state,
            [
                Text("sick_return_again", {"first_day": state.first_day}),
                Card(CardName.SICK_RETURN, {"first_day": state.first_day}),
            ],
        )
    state = state.model_copy(update={"expected_return": back, "step": SickStep.NOTE})
    return Step(state, [Card(CardName.SICK_NOTE)])


def _plausible_return(back: date | None, first_day: date, today: date) -> bool:
    """After the first sick day and at most a year ahead."""
    return back is not None and first_day < back <= today + timedelta(days=365)


def _on_note(state: SickState, said: Said) -> Step:
    note = None if said.words in SKIP_WORDS else said.text.strip()[:NOTE_LIMIT]
    if note and (found := health_words_in(note)):
        state = state.model_copy(update={"note": note, "step": SickStep.HEALTH_WORDS})
        return Step(state, [Card(CardName.SICK_HEALTH_WORDS, {"words": found})])
    return _confirm(state.model_copy(update={"note": note}))


def _on_health_words(state: SickState, said: Said) -> Step:
    if said.words in EDIT_WORDS:
        return Step(
            state.model_copy(update={"step": SickStep.NOTE, "note": None}),
            [Card(CardName.SICK_NOTE)],
        )
    if said.words in SEND_ANYWAY_WORDS:
        return _confirm(state)
    if said.words in WITHOUT_NOTE_WORDS:
        return _confirm(state.model_copy(update={"note": None}))
    return Step(
        state, [Card(CardName.SICK_HEALTH_WORDS, {"words": health_words_in(state.note or "")})]
    )


def _on_confirm(state: SickState, said: Said) -> Step:
    if said.words in SEND_WORDS:
        assert state.kind is not None and state.first_day is not None
        report = ReportSick(state.kind, state.first_day, state.expected_return, state.note)
        return Step(None, [], [report])
    return Step(state, [Text("sick_confirm_again"), Card(CardName.SICK_CONFIRM, _summary(state))])


STEPS: dict[SickStep, Callable[[SickState, Said], Step]] = {
    SickStep.KIND: _on_kind,
    SickStep.FIRST_DAY: _on_first_day,
    SickStep.EXPECTED_RETURN: _on_expected_return,
    SickStep.NOTE: _on_note,
    SickStep.HEALTH_WORDS: _on_health_words,
    SickStep.CONFIRM: _on_confirm,
}


def _confirm(state: SickState) -> Step:
    state = state.model_copy(update={"step": SickStep.CONFIRM})
    return Step(state, [Card(CardName.SICK_CONFIRM, _summary(state))])


def _summary(state: SickState) -> dict[str, object]:
    return {
        "kind": state.kind,
        "first_day": state.first_day,
        "expected_return": state.expected_return,
        "note": state.note,
    }


def _bad_date(text: str, today: date, window: DateWindow) -> Text:
    return Text(
        "bad_date",
        {
            "text": text.strip()[:40],
            "earliest": today - timedelta(days=window.days_back),
            "latest": today + timedelta(days=window.days_ahead),
            "example": today + timedelta(days=1),
        },
    )
