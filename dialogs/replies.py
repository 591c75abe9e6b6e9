"""What a dialog asks the bot to say, without knowing how Teams shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class Text:
    """A text from bot/texts by key, with its parameters."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


class CardName(StrEnum):
    """Every card there is; bot/cards has exactly one builder for each."""

    HELP = "help"
    SICK_KIND = "sick_kind"
    SICK_QUICK = "sick_quick"
    SICK_FIRST_DAY = "sick_first_day"
    SICK_RETURN = "sick_return"
    SICK_NOTE = "sick_note"
    SICK_HEALTH_WORDS = "sick_health_words"
    SICK_CONFIRM = "sick_confirm"
    FIT_WHEN = "fit_when"
    FIT_HOW = "fit_how"
    FIT_AMOUNT = "fit_amount"
    FIT_UNTIL = "fit_until"
    EMERGENCY_WHEN = "emergency_when"
    EMERGENCY_PAID = "emergency_paid"
    OFFER_FIT = "offer_fit"
    SICK_RECEIPT = "sick_receipt"
    LEADER_ABSENCE = "leader_absence"
    OTHER_TASKS = "other_tasks"
    ON_BEHALF = "on_behalf"
    FOLLOWUP = "followup"
    FOLLOWUP_DIGEST = "followup_digest"
    PRIVACY = "privacy"
    CHECKIN = "checkin"
    CHECKIN_TO_GREEN = "checkin_to_green"
    CHECKIN_OFFER_PAUSE = "checkin_offer_pause"
    TEAM = "team"
    CHECKIN_DIGEST = "checkin_digest"
    KUDOS = "kudos"
    TEAM_DAY = "team_day"


@dataclass(frozen=True)
class Card:
    """An Adaptive Card built by bot/cards by name."""

    name: CardName
    params: dict[str, Any] = field(default_factory=dict)


Reply = Text | Card


class TextKey(str):
    """A parameter that is itself a text key, translated in the reader's language."""

    __slots__ = ()


@dataclass(frozen=True)
class Amount:
    """How much of a partial sick leave is off work: hours per week or a percentage."""

    hours_off: float | None
    percent_off: int | None
