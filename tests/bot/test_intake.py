"""The way in for /api/messages (issue 16): JSON of any depth read without recursion, strings
cleaned, who wrote bounded to the columns that keep it, input errors told apart."""

from __future__ import annotations

import json

import pytest

from bot.intake import MAX_DEPTH, bounded, input_error, read_activity, shallow_json
from storage.teams import SeenUser


def deep(depth: int, opening: str = '{"x":', closing: str = "}") -> str:
    return opening * depth + "1" + closing * depth


@pytest.mark.parametrize("depth", [1, 5, 31, 32, 33, 999, 1000, 5000, 100_000])
def test_json_of_any_depth_is_cut_to_the_limit(depth):
    for opening, closing in (('{"x":', "}"), ("[", "]")):
        data = json.loads(shallow_json(deep(depth, opening, closing)))
        levels = 0
        while isinstance(data, dict | list):
            data = data["x"] if isinstance(data, dict) else data[0]
            levels += 1
        assert levels == min(depth, MAX_DEPTH)
        assert data == (1 if depth <= MAX_DEPTH else None)


def test_brackets_and_escaped_quotes_inside_strings_are_not_nesting():
    text = '{"a": "[[[{{{\\"]]]", "b": [[[1]]], "c": "\\\\"}'
    assert shallow_json(text, 2) == '{"a": "[[[{{{\\"]]]", "b": [null], "c": "\\\\"}'
    assert json.loads(shallow_json(text, 2)) == {"a": '[[[{{{"]]]', "b": [None], "c": "\\"}


def test_shallow_json_returns_text_within_the_limit_unchanged():
    text = json.dumps({"type": "message", "value": {"kind": "checkin", "a": [1, [2]]}})
    assert shallow_json(text) is text


def test_the_activity_is_read_clean():
    body = json.dumps(
        {
            "type": "message",
            "text": "hej \ud800\u202e",
            "locale": "\u200b",
            "from": {"id": "29:emma", "name": "Emma\u200f"},
            "value": {"absence_id": int("9" * 200), "n": 12, "deep": json.loads(deep(40))},
        }
    )
    activity = read_activity(body)
    assert activity["text"] == "hej \ufffd"
    assert "locale" not in activity  # only controls: said nothing, and the SDK refuses ""
    assert activity["from"] == {"id": "29:emma", "name": "Emma"}
    assert activity["value"]["absence_id"] == "9" * 200  # no number field accepts it
    assert activity["value"]["n"] == 12


def seen(**changes: object) -> SeenUser:
    fields: dict = {
        "teams_user_id": "29:emma", "tenant_id": "t", "service_url": "https://smba",
        "channel_id": "msteams", "bot_id": "28:bot", "conversation_id": "a:1",
        "aad_object_id": "aad-emma", "name": "Emma", "locale": "da-DK",
    }  # fmt: skip
    return SeenUser(**{**fields, **changes})


def test_who_wrote_is_kept_within_the_columns():
    assert bounded(seen()) == seen()
    assert bounded(seen(name="E" * 5000)) == seen(name="E" * 200)
    assert bounded(seen(locale="da-DK" * 10)) == seen(locale=None)
    assert bounded(seen(teams_user_id="29:" + "x" * 300)) is None
    assert bounded(seen(aad_object_id="a" * 65)) is None


class DataError(Exception):
    sqlstate = "22003"


class Wrapped(Exception):
    def __init__(self, orig: Exception) -> None:
        self.orig = orig


def test_input_errors_are_told_apart_from_faults():
    for error in (RecursionError(), UnicodeEncodeError("utf-8", "\ud800", 0, 1, "x")):
        assert input_error(error)
    assert input_error(OverflowError()) and input_error(Wrapped(DataError()))
    assert not input_error(KeyError("x")) and not input_error(Wrapped(KeyError("x")))
