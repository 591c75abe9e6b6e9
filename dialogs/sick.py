"""Sygemelding: fully or partly sick, going home sick, or a child's first sick day.

```mermaid
stateDiagram-v2
    [*] --> kind: syg (the quick card)
    [*] --> expected_return: går syg hjem
    kind --> [*]: Send on the quick card (ReportSick)
    kind --> health_words: Send with a note that mentions health
    kind --> first_day: 1, 2, 4 typed, or Andet …
    kind --> expected_return: går syg hjem / a date typed
    first_day --> expected_return
    expected_return --> note
    note --> health_words: the note mentions health
    health_words --> note: ret (typed dialog; the note is kept)
    health_words --> kind: ret (quick card; the note is kept)
    health_words --> confirm: send alligevel / uden besked (typed dialog)
    health_words --> [*]: send alligevel / uden besked (quick card)
    note --> confirm
    confirm --> [*]: send (ReportSick)
```

"syg" opens one card with everything pre-chosen — fully sick, from today, expected back
unknown, an optional note — and one Send (`send_card`); "Andet …" on the card shows the
choices (kind, first day, expected return) on the same card. Whoever types instead answers
the same step with "1".."4" (or "send") and goes on step by step as before.

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
from typing import Any, Literal

from pydantic import BaseModel

from dialogs.dates import DateWindow, bad_date_reply, parse_day, window_hint
from dialogs.flow import CANCEL_WORDS, Step, words
from dialogs.replies import Card, CardName, Reply, Text
from dialogs.sick_kinds import KIND_WORDS as KIND_WORDS
from dialogs.sick_kinds import SickKind as SickKind
from dialogs.symptoms import health_words_in

NOTE_LIMIT = 500
WINDOW = DateWindow()
RETURN_DAYS_AHEAD = 365


class SickStep(enum.StrEnum):
    KIND = "kind"
    FIRST_DAY = "first_day"
    EXPECTED_RETURN = "expected_return"
    NOTE = "note"
    HEALTH_WORDS = "health_words"
    CONFIRM = "confirm"


UNKNOWN_WORDS = {"ved ikke", "vedikke", "ved det ikke", "don't know", "dont know", "unknown", "?"}
SKIP_WORDS = {"spring over", "ingen", "nej", "nej tak", "skip", "no", "none", "-"}
SEND_WORDS = {"send", "ja", "ok", "yes", "bekræft", "confirm"}
OTHER_WORDS = {"andet", "andet …", "andet ...", "other", "other …", "other ...", "5"}
EDIT_WORDS = {"ret", "ret beskeden", "edit", "edit note"}
SEND_ANYWAY_WORDS = {"send alligevel", "alligevel", "send anyway"}
WITHOUT_NOTE_WORDS = {"send uden besked", "uden besked", "without note", "send without note"}


class SickState(BaseModel):
    dialog: Literal["sick"] = "sick"
    step: SickStep
    kind: SickKind | None = None
    first_day: date | None = None
    expected_return: date | None = None
    note: str | None = None
    quick: bool = False  # sent from the quick card: after the health-words choice, it is sent


@dataclass(frozen=True)
class ReportSick:
    kind: SickKind
    first_day: date
    expected_return: date | None
    note: str | None


@dataclass(frozen=True)
class QuickChoice:
    """What the quick card's Send carries, as the card's inputs gave it (any may be missing)."""

    kind: str | None = None
    first_day: str | None = None
    expected_return: str | None = None
    note: str | None = None


def start(
    today: date,
    *,
    going_home: bool = False,
    kind: SickKind = SickKind.FULL,
    first_day: date | None = None,
    window: DateWindow = WINDOW,
) -> Step:
    """The first card: the quick one ("syg", "syg i morgen"), or the return for going home."""
    if going_home:
        state = SickState(step=SickStep.EXPECTED_RETURN, kind=SickKind.GOING_HOME, first_day=today)
        return Step(state, [Card(CardName.SICK_RETURN, _return_params(today, today))])
    state = SickState(step=SickStep.KIND, kind=kind, first_day=first_day)
    return Step(state, [quick_card(state, today, window)])


def quick_card(
    state: SickState, today: date, window: DateWindow = WINDOW, expanded: bool = False
) -> Card:
    """The one card of the quick report, pre-filled with valid choices only.

    Its summary says what Send will send; `expanded` opens the choices (after a problem)."""
    kind = state.kind or SickKind.FULL
    first_day = state.first_day or today
    if kind == SickKind.GOING_HOME or not window.contains(first_day, today):
        first_day = today
    back = state.expected_return
    if back is not None and not _plausible_return(back, first_day, today):
        back = None
    params: dict[str, Any] = {
        "kind": kind,
        "first_day": first_day,
        "expected_return": back,
        "note": state.note,
        "today": today,
        "earliest": window.earliest(today),
        "latest": window.latest(today),
        "return_latest": today + timedelta(days=RETURN_DAYS_AHEAD),
        "expanded": expanded,
    }
    return Card(CardName.SICK_QUICK, params)


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


def send_card(
    state: SickState, choice: QuickChoice, today: date, window: DateWindow = WINDOW
) -> Step:
    """Send on the quick card: the choices are checked as typed ones are, then reported."""
    kind = _kind_chosen(choice.kind, state.kind)
    # A field the client left out keeps the dialog's value; an empty one means today / unknown.
    chosen = _day_chosen(choice.first_day, today)
    first_day = (state.first_day or today) if chosen is None else chosen
    back = (
        state.expected_return
        if choice.expected_return is None
        else _day_chosen(choice.expected_return, today)
    )
    problem = _quick_problem(kind, first_day, back, choice, today, window)
    kept = state.model_copy(
        update={
            "kind": kind or state.kind,
            "first_day": first_day if isinstance(first_day, date) else None,
            "expected_return": back if isinstance(back, date) else None,
            "note": (choice.note or "").strip()[:NOTE_LIMIT] or None,
            "quick": True,
        }
    )
    if problem is not None:
        return Step(kept, [problem, quick_card(kept, today, window, expanded=True)])
    return _noted(kept)


def _quick_problem(
    kind: SickKind | None,
    first_day: date | Literal[False],
    back: date | Literal[False] | None,
    choice: QuickChoice,
    today: date,
    window: DateWindow,
) -> Reply | None:
    if kind is None:
        return Text("sick_quick_again")
    if first_day is False or not window.contains(first_day, today):
        return bad_date_reply(choice.first_day or "", today, *_window(today, window))
    if kind == SickKind.GOING_HOME and first_day != today:
        return Text("sick_going_home_today", {"today": today})
    if back is False or (back is not None and not _plausible_return(back, first_day, today)):
        return _return_again(first_day, today)
    return None


def _kind_chosen(value: str | None, default: SickKind | None) -> SickKind | None:
    if value is None or not value.strip():
        return default or SickKind.FULL
    try:
        return SickKind(value.strip())
    except ValueError:
        return KIND_WORDS.get(words(value))


def _day_chosen(value: str | None, today: date) -> date | Literal[False] | None:
    """The day in a card's date field: None when left empty, False when it is no date."""
    if value is None or not value.strip():
        return None
    return parse_day(value, today) or False


def _noted(state: SickState) -> Step:
    """A quick report with its note: the health-words choice first, if the note has any."""
    if state.note and (found := health_words_in(state.note)):
        state = state.model_copy(update={"step": SickStep.HEALTH_WORDS})
        return Step(state, [Card(CardName.SICK_HEALTH_WORDS, {"words": found})])
    return _report(state)


def _report(state: SickState) -> Step:
    assert state.kind is not None and state.first_day is not None
    report = ReportSick(state.kind, state.first_day, state.expected_return, state.note)
    return Step(None, [], [report])


def _on_kind(state: SickState, said: Said) -> Step:
    if said.words in SEND_WORDS:
        return send_card(state, QuickChoice(), said.today, said.window)
    if said.words in OTHER_WORDS:
        return Step(state, [Card(CardName.SICK_KIND)])
    kind = KIND_WORDS.get(said.words)
    day = parse_day(said.words, said.today) if kind is None else None
    if day is not None and said.window.contains(day, said.today):
        # "i morgen" on the quick card: sick from that day, as the card's kind says
        update = {"first_day": day, "step": SickStep.EXPECTED_RETURN}
        state = state.model_copy(update={"kind": state.kind or SickKind.FULL, **update})
        return Step(state, [Card(CardName.SICK_RETURN, _return_params(day, said.today))])
    if kind is None:
        return Step(state, [Text("sick_quick_again"), quick_card(state, said.today, said.window)])
    if kind == SickKind.GOING_HOME:
        state = state.model_copy(
            update={"kind": kind, "first_day": said.today, "step": SickStep.EXPECTED_RETURN}
        )
        return Step(state, [Card(CardName.SICK_RETURN, _return_params(said.today, said.today))])
    state = state.model_copy(update={"kind": kind, "step": SickStep.FIRST_DAY})
    return Step(state, [Card(CardName.SICK_FIRST_DAY, _first_day_params(said.today, said.window))])


def _on_first_day(state: SickState, said: Said) -> Step:
    day = parse_day(said.words, said.today)
    if day is None or not said.window.contains(day, said.today):
        return Step(
            state,
            [
                bad_date_reply(said.text, said.today, *_window(said.today, said.window)),
                Card(CardName.SICK_FIRST_DAY, _first_day_params(said.today, said.window)),
            ],
        )
    state = state.model_copy(update={"first_day": day, "step": SickStep.EXPECTED_RETURN})
    return Step(state, [Card(CardName.SICK_RETURN, _return_params(day, said.today))])


def _on_expected_return(state: SickState, said: Said) -> Step:
    assert state.first_day is not None
    unknown = said.words in UNKNOWN_WORDS
    back = None if unknown else parse_day(said.words, said.today)
    if not unknown and not _plausible_return(back, state.first_day, said.today):
        params = _return_params(state.first_day, said.today)
        return Step(
            state,
            [
                _return_again(state.first_day, said.today),
                Card(CardName.SICK_RETURN, params),
            ],
        )
    state = state.model_copy(update={"expected_return": back, "step": SickStep.NOTE})
    return Step(state, [Card(CardName.SICK_NOTE)])


def _plausible_return(back: date | None, first_day: date, today: date) -> bool:
    """After the first sick day and at most a year ahead."""
    return back is not None and first_day < back <= today + timedelta(days=RETURN_DAYS_AHEAD)


def _on_note(state: SickState, said: Said) -> Step:
    note = None if said.words in SKIP_WORDS else said.text.strip()[:NOTE_LIMIT]
    if note and (found := health_words_in(note)):
        state = state.model_copy(update={"note": note, "step": SickStep.HEALTH_WORDS})
        return Step(state, [Card(CardName.SICK_HEALTH_WORDS, {"words": found})])
    return _confirm(state.model_copy(update={"note": note}))


def _on_health_words(state: SickState, said: Said) -> Step:
    if said.words in EDIT_WORDS:
        # The written note stays: on the card to edit, or kept until a new one is typed.
        if state.quick:
            state = state.model_copy(update={"step": SickStep.KIND})
            picked = (state.kind, state.first_day, state.expected_return)
            expanded = picked != (SickKind.FULL, said.today, None)
            return Step(state, [quick_card(state, said.today, said.window, expanded)])
        state = state.model_copy(update={"step": SickStep.NOTE})
        return Step(state, [Card(CardName.SICK_NOTE, {"note": state.note})])
    chosen = None
    if said.words in SEND_ANYWAY_WORDS:
        chosen = state
    elif said.words in WITHOUT_NOTE_WORDS:
        chosen = state.model_copy(update={"note": None})
    if chosen is not None:
        return _report(chosen) if state.quick else _confirm(chosen)
    return Step(
        state, [Card(CardName.SICK_HEALTH_WORDS, {"words": health_words_in(state.note or "")})]
    )


def _on_confirm(state: SickState, said: Said) -> Step:
    if said.words in SEND_WORDS:
        return _report(state)
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


def _window(today: date, window: DateWindow) -> tuple[date, date]:
    return window.earliest(today), window.latest(today)


def _first_day_params(today: date, window: DateWindow) -> dict[str, object]:
    """The first-day card: its date field's limits and a hint inside them."""
    return dict(window_hint(today, *_window(today, window)))


def _return_again(first_day: date, today: date) -> Text:
    example = _return_params(first_day, today)["example"]
    return Text("sick_return_again", {"first_day": first_day, "example": example})


def _return_params(first_day: date, today: date) -> dict[str, object]:
    earliest = first_day + timedelta(days=1)
    latest = today + timedelta(days=RETURN_DAYS_AHEAD)
    return {"first_day": first_day, **window_hint(today, earliest, latest)}
