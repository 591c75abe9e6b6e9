"""Every user-facing string, one module per language; Danish is the default.

Values are formatted here, once, for every text: dates ("tirsdag 24/11"), times ("kl. 14.38" is
written "kl. {time}" with the dot in Danish, "14:38" in English), numbers ("1,5" in Danish, never
"1.0"), and counts with their word: a text writes "{periods:periode|perioder}" and reads
"1 periode" or "2 perioder".
"""

from __future__ import annotations

from datetime import date, datetime, time

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


class Number:
    """A number as a text shows it; a format spec "one|many" adds the word in its form."""

    def __init__(self, language: str, value: float) -> None:
        self.value = value
        self.text = number_text(language, value)

    def __format__(self, spec: str) -> str:
        if not spec:
            return self.text
        one, _, many = spec.partition("|")
        return f"{self.text} {one if self.value == 1 or not many else many}"

    def __str__(self) -> str:
        return self.text


def number_text(language: str, value: float) -> str:
    """'1' not '1.0'; '1,5' in Danish, '1.5' in English; at most two decimals."""
    text = f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    text = "0" if text == "-0" else text
    return text.replace(".", ",") if language == "da" else text


def time_text(language: str, value: time | datetime) -> str:
    """'14.38' in Danish (the text says 'kl.'), '14:38' in English."""
    return f"{value:%H:%M}" if language == "en" else f"{value:%H.%M}"


def format_value(language: str, value: object) -> object:
    """Dates as people read them: 'tirsdag 24/11' or 'Tuesday 24 Nov'. Datetimes are local."""
    if isinstance(value, TextKey):
        return t(language, value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Number(language, value)
    if isinstance(value, time):
        return time_text(language, value)
    if isinstance(value, Amount):
        if value.percent_off is not None:
            return t(language, "amount_percent", percent=value.percent_off)
        hours = value.hours_off if value.hours_off is not None else "?"
        return t(language, "amount_hours", hours=hours)
    if isinstance(value, datetime):
        if language == "en":
            return f"{value.day} {MONTHS_EN[value.month - 1]} at {time_text(language, value)}"
        return f"{value.day}/{value.month} kl. {time_text(language, value)}"
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
