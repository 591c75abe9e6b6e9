"""Bot Framework activities as Teams sends them, for posting to /api/messages."""

from __future__ import annotations

import itertools
from typing import Any

_ids = itertools.count(1)
TENANT = "stub-tenant"
BOT_ID = "28:naervaer-test-bot"


def _base(
    kind: str,
    service_url: str,
    user: str,
    aad: str | None,
    locale: str | None,
    conversation: str | None,
    activity_id: str | None,
    name: str | None,
) -> dict[str, Any]:
    sender: dict[str, Any] = {"id": user, "name": name or user}
    if aad:
        sender["aadObjectId"] = aad
    activity: dict[str, Any] = {
        "type": kind,
        "id": activity_id or f"act-{next(_ids)}",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": sender,
        "recipient": {"id": BOT_ID, "name": "naervaer"},
        "conversation": {
            "id": conversation or f"a:personal-{user}",
            "conversationType": "personal",
            "tenantId": TENANT,
        },
        "channelData": {"tenant": {"id": TENANT}},
    }
    if locale:
        activity["locale"] = locale
    return activity


def message(
    service_url: str,
    text: str = "",
    *,
    user: str = "29:emma",
    aad: str | None = "aad-emma",
    locale: str | None = None,
    conversation: str | None = None,
    activity_id: str | None = None,
    value: dict[str, Any] | None = None,
    name: str | None = None,
    reply_to_id: str | None = None,
) -> dict[str, Any]:
    activity = _base("message", service_url, user, aad, locale, conversation, activity_id, name)
    activity["text"] = text
    if value is not None:
        activity["value"] = value
    if reply_to_id is not None:
        # An Action.Submit press: Teams names the message whose card was pressed.
        activity["replyToId"] = reply_to_id
    return activity


def card_action(
    service_url: str,
    value: Any,
    *,
    user: str = "29:emma",
    aad: str | None = "aad-emma",
    locale: str | None = None,
    activity_id: str | None = None,
    reply_to_id: str | None = None,
    name: str = "adaptiveCard/action",
) -> dict[str, Any]:
    """An Action.Execute press as Teams sends it: an invoke whose value holds the action."""
    activity = _base("invoke", service_url, user, aad, locale, None, activity_id, None)
    activity["name"] = name
    if value is not None:
        activity["value"] = value
    if reply_to_id is not None:
        activity["replyToId"] = reply_to_id
    return activity


def execute_value(verb: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}


def conversation_update(
    service_url: str,
    *,
    user: str = "29:emma",
    aad: str | None = "aad-emma",
    locale: str | None = None,
) -> dict[str, Any]:
    activity = _base("conversationUpdate", service_url, user, aad, locale, None, None, None)
    activity["membersAdded"] = [{"id": BOT_ID}, {"id": user}]
    return activity


def installation_update(
    service_url: str, action: str, *, user: str = "29:emma", aad: str | None = "aad-emma"
) -> dict[str, Any]:
    activity = _base("installationUpdate", service_url, user, aad, None, None, None, None)
    activity["action"] = action
    return activity
