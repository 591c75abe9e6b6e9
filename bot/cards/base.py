"""The building blocks of an Adaptive Card (schema 1.5, what Teams renders).

Buttons are Universal Actions: `Action.Execute` (Teams sends an `adaptiveCard/action` invoke and
shows the card we answer with), falling back to `Action.Submit` (a message with the data) on a
client without them. A card author calls `submit_action(title, data)` and gets both.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from bot.texts import t

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
# What a pressed button's data carries about its card, so its done state can be shown.
PRESSED = "_card"
# Presses of these kinds leave the card as it is: menus, and cards with one button per item.
KEEPS_CARD = frozenset({"command", "checkin_leader"})


CardJson = dict[str, Any]


def adaptive_card(
    body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None
) -> CardJson:
    card: CardJson = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": body,
    }
    if actions:
        card["actions"] = actions
    return card


def submit_action(title: str, data: dict[str, Any]) -> dict[str, Any]:
    """A button: Action.Execute with the payload's kind as verb, Action.Submit as fallback.

    Both carry the same data object, so whatever is stamped on it later reaches either path."""
    return {
        "type": "Action.Execute",
        "title": title,
        "verb": str(data.get("kind", "")),
        "data": data,
        "fallback": {"type": "Action.Submit", "title": title, "data": data},
    }


def text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def answer_action(title: str, token: str) -> dict[str, Any]:
    return submit_action(title, {"kind": "answer", "text": token})


def date_input(lang: str, value: date | None = None) -> list[dict[str, Any]]:
    field: dict[str, Any] = {"type": "Input.Date", "id": "date"}
    if value is not None:
        field["value"] = value.isoformat()
    return [field, text_block(t(lang, "or_type_date"), isSubtle=True, size="Small")]


def kind_text(lang: str, kind: str | None) -> str:
    return t(lang, f"kind_{kind}") if kind else ""


# --- pressed cards ----------------------------------------------------------------------------


def buttons(node: Any) -> Iterator[dict[str, Any]]:
    """Every Execute/Submit button of a card: its actions, ActionSets and shown cards."""
    if isinstance(node, list):
        for item in node:
            yield from buttons(item)
    elif isinstance(node, dict):
        if node.get("type") in ("Action.Execute", "Action.Submit") and isinstance(
            node.get("data"), dict
        ):
            yield node
        for key in ("body", "items", "actions", "card", "columns"):
            yield from buttons(node.get(key))


def stamp_pressed(card: CardJson, name: str) -> CardJson:
    """Each button that ends its card learns the card's name and heading and its own title."""
    heading = _heading(card.get("body") or [])
    for button in buttons(card):
        data = button["data"]
        if data.get("kind") not in KEEPS_CARD:
            data[PRESSED] = {"name": name, "heading": heading, "title": button.get("title", "")}
    return card


def _heading(body: list[dict[str, Any]]) -> str:
    for element in body:
        if element.get("type") == "TextBlock" and element.get("text"):
            return str(element["text"])[:300]
        if element.get("type") == "Container":
            found = _heading(element.get("items") or [])
            if found:
                return found
    return ""


def done_card(heading: str, chosen: list[str]) -> CardJson:
    """A pressed card in its done state: what it asked and what was chosen, no buttons."""
    body = [text_block(heading, weight="Bolder")] if heading else []
    body += [text_block("✓ " + line, spacing="Small") for line in chosen if line]
    return adaptive_card(body)
