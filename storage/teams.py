"""Where Teams users are reached (addresses, first contact, unreachable) and which incoming
activities were handled already (Teams re-sends)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedActivity, ReachStatus, TeamsUser
from storage.repositories import insert_ignoring_duplicates


@dataclass(frozen=True)
class Address:
    """Where to deliver to one Teams user."""

    teams_user_id: str
    tenant_id: str
    service_url: str
    channel_id: str
    bot_id: str | None
    conversation_id: str | None
    status: ReachStatus
    locale: str | None = None


@dataclass(frozen=True)
class SeenUser:
    teams_user_id: str
    tenant_id: str
    service_url: str
    channel_id: str
    bot_id: str | None
    conversation_id: str | None
    aad_object_id: str | None
    name: str | None
    locale: str | None


class TeamsUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(
        self, seen: SeenUser, employee_id: str | None, now: datetime, status: ReachStatus
    ) -> tuple[TeamsUser, bool]:
        """The row, and whether this is a first contact (or a return after uninstall/block)."""
        row = await self.session.scalar(
            select(TeamsUser).where(
                TeamsUser.tenant_id == seen.tenant_id, TeamsUser.teams_user_id == seen.teams_user_id
            )
        )
        returning = row is not None and row.status != ReachStatus.ACTIVE
        if row is None:
            # Teams sends installationUpdate and conversationUpdate at once: only the turn whose
            # insert wins counts as the first contact.
            returning = await insert_ignoring_duplicates(
                self.session,
                TeamsUser,
                {
                    "teams_user_id": seen.teams_user_id,
                    "tenant_id": seen.tenant_id,
                    "service_url": seen.service_url,
                    "last_seen": now,
                    "status": status,
                },
            )
            row = await self.session.scalar(
                select(TeamsUser).where(
                    TeamsUser.tenant_id == seen.tenant_id,
                    TeamsUser.teams_user_id == seen.teams_user_id,
                )
            )
            assert row is not None
        row.service_url = seen.service_url
        row.channel_id = seen.channel_id
        row.bot_id = seen.bot_id or row.bot_id
        # Only a personal (1:1) conversation is worth remembering for proactive messages.
        row.conversation_id = seen.conversation_id or row.conversation_id
        row.aad_object_id = seen.aad_object_id or row.aad_object_id
        row.name = seen.name or row.name
        row.locale = seen.locale or row.locale
        row.employee_id = employee_id
        row.status = status
        row.status_reason = None if status == ReachStatus.ACTIVE else row.status_reason
        row.last_seen = now
        return row, returning

    async def address_of(self, employee_id: str) -> Address | None:
        row = await self.session.scalar(
            select(TeamsUser)
            .where(TeamsUser.employee_id == employee_id)
            .order_by(TeamsUser.last_seen.desc())
            .limit(1)
        )
        if row is None:
            return None
        return Address(
            row.teams_user_id,
            row.tenant_id,
            row.service_url,
            row.channel_id,
            row.bot_id,
            row.conversation_id,
            row.status,
            row.locale,
        )

    async def remember_conversation(
        self, employee_id: str, teams_user_id: str, conversation_id: str
    ) -> None:
        await self.session.execute(
            update(TeamsUser)
            .where(TeamsUser.employee_id == employee_id, TeamsUser.teams_user_id == teams_user_id)
            .values(conversation_id=conversation_id)
        )

    async def mark_unreachable(self, employee_id: str, status: ReachStatus, reason: str) -> None:
        await self.session.execute(
            update(TeamsUser)
            .where(TeamsUser.employee_id == employee_id)
            .values(status=status, status_reason=reason[:200])
        )


class IncomingActivities:
    async def first_time(
        self, session: AsyncSession, conversation_id: str, activity_id: str, now: datetime
    ) -> bool:
        """Record an incoming activity; False when it was handled before (a Teams re-send)."""
        return await insert_ignoring_duplicates(
            session,
            ProcessedActivity,
            {"conversation_id": conversation_id, "activity_id": activity_id, "received_at": now},
        )

    async def forget_before(self, session: AsyncSession, cutoff: datetime) -> int:
        result = await session.execute(
            delete(ProcessedActivity).where(ProcessedActivity.received_at < cutoff)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
