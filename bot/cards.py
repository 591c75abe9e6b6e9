"""Adaptive Cards (schema 1.5, what Teams renders) and the payloads their buttons submit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter

from bot.texts import t
from dialogs.commands import Intent

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
CardJson = dict[str, Any]


class CommandSubmit(BaseModel):
    """A button that does what typing the command does."""

    model_config = ConfigDict(extra="ignore")
    kind: Literal["command"]
    command: Intent


# Later issues add their submits here; the `kind` field picks the model.
Submit = CommandSubmit
SUBMIT = TypeAdapter[Submit](Submit)


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None) -> CardJson:
    card: CardJson = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": body,
    }
    if actions:
        card["actions"] = actions
    return card


def _submit(title: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Action.Submit", "title": title, "data": data}


def help_card(lang: str) -> CardJson:
    lines = ["help_sick", "help_fit", "help_home", "help_emergency", "help_status", "help_help"]
    return _card(
        [
            {
                "type": "TextBlock",
                "text": t(lang, "help_title"),
                "weight": "Bolder",
                "size": "Medium",
            },
            {"type": "TextBlock", "text": t(lang, "help_intro"), "wrap": True},
            *(
                {"type": "TextBlock", "text": t(lang, key), "wrap": True, "spacing": "Small"}
                for key in lines
            ),
            {"type": "TextBlock", "text": t(lang, "help_privacy"), "wrap": True, "isSubtle": True},
            {
                "type": "TextBlock",
                "text": t(lang, "help_language"),
                "wrap": True,
                "isSubtle": True,
                "size": "Small",
            },
        ],
        [
            _submit(t(lang, "button_sick"), {"kind": "command", "command": Intent.SICK}),
            _submit(t(lang, "button_fit"), {"kind": "command", "command": Intent.FIT}),
            _submit(t(lang, "button_status"), {"kind": "command", "command": Intent.STATUS}),
        ],
    )


CARDS: dict[str, Callable[..., CardJson]] = {"help": help_card}


def build(name: str, lang: str, params: dict[str, Any]) -> CardJson:
    return CARDS[name](lang, **params)
