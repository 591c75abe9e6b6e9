"""Names and free text without bidi or zero-width controls, lone surrogates replaced; nested
data walked without recursion (issue 16)."""

from __future__ import annotations

import pytest

from rules.text_clean import clean_text, clean_tree, strings_in

BIDI = [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c",
]  # fmt: skip
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


@pytest.mark.parametrize("control", BIDI + ZERO_WIDTH)
def test_every_bidi_and_zero_width_control_is_taken_out(control):
    assert clean_text(f"Emma{control} Sørensen{control}") == "Emma Sørensen"


def test_a_right_to_left_override_cannot_disguise_a_file_name():
    assert clean_text("faktura\u202efdp.exe") == "fakturafdp.exe"


def test_lone_surrogates_become_the_replacement_character():
    assert clean_text("hej \ud800 og \udfff") == "hej \ufffd og \ufffd"
    assert clean_text("hej \ud800").encode("utf-8")  # now storable and sendable


@pytest.mark.parametrize(
    "text",
    [
        "Rødgrød med fløde, ÆØÅ",
        "مرحبا بك",  # Arabic letters (the Arabic letter mark alone is a control)
        "שלום",
        "Tak 💛🎉",
        "👩\u200d💻 👨\u200d👩\u200d👧 🏳\ufe0f\u200d🌈 ❤\ufe0f\u200d🔥 👩🏽\u200d⚕\ufe0f",  # joined emoji
        "Jørgen-Ahmad O'Brien",
        "",
    ],
)
def test_legitimate_text_is_kept_as_it_is(text):
    assert clean_text(text) == text


def test_a_zero_width_joiner_outside_an_emoji_is_taken_out():
    assert clean_text("a\u200db 💛\u200d x\u200d💛") == "ab 💛 x💛"


def test_clean_tree_cleans_keys_and_values_and_cuts_deep_nesting():
    data = {"na\u200bme": ["E\u202emma", {"deep": {"deeper": [1]}}], "n": 5, "ok": None}
    assert clean_tree(data, max_depth=3) == {"name": ["Emma", {"deep": None}], "n": 5, "ok": None}


def test_clean_tree_and_strings_in_walk_any_depth_without_recursion():
    data: object = "bund\u200b"
    for _ in range(100_000):
        data = [data]
    assert clean_tree(data, max_depth=5) == [[[[[None]]]]]
    assert list(strings_in(data)) == ["bund\u200b"]


def test_strings_in_finds_keys_values_and_tuples():
    assert sorted(strings_in({"a": ["b", ("c", 1)], "d": {"e": None}})) == ["a", "b", "c", "d", "e"]
