"""Adaptive Cards of the daily check-in, the team view, skulderklap and the team day colour."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.cards.base import CardJson, adaptive_card, submit_action, text_block
from bot.cards.submits import RowId
from bot.texts import format_value, t
from dialogs.commands import Intent
from rules.checkin import SYMBOLS, Colour

if TYPE_CHECKING:
    from services.team_view import TeamView

COLOURS = tuple(str(c) for c in Colour)


class CheckInAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["checkin"]
    day: date
    colour: Literal["green", "yellow", "red"]
    comment: str | None = Field(None, max_length=1000)


class CheckInLeaderAction(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["checkin_leader"]
    checkin_id: RowId
    action: Literal["ack", "reply"]
    message: str | None = Field(None, max_length=1000)


class KudosSubmit(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["kudos"]
    recipient: str = Field(min_length=1, max_length=100)
    message: str = Field("", max_length=500)
    tell_leader: bool = False


class TeamDaySubmit(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["team_day"]
    day_yellow_absent: int | None = Field(None, ge=1, le=1000)
    day_red_percent: int | None = Field(None, ge=1, le=100)
    day_yellow_drops: str | None = Field(None, max_length=500)
    day_red_drops: str | None = Field(None, max_length=500)
    day_names: bool = False

    @field_validator(
        "day_yellow_absent", "day_red_percent", "day_yellow_drops", "day_red_drops", mode="before"
    )
    @classmethod
    def _blank(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


def _colour_name(lang: str, colour: str) -> str:
    return f"{SYMBOLS[colour]} {t(lang, f'colour_{colour}')}"


def _footer(lang: str, anonymous: bool, leader: str, deputy: str = "") -> dict[str, Any]:
    if anonymous:
        text = t(lang, "checkin_footer_anonymous")
    elif leader and deputy:
        # The deputy reads the team's answers while standing in (the digest goes to them).
        text = t(lang, "checkin_footer_named_deputy", leader=leader, deputy=deputy)
    else:
        text = t(lang, "checkin_footer_named", leader=leader or t(lang, "your_leader"))
    return text_block(text, isSubtle=True, size="Small", separator=True)


def checkin_card(
    lang: str,
    day: date,
    anonymous: bool,
    leader: str,
    colour: str | None = None,
    comment: str | None = None,
    to_green: str | None = None,
    deputy: str = "",
) -> CardJson:
    body: list[dict[str, Any]] = [
        text_block(t(lang, "checkin_question"), weight="Bolder", size="Medium"),
        text_block(str(format_value(lang, day)), isSubtle=True, spacing="None"),
    ]
    if colour is not None:
        body.append(text_block(t(lang, "checkin_your_answer", colour=_colour_name(lang, colour))))
        if comment:
            body.append(
                text_block(t(lang, "checkin_your_comment", comment=comment), spacing="Small")
            )
        if to_green:
            body.append(
                text_block(t(lang, "checkin_your_to_green", text=to_green), spacing="Small")
            )
        body.append(text_block(t(lang, "checkin_change_hint"), isSubtle=True, size="Small"))
    else:
        body.append(
            {
                "type": "Input.Text",
                "id": "comment",
                "label": t(lang, "checkin_comment_label"),
                "isMultiline": True,
                "maxLength": 1000,
            }
        )
    body.append(_footer(lang, anonymous, leader, deputy))
    actions = [
        submit_action(
            _colour_name(lang, c),
            {"kind": "checkin", "day": day.isoformat(), "colour": c},
        )
        for c in COLOURS
    ]
    return adaptive_card(body, actions)


def checkin_to_green_card(
    lang: str, day: date, anonymous: bool, leader: str, deputy: str = ""
) -> CardJson:
    return adaptive_card(
        [
            text_block(t(lang, "checkin_to_green_question"), weight="Bolder"),
            {
                "type": "Input.Text",
                "id": "to_green",
                "label": t(lang, "checkin_to_green_label"),
                "isMultiline": True,
                "maxLength": 1000,
            },
            text_block(t(lang, "checkin_to_green_hint"), isSubtle=True, size="Small"),
            _footer(lang, anonymous, leader, deputy),
        ],
        [
            submit_action(
                t(lang, "send_answer"),
                {"kind": "answer", "field": "to_green", "dialog": "checkin", "step": "to_green"},
            ),
            submit_action(
                t(lang, "checkin_skip"),
                {"kind": "answer", "text": "spring over", "dialog": "checkin", "step": "to_green"},
            ),
        ],
    )


def checkin_offer_pause_card(lang: str) -> CardJson:
    return adaptive_card(
        [text_block(t(lang, "checkin_offer_pause"))],
        [
            submit_action(
                t(lang, "checkin_pause_button"),
                {"kind": "command", "command": Intent.CHECKIN_PAUSE},
            ),
            submit_action(
                t(lang, "checkin_stop_button"), {"kind": "command", "command": Intent.CHECKIN_STOP}
            ),
            submit_action(
                t(lang, "checkin_go_on_button"),
                {"kind": "command", "command": Intent.CHECKIN_START},
            ),
        ],
    )


def _counts(lang: str, counts: Counter[str] | None) -> str:
    if counts is None:
        return t(lang, "team_hidden")
    return "  ".join(f"{SYMBOLS[c]} {counts.get(c, 0)}" for c in COLOURS)


def _team_body(lang: str, view: TeamView, title: str, with_actions: bool) -> list[dict[str, Any]]:
    day = str(format_value(lang, view.day))
    return [
        text_block(t(lang, title, day=day), weight="Bolder", size="Medium"),
        *_named(lang, view),
        *_anonymous(lang, view),
        *_units(lang, view),
        *_comments(lang, view, with_actions),
    ]


def _named(lang: str, view: TeamView) -> list[dict[str, Any]]:
    """One line per person who answers by name: today, the week, the month."""
    if not view.named:
        return []
    facts = []
    for person, today, week, month in view.named:
        month_text = "  ".join(f"{SYMBOLS[c]} {month.get(c, 0)}" for c in COLOURS)
        today_symbol = SYMBOLS.get(today or None, "⚪")
        facts.append({"title": person.name, "value": f"{today_symbol} · {week} · {month_text}"})
    return [
        text_block(t(lang, "team_today", counts=_counts(lang, view.named_today))),
        text_block(t(lang, "team_legend"), isSubtle=True, size="Small"),
        {"type": "FactSet", "facts": facts},
    ]


def _anonymous(lang: str, view: TeamView) -> list[dict[str, Any]]:
    """Those who answer anonymously, as counts only; comments only above the threshold."""
    if not view.anonymous_members:
        return []
    body = [
        text_block(
            t(lang, "team_anonymous", count=view.anonymous_members), weight="Bolder", separator=True
        ),
        text_block(t(lang, "team_anonymous_today", counts=_counts(lang, view.anonymous_today))),
        text_block(t(lang, "team_anonymous_7", counts=_counts(lang, view.anonymous_7))),
        text_block(t(lang, "team_anonymous_30", counts=_counts(lang, view.anonymous_30))),
    ]
    if view.anonymous_comments is None:
        body.append(text_block(t(lang, "team_comments_hidden"), isSubtle=True, size="Small"))
    else:
        body += [text_block(f"“{c}”", spacing="Small") for c in view.anonymous_comments]
    return body


def _units(lang: str, view: TeamView) -> list[dict[str, Any]]:
    if not view.units:
        return []
    facts = [{"title": name, "value": _counts(lang, c)} for name, c in view.units]
    return [
        text_block(t(lang, "team_units"), weight="Bolder", separator=True),
        {"type": "FactSet", "facts": facts},
    ]


def _comments(lang: str, view: TeamView, with_actions: bool) -> list[dict[str, Any]]:
    body = []
    if view.comments:
        body.append(text_block(t(lang, "team_comments"), weight="Bolder", separator=True))
    for checkin_id, name, day, colour, comment in view.comments:
        body.append(
            text_block(
                f"{SYMBOLS[colour]} **{name}** ({format_value(lang, day)!s}): {comment}",
                spacing="Medium",
            )
        )
        if with_actions:
            body.append(_reply_or_seen(lang, checkin_id, name))
    return body


def _reply_or_seen(lang: str, checkin_id: int, name: str) -> dict[str, Any]:
    ref = {"kind": "checkin_leader", "checkin_id": checkin_id}
    reply = adaptive_card(
        [
            {
                "type": "Input.Text",
                "id": "message",
                "label": t(lang, "team_reply_label", name=name),
                "isMultiline": True,
                "maxLength": 1000,
            }
        ],
        [submit_action(t(lang, "send_answer"), {**ref, "action": "reply"})],
    )
    return {
        "type": "ActionSet",
        "actions": [
            {"type": "Action.ShowCard", "title": t(lang, "team_reply"), "card": reply},
            submit_action(t(lang, "team_seen"), {**ref, "action": "ack"}),
        ],
    }


def team_card(lang: str, view: TeamView) -> CardJson:
    return adaptive_card(_team_body(lang, view, "team_title", with_actions=True))


def checkin_digest_card(lang: str, view: TeamView) -> CardJson:
    return adaptive_card(
        _team_body(lang, view, "checkin_digest_title", with_actions=True),
        [submit_action(t(lang, "team_open"), {"kind": "command", "command": Intent.TEAM})],
    )


def kudos_card(lang: str, colleagues: list[tuple[str, str]]) -> CardJson:
    return adaptive_card(
        [
            text_block(t(lang, "kudos_title"), weight="Bolder", size="Medium"),
            {
                "type": "Input.ChoiceSet",
                "id": "recipient",
                "style": "compact",
                "isRequired": True,
                "label": t(lang, "kudos_pick"),
                "choices": [{"title": name, "value": i} for i, name in colleagues],
            },
            {
                "type": "Input.Text",
                "id": "message",
                "label": t(lang, "kudos_message_label"),
                "isMultiline": True,
                "maxLength": 500,
            },
            {
                "type": "Input.Toggle",
                "id": "tell_leader",
                "title": t(lang, "kudos_tell_leader"),
                "valueOn": "true",
                "valueOff": "false",
                "value": "false",
            },
        ],
        [submit_action(t(lang, "kudos_send"), {"kind": "kudos"})],
    )


def team_day_card(lang: str, unit: str, settings: dict[str, Any]) -> CardJson:
    def number(field: str, label: str, maximum: int) -> dict[str, Any]:
        element: dict[str, Any] = {
            "type": "Input.Number",
            "id": field,
            "label": t(lang, label),
            "min": 1,
            "max": maximum,
        }
        if settings.get(field) is not None:
            element["value"] = settings[field]
        return element

    def words(field: str, label: str) -> dict[str, Any]:
        return {
            "type": "Input.Text",
            "id": field,
            "label": t(lang, label),
            "isMultiline": True,
            "maxLength": 500,
            "value": settings.get(field) or "",
        }

    return adaptive_card(
        [
            text_block(t(lang, "team_day_title", unit=unit), weight="Bolder", size="Medium"),
            text_block(t(lang, "team_day_intro"), isSubtle=True),
            number("day_yellow_absent", "team_day_yellow_absent", 1000),
            number("day_red_percent", "team_day_red_percent", 100),
            words("day_yellow_drops", "team_day_yellow_drops"),
            words("day_red_drops", "team_day_red_drops"),
            {
                "type": "Input.Toggle",
                "id": "day_names",
                "title": t(lang, "team_day_names"),
                "valueOn": "true",
                "valueOff": "false",
                "value": "true" if settings.get("day_names") else "false",
            },
        ],
        [submit_action(t(lang, "team_day_save"), {"kind": "team_day"})],
    )
