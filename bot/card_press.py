"""A card button pressed, whichever way the client sends it, and the card's state afterwards.

Teams sends `Action.Execute` as an `adaptiveCard/action` invoke and shows the card (or message)
we put in the invoke response; a client without Universal Actions uses the `Action.Submit`
fallback, a message whose value is the button's data, and the pressed card is then updated in
place (updateActivity on the message's reply-to id). Either way the person sees what was chosen
instead of live buttons — unless the press changed nothing, and then the card stays usable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, InvokeResponse

from bot.cards.base import ADAPTIVE_CARD, PRESSED, CardJson, done_card
from bot.texts import format_value, t
from dialogs.replies import Card, Reply, Text
from services.features import Features

INVOKE_NAME = "adaptiveCard/action"
MESSAGE = "application/vnd.microsoft.activity.message"
# Answers that mean the press changed nothing: the card keeps its buttons for another try.
REFUSALS = frozenset(
    {
        "not_understood_card", "team_day_bad", "nothing_pending", "old_card", "not_allowed",
        "already_done", "leaders_only", "followup_bad_date", "followup_reason_needed",
        "answer_placeholder", "checkin_old", "checkin_absent", "checkin_reply_empty",
        "checkin_pause_bad", "followup_morning_bad", "on_behalf_not_yours",
        "on_behalf_already_sick", "on_behalf_no_staff", "on_behalf_no_sick_staff",
        "kudos_unknown", "kudos_empty", "kudos_nobody", "fit_nothing_open", "emergency_exists",
        "already_sick", "sick_overlaps", "ledger_unchanged", "ledger_partial_amount_bad",
        "ledger_not_yours", "ledger_no_emergency_on_sick", "ledger_leader_nothing_to_do",
        "ledger_already_withdrawn", "too_fast", "internal_error", "date_empty",
    }
)  # fmt: skip
# Confirmations the updated card already says ("✓ Ønsket god bedring kl. 9.12").
SAID_BY_CARD = frozenset({"action_done", "followup_recorded"})
# Typed inputs a done card repeats, so the person sees what they sent.
TYPED = ("day", "amount", "typed", "comment", "note", "reason", "message", "to_green")


@dataclass(frozen=True)
class Press:
    data: dict[str, Any]  # the button's payload and the card's inputs, without the stamp
    card: str | None  # the pressed card's name when the press ends it (menus keep theirs)
    heading: str
    title: str
    reply_to_id: str | None
    execute: bool  # an invoke, answered in the HTTP response


def press_of_invoke(activity: Activity) -> Press | None:
    """The press an `adaptiveCard/action` invoke carries; None when it carries none."""
    value = activity.value if isinstance(activity.value, dict) else {}
    action = value.get("action")
    if not isinstance(action, dict):
        return None
    data = action.get("data") if action.get("data") is not None else {}
    verb = action.get("verb")
    if not isinstance(data, dict):
        return None
    if "kind" not in data and isinstance(verb, str) and verb:
        data = {**data, "kind": verb}
    if "kind" not in data:
        return None
    return _press(data, activity.reply_to_id, execute=True)


def press_of_message(activity: Activity) -> Press | None:
    """The press an Action.Submit message carries (its value has a kind); None for typing."""
    value = activity.value
    if not isinstance(value, dict) or "kind" not in value:
        return None
    return _press(value, activity.reply_to_id, execute=False)


def _press(data: dict[str, Any], reply_to_id: str | None, execute: bool) -> Press:
    data = dict(data)
    stamp = data.pop(PRESSED, None)
    stamp = stamp if isinstance(stamp, dict) else {}
    name = stamp.get("name")
    return Press(
        data=data,
        card=name[:50] if isinstance(name, str) and name else None,
        heading=_short(stamp.get("heading")),
        title=_short(stamp.get("title")),
        reply_to_id=reply_to_id,
        execute=execute,
    )


def _short(value: object) -> str:
    return value[:300] if isinstance(value, str) else ""


@dataclass(frozen=True)
class Pressed:
    """What the turn made of a press: taken or not, and the card that replaced the pressed one."""

    accepted: bool
    replacement: CardJson | None
    by_outbox: bool = True  # the outbox replaces the card; else the turn's own update does


async def pressed(f: Features, actor_id: str, press: Press, replies: list[Reply]) -> Pressed:
    """In the turn's transaction: did the press take, and did it replace its own card?"""
    refused = any(isinstance(r, Text) and r.key in REFUSALS for r in replies)
    # A dialog that shows the same card again did not take the answer (a date it refused).
    asked_again = press.card is not None and any(
        isinstance(r, Card) and str(r.name) == press.card for r in replies
    )
    if refused or asked_again or await _same_step(f, actor_id, press):
        return Pressed(False, None)
    for recipient, key, activity in reversed(f.work.notifier.replaced):
        if recipient != actor_id:
            continue
        if press.reply_to_id is not None:
            # Another card of theirs was replaced, unless it is the one pressed (or its
            # delivery is not recorded yet: the press came before the sender wrote it down).
            sent = await f.work.store.outbox.sent_activity(key)
            if sent is not None and sent[1] != press.reply_to_id:
                continue
        card = _card_in(activity)
        if card is not None:
            return Pressed(True, card)
    for recipient, activity in reversed(f.work.notifier.in_place):
        card = _card_in(activity) if recipient == actor_id else None
        if card is not None:
            return Pressed(True, card, by_outbox=False)
    return Pressed(True, None)


async def _same_step(f: Features, actor_id: str, press: Press) -> bool:
    """A dialog still at the step the button answered did not take the answer."""
    step = press.data.get("step")
    if step is None:
        return False
    after = await f.work.store.dialog_states.load(actor_id)
    return after is not None and (after.get("dialog"), after.get("step")) == (
        press.data.get("dialog"),
        step,
    )


def _card_in(activity: dict[str, Any]) -> CardJson | None:
    for attachment in activity.get("attachments") or []:
        if attachment.get("contentType") == ADAPTIVE_CARD:
            return dict(attachment["content"])
    return None


@dataclass(frozen=True)
class Settled:
    replies: list[Reply]  # what still goes out as messages
    body: dict[str, Any] | None  # the invoke response body (Action.Execute)
    update: CardJson | None  # the card to put in place of the pressed one (Action.Submit)


def settle(press: Press, result: Pressed | None, replies: list[Reply], lang: str) -> Settled:
    """What the person sees after a press: the card's done state, and the messages left."""
    if result is None or not result.accepted:
        # Nothing was done: the reason goes where the person looks, the card stays as it was.
        if not press.execute:
            return Settled(replies, None, None)
        first = next((r for r in replies if isinstance(r, Text)), None)
        rest = [r for r in replies if r is not first]
        reason = first or Text("already_done" if result is None else "not_understood_card")
        return Settled(rest, message_body(t(lang, reason.key, **reason.params)), None)
    card = result.replacement or (
        done_card(press.heading, _chosen(press, lang)) if press.card else None
    )
    shown = card is not None and (
        result.replacement is not None or press.execute or press.reply_to_id is not None
    )
    if shown:
        replies = [r for r in replies if not (isinstance(r, Text) and r.key in SAID_BY_CARD)]
    if press.execute:
        body = card_body(card) if card is not None else message_body(t(lang, "card_answer_below"))
        return Settled(replies, body, None)
    update = card if shown and (result.replacement is None or not result.by_outbox) else None
    return Settled(replies, None, update)


def _chosen(press: Press, lang: str) -> list[str]:
    """The button's title and what the person typed or picked with it."""
    lines = [press.title]
    field = press.data.get("field")
    inputs = [field] if isinstance(field, str) else [k for k in TYPED if k in press.data]
    for key in inputs:
        value = press.data.get(key)
        if isinstance(value, str) and value.strip():
            lines.append(_shown(value.strip(), lang))
    return lines


def _shown(value: str, lang: str) -> str:
    try:
        return str(format_value(lang, date.fromisoformat(value)))
    except ValueError:
        return value[:300]


def card_body(card: CardJson) -> dict[str, Any]:
    return {"statusCode": 200, "type": ADAPTIVE_CARD, "value": card}


def message_body(text: str) -> dict[str, Any]:
    # A plain string: Teams shows it as it is, so no markdown.
    return {"statusCode": 200, "type": MESSAGE, "value": text.replace("**", "")}


def invoke_response(body: dict[str, Any] | None) -> Activity:
    """The HTTP answer to an invoke: always 200, with a card or a message when there is one."""
    return Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200, body=body))


def updated_card(reply_to_id: str, card: CardJson) -> Activity:
    return Activity(
        type=ActivityTypes.message,
        id=reply_to_id,
        attachments=[{"contentType": ADAPTIVE_CARD, "content": card}],
    )
