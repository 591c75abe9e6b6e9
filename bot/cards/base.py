"""The building blocks of an Adaptive Card (schema 1.5, what Teams renders)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.texts import t

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


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
    return {"type": "Action.Submit", "title": title, "data": data}


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
