"""A few people of the small organisation talking to the running bot, as Teams would carry it."""

from __future__ import annotations

from typing import Any

from tests.activities import card_action, execute_value, message
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
        # Cards Teams shows after an Action.Execute press (the invoke responses), by message id.
        self.shown: dict[str, dict[str, Any]] = {}

    async def say(
        self,
        who: str,
        text: str = "",
        *,
        value: dict[str, Any] | None = None,
        activity_id: str | None = None,
        reply_to_id: str | None = None,
    ) -> None:
        user, aad = PEOPLE[who]
        response = await self.bot.post(
            message(
                self.stub.base_url,
                text,
                user=user,
                aad=aad,
                value=value,
                activity_id=activity_id,
                reply_to_id=reply_to_id,
            )
        )
        assert response.status in (200, 202), response.status

    async def click(self, who: str, data: dict[str, Any], **inputs: Any) -> None:
        """Press a button the old way (Action.Submit): a message with the data as its value."""
        await self.say(who, value={**data, **inputs}, reply_to_id=self.message_with(who, data))

    async def execute(self, who: str, data: dict[str, Any], **inputs: Any) -> dict[str, Any]:
        """Press a button as Teams does today (Action.Execute): an invoke, answered in the HTTP
        response with the card to show (or a message); the card shown is kept in `shown`."""
        user, aad = PEOPLE[who]
        reply_to = self.message_with(who, data)
        verb = str(data.get("kind", ""))
        activity = card_action(
            self.stub.base_url,
            execute_value(verb, {**data, **inputs}),
            user=user,
            aad=aad,
            reply_to_id=reply_to,
        )
        return await self.invoke(activity, reply_to)

    async def invoke(self, activity: dict[str, Any], reply_to: str | None = None) -> dict[str, Any]:
        response = await self.bot.post(activity)
        assert response.status == 200, response.status
        body = await response.json()
        assert body["statusCode"] == 200, body
        if body["type"] == ADAPTIVE_CARD and reply_to is not None:
            self.shown[reply_to] = body["value"]
        return body

    async def press(
        self, who: str, card: dict[str, Any], title: str, *, execute: bool = True, **inputs: Any
    ) -> dict[str, Any] | None:
        """Press the button with this title on a card, either way."""
        data = action(card, title)
        if execute:
            return await self.execute(who, data, **inputs)
        await self.click(who, data, **inputs)
        return None

    def message_with(self, who: str, data: dict[str, Any]) -> str | None:
        """The id of the newest message to `who` whose card has a button with this data."""
        for call in reversed(self.to(who)):
            for attachment in (call.activity or {}).get("attachments") or []:
                content = attachment.get("content") or {}
                if any(b.get("data") == data for b in buttons(content)):
                    return message_id(call)
        return None

    def card_now(self, message: str) -> dict[str, Any] | None:
        """The card a message shows now: the last update to it, else as sent."""
        for call in reversed(self.stub.updates()):
            if call.activity_id == message:
                return (call.activity or {})["attachments"][0]["content"]
        for call in self.stub.sent():
            if message_id(call) == message:
                return (call.activity or {})["attachments"][0]["content"]
        return None

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


def message_id(call: Call) -> str | None:
    response = call.response if isinstance(call.response, dict) else {}
    return response.get("activityId") if call.kind == "create" else response.get("id")


def buttons(node: Any) -> list[dict[str, Any]]:
    """Every button with data on a card, also in ActionSets and shown cards."""
    found: list[dict[str, Any]] = []
    if isinstance(node, list):
        for item in node:
            found += buttons(item)
    elif isinstance(node, dict):
        if isinstance(node.get("data"), dict) and str(node.get("type", "")).startswith("Action."):
            found.append(node)
        for key in ("body", "items", "actions", "card", "columns"):
            found += buttons(node.get(key))
    return found


def live_buttons(card: dict[str, Any]) -> list[str]:
    return [b.get("title", "") for b in buttons(card)]


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
