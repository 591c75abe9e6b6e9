"""Follow-up cards: what, why, the fraværskort and the conversation guide; the morning digest."""

from __future__ import annotations

from typing import Any

from bot.cards.absence import person_link_action
from bot.cards.base import (
    CardJson,
    adaptive_card,
    kind_text,
    submit_action,
    text_block,
)
from bot.texts import t
from dialogs.commands import Intent
from rules.absence_kinds import SYMBOLS
from rules.followups.record import HOW, NEXT_STEPS, PARTICIPANTS
from services.views import AbsenceLine, FollowUpView


def absence_calendar(
    lang: str, lines: list[AbsenceLine], days: int, workdays: int
) -> list[dict[str, Any]]:
    """The compact fraværskort: one line per period, a symbol per type (sick days in red)."""
    body = [text_block(t(lang, "absence_card_title"), weight="Bolder", spacing="Medium")]
    if not lines:
        return [*body, text_block(t(lang, "absence_card_empty"), isSubtle=True)]
    for line in lines:
        key = "absence_card_line" if line.last_day else "absence_card_line_open"
        body.append(
            text_block(
                t(
                    lang,
                    key,
                    symbol=SYMBOLS.get(line.kind, "▪"),
                    first=line.first_day,
                    last=line.last_day,
                    kind=kind_text(lang, line.kind),
                    days=line.working_days,
                ),
                spacing="None",
                size="Small",
            )
        )
    body.append(
        text_block(
            t(lang, "absence_card_totals", periods=len(lines), days=days, workdays=workdays),
            isSubtle=True,
            size="Small",
        )
    )
    return body


def conversation_guide(lang: str, guide: str) -> list[dict[str, Any]]:
    themes = [text_block(t(lang, f"guide_{n}"), spacing="None", size="Small") for n in range(1, 7)]
    return [
        text_block(t(lang, "guide_title"), weight="Bolder"),
        *themes,
        text_block(t(lang, f"guide_{guide}"), size="Small"),
        text_block(t(lang, "guide_privacy"), isSubtle=True, size="Small"),
    ]


def followup_card(lang: str, view: FollowUpView, person_url: str | None = None) -> CardJson:
    facts = [
        {"title": t(lang, "followup_due"), "value": t(lang, "fmt", value=view.due_on)},
        {"title": t(lang, "followup_deadline"), "value": t(lang, "fmt", value=view.deadline_on)},
    ]
    body = [
        text_block(
            t(lang, "followup_title", name=view.employee_name), weight="Bolder", size="Medium"
        ),
        text_block(t(lang, "followup_why", why=view.why)),
    ]
    if view.guidance:
        body.append(text_block(view.guidance, color="Accent"))
    body.append({"type": "FactSet", "facts": facts})
    body.extend(
        text_block("✓ " + _done(lang, key, params), spacing="Small") for key, params in view.done
    )
    body.extend(_links(lang, view))
    body.extend(absence_calendar(lang, view.absences, view.calendar_days, view.working_days))
    actions = [_show(t(lang, "guide_title"), conversation_guide(lang, view.guide))]
    if view.open:
        actions += _decisions(lang, {"kind": "followup_action", "followup_id": view.id})
    if person_url:
        actions.append(person_link_action(lang, person_url))
    return adaptive_card(body, actions)


def _done(lang: str, key: str, params: dict[str, Any]) -> str:
    """What was done; the conversation on record names its choices in the reader's words."""
    if key != "record_done":
        return t(lang, key, **params)
    none = t(lang, "record_none")
    how = t(lang, f"record_how_{params['how']}") if params.get("how") else none
    who = [t(lang, f"record_participant_{p}") for p in params.get("participants", ())]
    steps = [t(lang, f"record_step_{s}") for s in params.get("steps", ())]
    return t(
        lang, key, how=how, participants=", ".join(who) or none, steps=", ".join(steps) or none
    )


def _links(lang: str, view: FollowUpView) -> list[dict[str, Any]]:
    """The guidance's links (Hedensted: the mulighedserklæring form), one line each."""
    return [
        text_block(f"[{title}]({url})", size="Small", spacing="None") for title, url in view.links
    ]


def _choices(lang: str, prefix: str, words: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"title": t(lang, f"{prefix}{word}"), "value": word} for word in words]


def _record_inputs(lang: str) -> list[dict[str, Any]]:
    """How the conversation was held, who took part and what was agreed: fixed choices only."""
    return [
        {
            "type": "Input.ChoiceSet",
            "id": "how",
            "style": "expanded",
            "label": t(lang, "record_how"),
            "choices": _choices(lang, "record_how_", HOW),
        },
        {
            "type": "Input.ChoiceSet",
            "id": "participants",
            "isMultiSelect": True,
            "label": t(lang, "record_participants"),
            "choices": _choices(lang, "record_participant_", PARTICIPANTS),
        },
        {
            "type": "Input.ChoiceSet",
            "id": "next_steps",
            "isMultiSelect": True,
            "label": t(lang, "record_next_steps"),
            "choices": _choices(lang, "record_step_", NEXT_STEPS),
        },
        text_block(t(lang, "record_shared"), isSubtle=True, size="Small", wrap=True),
    ]


def _show(title: str, body: list[dict[str, Any]], *actions: dict[str, Any]) -> dict[str, Any]:
    """A button that opens a small card below it."""
    return {"type": "Action.ShowCard", "title": title, "card": adaptive_card(body, list(actions))}


def _decisions(lang: str, ref: dict[str, Any]) -> list[dict[str, Any]]:
    """Held (when, a private note), snoozed (until), or dismissed (why)."""
    held = t(lang, "followup_held")
    snooze = t(lang, "followup_snooze")
    dismiss = t(lang, "followup_dismiss")
    return [
        _show(
            held,
            [
                {"type": "Input.Date", "id": "day", "label": t(lang, "followup_held_on")},
                *_record_inputs(lang),
                {
                    "type": "Input.Text",
                    "id": "note",
                    "isMultiline": True,
                    "maxLength": 1000,
                    "label": t(lang, "followup_private_note"),
                },
            ],
            submit_action(held, {**ref, "action": "held"}),
        ),
        _show(
            snooze,
            [{"type": "Input.Date", "id": "day", "label": t(lang, "followup_snooze_until")}],
            submit_action(snooze, {**ref, "action": "snooze"}),
        ),
        _show(
            dismiss,
            [
                {
                    "type": "Input.Text",
                    "id": "reason",
                    "maxLength": 500,
                    "label": t(lang, "followup_dismiss_reason"),
                }
            ],
            submit_action(dismiss, {**ref, "action": "dismiss"}),
        ),
    ]


def followup_digest_card(lang: str, views: list[FollowUpView]) -> CardJson:
    body = [
        text_block(
            t(lang, "followup_digest_title", count=len(views)), weight="Bolder", size="Medium"
        )
    ]
    for view in views:
        body.append(
            text_block(
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
    return adaptive_card(
        body,
        [
            submit_action(
                t(lang, "followup_show_all"), {"kind": "command", "command": Intent.FOLLOWUPS}
            )
        ],
    )
