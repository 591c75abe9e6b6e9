"""Adaptive Cards (schema 1.5, what Teams renders), one builder per card name, and the payloads
their buttons submit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.cards import absence, checkin, conversation, followup, quick
from bot.cards.base import ADAPTIVE_CARD as ADAPTIVE_CARD
from bot.cards.base import CardJson
from bot.cards.submits import AnswerSubmit as AnswerSubmit
from bot.cards.submits import CommandSubmit as CommandSubmit
from bot.cards.submits import FollowUpAction as FollowUpAction
from bot.cards.submits import LeaderAction as LeaderAction
from bot.cards.submits import OnBehalf as OnBehalf
from bot.cards.submits import OtherTasksAnswer as OtherTasksAnswer
from dialogs.replies import CardName

CARDS: dict[CardName, Callable[..., CardJson]] = {
    CardName.HELP: conversation.help_card,
    CardName.SICK_KIND: conversation.sick_kind_card,
    CardName.SICK_QUICK: quick.sick_quick_card,
    CardName.SICK_FIRST_DAY: conversation.sick_first_day_card,
    CardName.SICK_RETURN: conversation.sick_return_card,
    CardName.SICK_NOTE: conversation.sick_note_card,
    CardName.SICK_HEALTH_WORDS: conversation.sick_health_words_card,
    CardName.SICK_CONFIRM: conversation.sick_confirm_card,
    CardName.FIT_WHEN: conversation.fit_when_card,
    CardName.FIT_HOW: conversation.fit_how_card,
    CardName.FIT_AMOUNT: conversation.fit_amount_card,
    CardName.FIT_UNTIL: conversation.fit_until_card,
    CardName.EMERGENCY_WHEN: conversation.emergency_when_card,
    CardName.EMERGENCY_PAID: conversation.emergency_paid_card,
    CardName.OFFER_FIT: conversation.offer_fit_card,
    CardName.LEADER_ABSENCE: absence.leader_absence_card,
    CardName.OTHER_TASKS: absence.other_tasks_card,
    CardName.SICK_RECEIPT: absence.receipt_card,
    CardName.ON_BEHALF: conversation.on_behalf_card,
    CardName.FOLLOWUP: followup.followup_card,
    CardName.FOLLOWUP_DIGEST: followup.followup_digest_card,
    CardName.PRIVACY: conversation.privacy_card,
    CardName.CHECKIN: checkin.checkin_card,
    CardName.CHECKIN_TO_GREEN: checkin.checkin_to_green_card,
    CardName.CHECKIN_OFFER_PAUSE: checkin.checkin_offer_pause_card,
    CardName.TEAM: checkin.team_card,
    CardName.CHECKIN_DIGEST: checkin.checkin_digest_card,
    CardName.KUDOS: checkin.kudos_card,
    CardName.TEAM_DAY: checkin.team_day_card,
}

# The dialog step each card answers; its buttons carry it, so a click on an old card is noticed.
STEP_OF: dict[CardName, tuple[str, str]] = {
    CardName.SICK_KIND: ("sick", "kind"),
    CardName.SICK_QUICK: ("sick", "kind"),
    CardName.SICK_FIRST_DAY: ("sick", "first_day"),
    CardName.SICK_RETURN: ("sick", "expected_return"),
    CardName.SICK_NOTE: ("sick", "note"),
    CardName.SICK_HEALTH_WORDS: ("sick", "health_words"),
    CardName.SICK_CONFIRM: ("sick", "confirm"),
    CardName.FIT_WHEN: ("fit", "when"),
    CardName.FIT_HOW: ("fit", "how"),
    CardName.FIT_AMOUNT: ("fit", "amount"),
    CardName.FIT_UNTIL: ("fit", "until"),
    CardName.EMERGENCY_WHEN: ("emergency", "when"),
    CardName.EMERGENCY_PAID: ("emergency", "paid_with"),
}


def build(name: CardName, lang: str, params: dict[str, Any]) -> CardJson:
    card = CARDS[name](lang, **params)
    if name in STEP_OF:
        dialog, step = STEP_OF[name]
        for action in card.get("actions", []):
            data = action.get("data")
            if isinstance(data, dict) and data.get("kind") == "answer":
                data.update(dialog=dialog, step=step)
    return card
