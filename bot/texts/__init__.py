"""Every user-facing string, one module per language; Danish is the default."""

from __future__ import annotations

from datetime import date, datetime

from bot.texts import da, en
from dialogs.replies import Amount, TextKey
from rules.anonymity import MIN_AGGREGATE, MIN_COMMENTS
from rules.checkin import OFFER_PAUSE_AFTER
from rules.language import DEFAULT_LANGUAGE as DEFAULT_LANGUAGE

LANGUAGES: dict[str, dict[str, str]] = {"da": da.TEXTS, "en": en.TEXTS}
WEEKDAYS = {
    "da": ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def format_value(language: str, value: object) -> object:
    """Dates as people read them: 'tirsdag 24/11' or 'Tuesday 24 Nov'. Datetimes are local."""
    if isinstance(value, TextKey):
        return t(language, value)
    if isinstance(value, Amount):
        if value.percent_off is not None:
            return t(language, "amount_percent", percent=value.percent_off)
        hours = f"{value.hours_off:g}" if value.hours_off is not None else "?"
        return t(
            language, "amount_hours", hours=hours.replace(".", "," if language == "da" else ".")
        )
    if isinstance(value, datetime):
        if language == "en":
            return f"{value.day} {MONTHS_EN[value.month - 1]} at {value:%H:%M}"
        return f"{value.day}/{value.month} kl. {value:%H.%M}"
    if isinstance(value, date):
        weekday = WEEKDAYS.get(language, WEEKDAYS["da"])[value.weekday()]
        if language == "en":
            return f"{weekday} {value.day} {MONTHS_EN[value.month - 1]}"
        return f"{weekday} {value.day}/{value.month}"
    return value


# The rules' own numbers, available to every text, so a text never repeats one as a literal.
RULE_NUMBERS: dict[str, object] = {
    "min_answers": MIN_AGGREGATE,
    "min_comments": MIN_COMMENTS,
    "pause_after": OFFER_PAUSE_AFTER,
}


def t(language: str, key: str, **params: object) -> str:
    texts = LANGUAGES.get(language, LANGUAGES[DEFAULT_LANGUAGE])
    values = {**RULE_NUMBERS, **params}
    return texts[key].format(**{k: format_value(language, v) for k, v in values.items()})
