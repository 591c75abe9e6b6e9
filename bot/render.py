"""Turns dialog replies into Bot Framework activity JSON in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot import cards
from bot.cards.base import stamp_pressed
from bot.texts import t
from dialogs.replies import Card, CardName, Reply, Text

# Cards about one person that link to the person's page in the tab (the view names them).
LINKS_TO_PERSON = frozenset({CardName.LEADER_ABSENCE, CardName.FOLLOWUP})
PersonUrl = Callable[[str], str]


def activity_json(reply: Reply, lang: str, person_url: PersonUrl | None = None) -> dict[str, Any]:
    match reply:
        case Text(key, params):
            return {"type": "message", "text": t(lang, key, **params), "textFormat": "markdown"}
        case Card(name, params):
            whose: str = getattr(params.get("view"), "employee_id", "")
            if person_url is not None and name in LINKS_TO_PERSON and whose:
                params = {**params, "person_url": person_url(whose)}
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

    def __init__(self, person_url: PersonUrl | None = None) -> None:
        self.person_url = person_url

    def activity(self, reply: Reply, lang: str) -> dict[str, Any]:
        return activity_json(reply, lang, self.person_url)

    def text(self, lang: str, key: str, **params: object) -> str:
        return t(lang, key, **params)
