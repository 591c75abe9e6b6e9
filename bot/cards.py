"""Adaptive Cards (schema 1.5, what Teams renders) and the payloads their buttons submit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.texts import t
from dialogs.commands import Intent
from rules.absence_kinds import SYMBOLS
from services.views import AbsenceLine, AbsenceView, FollowUpView

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
CardJson = dict[str, Any]


class CommandSubmit(BaseModel):
    """A button that does what typing the command does."""

    model_config = ConfigDict(extra="ignore")
    kind: Literal["command"]
    command: Intent


class AnswerSubmit(BaseModel):
    """A choice in a dialog step: the same token a person could type, or an input field's value."""

    model_config = ConfigDict(extra="allow")
    kind: Literal["answer"]
    text: str | None = None
    field: str | None = None
    dialog: str | None = None
    step: str | None = None

    def said(self) -> str:
        if self.field:
            value = (self.model_extra or {}).get(self.field)
            return str(value) if value is not None else ""
        return self.text or ""


class LeaderAction(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["leader_action"]
    absence_id: int
    action: Literal[
        "get_well", "call_today", "other_tasks", "mark_partial", "work_injury", "approve", "decline"
    ]
    message: str | None = Field(None, max_length=1000)


class OtherTasksAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["other_tasks_answer"]
    absence_id: int
    answer: Literal["yes", "no", "text"]
    typed: str | None = Field(None, max_length=1000)


class OnBehalf(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["on_behalf"]
    what: Literal["sick", "fit"]
    employee: str = Field(min_length=1, max_length=100)


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None) -> CardJson:
    card: CardJson = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": body,
    }
    if actions:
        card["actions"] = actions
    return card


def _submit(title: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Action.Submit", "title": title, "data": data}


def help_card(lang: str, leader: bool = False) -> CardJson:
    lines = ["help_sick", "help_fit", "help_home", "help_emergency", "help_status", "help_checkin"]
    if leader:
        lines += ["help_on_behalf", "help_followups", "help_team"]
    lines.append("help_help")
    return _card(
        [
            {
                "type": "TextBlock",
                "text": t(lang, "help_title"),
                "weight": "Bolder",
                "size": "Medium",
            },
            {"type": "TextBlock", "text": t(lang, "help_intro"), "wrap": True},
            *(
                {"type": "TextBlock", "text": t(lang, key), "wrap": True, "spacing": "Small"}
                for key in lines
            ),
            {"type": "TextBlock", "text": t(lang, "help_privacy"), "wrap": True, "isSubtle": True},
            {
                "type": "TextBlock",
                "text": t(lang, "help_language"),
                "wrap": True,
                "isSubtle": True,
                "size": "Small",
            },
        ],
        [
            _submit(t(lang, "button_sick"), {"kind": "command", "command": Intent.SICK}),
            _submit(t(lang, "button_fit"), {"kind": "command", "command": Intent.FIT}),
            _submit(t(lang, "button_status"), {"kind": "command", "command": Intent.STATUS}),
        ],
    )


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _answer(title: str, token: str) -> dict[str, Any]:
    return _submit(title, {"kind": "answer", "text": token})


def _date_input(lang: str, value: date | None = None) -> list[dict[str, Any]]:
    field: dict[str, Any] = {"type": "Input.Date", "id": "date"}
    if value is not None:
        field["value"] = value.isoformat()
    return [field, _text(t(lang, "or_type_date"), isSubtle=True, size="Small")]


def sick_kind_card(lang: str) -> CardJson:
    return _card(
        [
            _text(t(lang, "sick_kind_title"), weight="Bolder", size="Medium"),
            _text(t(lang, "sick_kind_question")),
        ],
        [
            _answer(t(lang, "sick_kind_full"), "1"),
            _answer(t(lang, "sick_kind_partial"), "2"),
            _answer(t(lang, "sick_kind_going_home"), "3"),
            _answer(t(lang, "sick_kind_child"), "4"),
            _answer(t(lang, "cancel"), "fortryd"),
        ],
    )


def sick_first_day_card(lang: str) -> CardJson:
    return _card(
        [_text(t(lang, "sick_first_day_question"), weight="Bolder"), *_date_input(lang)],
        [
            _answer(t(lang, "today"), "i dag"),
            _answer(t(lang, "tomorrow"), "i morgen"),
            _submit(t(lang, "pick_date"), {"kind": "answer", "field": "date"}),
        ],
    )


def sick_return_card(lang: str, first_day: date) -> CardJson:
    return _card(
        [
            _text(t(lang, "sick_return_question", first_day=first_day), weight="Bolder"),
            *_date_input(lang),
        ],
        [
            _answer(t(lang, "dont_know"), "ved ikke"),
            _submit(t(lang, "pick_date"), {"kind": "answer", "field": "date"}),
        ],
    )


def sick_note_card(lang: str) -> CardJson:
    return _card(
        [
            _text(t(lang, "sick_note_question"), weight="Bolder"),
            {
                "type": "Input.Text",
                "id": "typed",
                "isMultiline": True,
                "maxLength": 500,
                "placeholder": t(lang, "sick_note_placeholder"),
            },
        ],
        [
            _submit(t(lang, "send_note"), {"kind": "answer", "field": "typed"}),
            _answer(t(lang, "skip"), "spring over"),
        ],
    )


def sick_health_words_card(lang: str, words: list[str]) -> CardJson:
    return _card(
        [_text(t(lang, "sick_health_words", words=", ".join(words)))],
        [
            _answer(t(lang, "edit_note"), "ret"),
            _answer(t(lang, "send_anyway"), "send alligevel"),
            _answer(t(lang, "send_without_note"), "send uden besked"),
        ],
    )


def _kind_text(lang: str, kind: str | None) -> str:
    return t(lang, f"kind_{kind}") if kind else ""


def sick_confirm_card(
    lang: str,
    kind: str | None,
    first_day: date | None,
    expected_return: date | None,
    note: str | None,
) -> CardJson:
    facts = [
        {"title": t(lang, "summary_kind"), "value": _kind_text(lang, kind)},
        {"title": t(lang, "summary_first_day"), "value": t(lang, "fmt", value=first_day)},
        {
            "title": t(lang, "summary_return"),
            "value": t(lang, "fmt", value=expected_return)
            if expected_return
            else t(lang, "unknown_return"),
        },
        {"title": t(lang, "summary_note"), "value": note or t(lang, "no_note")},
    ]
    return _card(
        [
            _text(t(lang, "sick_confirm_title"), weight="Bolder"),
            {"type": "FactSet", "facts": facts},
        ],
        [_answer(t(lang, "send"), "send"), _answer(t(lang, "cancel"), "fortryd")],
    )


def fit_when_card(lang: str, since: date) -> CardJson:
    return _card(
        [_text(t(lang, "fit_when_question", since=since), weight="Bolder"), *_date_input(lang)],
        [
            _answer(t(lang, "today"), "i dag"),
            _answer(t(lang, "tomorrow"), "i morgen"),
            _submit(t(lang, "pick_date"), {"kind": "answer", "field": "date"}),
        ],
    )


def fit_how_card(lang: str) -> CardJson:
    return _card(
        [_text(t(lang, "fit_how_question"), weight="Bolder")],
        [_answer(t(lang, "fit_full"), "fuld"), _answer(t(lang, "fit_partial"), "delvis")],
    )


def fit_amount_card(lang: str) -> CardJson:
    return _card(
        [
            _text(t(lang, "fit_amount_question")),
            {"type": "Input.Text", "id": "typed", "placeholder": t(lang, "fit_amount_placeholder")},
        ],
        [_submit(t(lang, "send"), {"kind": "answer", "field": "typed"})],
    )


def fit_until_card(lang: str, day: date) -> CardJson:
    return _card(
        [_text(t(lang, "fit_until_question"), weight="Bolder"), *_date_input(lang, day)],
        [_submit(t(lang, "pick_date"), {"kind": "answer", "field": "date"})],
    )


def emergency_when_card(lang: str) -> CardJson:
    return _card(
        [_text(t(lang, "emergency_when_question"), weight="Bolder")],
        [_answer(t(lang, "today"), "i dag"), _answer(t(lang, "tomorrow"), "i morgen")],
    )


def emergency_paid_card(lang: str) -> CardJson:
    return _card(
        [_text(t(lang, "emergency_paid_question"), weight="Bolder")],
        [
            _answer(t(lang, "paid_vacation"), "ferie"),
            _answer(t(lang, "paid_care_day"), "omsorgsdag"),
            _answer(t(lang, "paid_time_off"), "afspadsering"),
        ],
    )


def offer_fit_card(lang: str) -> CardJson:
    return _card([], [_submit(t(lang, "button_fit"), {"kind": "command", "command": Intent.FIT})])


def leader_absence_card(lang: str, view: AbsenceView) -> CardJson:
    if view.kind == "emergency_day":
        return _leader_emergency_card(lang, view)
    title_key = {
        "partly_sick": "leader_card_title_partial",
        "child_sick": "leader_card_title_child",
    }.get(view.kind, "leader_card_title_home" if view.going_home else "leader_card_title")
    facts = [
        {"title": t(lang, "summary_first_day"), "value": t(lang, "fmt", value=view.first_day)},
        {
            "title": t(lang, "summary_return"),
            "value": t(lang, "fmt", value=view.expected_return)
            if view.expected_return
            else t(lang, "unknown_return"),
        },
    ]
    if view.note:
        facts.append({"title": t(lang, "summary_note"), "value": view.note})
    body = [
        _text(t(lang, title_key, name=view.employee_name), weight="Bolder", size="Medium"),
        {"type": "FactSet", "facts": facts},
    ]
    if view.on_behalf_name:
        body.append(
            _text(t(lang, "leader_card_on_behalf", name=view.on_behalf_name), isSubtle=True)
        )
    if view.routed_as == "deputy" and view.usual_leader_name:
        body.append(
            _text(t(lang, "leader_card_as_deputy", leader=view.usual_leader_name), isSubtle=True)
        )
    elif view.routed_as == "leaders_leader" and view.usual_leader_name:
        body.append(
            _text(t(lang, "leader_card_as_other", leader=view.usual_leader_name), isSubtle=True)
        )
    if view.work_injury:
        body.append(_text(t(lang, "work_injury_reminder"), color="Attention"))
    body.extend(_text("✓ " + t(lang, key, **params), spacing="Small") for key, params in view.done)
    body.append(_text(t(lang, "leader_card_privacy"), isSubtle=True, size="Small"))
    done_keys = {key for key, _ in view.done}
    if view.status == "closed":
        return _card(body)  # back at work: nothing left to do on this card
    ref = {"absence_id": view.id}
    actions: list[dict[str, Any]] = []
    if "done_get_well" not in done_keys:
        actions.append(
            {
                "type": "Action.ShowCard",
                "title": t(lang, "action_get_well"),
                "card": _card(
                    [
                        {
                            "type": "Input.Text",
                            "id": "message",
                            "isMultiline": True,
                            "maxLength": 1000,
                            "value": t(lang, "get_well_default"),
                        }
                    ],
                    [
                        _submit(
                            t(lang, "send"), {"kind": "leader_action", "action": "get_well", **ref}
                        )
                    ],
                ),
            }
        )
    for action, key in (("call_today", "done_call_today"), ("other_tasks", "done_other_tasks")):
        if key not in done_keys:
            actions.append(
                _submit(
                    t(lang, f"action_{action}"), {"kind": "leader_action", "action": action, **ref}
                )
            )
    if view.kind == "sick" and "done_mark_partial" not in done_keys:
        actions.append(
            _submit(
                t(lang, "action_mark_partial"),
                {"kind": "leader_action", "action": "mark_partial", **ref},
            )
        )
    if view.kind in ("sick", "partly_sick") and not view.work_injury:
        actions.append(
            _submit(
                t(lang, "action_work_injury"),
                {"kind": "leader_action", "action": "work_injury", **ref},
            )
        )
    return _card(body, actions)


def _leader_emergency_card(lang: str, view: AbsenceView) -> CardJson:
    body = [
        _text(
            t(lang, "leader_emergency_title", name=view.employee_name, day=view.first_day),
            weight="Bolder",
            size="Medium",
        ),
        _text(t(lang, "leader_emergency_paid", paid=t(lang, f"paid_{view.paid_with}"))),
        *(_text("✓ " + t(lang, key, **params), spacing="Small") for key, params in view.done),
    ]
    actions = []
    if view.status == "requested":
        actions = [
            _submit(
                t(lang, "approve"),
                {"kind": "leader_action", "action": "approve", "absence_id": view.id},
            ),
            _submit(
                t(lang, "decline"),
                {"kind": "leader_action", "action": "decline", "absence_id": view.id},
            ),
        ]
    return _card(body, actions)


def other_tasks_card(lang: str, absence_id: int, leader: str) -> CardJson:
    ref = {"kind": "other_tasks_answer", "absence_id": absence_id}
    return _card(
        [
            _text(t(lang, "other_tasks_question", name=leader), weight="Bolder"),
            {
                "type": "Input.Text",
                "id": "typed",
                "isMultiline": True,
                "maxLength": 1000,
                "placeholder": t(lang, "answer_placeholder"),
            },
        ],
        [
            _submit(t(lang, "answer_yes"), {**ref, "answer": "yes"}),
            _submit(t(lang, "answer_no"), {**ref, "answer": "no"}),
            _submit(t(lang, "send_answer"), {**ref, "answer": "text"}),
        ],
    )


def on_behalf_card(lang: str, what: str, staff: list[tuple[str, str]]) -> CardJson:
    return _card(
        [
            _text(t(lang, f"on_behalf_pick_{what}"), weight="Bolder"),
            {
                "type": "Input.ChoiceSet",
                "id": "employee",
                "style": "compact",
                "isRequired": True,
                "label": t(lang, "pick_employee"),
                "choices": [{"title": name, "value": employee_id} for employee_id, name in staff],
            },
        ],
        [_submit(t(lang, "register"), {"kind": "on_behalf", "what": what})],
    )


def absence_calendar(
    lang: str, lines: list[AbsenceLine], days: int, workdays: int
) -> list[dict[str, Any]]:
    """The compact fraværskort: one line per period, a symbol per type (sick days in red)."""
    body = [_text(t(lang, "absence_card_title"), weight="Bolder", spacing="Medium")]
    if not lines:
        return [*body, _text(t(lang, "absence_card_empty"), isSubtle=True)]
    for line in lines:
        key = "absence_card_line" if line.last_day else "absence_card_line_open"
        body.append(
            _text(
                t(
                    lang,
                    key,
                    symbol=SYMBOLS.get(line.kind, "▪"),
                    first=line.first_day,
                    last=line.last_day,
                    kind=_kind_text(lang, line.kind),
                    days=line.working_days,
                ),
                spacing="None",
                size="Small",
            )
        )
    body.append(
        _text(
            t(lang, "absence_card_totals", periods=len(lines), days=days, workdays=workdays),
            isSubtle=True,
            size="Small",
        )
    )
    return body


def conversation_guide(lang: str, guide: str) -> list[dict[str, Any]]:
    themes = [_text(t(lang, f"guide_{n}"), spacing="None", size="Small") for n in range(1, 7)]
    return [
        _text(t(lang, "guide_title"), weight="Bolder"),
        *themes,
        _text(t(lang, f"guide_{guide}"), size="Small"),
        _text(t(lang, "guide_privacy"), isSubtle=True, size="Small"),
    ]


def followup_card(lang: str, view: FollowUpView) -> CardJson:
    facts = [
        {"title": t(lang, "followup_due"), "value": t(lang, "fmt", value=view.due_on)},
        {"title": t(lang, "followup_deadline"), "value": t(lang, "fmt", value=view.deadline_on)},
    ]
    body = [
        _text(t(lang, "followup_title", name=view.employee_name), weight="Bolder", size="Medium"),
        _text(t(lang, "followup_why", why=view.why)),
    ]
    if view.guidance:
        body.append(_text(view.guidance, color="Accent"))
    body.append({"type": "FactSet", "facts": facts})
    body.extend(_text("✓ " + t(lang, key, **params), spacing="Small") for key, params in view.done)
    body.extend(absence_calendar(lang, view.absences, view.calendar_days, view.working_days))
    ref = {"kind": "followup_action", "followup_id": view.id}
    actions: list[dict[str, Any]] = [
        {
            "type": "Action.ShowCard",
            "title": t(lang, "guide_title"),
            "card": _card(conversation_guide(lang, view.guide)),
        },
    ]
    if view.open:
        actions += [
            {
                "type": "Action.ShowCard",
                "title": t(lang, "followup_held"),
                "card": _card(
                    [
                        {"type": "Input.Date", "id": "day", "label": t(lang, "followup_held_on")},
                        {
                            "type": "Input.Text",
                            "id": "note",
                            "isMultiline": True,
                            "maxLength": 1000,
                            "label": t(lang, "followup_private_note"),
                        },
                    ],
                    [_submit(t(lang, "followup_held"), {**ref, "action": "held"})],
                ),
            },
            {
                "type": "Action.ShowCard",
                "title": t(lang, "followup_snooze"),
                "card": _card(
                    [
                        {
                            "type": "Input.Date",
                            "id": "day",
                            "label": t(lang, "followup_snooze_until"),
                        }
                    ],
                    [_submit(t(lang, "followup_snooze"), {**ref, "action": "snooze"})],
                ),
            },
            {
                "type": "Action.ShowCard",
                "title": t(lang, "followup_dismiss"),
                "card": _card(
                    [
                        {
                            "type": "Input.Text",
                            "id": "reason",
                            "maxLength": 500,
                            "label": t(lang, "followup_dismiss_reason"),
                        }
                    ],
                    [_submit(t(lang, "followup_dismiss"), {**ref, "action": "dismiss"})],
                ),
            },
        ]
    return _card(body, actions)


def followup_digest_card(lang: str, views: list[FollowUpView]) -> CardJson:
    body = [
        _text(t(lang, "followup_digest_title", count=len(views)), weight="Bolder", size="Medium")
    ]
    for view in views:
        body.append(
            _text(
                t(
                    lang,
                    "followup_list_line",
                    name=view.employee_name,
                    rule=view.why,
                    due=view.due_on,
                ),
                spacing="Small",
            )
        )
    return _card(
        body,
        [_submit(t(lang, "followup_show_all"), {"kind": "command", "command": Intent.FOLLOWUPS})],
    )


class FollowUpAction(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["followup_action"]
    followup_id: int
    action: Literal["held", "snooze", "dismiss"]
    day: date | None = None
    note: str | None = Field(None, max_length=1000)
    reason: str | None = Field(None, max_length=500)

    @field_validator("day", mode="before")
    @classmethod
    def _blank_day(cls, value: object) -> object:
        return None if value == "" else value


def privacy_card(
    lang: str,
    anonymous: bool,
    unit: str,
    leader: str,
    absence_years: int,
    comment_days: int,
    answer_months: int,
    audit_years: int,
) -> CardJson:
    mode = "privacy_checkin_anonymous" if anonymous else "privacy_checkin_named"
    return _card(
        [
            _text(t(lang, "privacy_title"), weight="Bolder", size="Medium"),
            _text(t(lang, "privacy_absence", leader=leader or t(lang, "your_leader"))),
            _text(t(lang, mode, unit=unit, leader=leader or t(lang, "your_leader"))),
            _text(t(lang, "privacy_followups")),
            _text(
                t(
                    lang,
                    "privacy_kept",
                    absence_years=absence_years,
                    comment_days=comment_days,
                    answer_months=answer_months,
                    audit_years=audit_years,
                )
            ),
            _text(t(lang, "privacy_rights"), isSubtle=True),
        ]
    )


CARDS: dict[str, Callable[..., CardJson]] = {
    "help": help_card,
    "sick_kind": sick_kind_card,
    "sick_first_day": sick_first_day_card,
    "sick_return": sick_return_card,
    "sick_note": sick_note_card,
    "sick_health_words": sick_health_words_card,
    "sick_confirm": sick_confirm_card,
    "fit_when": fit_when_card,
    "fit_how": fit_how_card,
    "fit_amount": fit_amount_card,
    "fit_until": fit_until_card,
    "emergency_when": emergency_when_card,
    "emergency_paid": emergency_paid_card,
    "offer_fit": offer_fit_card,
    "leader_absence": leader_absence_card,
    "other_tasks": other_tasks_card,
    "on_behalf": on_behalf_card,
    "followup": followup_card,
    "followup_digest": followup_digest_card,
    "privacy": privacy_card,
}


# The dialog step each card answers; its buttons carry it, so a click on an old card is noticed.
STEP_OF = {
    "sick_kind": ("sick", "kind"),
    "sick_first_day": ("sick", "first_day"),
    "sick_return": ("sick", "expected_return"),
    "sick_note": ("sick", "note"),
    "sick_health_words": ("sick", "health_words"),
    "sick_confirm": ("sick", "confirm"),
    "fit_when": ("fit", "when"),
    "fit_how": ("fit", "how"),
    "fit_amount": ("fit", "amount"),
    "fit_until": ("fit", "until"),
    "emergency_when": ("emergency", "when"),
    "emergency_paid": ("emergency", "paid_with"),
}


def build(name: str, lang: str, params: dict[str, Any]) -> CardJson:
    card = CARDS[name](lang, **params)
    if name in STEP_OF:
        dialog, step = STEP_OF[name]
        for action in card.get("actions", []):
            data = action.get("data")
            if isinstance(data, dict) and data.get("kind") == "answer":
                data.update(dialog=dialog, step=step)
    return card
