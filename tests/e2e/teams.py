"""A few people of the small organisation talking to the running bot, as Teams would carry it."""

from __future__ import annotations

from typing import Any

from tests.activities import message
from tests.connector_stub import ADAPTIVE_CARD, Call, ConnectorStub

PEOPLE = {
    "chef": ("29:chef", "aad-chef"),
    "lars": ("29:lars", "aad-lars"),
    "dorte": ("29:dorte", "aad-dorte"),
    "emma": ("29:emma", "aad-emma"),
    "ali": ("29:ali", "aad-ali"),
    "mette": ("29:mette", "aad-mette"),
    "hanne": ("29:hr", "aad-hr"),
}


def conversation_of(who: str) -> str:
    return f"a:personal-{PEOPLE[who][0]}"


class Teams:
    def __init__(self, bot: Any, stub: ConnectorStub) -> None:
        self.bot = bot
        self.stub = stub

    async def say(
        self,
        who: str,
        text: str = "",
        *,
        value: dict[str, Any] | None = None,
        activity_id: str | None = None,
    ) -> None:
        user, aad = PEOPLE[who]
        response = await self.bot.post(
            message(
                self.stub.base_url, text, user=user, aad=aad, value=value, activity_id=activity_id
            )
        )
        assert response.status in (200, 202), response.status

    async def click(self, who: str, data: dict[str, Any], **inputs: Any) -> None:
        await self.say(who, value={**data, **inputs})

    async def hello(self, *people: str) -> None:
        """Each person opens the bot once, so naervaer knows where to reach them."""
        for who in people:
            await self.say(who, "hjælp")
        self.stub.clear()

    def to(self, who: str) -> list[Call]:
        return [c for c in self.stub.sent() if c.conversation_id == conversation_of(who)]

    def texts_to(self, who: str) -> list[str]:
        return [c.body.get("text", "") for c in self.to(who) if c.body.get("text")]

    def cards_to(self, who: str) -> list[dict[str, Any]]:
        return [
            a["content"]
            for c in self.to(who)
            for a in c.body.get("attachments") or []
            if a.get("contentType") == ADAPTIVE_CARD
        ]

    def last_card(self, who: str) -> dict[str, Any]:
        return self.cards_to(who)[-1]

    async def wait_until(self, who: str, count: int, timeout: float = 5.0) -> list[Call]:
        await self.stub.wait_for(lambda _s: len(self.to(who)) >= count, timeout)
        return self.to(who)

    async def wait_for_update(self, count: int = 1, timeout: float = 5.0) -> list[Call]:
        await self.stub.wait_for(lambda s: len(s.updates()) >= count, timeout)
        return self.stub.updates()


def card_text(card: dict[str, Any]) -> str:
    """Every text on a card, for asserting what a person sees."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "value", "placeholder"):
                if isinstance(node.get(key), str):
                    out.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return "\n".join(out)


def action(card: dict[str, Any], title: str) -> dict[str, Any]:
    """The submit data of the button with this title (also inside a ShowCard)."""
    for item in card.get("actions", []):
        if item.get("title") == title:
            if item["type"] == "Action.ShowCard":
                return item["card"]["actions"][0]["data"]
            return item["data"]
    raise AssertionError(
        f"no button {title!r} on card: {[a.get('title') for a in card.get('actions', [])]}"
    )
