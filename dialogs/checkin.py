"""The daily check-in (TeamEffect's "Min Arbejdsdag", the Randers trivselstavle): a colour for
the working day, an optional comment, and for yellow or red what would make it green.

```mermaid
stateDiagram-v2
    [*] --> [*]: grøn [comment] / AnswerCheckIn
    [*] --> to_green: gul|rød [comment] / AnswerCheckIn
    to_green --> [*]: any text / SayToGreen
    to_green --> [*]: spring over
```

Pausing: `pause` (two weeks), `pause til 21/7`, `stop` (until `start`), `start`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel

from dialogs.dates import parse_day
from dialogs.flow import CANCEL_WORDS, Step, words
from dialogs.replies import Text

# Digits answer only outside a dialog: inside one they mean that dialog's choices.
COLOUR_DIGITS = {"1": "green", "2": "yellow", "3": "red"}
SKIP_WORDS = {"spring over", "skip", "nej", "no", "ingenting", "nothing"}
DEFAULT_PAUSE = timedelta(days=14)
LONGEST_PAUSE = timedelta(days=366)
MAX_TEXT = 1000


class CheckInStep(enum.StrEnum):
    TO_GREEN = "to_green"


class CheckInState(BaseModel):
    dialog: Literal["checkin"] = "checkin"
    step: CheckInStep
    day: date


@dataclass(frozen=True)
class AnswerCheckIn:
    colour: str
    comment: str | None


@dataclass(frozen=True)
class SayToGreen:
    day: date
    text: str


def answer_colour(colour: str, comment: str, today: date) -> Step:
    """A colour typed or clicked; yellow and red go on to ask what would make it green."""
    effect = AnswerCheckIn(colour, comment.strip()[:MAX_TEXT] or None)
    if colour == "green":
        return Step(None, [], [effect])
    return Step(CheckInState(step=CheckInStep.TO_GREEN, day=today), [], [effect])


def answer(state: CheckInState, text: str, today: date) -> Step:
    said = words(text)
    if said in CANCEL_WORDS or said in SKIP_WORDS:
        return Step(None, [Text("checkin_thanks")])
    if state.day != today:
        return Step(None, [Text("checkin_old")])
    return Step(None, [Text("checkin_to_green_thanks")], [SayToGreen(state.day, text[:MAX_TEXT])])


def pause_until(rest: str, today: date) -> date | None:
    """`pause` alone is two weeks; `pause til 21/7` until that day. None: not a usable date."""
    said = words(rest)
    for word in ("til og med ", "til ", "until ", "to "):
        said = said.removeprefix(word)
    if not said:
        return today + DEFAULT_PAUSE
    day = parse_day(said, today)
    if day is not None and day < today:
        # '21/7' in November means next July.
        try:
            day = day.replace(year=day.year + 1)
        except ValueError:
            return None
    if day is None or not today <= day <= today + LONGEST_PAUSE:
        return None
    return day
