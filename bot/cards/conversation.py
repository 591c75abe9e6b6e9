"""The cards of the conversations: help, sick report, fit report, akutdag, on-behalf, privacy."""

from __future__ import annotations

from datetime import date, timedelta

from bot.cards.base import (
    CardJson,
    adaptive_card,
    answer_action,
    kind_text,
    submit_action,
    text_block,
)
from bot.cards.quick import date_field
from bot.texts import t
from dialogs.commands import Intent


def help_card(lang: str, leader: bool = False, outlook: bool = False) -> CardJson:
    lines = ["help_sick", "help_fit", "help_home", "help_emergency", "help_status", "help_checkin"]
    if outlook:
        lines.append("graph_outlook_help")
    if leader:
        lines += ["help_on_behalf", "help_followups", "help_team"]
    lines.append("help_help")
    return adaptive_card(
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
            submit_action(t(lang, "button_sick"), {"kind": "command", "command": Intent.SICK}),
            submit_action(t(lang, "button_fit"), {"kind": "command", "command": Intent.FIT}),
            submit_action(t(lang, "button_status"), {"kind": "command", "command": Intent.STATUS}),
        ],
    )


def sick_kind_card(lang: str) -> CardJson:
    return adaptive_card(
        [
            text_block(t(lang, "sick_kind_title"), weight="Bolder", size="Medium"),
            text_block(t(lang, "sick_kind_question")),
        ],
        [
            answer_action(t(lang, "sick_kind_full"), "1"),
            answer_action(t(lang, "sick_kind_partial"), "2"),
            answer_action(t(lang, "sick_kind_going_home"), "3"),
            answer_action(t(lang, "sick_kind_child"), "4"),
            answer_action(t(lang, "cancel"), "fortryd"),
        ],
    )


def sick_first_day_card(
    lang: str,
    earliest: date | None = None,
    latest: date | None = None,
    example: date | None = None,
) -> CardJson:
    dates = date_field(lang, "date", earliest=earliest, latest=latest, example=example)
    return adaptive_card(
        [text_block(t(lang, "sick_first_day_question"), weight="Bolder"), *dates],
        [
            answer_action(t(lang, "today"), "i dag"),
            answer_action(t(lang, "tomorrow"), "i morgen"),
            submit_action(t(lang, "pick_date"), {"kind": "answer", "field": "date"}),
        ],
    )


def sick_return_card(
    lang: str,
    first_day: date,
    earliest: date | None = None,
    latest: date | None = None,
    example: date | None = None,
) -> CardJson:
    return adaptive_card(
        [
            text_block(t(lang, "sick_return_question", first_day=first_day), weight="Bolder"),
            *date_field(lang, "date", earliest=earliest, latest=latest, example=example),
        ],
        [
            answer_action(t(lang, "dont_know"), "ved ikke"),
            submit_action(t(lang, "pick_date"), {"kind": "answer", "field": "date"}),
        ],
    )


def sick_note_card(lang: str, note: str | None = None) -> CardJson:
    field = {
        "type": "Input.Text",
        "id": "typed",
        "isMultiline": True,
        "maxLength": 500,
        "placeholder": t(lang, "sick_note_placeholder"),
    }
    if note:  # "Ret beskeden": the note written before, ready to edit
        field["value"] = note
    return adaptive_card(
        [text_block(t(lang, "sick_note_question"), weight="Bolder"), field],
        [
            submit_action(t(lang, "send_note"), {"kind": "answer", "field": "typed"}),
            answer_action(t(lang, "skip"), "spring over"),
        ],
    )


def sick_health_words_card(lang: str, words: list[str]) -> CardJson:
    return adaptive_card(
        [text_block(t(lang, "sick_health_words", words=", ".join(words)))],
        [
            answer_action(t(lang, "edit_note"), "ret"),
            answer_action(t(lang, "send_anyway"), "send alligevel"),
            answer_action(t(lang, "send_without_note"), "send uden besked"),
        ],
    )


def sick_confirm_card(
    lang: str,
    kind: str | None,
    first_day: date | None,
    expected_return: date | None,
    note: str | None,
) -> CardJson:
    facts = [
        {"title": t(lang, "summary_kind"), "value": kind_text(lang, kind)},
        {"title": t(lang, "summary_first_day"), "value": t(lang, "fmt", value=first_day)},
        {
            "title": t(lang, "summary_return"),
            "value": t(lang, "fmt", value=expected_return)
            if expected_return
            else t(lang, "unknown_return"),
        },
        {"title": t(lang, "summary_note"), "value": note or t(lang, "no_note")},
    ]
    return adaptive_card(
        [
            text_block(t(lang, "sick_confirm_title"), weight="Bolder"),
            {"type": "FactSet", "facts": facts},
        ],
        [answer_action(t(lang, "send"), "send"), answer_action(t(lang, "cancel"), "fortryd")],
    )


def fit_when_card(
    lang: str, since: date, today: date, offers: list[date], earliest: date, latest: date
) -> CardJson:
    # Only days that leave at least one sick day are offered (dialogs.fit.fit_days); the picker
    # starts on the first of them, so pressing it as offered is a valid answer.
    dates = date_field(lang, "date", value=offers[0], earliest=earliest, latest=latest)
    words = {today: ("today", "i dag"), today + timedelta(days=1): ("tomorrow", "i morgen")}
    buttons = [
        answer_action(t(lang, words[day][0]), words[day][1])
        if day in words
        else answer_action(t(lang, "fmt", value=day), day.isoformat())
        for day in offers
    ]
    return adaptive_card(
        [
            text_block(t(lang, "fit_when_question", since=since), weight="Bolder"),
            *dates,
        ],
        [*buttons, submit_action(t(lang, "pick_date"), {"kind": "answer", "field": "date"})],
    )


def fit_how_card(lang: str) -> CardJson:
    return adaptive_card(
        [text_block(t(lang, "fit_how_question"), weight="Bolder")],
        [
            answer_action(t(lang, "fit_full"), "fuld"),
            answer_action(t(lang, "fit_partial"), "delvis"),
        ],
    )


def fit_amount_card(lang: str) -> CardJson:
    return adaptive_card(
        [
            text_block(t(lang, "fit_amount_question")),
            {"type": "Input.Text", "id": "typed", "placeholder": t(lang, "fit_amount_placeholder")},
        ],
        [submit_action(t(lang, "send"), {"kind": "answer", "field": "typed"})],
    )


def fit_until_card(lang: str, value: date, earliest: date, latest: date) -> CardJson:
    # The last partly sick day is after the fit day: the window starts the day after it.
    dates = date_field(lang, "date", value=value, earliest=earliest, latest=latest, example=value)
    return adaptive_card(
        [text_block(t(lang, "fit_until_question"), weight="Bolder"), *dates],
        [submit_action(t(lang, "pick_date"), {"kind": "answer", "field": "date"})],
    )


def emergency_when_card(lang: str, offers: list[date], today: date) -> CardJson:
    # Only the days still free (dialogs.emergency.start): a sick day is not offered.
    words = {today: ("today", "i dag"), today + timedelta(days=1): ("tomorrow", "i morgen")}
    return adaptive_card(
        [text_block(t(lang, "emergency_when_question"), weight="Bolder")],
        [answer_action(t(lang, words[day][0]), words[day][1]) for day in offers if day in words],
    )


def emergency_paid_card(lang: str) -> CardJson:
    return adaptive_card(
        [text_block(t(lang, "emergency_paid_question"), weight="Bolder")],
        [
            answer_action(t(lang, "paid_vacation"), "ferie"),
            answer_action(t(lang, "paid_care_day"), "omsorgsdag"),
            answer_action(t(lang, "paid_time_off"), "afspadsering"),
        ],
    )


def offer_fit_card(lang: str) -> CardJson:
    return adaptive_card(
        [], [submit_action(t(lang, "button_fit"), {"kind": "command", "command": Intent.FIT})]
    )


def on_behalf_card(lang: str, what: str, staff: list[tuple[str, str]]) -> CardJson:
    return adaptive_card(
        [
            text_block(t(lang, f"on_behalf_pick_{what}"), weight="Bolder"),
            {
                "type": "Input.ChoiceSet",
                "id": "employee",
                "style": "compact",
                "isRequired": True,
                "label": t(lang, "pick_employee"),
                "choices": [{"title": name, "value": employee_id} for employee_id, name in staff],
            },
        ],
        [submit_action(t(lang, "register"), {"kind": "on_behalf", "what": what})],
    )


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
    return adaptive_card(
        [
            text_block(t(lang, "privacy_title"), weight="Bolder", size="Medium"),
            text_block(t(lang, "privacy_absence", leader=leader or t(lang, "your_leader"))),
            text_block(t(lang, mode, unit=unit, leader=leader or t(lang, "your_leader"))),
            text_block(t(lang, "privacy_followups")),
            text_block(
                t(
                    lang,
                    "privacy_kept",
                    absence_years=absence_years,
                    comment_days=comment_days,
                    answer_months=answer_months,
                    audit_years=audit_years,
                )
            ),
            text_block(t(lang, "privacy_rights"), isSubtle=True),
        ]
    )
