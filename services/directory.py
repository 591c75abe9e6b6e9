"""The port to Entra ID and Teams through Microsoft Graph (issue 19). The services speak to
these protocols; bot/graph/ implements them over HTTP (and tests/graph_stub.py answers)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

# The user properties the org sync reads; the unit's attribute is added to them.
USER_PROPERTIES = (
    "displayName",
    "userPrincipalName",
    "mail",
    "employeeId",
    "department",
    "accountEnabled",
    "preferredLanguage",
    "manager",
)


@dataclass(frozen=True)
class UserChange:
    """One user as the delta feed gave them: removed, or the properties it sent (Graph names;
    "manager" holds the manager's object id or None, and is absent when not sent)."""

    id: str
    removed: bool = False
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class UserChanges:
    users: Sequence[UserChange]
    delta_link: str  # where the next read carries on
    full: bool  # a full read (every user), not the changes since a delta link


class DeltaExpired(Exception):
    """The stored delta link is no longer valid: read everything again."""


class GraphRefused(Exception):
    """Graph said no (a missing permission, an unknown user) after any retries."""

    def __init__(self, status: int, code: str) -> None:
        self.status = status
        self.code = code
        super().__init__(f"Graph answered {status} {code}")


class Directory(Protocol):
    async def user_changes(self, delta_link: str | None, select: Sequence[str]) -> UserChanges:
        """Every page of users/delta from the link (None: a full read), Retry-After honoured."""
        ...


class AppInstaller(Protocol):
    async def install_app(self, user_id: str, catalog_app_id: str) -> bool:
        """Install the Teams app for a user: True if installed now, False if it already was."""
        ...


class ActivityFeed(Protocol):
    async def notify(self, user_id: str, notification: Mapping[str, Any]) -> None:
        """Send one activity feed notification (sendActivityNotification's body)."""
        ...


@dataclass(frozen=True)
class AutomaticReplies:
    """Scheduled automatic replies from `start` until the end of `until` (local days)."""

    start: date
    until: date
    message: str


class Outlook(Protocol):
    async def create_absence_event(
        self, user_id: str, first: date, until: date, subject: str, key: str
    ) -> str:
        """An all-day event shown as out of office through `until`; returns its id. `key` makes
        a retried create one event (Graph's transactionId)."""
        ...

    async def move_event_end(
        self, user_id: str, event_id: str, first: date, until: date
    ) -> None: ...

    async def delete_event(self, user_id: str, event_id: str) -> None:
        """Gone already counts as done."""
        ...

    async def set_automatic_replies(self, user_id: str, replies: AutomaticReplies | None) -> None:
        """Scheduled replies, or None: off."""
        ...
