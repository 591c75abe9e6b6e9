"""Every text, rendered with sample values in both languages: counts agree with their word,
numbers have no '.0' and a Danish decimal comma, times read 'kl. 14.38' in Danish (issue 14)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from string import Formatter

import pytest

from bot.texts import LANGUAGES, Number, format_value, t
from tests.conftest import COPENHAGEN

PLURAL_WORDS = {
    "da": (
        "perioder|fraværsperioder|kalenderdage|arbejdsdage|sygedage|dage|medarbejdere|"
        "opfølgninger|åbne opfølgninger|måneder|arbejdstimer|uger|gule|røde|kolleger|personer"
    ),
    "en": (
        "periods|absence periods|calendar days|working days|sick days|days|employees|"
        "open follow-ups|follow-ups|months|years|working hours|weeks|yellow or red days|"
        "colleagues|people"
    ),
}
# Placeholders that are never 1 (full-time hours, the 4-hour minimum), so their plural stays.
NEVER_ONE = {"full"}


def placeholders(text: str) -> dict[str, str]:
    """Each placeholder and its format spec (a count's "one|many" words)."""
    return {name: spec or "" for _, name, spec, _ in Formatter().parse(text) if name}


def render_all(lang: str, value: object) -> dict[str, str]:
    """Every text with `value` in each placeholder (a count's placeholder takes a number)."""
    out = {}
    for key, text in LANGUAGES[lang].items():
        params = {
            name: 37 if name in NEVER_ONE else (value if "|" not in spec or _number(value) else 2)
            for name, spec in placeholders(text).items()
        }
        out[key] = t(lang, key, **params)
    return out


def _number(value: object) -> bool:
    return isinstance(value, int | float)


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("one", [1, 1.0])
def test_a_count_of_one_takes_the_singular_everywhere(lang, one):
    wrong = re.compile(rf"(?<![\d,.])1 ({PLURAL_WORDS[lang]})\b")
    bad = {k: v for k, v in render_all(lang, one).items() if wrong.search(v)}
    assert bad == {}


@pytest.mark.parametrize("lang", ["da", "en"])
def test_no_number_is_written_with_a_needless_decimal(lang):
    rendered = render_all(lang, 2.0)
    assert {k: v for k, v in rendered.items() if re.search(r"\b2[.,]0\b", v)} == {}
    half = render_all(lang, 1.5)
    decimal = "1,5" if lang == "da" else "1.5"
    missing = {
        k: v
        for k, v in half.items()
        if set(placeholders(LANGUAGES[lang][k])) - NEVER_ONE and decimal not in v
    }
    assert missing == {}


@pytest.mark.parametrize(
    "value",
    [time(14, 38), datetime(2026, 11, 24, 14, 38, tzinfo=COPENHAGEN)],
)
def test_danish_times_read_kl_with_a_dot_and_english_with_a_colon(value):
    for key, text in render_all("da", value).items():
        assert not re.search(r"\d{1,2}:\d{2}", text), (key, text)
    for key, text in render_all("en", value).items():
        assert not re.search(r"\d{1,2}\.\d{2}\b", text), (key, text)
    assert t("da", "checkin_time_set", time=time(9, 5)).count("kl. 09.05") == 1
    assert "at 09:05" in t("en", "checkin_time_set", time=time(9, 5))


def test_numbers_and_words():
    assert f"{Number('da', 1):periode|perioder}" == "1 periode"
    assert f"{Number('da', 2):periode|perioder}" == "2 perioder"
    assert f"{Number('da', 1.5):dagsværk|dagsværk}" == "1,5 dagsværk"
    assert f"{Number('en', 1.0):working day|working days}" == "1 working day"
    assert f"{Number('en', 0):period|periods}" == "0 periods"
    assert str(format_value("da", 44.44)) == "44,44" and str(format_value("en", 3.0)) == "3"
    assert format_value("da", True) is True
    assert format_value("da", date(2026, 12, 1)) == "tirsdag 1/12"
    assert t("da", "absence_card_totals", periods=1, days=1, workdays=1.0) == (
        "1 periode · 1 kalenderdag · 1 dagsværk"
    )
    assert t("en", "absence_card_totals", periods=2, days=3, workdays=1.5) == (
        "2 periods · 3 calendar days · 1.5 working days"
    )
