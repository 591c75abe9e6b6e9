"""Leader notices to the Teams activity feed, plugged in front of the outbox's delivery: the
outbox still claims each message once and records it once; a leader notice is first kept as a
feed notice (once per key) for `FeedSender`, then, as NAERVAER_LEADER_NOTICES says, also sent
to the chat (`both`) or, for a plain text, not (`feed`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from bot.settings import Settings
from bot.tab.links import TAB_ENTITY
from scheduler.clock import Clock
from scheduler.outbox import Deliver, Delivered, Outcome
from services.leader_feed import is_card, store_notice
from storage import db
from storage.outbox import ClaimedMessage

Mode = Literal["chat", "feed", "both"]
FEED_CONVERSATION = "activity-feed"


def tab_link(settings: Settings) -> str:
    """Where a feed notice leads: the insight tab in Teams (the local page in local mode)."""
    if settings.app_id:
        return f"https://teams.microsoft.com/l/entity/{settings.app_id}/{TAB_ENTITY}"
    return f"http://{settings.host}:{settings.port}/tab"


def with_leader_feed(
    deliver: Deliver,
    mode: Mode,
    sessions: db.Sessions,
    clock: Clock,
    link: str,
    wake: Callable[[], None],
) -> Deliver:
    if mode == "chat":
        return deliver

    async def delivering(message: ClaimedMessage) -> Outcome:
        stored = await store_notice(
            sessions, message.idempotency_key, message.recipient_id, message.payload, link, clock
        )
        if not stored:
            return await deliver(message)
        wake()
        if mode == "feed" and not is_card(message.payload):
            return Delivered(FEED_CONVERSATION, None)
        return await deliver(message)

    return delivering
