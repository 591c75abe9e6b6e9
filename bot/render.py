"""Turns dialog replies into Bot Framework activity JSON in the reader's language."""

from __future__ import annotations

from typing import Any

from bot import cards
from bot.cards.base import stamp_pressed
from bot.texts import t
from dialogs.replies import Card, Reply, Text


def activity_json(reply: Reply, lang: str) -> dict[str, Any]:
    match reply:
        case Text(key, params):
            return {"type": "message", "text": t(lang, key, **params), "textFormat": "markdown"}
        case Card(name, params):
            return {
                "type": "message",
                "attachments": [
                    {
                        "contentType": cards.ADAPTIVE_CARD,
                        "content": stamp_pressed(cards.build(name, lang, params), str(name)),
                    }
                ],
            }
    raise TypeError(f"not a reply: {reply!r}")


class TeamsRenderer:
    """The services' Renderer: Bot Framework activities and texts from bot/texts."""

    def activity(self, reply: Reply, lang: str) -> dict[str, Any]:
        return activity_json(reply, lang)

    def text(self, lang: str, key: str, **params: object) -> str:
        return t(lang, key, **params)
