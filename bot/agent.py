"""One turn: remember who wrote, handle the activity once, reply in the reader's language.

The Agents SDK hands us a TurnContext; everything below the first lines works on plain data so
that dialogs never see SDK types.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.connector import ConnectorClientBase

from bot.card_press import (
    INVOKE_NAME,
    Press,
    Pressed,
    invoke_response,
    message_body,
    press_of_invoke,
    press_of_message,
    pressed,
    settle,
    updated_card,
)
from bot.cards.base import CardJson
from bot.intake import bounded, input_error
from bot.limits import TurnLimiter
from bot.messenger import Messenger
from bot.render import activity_json
from bot.router import Router
from bot.texts import t
from dialogs.help import welcome_replies
from dialogs.replies import Reply, Text
from rules.access import is_leader
from rules.language import language_of
from rules.text_clean import strings_in
from scheduler.clock import Clock
from services.features import Features
from storage.db import Session, Sessions
from storage.models import Employee, ReachStatus
from storage.teams import IncomingActivities, SeenUser

log = logging.getLogger("naervaer.turn")


@dataclass(frozen=True)
class Turn:
    """What arrived, as plain data."""

    kind: str
    text: str
    value: dict[str, Any] | None
    locale: str | None
    bot_added: bool
    removed: bool
    personal: bool
    press: Press | None = None  # a card button, pressed either way


def seen_user(activity: Activity) -> SeenUser | None:
    sender = activity.from_property
    if sender is None or not sender.id or not activity.service_url:
        return None
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = (channel_data.get("tenant") or {}).get("id") or (
        activity.conversation.tenant_id if activity.conversation else None
    )
    conversation = activity.conversation
    # Only a 1:1 conversation can carry proactive messages to this one person.
    personal = (
        conversation is not None
        and conversation.conversation_type in (None, "personal")
        and not conversation.is_group
    )
    # Within the columns that keep it (bot/intake.py): a long name or id cannot fail the turn.
    return bounded(
        SeenUser(
            teams_user_id=sender.id,
            tenant_id=tenant or "",
            service_url=activity.service_url,
            channel_id=str(activity.channel_id or "msteams"),
            bot_id=activity.recipient.id if activity.recipient else None,
            conversation_id=conversation.id if personal and conversation else None,
            aad_object_id=sender.aad_object_id,
            name=sender.name,
            locale=activity.locale,
        )
    )


def _is_personal(activity: Activity) -> bool:
    conversation = activity.conversation
    return (
        conversation is not None
        and conversation.conversation_type in (None, "personal")
        and not conversation.is_group
    )


def turn_of(activity: Activity, press: Press | None = None) -> Turn:
    bot_id = activity.recipient.id if activity.recipient else None
    added = any(m.id == bot_id for m in activity.members_added or [])
    value = activity.value if isinstance(activity.value, dict) else None
    return Turn(
        # A button pressed through an invoke is handled as the message it stands for.
        kind=ActivityTypes.message if press is not None else str(activity.type),
        text=activity.text or "",
        value=press.data if press is not None else value,
        locale=activity.locale,
        bot_added=added
        or (activity.type == ActivityTypes.installation_update and activity.action == "add"),
        removed=activity.type == ActivityTypes.installation_update and activity.action == "remove",
        personal=_is_personal(activity),
        press=press,
    )


class NaervaerAgent:
    """The SDK's Agent protocol: on_turn is called once per incoming activity."""

    def __init__(
        self,
        sessions: Sessions,
        clock: Clock,
        open_features: Callable[[Session, datetime], Features],
        default_locale: str,
        wake_sender: Callable[[], None],
        limiter: TurnLimiter | None = None,
        render: Callable[[Reply, str], dict[str, Any]] = activity_json,
        messenger: Messenger | None = None,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.open_features = open_features
        self.default_locale = default_locale
        self.router = Router()
        self.wake_sender = wake_sender
        self.incoming = IncomingActivities()
        self.limiter = limiter or TurnLimiter()
        self.render = render
        # Replies go under the send budget the outbox shares (bot/messenger.py).
        self.messenger = messenger or Messenger(sessions, _no_token, None)
        self.turns: Counter[str] = Counter()  # by activity type, for /metrics

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        self.turns[str(activity.type)[:30]] += 1
        if activity.type == ActivityTypes.invoke:
            await self._on_invoke(context)
        elif await _accepted(context):
            await self._turn(context, press_of_message(activity))

    async def _on_invoke(self, context: TurnContext) -> None:
        """A card button (Action.Execute) always gets a 200 with a card or a message."""
        activity = context.activity
        if not await _accepted(context):
            return
        if activity.name != INVOKE_NAME:
            # Nothing else naervaer offers sends an invoke: answered as handled, nothing done.
            log.info("invoke ignored name=%s", activity.name)
            await context.send_activity(invoke_response(None))
            return
        lang = language_of(activity.locale, self.default_locale)
        body = None
        try:
            press = press_of_invoke(activity)
            if press is not None:
                body = await self._turn(context, press)
            else:
                log.info("card action without data ignored")
        except Exception as error:  # the card must hear back, whatever went wrong
            trace = None if input_error(error) else error  # bad input: one line
            log.error("card action failed: %s", type(error).__name__, exc_info=trace)
            body = message_body(t(lang, "internal_error"))
        await context.send_activity(
            invoke_response(body or message_body(t(lang, "not_understood_card")))
        )

    async def _turn(self, context: TurnContext, press: Press | None) -> dict[str, Any] | None:
        """Who it is, the turn's transaction, then the replies; the invoke body of a press."""
        activity = context.activity
        turn = turn_of(activity, press)
        seen = seen_user(activity)
        email = _email_of(activity)
        if seen is not None and not seen.aad_object_id and not email:
            seen, email = await _ask_teams_who(context, seen)
        lang = language_of(turn.locale, self.default_locale)
        if seen is None:
            return None
        if not await self._within_limit(context, seen, turn, lang):
            return message_body(t(lang, "too_fast"))
        answer = await self._handle(activity, turn, seen, email, lang)
        if answer.enqueued:
            self.wake_sender()
        replies, body, update = answer.replies, None, None
        if press is not None:
            settled = settle(press, answer.pressed, replies, answer.lang)
            replies, body, update = settled.replies, settled.body, settled.update
        # Sent after the commit: a reply never claims something the database does not hold.
        rendered = [self.render(reply, answer.lang) for reply in replies]
        if await self.messenger.reply(context, rendered, answer.recipient, self.clock.now()):
            self.wake_sender()
        if update is not None and press is not None and press.reply_to_id:
            await _update_card(context, press.reply_to_id, update, self.messenger)
        return body

    async def _within_limit(
        self, context: TurnContext, seen: SeenUser, turn: Turn, lang: str
    ) -> bool:
        if turn.kind != ActivityTypes.message:
            return True
        allowed, tell = self.limiter.allow(seen.teams_user_id)
        if not allowed:
            log.warning("turn limit reached user=%s", seen.teams_user_id)
            if tell:
                too_fast = activity_json(Text("too_fast"), lang)
                await self.messenger.reply(context, [too_fast], None, self.clock.now())
        return allowed

    async def _handle(
        self, activity: Activity, turn: Turn, seen: SeenUser, email: str | None, lang: str
    ) -> Answer:
        """The turn's one transaction: once per activity id, who it is, then what to answer."""
        now = self.clock.now()
        conversation_id = activity.conversation.id if activity.conversation else ""
        async with self.sessions.begin() as session:
            if activity.id and not await self.incoming.first_time(
                session, conversation_id, activity.id, now
            ):
                log.info("duplicate activity ignored id=%s", activity.id)
                return Answer([], lang)
            f = self.open_features(session, now)
            employee = await f.work.store.people.find_by_identity(seen.aad_object_id, email)
            status = ReachStatus.UNINSTALLED if turn.removed else ReachStatus.ACTIVE
            _row, first_contact = await f.work.store.teams_users.upsert(
                seen, employee.id if employee else None, now, status
            )
            answer = Answer([], lang)
            if employee is not None:
                answer.recipient = employee.id
                answer.lang = language_of(employee.locale or turn.locale, self.default_locale)
                if first_contact and not turn.removed:
                    # Messages parked while the person could not be reached go out now.
                    answer.enqueued += await f.work.store.outbox.release_parked(employee.id, now)
            if not turn.removed:
                turn_key = f"{conversation_id}:{activity.id}"
                await self._answer(f, answer, turn, seen, employee, first_contact, turn_key)
        return answer

    async def _answer(
        self,
        f: Features,
        answer: Answer,
        turn: Turn,
        seen: SeenUser,
        employee: Employee | None,
        first_contact: bool,
        turn_key: str,
    ) -> None:
        is_message = turn.kind == ActivityTypes.message
        if not turn.personal:
            # naervaer is a personal app: nothing about anyone belongs in a group chat.
            answer.replies = [Text("personal_only")] if is_message else []
        elif employee is None:
            if is_message or turn.bot_added:
                log.warning(
                    "unknown teams user aad=%s tenant=%s", seen.aad_object_id, seen.tenant_id
                )
                answer.replies = [Text("unknown_user")]
        elif turn.bot_added:
            # Whichever of the two install events comes first greets, once.
            if first_contact:
                answer.replies = [
                    *welcome_replies(employee.name, is_leader(employee.role)),
                    *await f.privacy.notice(employee),
                ]
        elif is_message:
            outcome = await self.router.message(
                f, employee, turn.text, turn.value, f.work.now, turn_key
            )
            answer.replies = outcome.replies
            if turn.press is not None:
                answer.pressed = await pressed(f, employee.id, turn.press, outcome.replies)
            if first_contact:
                # No install event came first: the privacy notice still comes first.
                answer.replies = [*await f.privacy.notice(employee), *answer.replies]
            answer.enqueued += outcome.enqueued
            answer.lang = outcome.language or answer.lang


@dataclass
class Answer:
    """What the turn says back, in which language, and how many messages it left in the outbox."""

    replies: list[Reply]
    lang: str
    enqueued: int = 0
    pressed: Pressed | None = None  # what a card press did, when the turn was one
    recipient: str | None = None  # the employee answered, whose outbox takes refused replies


async def _accepted(context: TurnContext) -> bool:
    """Only activities Teams could send are handled."""
    activity = context.activity
    if not (activity.recipient and activity.conversation and activity.from_property):
        # Nobody to answer, nowhere to answer: not something Teams sends; nothing happens.
        log.info("incomplete activity ignored type=%s", activity.type)
        return False
    if _has_nul(activity.model_dump()):
        # No client sends NUL characters, and PostgreSQL cannot store them.
        log.info("activity with NUL characters ignored type=%s", activity.type)
        return False
    return True


async def _update_card(
    context: TurnContext, reply_to_id: str, card: CardJson, messenger: Messenger
) -> None:
    """The pressed card shows its done state; a card Teams will not update stays as it was."""
    conversation = context.activity.conversation
    try:
        await messenger.in_turn(
            conversation.id if conversation else None,
            lambda: context.update_activity(updated_card(reply_to_id, card)),
        )
    except Exception as error:  # the press itself was handled and answered
        log.info("pressed card not updated: %s", type(error).__name__)


async def _ask_teams_who(context: TurnContext, seen: SeenUser) -> tuple[SeenUser, str | None]:
    """Some clients leave out the directory id; Teams' member lookup knows it and the e-mail."""
    client = context.services.get(ConnectorClientBase)  # type: ignore[type-abstract]
    conversation = context.activity.conversation
    if client is None or conversation is None:
        return seen, None
    try:
        member = await client.conversations.get_conversation_member(
            conversation.id, seen.teams_user_id
        )
    except Exception as error:  # an unknown user is still answered politely
        log.info("member lookup failed: %s", type(error).__name__)
        return seen, None
    extra = member.model_extra or {}
    email = extra.get("email") or extra.get("userPrincipalName")
    return replace(seen, aad_object_id=member.aad_object_id), email if isinstance(
        email, str
    ) else None


async def _no_token() -> str:
    return ""


def _email_of(activity: Activity) -> str | None:
    sender = activity.from_property
    extra = sender.model_extra if sender is not None and sender.model_extra else {}
    email = extra.get("email") or extra.get("userPrincipalName")
    return email if isinstance(email, str) and "@" in email else None


def _has_nul(value: object) -> bool:
    # Iterative (strings_in): nesting, however deep, cannot end the turn in RecursionError.
    return any("\x00" in text for text in strings_in(value))
