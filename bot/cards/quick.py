"""The quick sick report: one card with everything pre-chosen and one Send (issue 14).

"Andet …" shows the choices on the same card (Action.ToggleVisibility, no round trip): the
kind, the first day and the expected return, each date field limited to its valid window.
Send submits a `SickQuickSubmit` with the card's inputs; the dialog checks them as it checks
typed answers, so a value changed by hand (or by an old client) gets a clear answer.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.cards.base import CardJson, adaptive_card, answer_action, submit_action, text_block
from bot.texts import t
from dialogs.sick import QuickChoice, SickKind

KINDS = (
    (SickKind.FULL, "sick_kind_full"),
    (SickKind.PARTIAL, "sick_kind_partial"),
    (SickKind.GOING_HOME, "sick_kind_going_home"),
    (SickKind.CHILD, "sick_kind_child"),
)


class SickQuickSubmit(BaseModel):
    """Send on the quick card: its inputs, any of which a client may leave out."""

    model_config = ConfigDict(extra="ignore")
    kind: Literal["sick_quick"]
    dialog: str | None = None
    step: str | None = None
    sick_kind: str | None = Field(None, max_length=40)
    first_day: str | None = Field(None, max_length=40)
    expected_return: str | None = Field(None, max_length=40)
    note: str | None = Field(None, max_length=5000)

    def choice(self) -> QuickChoice:
        return QuickChoice(self.sick_kind, self.first_day, self.expected_return, self.note)


def date_field(
    lang: str,
    field_id: str,
    *,
    value: date | None = None,
    earliest: date | None = None,
    latest: date | None = None,
    example: date | None = None,
    label: str | None = None,
) -> list[dict[str, Any]]:
    """A date picker limited to its window, and a typed-date hint that is inside it."""
    field: dict[str, Any] = {"type": "Input.Date", "id": field_id}
    for key, day in (("value", value), ("min", earliest), ("max", latest)):
        if day is not None:
            field[key] = day.isoformat()
    if label:
        field["label"] = label
    hint = t(lang, "date_hint", example=example) if example else t(lang, "or_type_date")
    return [field, text_block(hint, isSubtle=True, size="Small", spacing="None")]


def sick_quick_card(
    lang: str,
    kind: SickKind,
    first_day: date,
    expected_return: date | None,
    note: str | None,
    today: date,
    earliest: date,
    latest: date,
    return_latest: date,
    expanded: bool,
) -> CardJson:
    choices = _choices(lang, kind, first_day, expected_return, earliest, latest, return_latest)
    body = [
        text_block(t(lang, "sick_kind_title"), weight="Bolder", size="Medium"),
        {
            "type": "Container",
            "id": "quick_summary",
            "isVisible": not expanded,
            "items": [_summary(lang, kind, first_day, expected_return, today)],
        },
        {"type": "Container", "id": "quick_more", "isVisible": expanded, "items": choices},
        _note_field(lang, note),
        text_block(t(lang, "quick_no_reason"), isSubtle=True, size="Small", spacing="None"),
    ]
    return adaptive_card(body, _actions(lang, expanded))


def _summary(
    lang: str, kind: SickKind, first_day: date, expected_return: date | None, today: date
) -> dict[str, Any]:
    """What Send will send, as the person reads it."""
    from_text = t(lang, "quick_today", day=today) if first_day == today else first_day
    back = expected_return or t(lang, "unknown_return")
    facts = [
        {"title": t(lang, "summary_kind"), "value": t(lang, f"kind_{kind}")},
        {"title": t(lang, "summary_first_day"), "value": t(lang, "fmt", value=from_text)},
        {"title": t(lang, "summary_return"), "value": t(lang, "fmt", value=back)},
    ]
    return {"type": "FactSet", "facts": facts}


def _actions(lang: str, expanded: bool) -> list[dict[str, Any]]:
    send = {"kind": "sick_quick", "dialog": "sick", "step": "kind"}
    actions = [submit_action(t(lang, "send"), send)]
    if not expanded:  # "Andet …" opens the choices on this card, without a round trip
        actions.append(
            {
                "type": "Action.ToggleVisibility",
                "title": t(lang, "quick_other"),
                "targetElements": ["quick_summary", "quick_more"],
            }
        )
    actions.append(answer_action(t(lang, "cancel"), "fortryd"))
    return actions


def _choices(
    lang: str,
    kind: SickKind,
    first_day: date,
    expected_return: date | None,
    earliest: date,
    latest: date,
    return_latest: date,
) -> list[dict[str, Any]]:
    # The card's own first day may be changed on it, so the return may follow any valid one.
    # No "or type a date" here: a date typed in the chat now would be read as the first day.
    first, _hint = date_field(
        lang,
        "first_day",
        value=first_day,
        earliest=earliest,
        latest=latest,
        label=t(lang, "quick_first_day_label"),
    )
    back, _hint = date_field(
        lang,
        "expected_return",
        value=expected_return,
        earliest=earliest + timedelta(days=1),
        latest=return_latest,
        label=t(lang, "quick_return_label"),
    )
    return [
        text_block(t(lang, "sick_kind_question"), weight="Bolder"),
        {
            "type": "Input.ChoiceSet",
            "id": "sick_kind",
            "style": "expanded",
            "value": str(kind),
            "choices": [{"title": t(lang, key), "value": str(k)} for k, key in KINDS],
        },
        first,
        back,
    ]


def _note_field(lang: str, note: str | None) -> dict[str, Any]:
    field: dict[str, Any] = {
        "type": "Input.Text",
        "id": "note",
        "isMultiline": True,
        "maxLength": 500,
        "label": t(lang, "quick_note_label"),
        "placeholder": t(lang, "sick_note_placeholder"),
    }
    if note:
        field["value"] = note
    return field
