"""The leader's card about one absence period (never a cause), and the question it can send."""

from __future__ import annotations

from typing import Any

from bot.cards.base import (
    CardJson,
    adaptive_card,
    submit_action,
    text_block,
)
from bot.texts import t
from rules.absence_kinds import KINDS, AbsenceKind
from services.views import AbsenceView


def leader_absence_card(lang: str, view: AbsenceView) -> CardJson:
    if view.kind == AbsenceKind.EMERGENCY_DAY:
        return _leader_emergency_card(lang, view)
    body = [*_absence_facts(lang, view), *_absence_notes(lang, view)]
    if view.status == "closed":
        return adaptive_card(body)  # back at work: nothing left to do on this card
    return adaptive_card(body, _absence_actions(lang, view))


def _absence_facts(lang: str, view: AbsenceView) -> list[dict[str, Any]]:
    title_key = KINDS[AbsenceKind(view.kind)].card_title
    if view.kind == AbsenceKind.SICK and view.going_home:
        title_key = "leader_card_title_home"
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
    return [
        text_block(t(lang, title_key, name=view.employee_name), weight="Bolder", size="Medium"),
        {"type": "FactSet", "facts": facts},
    ]


def _absence_notes(lang: str, view: AbsenceView) -> list[dict[str, Any]]:
    """Who reported it, for whom it was routed, what was done and when."""
    notes = []
    if view.on_behalf_name:
        notes.append(t(lang, "leader_card_on_behalf", name=view.on_behalf_name))
    if view.usual_leader_name and view.routed_as in _STANDING_IN:
        notes.append(t(lang, _STANDING_IN[view.routed_as], leader=view.usual_leader_name))
    body = [text_block(note, isSubtle=True) for note in notes]
    if view.work_injury:
        body.append(text_block(t(lang, "work_injury_reminder"), color="Attention"))
    body.extend(
        text_block("✓ " + t(lang, key, **params), spacing="Small") for key, params in view.done
    )
    body.append(text_block(t(lang, "leader_card_privacy"), isSubtle=True, size="Small"))
    return body


# The card says so when it reached someone standing in for the employee's own leader.
_STANDING_IN = {"deputy": "leader_card_as_deputy", "leaders_leader": "leader_card_as_other"}


def _absence_actions(lang: str, view: AbsenceView) -> list[dict[str, Any]]:
    """The buttons still open: each disappears once done."""
    done_keys = {key for key, _ in view.done}
    ref = {"absence_id": view.id}
    actions: list[dict[str, Any]] = []
    if "done_get_well" not in done_keys:
        actions.append(_get_well_action(lang, ref))
    offered = [
        ("call_today", "done_call_today" not in done_keys),
        ("other_tasks", "done_other_tasks" not in done_keys),
        ("mark_partial", view.kind == AbsenceKind.SICK and "done_mark_partial" not in done_keys),
        ("work_injury", KINDS[AbsenceKind(view.kind)].may_be_work_injury and not view.work_injury),
    ]
    actions.extend(
        submit_action(
            t(lang, f"action_{action}"), {"kind": "leader_action", "action": action, **ref}
        )
        for action, open_ in offered
        if open_
    )
    return actions


def _get_well_action(lang: str, ref: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Action.ShowCard",
        "title": t(lang, "action_get_well"),
        "card": adaptive_card(
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
                submit_action(
                    t(lang, "send"), {"kind": "leader_action", "action": "get_well", **ref}
                )
            ],
        ),
    }


def _leader_emergency_card(lang: str, view: AbsenceView) -> CardJson:
    body = [
        text_block(
            t(lang, "leader_emergency_title", name=view.employee_name, day=view.first_day),
            weight="Bolder",
            size="Medium",
        ),
        text_block(t(lang, "leader_emergency_paid", paid=t(lang, f"paid_{view.paid_with}"))),
        *(text_block("✓ " + t(lang, key, **params), spacing="Small") for key, params in view.done),
    ]
    actions = []
    if view.status == "requested":
        actions = [
            submit_action(
                t(lang, "approve"),
                {"kind": "leader_action", "action": "approve", "absence_id": view.id},
            ),
            submit_action(
                t(lang, "decline"),
                {"kind": "leader_action", "action": "decline", "absence_id": view.id},
            ),
        ]
    return adaptive_card(body, actions)


def other_tasks_card(lang: str, absence_id: int, leader: str) -> CardJson:
    ref = {"kind": "other_tasks_answer", "absence_id": absence_id}
    return adaptive_card(
        [
            text_block(t(lang, "other_tasks_question", name=leader), weight="Bolder"),
            {
                "type": "Input.Text",
                "id": "typed",
                "isMultiline": True,
                "maxLength": 1000,
                "placeholder": t(lang, "answer_placeholder"),
            },
        ],
        [
            submit_action(t(lang, "answer_yes"), {**ref, "answer": "yes"}),
            submit_action(t(lang, "answer_no"), {**ref, "answer": "no"}),
            submit_action(t(lang, "send_answer"), {**ref, "answer": "text"}),
        ],
    )
