"""Sends to Teams under the one send budget: outbox messages through the Agents SDK's connector
client, and a turn's replies through its TurnContext.

Every request takes its place in the budget (scheduler/send_budget.py) just before it goes, the
replies in front. Maps the Bot Connector's answers onto the sender's outcomes: 429 -> that
conversation waits Retry-After, 412/5xx -> retry, 403 blocked/uninstalled and 404 -> recipient
unreachable, other 4xx -> this message failed. A reply Teams will not take now (429, a transient
fault, no room in the budget soon) goes through the outbox, with the rest of its turn's replies.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import aiohttp
from microsoft_agents.activity import Activity, ChannelAccount, ConversationParameters
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.connector.client import ConnectorClient

from scheduler.outbox import (
    Deferred,
    Delivered,
    Outcome,
    Parked,
    Rejected,
    Throttled,
    Transient,
    Unreachable,
)
from scheduler.send_budget import SendBudget
from storage.db import Sessions
from storage.models import ReachStatus
from storage.outbox import ClaimedMessage, OutboxRepository
from storage.teams import Address, TeamsUserRepository

log = logging.getLogger("naervaer.messenger")

BOT_FRAMEWORK = "https://api.botframework.com"
RETRYABLE = {401, 408, 412, 500, 502, 503, 504}
GONE_CODES = {"BotNotInConversationRoster": ReachStatus.UNINSTALLED}
BLOCKED_CODES = {"ConversationBlockedByUser", "BotDisabledByAdmin"}
# How long a reply may wait for its place before it goes through the outbox instead: Teams
# waits 15 s for the turn's HTTP answer, and the person for the reply.
REPLY_WAIT_SECONDS = 3.0
T = TypeVar("T")


class _NotNow(Exception):
    """The budget has no room for this conversation for `seconds`."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


class Messenger:
    def __init__(
        self,
        sessions: Sessions,
        token: Any,
        bot_app_id: str | None,
        timeout: float = 30.0,
        budget: SendBudget | None = None,
    ) -> None:
        """`token` is an async callable returning a bearer token ("" in local mode); `budget`
        the one the outbox sender shares (Teams' limits when not given)."""
        self.sessions = sessions
        self.budget = budget or SendBudget()
        self.token = token
        self.bot_app_id = bot_app_id
        self.timeout = timeout
        self._clients: dict[tuple[str, str], ConnectorClient] = {}
        # Per recipient: one opens the chat, messages sent meanwhile wait and reuse it.
        self._opening: dict[str, asyncio.Lock] = {}

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
        except _NotNow as busy:
            return Deferred(busy.seconds)
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
        # A turn's reply that Teams did not take then names its conversation (maybe a group chat).
        conversation_id = (message.payload.get("conversation") or {}).get("id")
        conversation_id = conversation_id or address.conversation_id
        if conversation_id is None:
            conversation_id = await self._open_conversation(client, bot, message, address)
        activity = Activity.model_validate(
            {
                **message.payload,
                "from": {"id": bot.id},
                "recipient": {"id": address.teams_user_id},
                "conversation": {"id": conversation_id},
                "channelId": address.channel_id,
                "serviceUrl": message.payload.get("serviceUrl") or address.service_url,
            }
        )
        if target.replaced is not None:
            replaced = target.replaced
            return await self._request(replaced[0], lambda: _replace(client, activity, replaced))
        response = await self._request(
            conversation_id,
            lambda: client.conversations.send_to_conversation(conversation_id, activity),
            first=message.reply,
        )
        return Delivered(conversation_id, response.id)

    async def _request(
        self, key: str | None, call: Callable[[], Awaitable[T]], first: bool = False
    ) -> T:
        """One HTTP request to Teams, let go by the budget; a 429 pauses its conversation."""
        wait = await self.budget.take(key, first=first)
        if wait:
            raise _NotNow(wait)
        try:
            return await call()
        except aiohttp.ClientResponseError as error:
            if error.status == 429:
                self.budget.pause(key, _retry_after(error.headers))
            raise

    async def _open_conversation(
        self,
        client: ConnectorClient,
        bot: ChannelAccount,
        message: ClaimedMessage,
        address: Address,
    ) -> str:
        """The first message to a person opens the one-to-one chat; later ones reuse it."""
        lock = self._opening.setdefault(message.recipient_id, asyncio.Lock())
        try:
            async with lock:
                async with self.sessions.begin() as session:
                    now = await TeamsUserRepository(session).address_of(message.recipient_id)
                if now is not None and now.conversation_id:
                    return now.conversation_id  # opened while this one waited
                return await self._create_conversation(client, bot, message, address)
        finally:
            if not lock.locked():
                self._opening.pop(message.recipient_id, None)

    async def _create_conversation(
        self,
        client: ConnectorClient,
        bot: ChannelAccount,
        message: ClaimedMessage,
        address: Address,
    ) -> str:
        parameters = ConversationParameters(
            is_group=False,
            agent=bot,
            members=[ChannelAccount(id=address.teams_user_id)],
            tenant_id=address.tenant_id or None,
            channel_data={"tenant": {"id": address.tenant_id}},
        )
        created = await self._request(
            f"create:{address.teams_user_id}",
            lambda: client.conversations.create_conversation(parameters),
        )
        async with self.sessions.begin() as session:
            await TeamsUserRepository(session).remember_conversation(
                message.recipient_id, address.teams_user_id, created.id
            )
        return created.id

    # -- within a turn ---------------------------------------------------------------------

    async def reply(
        self,
        context: TurnContext,
        replies: list[dict[str, Any]],
        recipient: str | None,
        now: datetime,
    ) -> int:
        """Send a turn's replies in order, each let go by the budget ahead of the outbox. From
        the first one Teams will not take now, the rest go through the outbox, in order, to
        `recipient` (the person's employee id): never dropped. Returns how many were enqueued."""
        activity = context.activity
        key = activity.conversation.id if activity.conversation else None
        for index, reply in enumerate(replies):
            if not await self._reply_now(context, key, reply):
                return await self._reply_later(activity, replies[index:], index, recipient, now)
        return 0

    async def in_turn(self, key: str | None, call: Callable[[], Awaitable[T]]) -> T:
        """Another request within a turn (a card update): let go ahead of the outbox; raises
        TimeoutError when the budget has no room soon."""
        if await self.budget.take(key, first=True, within=REPLY_WAIT_SECONDS):
            raise TimeoutError("no room in the send budget")
        try:
            return await call()
        except aiohttp.ClientResponseError as error:
            if error.status == 429:
                self.budget.pause(key, _retry_after(error.headers))
            raise

    async def _reply_now(
        self, context: TurnContext, key: str | None, reply: dict[str, Any]
    ) -> bool:
        try:
            await self.in_turn(key, lambda: context.send_activity(Activity.model_validate(reply)))
        except aiohttp.ClientResponseError as error:
            if error.status != 429 and error.status not in RETRYABLE:
                raise
            log.info("reply not taken now (%s): through the outbox", error.status)
            return False
        except (TimeoutError, aiohttp.ClientConnectionError) as error:
            log.info("reply not taken now (%s): through the outbox", type(error).__name__)
            return False
        return True

    async def _reply_later(
        self,
        activity: Activity,
        replies: list[dict[str, Any]],
        first: int,
        recipient: str | None,
        now: datetime,
    ) -> int:
        if recipient is None or activity.conversation is None or not activity.id:
            # Only a known person has an outbox; a stranger hears who we are when writing again.
            log.warning("reply to an unknown sender not delivered: %d", len(replies))
            return 0
        # The incoming activity's id names the turn; Teams re-sends it unchanged (handled once).
        turn = hashlib.sha256(f"{activity.conversation.id}:{activity.id}".encode()).hexdigest()
        where = {
            "conversation": {"id": activity.conversation.id},
            "serviceUrl": activity.service_url,
        }
        async with self.sessions.begin() as session:
            outbox = OutboxRepository(session)
            for n, reply in enumerate(replies, start=first):
                key = f"reply:{turn[:40]}:{n}"
                await outbox.enqueue(key, recipient, {**reply, **where}, now, reply=True)
        return len(replies)


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
