"""Leaders' notices in the Teams activity feed (issue 19, NAERVAER_LEADER_NOTICES=feed|both).

Which outbox messages are leader notices is read from their idempotency key (services.keys):
an unanswered sick report's reminder, its escalation to the leader above, and a follow-up's
card, overdue reminder and escalation. Each becomes one feed notice under the same key (so a
retried outbox message never notifies twice), stored before it is sent, and sent by
`FeedSender` through Graph's sendActivityNotification with the activity types the manifest
declares. With `feed`, text notices go to the feed instead of the chat; cards a leader acts on
stay in the chat as well.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from scheduler.clock import Clock
from services.directory import ActivityFeed, GraphRefused
from storage import db
from storage.graph import FeedNotices

log = logging.getLogger("naervaer.leader_feed")

# Key pattern -> the manifest's activity type (manifest/manifest.template.json).
_KINDS = (
    (re.compile(r"absence:\d+:reminder$"), "sickReportUnanswered"),
    (re.compile(r"absence:\d+:escalation$"), "leaderEscalation"),
    (re.compile(r"followup:\d+:card:[\d-]+$"), "followUpDue"),
    (re.compile(r"followup:\d+:overdue:[\d-]+$"), "followUpDue"),
    (re.compile(r"followup:\d+:escalation:[\d-]+$"), "leaderEscalation"),
)
# Graph's limit for previewText.
PREVIEW_LIMIT = 150
MAX_TRIES = 8


def activity_type(key: str) -> str | None:
    return next((kind for pattern, kind in _KINDS if pattern.match(key)), None)


def is_card(activity: Mapping[str, Any]) -> bool:
    return bool(activity.get("attachments"))


def _first_text(node: Any) -> str:
    if isinstance(node, dict):
        if node.get("type") == "TextBlock" and node.get("text"):
            return str(node["text"])
        return next((t for t in map(_first_text, node.values()) if t), "")
    if isinstance(node, list):
        return next((t for t in map(_first_text, node) if t), "")
    return ""


def preview(activity: Mapping[str, Any]) -> str:
    """The notice's one line: the message's text, or a card's first text block."""
    text = str(activity.get("text") or "") or _first_text(activity.get("attachments") or [])
    text = " ".join(re.sub(r"[*_`#>]", "", text).split())
    return text if len(text) <= PREVIEW_LIMIT else text[: PREVIEW_LIMIT - 1] + "…"


def notification(kind: str, activity: Mapping[str, Any], link: str) -> dict[str, Any]:
    """sendActivityNotification's body (Graph v1.0): a text topic with the tab's deep link."""
    line = preview(activity)
    return {
        "topic": {"source": "text", "value": "naervaer", "webUrl": link},
        "activityType": kind,
        "previewText": {"content": line},
        "templateParameters": [{"name": "notice", "value": line}],
    }


async def store_notice(
    sessions: db.Sessions,
    key: str,
    recipient_id: str,
    activity: Mapping[str, Any],
    link: str,
    clock: Clock,
) -> bool:
    """Keep a leader notice for the feed (once per key); False if it is no leader notice."""
    kind = activity_type(key)
    if kind is None:
        return False
    async with sessions.begin() as session:
        await FeedNotices(session).add(
            key, recipient_id, notification(kind, activity, link), clock.now()
        )
    return True


class FeedSender:
    """Sends due feed notices; a throttled Graph is waited out by the client, a refusal ends the
    notice (recorded), anything else is tried again later with a growing pause."""

    def __init__(
        self,
        sessions: db.Sessions,
        feed: ActivityFeed,
        clock: Clock,
        lease: timedelta = timedelta(minutes=2),
        keep: timedelta = timedelta(days=30),
    ) -> None:
        self.sessions = sessions
        self.feed = feed
        self.clock = clock
        self.lease = lease
        self.keep = keep

    async def send_due(self) -> int:
        now = self.clock.now()
        async with self.sessions.begin() as session:
            notices = FeedNotices(session)
            await notices.forget(now - self.keep)
            due = await notices.claim(now, self.lease)
        sent = 0
        for notice in due:
            sent += await self._send(
                notice.id, notice.aad_object_id, notice.notification, notice.tries
            )
        return sent

    async def _send(self, notice_id: int, aad: str | None, body: dict[str, Any], tries: int) -> int:
        now = self.clock.now()
        status, problem, retry_at = "sent", None, None
        if aad is None:
            status, problem = "failed", "no Entra object id for the recipient"
        else:
            try:
                await self.feed.notify(aad, body)
            except GraphRefused as refused:
                status, problem = "failed", str(refused)
                if refused.status >= 500 and tries + 1 < MAX_TRIES:
                    status, retry_at = "pending", now + timedelta(seconds=30 * 2**tries)
            except OSError as error:  # the network: try again later
                status, problem = "pending", type(error).__name__
                retry_at = now + timedelta(seconds=30 * 2**tries)
        async with self.sessions.begin() as session:
            await FeedNotices(session).finish(notice_id, status, now, problem, retry_at)
        if status == "failed":
            log.warning("feed notice %s not sent: %s", notice_id, problem)
        return 1 if status == "sent" else 0
