"""The anonymity thresholds, including Glint's rule against working a group out by subtraction."""

from __future__ import annotations

from rules.anonymity import may_show_aggregate, may_show_comments, visible_units


def test_thresholds() -> None:
    assert not may_show_aggregate(4) and may_show_aggregate(5)
    assert not may_show_comments(9) and may_show_comments(10)


def test_a_small_unit_is_hidden() -> None:
    parents = {"top": None, "a": "top", "b": "top"}
    assert visible_units({"top": 20, "a": 16, "b": 4}, parents) == {"top"}


def test_a_sibling_is_hidden_too_when_subtraction_would_reveal_the_small_one() -> None:
    # top 20 = a 12 + b 5 + c 3: showing a and b gives c (3) by subtraction, so b goes too.
    parents = {"top": None, "a": "top", "b": "top", "c": "top"}
    assert visible_units({"top": 20, "a": 12, "b": 5, "c": 3}, parents) == {"top", "a"}


def test_direct_members_of_a_unit_count_as_a_group_of_their_own() -> None:
    # top has 2 people of its own: showing its only sub-unit would reveal those 2.
    parents = {"top": None, "a": "top"}
    assert visible_units({"top": 12, "a": 10}, parents) == {"top"}
    assert visible_units({"top": 15, "a": 10}, parents) == {"top", "a"}
    assert visible_units({"top": 10, "a": 10}, parents) == {"top", "a"}


def test_deeper_levels_follow_the_same_rule() -> None:
    parents = {"top": None, "mid": "top", "x": "mid", "y": "mid", "other": "top"}
    counts = {"top": 40, "mid": 20, "x": 10, "y": 10, "other": 20}
    assert visible_units(counts, parents) == set(counts)
    counts = {"top": 40, "mid": 20, "x": 17, "y": 3, "other": 20}
    assert visible_units(counts, parents) == {"top", "mid", "other"}
