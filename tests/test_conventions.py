"""House rules that a reviewer would otherwise have to remember."""

from __future__ import annotations

import re
from pathlib import Path

from bot.texts import LANGUAGES
from storage.models import Base

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["bot", "services", "dialogs", "rules", "scheduler", "storage", "manifest"]


def test_no_table_has_a_field_for_cause_or_diagnosis():
    forbidden = re.compile(r"diagnos|cause|reason_for|symptom|illness|sygdom|aarsag|årsag", re.I)
    columns = [f"{t.name}.{c.name}" for t in Base.metadata.tables.values() for c in t.columns]
    assert columns, "no tables found"
    assert [c for c in columns if forbidden.search(c)] == []


def test_danish_and_english_have_the_same_texts():
    assert set(LANGUAGES["da"]) == set(LANGUAGES["en"])
    for key, danish in LANGUAGES["da"].items():
        fields = set(re.findall(r"{(\w+)(?::[^{}]*)?}", danish))
        assert fields == set(re.findall(r"{(\w+)(?::[^{}]*)?}", LANGUAGES["en"][key])), key


def test_now_is_asked_in_exactly_one_place():
    hits = [
        path.relative_to(ROOT).as_posix()
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if re.search(r"datetime\.now\(|date\.today\(|time\.time\(", path.read_text())
    ]
    assert hits == ["scheduler/clock.py"]


def test_every_card_name_has_exactly_one_builder():
    from bot.cards import CARDS
    from dialogs.replies import CardName

    assert set(CARDS) == set(CardName)


def test_the_languages_we_speak_are_the_languages_we_have_texts_for():
    from rules.language import LANGUAGES as SPOKEN

    assert set(SPOKEN) == set(LANGUAGES)
