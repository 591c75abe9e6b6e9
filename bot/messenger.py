"""Delivers one outbox message to Teams through the Agents SDK's connector client.

Maps the Bot Connector's answers onto the sender's outcomes: 429 -> wait, 412/5xx -> retry,
403 blocked/uninstalled and 404 -> recipient unreachable, other 4xx -> this message failed.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
from microsoft_agents.activity import Activity, ChannelAccount, ConversationParameters
from microsoft_agents.hosting.core.connector.client import ConnectorClient

from scheduler.outbox import (
    Delivered,
    Outcome,
    Parked,
    Rejected,
    Throttled,
    Transient,
    Unreachable,
)
from storage.db import Sessions
from storage.models import ReachStatus
from storage.outbox import ClaimedMessage, OutboxRepository
from storage.teams import Address, TeamsUserRepository

log = logging.getLogger("naervaer.messenger")

BOT_FRAMEWORK = "https://api.botframework.com"
RETRYABLE = {401, 408, 412, 500, 502, 503, 504}
GONE_CODES = {"BotNotInConversationRoster": ReachStatus.UNINSTALLED}
BLOCKED_CODES = {"ConversationBlockedByUser", "BotDisabledByAdmin"}


class Messenger:
    def __init__(
        self,
        sessions: Sessions,
        token: Any,
        bot_app_id: str | None,
        timeout: float = 30.0,
    ) -> None:
        """`token` is an async callable returning a bearer token ("" in local mode)."""
        self.sessions = sessions
        self.token = token
        self.bot_app_id = bot_app_id
        self.timeout = timeout
        self._clients: dict[tuple[str, str], ConnectorClient] = {}

    async def close(self) -> None:
        for client in self._clients.values():
            await client.close()
        self._clients.clear()

    async def _client(self, service_url: str) -> ConnectorClient:
        # One HTTP session per service URL and token; the SDK's client binds both at creation.
        token = await self.token()
        key = (service_url, token)
        client = self._clients.get(key)
        if client is None:
            for old_key in [k for k in self._clients if k[0] == service_url]:
                await self._clients.pop(old_key).close()
            session = aiohttp.ClientSession(
                base_url=service_url if service_url.endswith("/") else service_url + "/",
                timeout=aiohttp.ClientTimeout(total=self.timeout),
            )
            client = ConnectorClient(service_url, token, session=session)
            self._clients[key] = client
        return client

    async def deliver(self, message: ClaimedMessage) -> Outcome:
        target = await self._target(message)
        if not isinstance(target, _Target):
            return target
        try:
            return await self._send(message, target)
        except aiohttp.ClientResponseError as error:
            return classify(error.status, error.headers, error.message)
        except (TimeoutError, aiohttp.ClientError) as error:
            return Transient(f"{type(error).__name__}: {error}")

    async def _target(self, message: ClaimedMessage) -> _Target | Outcome:
        """Where the message goes (and the card it replaces), or why it cannot go now."""
        async with self.sessions.begin() as session:
            address = await TeamsUserRepository(session).address_of(message.recipient_id)
            replaced = (
                await OutboxRepository(session).sent_activity(message.replaces_key)
                if message.replaces_key
                else None
            )
        if address is None:
            # Nobody has installed the bot for this person yet: keep it for when they do.
            return Parked("no Teams address for recipient yet")
        if address.status != ReachStatus.ACTIVE:
            return Unreachable(address.status, f"recipient is {address.status}")
        if message.replaces_key and replaced is None:
            return Transient("the message to replace is not delivered yet")
        return _Target(address, replaced)

    async def _send(self, message: ClaimedMessage, target: _Target) -> Outcome:
        address = target.address
        client = await self._client(address.service_url)
        bot = ChannelAccount(id=address.bot_id or f"28:{self.bot_app_id or 'naervaer'}")
        conversation_id = address.conversation_id
        if conversation_id is None:
            conversation_id = await self._open_conversation(client, bot, message, address)
        activity = Activity.model_validate(
            {
                **message.payload,
                "from": {"id": bot.id},
                "recipient": {"id": address.teams_user_id},
                "conversation": {"id": conversation_id},
                "channelId": address.channel_id,
                "serviceUrl": address.service_url,
            }
        )
        if target.replaced is not None:
            return await _replace(client, activity, target.replaced)
        response = await client.conversations.send_to_conversation(conversation_id, activity)
        return Delivered(conversation_id, response.id)

    async def _open_conversation(
        self,
        client: ConnectorClient,
        bot: ChannelAccount,
        message: ClaimedMessage,
        address: Address,
    ) -> str:
        """The first message to a person opens the one-to-one chat; later ones reuse it."""
        created = await client.conversations.create_conversation(
            ConversationParameters(
                is_group=False,
                agent=bot,
                members=[ChannelAccount(id=address.teams_user_id)],
                tenant_id=address.tenant_id or None,
                channel_data={"tenant": {"id": address.tenant_id}},
            )
        )
        async with self.sessions.begin() as session:
            await TeamsUserRepository(session).remember_conversation(
                message.recipient_id, address.teams_user_id, created.id
            )
        return created.id


@dataclass(frozen=True)
class _Target:
    address: Address
    # Conversation and activity id of the card this message updates, if it updates one.
    replaced: tuple[str, str] | None


async def _replace(
    client: ConnectorClient, activity: Activity, replaced: tuple[str, str]
) -> Outcome:
    # The card lives in the conversation it was sent to, whatever is current now.
    original_conversation, original_id = replaced
    activity.id = original_id
    activity.conversation.id = original_conversation
    try:
        await client.conversations.update_activity(original_conversation, original_id, activity)
    except aiohttp.ClientResponseError as error:
        if error.status == 404:  # that one card is gone; the person is not
            return Rejected(f"404 card to update not found: {error.message[:200]}")
        raise
    return Delivered(original_conversation, original_id)


def classify(status: int, headers: Any, body: str) -> Outcome:
    code = _error_code(body)
    summary = f"{status} {code or ''}".strip()
    if status == 429:
        return Throttled(_retry_after(headers))
    if status == 403 and code in BLOCKED_CODES:
        return Unreachable(ReachStatus.BLOCKED, summary)
    if status == 403 and code in GONE_CODES:
        return Unreachable(GONE_CODES[code], summary)
    if status == 404:
        return Unreachable(ReachStatus.UNINSTALLED, summary)
    if status in RETRYABLE:
        return Transient(summary)
    return Rejected(f"{summary}: {body[:300]}")


def _retry_after(headers: Any) -> float:
    try:
        value = float((headers or {}).get("Retry-After", 1))
    except (TypeError, ValueError):
        value = 1.0
    return min(max(value, 0.1), 600.0)


def _error_code(body: str) -> str | None:
    try:
        data = json.loads(body)
    except (TypeError, ValueError):
        return None
    error = data.get("error") if isinstance(data, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else None
