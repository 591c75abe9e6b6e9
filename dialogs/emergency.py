"""Akutdag (Randers): a day off today or tomorrow, paid with vacation, omsorgsdag or
afspadsering. No reason is asked, and it is never recorded as sickness.

```mermaid
stateDiagram-v2
    [*] --> when: akutdag
    when --> paid_with
    paid_with --> [*]: RequestEmergencyDay
```
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel

from dialogs.dates import parse_day
from dialogs.flow import CANCEL_WORDS, Step, words
from dialogs.replies import Card, CardName, Text


class PaidWith(enum.StrEnum):
    VACATION = "vacation"
    CARE_DAY = "care_day"
    TIME_OFF = "time_off"


PAID_WORDS: dict[str, PaidWith] = {
    "1": PaidWith.VACATION,
    "ferie": PaidWith.VACATION,
    "vacation": PaidWith.VACATION,
    "2": PaidWith.CARE_DAY,
    "omsorgsdag": PaidWith.CARE_DAY,
    "care day": PaidWith.CARE_DAY,
    "3": PaidWith.TIME_OFF,
    "afspadsering": PaidWith.TIME_OFF,
    "time off": PaidWith.TIME_OFF,
    "time off in lieu": PaidWith.TIME_OFF,
}


class EmergencyStep(enum.StrEnum):
    WHEN = "when"
    PAID_WITH = "paid_with"


class EmergencyState(BaseModel):
    dialog: Literal["emergency"] = "emergency"
    step: EmergencyStep
    day: date | None = None
    # The days offered (today and tomorrow, less those already off in the ledger); empty in a
    # state stored before they were kept: then today and tomorrow.
    offers: list[date] = []


@dataclass(frozen=True)
class RequestEmergencyDay:
    day: date
    paid_with: PaidWith


def days(today: date) -> list[date]:
    """The days an akutdag may be: today or tomorrow."""
    return [today, today + timedelta(days=1)]


def start(offers: list[date], today: date) -> Step:
    """Asks which day, offering only `offers` (the caller leaves out days already off)."""
    state = EmergencyState(step=EmergencyStep.WHEN, offers=offers)
    return Step(state, [_when_card(offers, today)])


def _when_card(offers: list[date], today: date) -> Card:
    return Card(CardName.EMERGENCY_WHEN, {"offers": offers, "today": today})


def answer(state: EmergencyState, text: str, today: date) -> Step:
    said = words(text)
    if said in CANCEL_WORDS:
        return Step(None, [Text("sick_cancelled")])
    if state.step == EmergencyStep.WHEN:
        day = parse_day(said, today)
        offers = [d for d in state.offers if d >= today] or days(today)
        if day not in offers:
            return Step(state, [Text("emergency_again"), _when_card(offers, today)])
        return Step(
            state.model_copy(update={"day": day, "step": EmergencyStep.PAID_WITH}),
            [Card(CardName.EMERGENCY_PAID)],
        )
    paid = PAID_WORDS.get(said)
    if paid is None or state.day is None:
        return Step(state, [Text("emergency_paid_again"), Card(CardName.EMERGENCY_PAID)])
    return Step(None, [], [RequestEmergencyDay(state.day, paid)])
