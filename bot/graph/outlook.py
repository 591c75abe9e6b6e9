"""Outlook through Graph (v1.0): an all-day event shown as out of office (`showAs: oof`) and
the mailbox's scheduled automatic replies (`automaticRepliesSetting`). Application permissions
Calendars.ReadWrite and MailboxSettings.ReadWrite."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from bot.graph.client import GraphClient
from services.directory import AutomaticReplies, GraphRefused


class GraphOutlook:
    def __init__(self, client: GraphClient, timezone: str) -> None:
        self.client = client
        self.timezone = timezone

    def _at(self, day: date) -> dict[str, str]:
        return {"dateTime": f"{day.isoformat()}T00:00:00", "timeZone": self.timezone}

    async def _call(self, method: str, path: str, body: Any, ok: tuple[int, ...]) -> Any:
        answer = await self.client.request(method, path, body)
        if answer.status not in ok:
            raise GraphRefused(answer.status, answer.code or "error")
        return answer.body

    async def create_absence_event(
        self, user_id: str, first: date, until: date, subject: str, key: str
    ) -> str:
        body = {
            "subject": subject,
            "isAllDay": True,
            "showAs": "oof",
            "isReminderOn": False,
            "responseRequested": False,
            "start": self._at(first),
            # An all-day event ends at the start of the day after its last.
            "end": self._at(until + timedelta(days=1)),
            "transactionId": key,
        }
        created = await self._call("POST", f"/users/{quote(user_id)}/events", body, (200, 201))
        return str(created["id"])

    async def move_event_end(self, user_id: str, event_id: str, first: date, until: date) -> None:
        body = {"start": self._at(first), "end": self._at(until + timedelta(days=1))}
        path = f"/users/{quote(user_id)}/events/{quote(event_id)}"
        await self._call("PATCH", path, body, (200,))

    async def delete_event(self, user_id: str, event_id: str) -> None:
        path = f"/users/{quote(user_id)}/events/{quote(event_id)}"
        await self._call("DELETE", path, None, (200, 204, 404))

    async def set_automatic_replies(self, user_id: str, replies: AutomaticReplies | None) -> None:
        setting: dict[str, Any] = {"status": "disabled"}
        if replies is not None:
            setting = {
                "status": "scheduled",
                "externalAudience": "all",
                "scheduledStartDateTime": self._at(replies.start),
                "scheduledEndDateTime": self._at(replies.until + timedelta(days=1)),
                "internalReplyMessage": replies.message,
                "externalReplyMessage": replies.message,
            }
        path = f"/users/{quote(user_id)}/mailboxSettings"
        await self._call("PATCH", path, {"automaticRepliesSetting": setting}, (200,))
