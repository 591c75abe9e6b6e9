"""The check-in's pure rules: when it is too late to ask, the pause offer, the working-day
windows, early warnings (a person's hard days, a team's swing) and Varde's team day colour."""

from __future__ import annotations

from datetime import date, time

from rules.checkin import (
    comment_text,
    day_colour,
    hard_days,
    hard_share,
    last_working_days,
    offers_pause,
    team_swings,
    too_late_to_ask,
    unit_totals,
    unit_tree,
)

TUESDAY = date(2026, 11, 24)


def weekdays(day: date) -> bool:
    return day.weekday() < 5


def test_asking_up_to_four_hours_after_the_check_in_time() -> None:
    assert not too_late_to_ask(time(14, 30), time(14, 30))
    assert not too_late_to_ask(time(14, 30), time(18, 30))
    assert too_late_to_ask(time(14, 30), time(18, 31))
    assert too_late_to_ask(time(14, 30), time(19, 0))  # a late server does not ask at night


def test_a_pause_is_offered_after_ten_unanswered_and_only_once() -> None:
    assert not offers_pause(9, None)
    assert offers_pause(10, None)
    assert offers_pause(14, None)
    assert not offers_pause(14, date(2026, 11, 10))


def test_last_working_days_skip_weekends_and_end_today() -> None:
    days = last_working_days(weekdays, TUESDAY, 7)
    assert days[0] == date(2026, 11, 16) and days[-1] == TUESDAY
    assert len(days) == 7 and all(weekdays(d) for d in days)
    assert days == sorted(days)


def test_no_working_days_found_means_today_alone() -> None:
    assert last_working_days(lambda _d: False, TUESDAY, 7) == [TUESDAY]


def test_a_comment_and_what_would_make_it_green_read_as_one_line() -> None:
    assert comment_text("Travl dag", "Færre afbrydelser") == "Travl dag · → Færre afbrydelser"
    assert comment_text(None, "En vikar mere") == "→ En vikar mere"
    assert comment_text("Travl dag", None) == "Travl dag"
    assert comment_text(None, None) == ""


def test_three_red_days_in_a_week_warn_the_leader() -> None:
    days = hard_days(["red", "red", "green", "red"])
    assert (days.reds, days.hard, days.warns) == (3, 3, True)
    assert not hard_days(["red", "red", "green", None]).warns


def test_five_yellow_or_red_days_in_a_week_warn_the_leader() -> None:
    days = hard_days(["yellow", "yellow", "red", "yellow", "red"])
    assert (days.reds, days.hard, days.warns) == (2, 5, True)
    assert not hard_days(["yellow", "yellow", "red", "yellow", "green"]).warns


def test_hard_share_counts_yellow_and_red_answers() -> None:
    assert hard_share([]) == 0.0
    assert hard_share(["green", "yellow", "red", "green"]) == 0.5


def test_a_team_swings_when_the_week_is_hard_and_well_above_the_month() -> None:
    assert team_swings(0.6, 0.3)
    assert not team_swings(0.35, 0.0)  # below the 40 % floor
    assert not team_swings(0.5, 0.35)  # a rise of less than 20 points


def test_varde_a_red_day_from_a_share_absent() -> None:
    assert day_colour(yellow_absent=1, red_percent=40, away=2, working=5) == "red"
    assert day_colour(yellow_absent=None, red_percent=40, away=2, working=5) == "red"
    assert day_colour(yellow_absent=None, red_percent=40, away=1, working=5) == "green"


def test_varde_a_yellow_day_from_a_number_absent() -> None:
    assert day_colour(yellow_absent=1, red_percent=40, away=1, working=5) == "yellow"
    assert day_colour(yellow_absent=2, red_percent=None, away=1, working=5) == "green"


def test_varde_nobody_away_is_a_green_day() -> None:
    assert day_colour(yellow_absent=1, red_percent=40, away=0, working=5) == "green"
    assert day_colour(yellow_absent=None, red_percent=None, away=3, working=5) == "green"


PARENTS = {"top": None, "home": "top", "hr": "top", "wing": "home", "other": None}


def test_a_leaders_tree_is_their_unit_and_every_unit_below_it() -> None:
    assert unit_tree("top", PARENTS) == ["top", "home", "hr", "wing"]
    assert unit_tree("home", PARENTS) == ["home", "wing"]
    assert unit_tree("other", PARENTS) == ["other"]


def test_unit_totals_roll_up_to_the_leaders_unit_and_no_further() -> None:
    tree = unit_tree("home", PARENTS)
    answers = [("wing", f"w{i}", "green") for i in range(5)]
    answers += [("home", f"h{i}", "red") for i in range(5)]
    totals = unit_totals(tree, PARENTS, answers)
    assert totals["home"] == {"green": 5, "red": 5}
    assert totals["wing"] == {"green": 5}


def test_unit_totals_hide_what_subtraction_would_reveal() -> None:
    # home minus wing would be one person's answer: wing is hidden as well.
    tree = unit_tree("home", PARENTS)
    answers = [("wing", f"w{i}", "green") for i in range(5)] + [("home", "h", "red")]
    assert unit_totals(tree, PARENTS, answers) == {"home": {"green": 5, "red": 1}, "wing": None}
