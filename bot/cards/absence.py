"""The leader's card about one absence period (never a cause), and the question it can send."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.cards.base import (
    CardJson,
    adaptive_card,
    submit_action,
    text_block,
)
from bot.texts import t
from rules.absence_kinds import KINDS, AbsenceKind
from services.ledger import ReceiptView
from services.views import AbsenceView


def leader_absence_card(lang: str, view: AbsenceView, person_url: str | None = None) -> CardJson:
    """`person_url` opens the employee's fraværskort in the tab (bot/tab/links.py)."""
    if view.kind == AbsenceKind.EMERGENCY_DAY:
        return _leader_emergency_card(lang, view)
    body = [*_absence_facts(lang, view), *_absence_notes(lang, view)]
    link = [person_link_action(lang, person_url)] if person_url else []
    if view.status == "withdrawn":
        body.insert(1, text_block(t(lang, "ledger_card_withdrawn"), color="Attention"))
        return adaptive_card(body, link)  # taken back by the employee: nothing to act on
    if view.status == "closed":
        return adaptive_card(body, link)  # back at work: nothing left to do on this card
    return adaptive_card(body, [*_absence_actions(lang, view), *link])


def person_link_action(lang: str, url: str) -> dict[str, Any]:
    """Opens the person's page in the tab: a link, never a submit, so nothing is recorded."""
    return {"type": "Action.OpenUrl", "title": t(lang, "tab_see_absence_card"), "url": url}


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
# The nearest leader being away is why anyone else gets it (routing completes the line).
_STANDING_IN = {
    "deputy": "leader_card_as_deputy",
    "leaders_leader": "leader_card_as_other",
    "fallback": "leader_card_as_other",
    "hr": "leader_card_as_other",
}


def _absence_actions(lang: str, view: AbsenceView) -> list[dict[str, Any]]:
    """The buttons still open: each disappears once done; today's choices may be undone."""
    done_keys = {key for key, _ in view.done}
    ref = {"absence_id": view.id}
    child = view.kind == AbsenceKind.CHILD_SICK
    actions: list[dict[str, Any]] = []
    if "done_get_well" not in done_keys:
        actions.append(_get_well_action(lang, view, ref))
    if view.kind == AbsenceKind.SICK:
        actions.append(_mark_partial_action(lang, ref))
    offered = [
        ("call_today", "done_call_today" not in done_keys),
        # A child's sick day is the child's: nobody asks the parent to work while away.
        ("other_tasks", not child and "done_other_tasks" not in done_keys),
        ("work_injury", KINDS[AbsenceKind(view.kind)].may_be_work_injury and not view.work_injury),
        *((f"undo_{action}", True) for action in view.undoable),
    ]
    actions.extend(
        submit_action(
            t(lang, f"action_{action}"), {"kind": "leader_action", "action": action, **ref}
        )
        for action, open_ in offered
        if open_
    )
    return actions


def _get_well_action(lang: str, view: AbsenceView, ref: dict[str, Any]) -> dict[str, Any]:
    # Pre-filled in the employee's language: it is sent to them as written.
    greeting = (
        "ledger_child_greeting" if view.kind == AbsenceKind.CHILD_SICK else "get_well_default"
    )
    title = "ledger_action_greeting" if view.kind == AbsenceKind.CHILD_SICK else "action_get_well"
    return {
        "type": "Action.ShowCard",
        "title": t(lang, title),
        "card": adaptive_card(
            [
                {
                    "type": "Input.Text",
                    "id": "message",
                    "isMultiline": True,
                    "maxLength": 1000,
                    "value": t(view.employee_language, greeting),
                }
            ],
            [
                submit_action(
                    t(lang, "send"), {"kind": "leader_action", "action": "get_well", **ref}
                )
            ],
        ),
    }


def _mark_partial_action(lang: str, ref: dict[str, Any]) -> dict[str, Any]:
    """Partly sick asks how much: hours a week or a percentage off (checked when sent)."""
    return {
        "type": "Action.ShowCard",
        "title": t(lang, "action_mark_partial"),
        "card": adaptive_card(
            [
                text_block(t(lang, "ledger_partial_question")),
                {
                    "type": "Input.Text",
                    "id": "amount",
                    "maxLength": 40,
                    "placeholder": t(lang, "fit_amount_placeholder"),
                },
            ],
            [
                submit_action(
                    t(lang, "ledger_register"),
                    {"kind": "leader_action", "action": "mark_partial", **ref},
                )
            ],
        ),
    }


def receipt_card(lang: str, receipt: ReceiptView) -> CardJson:
    """The employee's receipt: withdraw, or correct the first day or the expected return."""
    ref = {"kind": "absence_change", "absence_id": receipt.absence_id}
    facts = [
        {"title": t(lang, "summary_first_day"), "value": t(lang, "fmt", value=receipt.first_day)},
        {
            "title": t(lang, "summary_return"),
            "value": t(lang, "fmt", value=receipt.expected_return)
            if receipt.expected_return
            else t(lang, "unknown_return"),
        },
    ]
    title = text_block(t(lang, "ledger_receipt_title"), weight="Bolder")
    if receipt.status != "open":
        # Closed or withdrawn: what is true now, and no button the service would refuse.
        state = (
            t(lang, "ledger_receipt_withdrawn")
            if receipt.status == "withdrawn"
            else t(lang, "ledger_receipt_closed", day=receipt.last_day)
        )
        return adaptive_card([title, {"type": "FactSet", "facts": facts[:1]}, text_block(state)])
    return adaptive_card(
        [
            title,
            {"type": "FactSet", "facts": facts},
            text_block(t(lang, "ledger_receipt_hint"), isSubtle=True, size="Small"),
        ],
        [
            submit_action(t(lang, "ledger_withdraw"), {**ref, "change": "withdraw"}),
            _date_change(
                lang,
                "ledger_change_first_day",
                ref,
                "first_day",
                receipt.first_day,
                receipt.first_day_from,
                receipt.first_day_to,
            ),
            _date_change(
                lang,
                "ledger_change_return",
                ref,
                "expected_return",
                receipt.expected_return,
                receipt.return_from,
                receipt.return_to,
            ),
        ],
    )


def _date_change(
    lang: str,
    title: str,
    ref: dict[str, Any],
    change: str,
    value: date | None,
    earliest: date,
    latest: date,
) -> dict[str, Any]:
    # Only valid days can be picked; the service checks again when it is sent.
    field: dict[str, Any] = {
        "type": "Input.Date",
        "id": "day",
        "min": earliest.isoformat(),
        "max": latest.isoformat(),
    }
    if value is not None and earliest <= value <= latest:
        field["value"] = value.isoformat()
    return {
        "type": "Action.ShowCard",
        "title": t(lang, title),
        "card": adaptive_card(
            [field], [submit_action(t(lang, "ledger_save"), {**ref, "change": change})]
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
