"""Dialogs are plain functions: state + what was said + today -> next state, replies, effects."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from dialogs import emergency, fit, sick
from dialogs.commands import Intent, parse_command
from dialogs.dates import DateWindow, parse_day, parse_time_of_day
from dialogs.emergency import PaidWith, RequestEmergencyDay
from dialogs.fit import FitState, FitStep, ReportFit
from dialogs.flow import Step
from dialogs.replies import Card, Text
from dialogs.sick import ReportSick, SickKind, SickState, SickStep
from dialogs.symptoms import health_words_in

TODAY = date(2026, 11, 24)


def run(step, answers, dialog=sick):
    for said in answers:
        assert step.state is not None, f"dialog ended before {said!r}"
        step = dialog.answer(step.state, said, TODAY)
    return step


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("syg", Intent.SICK),
        ("Jeg er syg!", Intent.SICK),
        ("går syg hjem", Intent.GOING_HOME_SICK),
        ("going home sick", Intent.GOING_HOME_SICK),
        ("RASK", Intent.FIT),
        ("akutdag", Intent.EMERGENCY_DAY),
        ("<at>naervaer</at> hjælp", Intent.HELP),
        ("registrér syg", Intent.REGISTER_SICK),
        ("register fit", Intent.REGISTER_FIT),
        ("sygdom", None),
        ("blå", None),
    ],
)
def test_commands_in_danish_and_english(text, expected):
    assert parse_command(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i dag", TODAY),
        ("I morgen", date(2026, 11, 25)),
        ("i går", date(2026, 11, 23)),
        ("26/11", date(2026, 11, 26)),
        ("26.11.2026", date(2026, 11, 26)),
        ("2026-12-01", date(2026, 12, 1)),
        ("2/1", date(2027, 1, 2)),
        ("26-11-26", date(2026, 11, 26)),
        ("31/2", None),
        ("snart", None),
    ],
)
def test_dates_as_people_type_them(text, expected):
    assert parse_day(text, TODAY) == expected


def test_date_window_is_30_days_back_and_14_ahead():
    window = DateWindow()
    assert window.contains(date(2026, 10, 25), TODAY) and not window.contains(
        date(2026, 10, 24), TODAY
    )
    assert window.contains(date(2026, 12, 8), TODAY) and not window.contains(
        date(2026, 12, 9), TODAY
    )


@pytest.mark.parametrize(
    ("note", "found"),
    [
        ("Jeg har feber og KVALME", ["feber", "kvalme"]),
        ("I have the flu", ["flu"]),
        ("skal til lægen i morgen", ["lægen"]),
        ("gravid i 3. måned", ["gravid"]),
        ("Hjertelig hilsen, mine aftaler er flyttet", []),
        ("Jeg tager telefonen", []),
    ],
)
def test_health_words_are_noticed_without_false_alarms(note, found):
    assert health_words_in(note) == found


def test_full_sick_report_in_five_answers():
    step = run(sick.start(TODAY), ["1", "i dag", "28/11", "Mine aftaler er flyttet", "send"])
    assert step.state is None
    assert step.effects == [
        ReportSick(SickKind.FULL, TODAY, date(2026, 11, 28), "Mine aftaler er flyttet")
    ]


def test_going_home_sick_skips_kind_and_first_day():
    step = run(sick.start(TODAY, going_home=True), ["ved ikke", "spring over", "send"])
    assert step.effects == [ReportSick(SickKind.GOING_HOME, TODAY, None, None)]


def test_the_dialog_never_asks_why():
    texts: list[str] = []
    step = sick.start(TODAY)
    for said in ["2", "i morgen", "ved ikke", "spring over"]:
        texts += [r.name if isinstance(r, Card) else r.key for r in step.replies]
        step = sick.answer(step.state, said, TODAY)
    assert not any("cause" in t or "why" in t or "reason" in t for t in texts)


def test_health_words_offer_edit_send_anyway_or_without_note():
    step = run(sick.start(TODAY), ["1", "i dag", "ved ikke", "Jeg har migræne"])
    assert step.state.step == SickStep.HEALTH_WORDS
    assert step.replies == [Card("sick_health_words", {"words": ["migræne"]})]
    assert run(step, ["send alligevel", "send"]).effects[0].note == "Jeg har migræne"
    assert run(step, ["send uden besked", "send"]).effects[0].note is None
    edited = run(step, ["ret", "Aftaler flyttet", "send"])
    assert edited.effects[0].note == "Aftaler flyttet"


def test_expected_return_must_be_after_the_first_day():
    step = run(sick.start(TODAY), ["1", "i dag", "23/11"])
    assert step.state.step == SickStep.EXPECTED_RETURN
    example = date(2026, 11, 26)  # computed from today: a weekday after the first day
    assert step.replies[0] == Text("sick_return_again", {"first_day": TODAY, "example": example})


def test_a_note_is_capped():
    step = run(sick.start(TODAY), ["1", "i dag", "ved ikke", "x" * 2000, "send"])
    assert len(step.effects[0].note) == 500


def test_partial_fit_in_hours_and_percent():
    hours = run(
        fit.start(date(2026, 11, 20), 1.0, TODAY), ["i morgen", "delvis", "10 timer", "11/12"], fit
    )
    assert hours.effects == [ReportFit(date(2026, 11, 25), 10.0, None, date(2026, 12, 11))]
    percent = run(
        fit.start(date(2026, 11, 20), 0.5, TODAY), ["i dag", "delvis", "50 %", "1/12"], fit
    )
    assert percent.effects == [ReportFit(TODAY, None, 50, date(2026, 12, 1))]


@pytest.mark.parametrize("amount", ["3 timer", "37 timer", "10%", "0%", "100%", "mange"])
def test_partial_fit_refuses_too_little_or_too_much(amount):
    # 10% of a half-time week is 1.85 hours: less than the 4 hours the rules require.
    step = run(fit.start(date(2026, 11, 20), 0.5, TODAY), ["i morgen", "delvis", amount], fit)
    assert step.state.step == fit.FitStep.AMOUNT


def test_fit_day_must_be_after_the_sick_day_and_partial_at_most_22_weeks():
    step = run(fit.start(TODAY, 1.0, TODAY), ["i dag"], fit)
    assert step.state.step == fit.FitStep.WHEN
    step = run(fit.start(date(2026, 11, 20), 1.0, TODAY), ["i morgen", "delvis", "10", "1/6"], fit)
    assert step.state.step == fit.FitStep.UNTIL


def _diagram_states(dialog) -> set[str]:
    diagram = dialog.__doc__.split("```mermaid")[1].split("```")[0]
    ends = re.findall(r"^\s*(\S+) --> ([^\s:]+)", diagram, re.MULTILINE)
    return {state for edge in ends for state in edge} - {"[*]"}


@pytest.mark.parametrize(("dialog", "steps"), [(sick, SickStep), (fit, FitStep)])
def test_every_step_has_one_handler_and_a_place_in_the_diagram(dialog, steps):
    assert set(dialog.STEPS) == set(steps)
    assert _diagram_states(dialog) == {str(step) for step in steps}


@pytest.mark.parametrize("step", list(SickStep))
def test_fortryd_ends_the_sick_report_at_every_step(step):
    state = SickState(step=step, kind=SickKind.FULL, first_day=TODAY)
    assert sick.answer(state, "Fortryd", TODAY) == Step(None, [Text("sick_cancelled")])


@pytest.mark.parametrize("step", list(FitStep))
def test_fortryd_ends_the_fit_report_at_every_step(step):
    state = FitState(step=step, since=date(2026, 11, 20), day=TODAY)
    assert fit.answer(state, "fortryd", TODAY) == Step(None, [Text("sick_cancelled")])


def test_going_home_sick_chosen_as_the_kind_skips_the_first_day():
    step = run(sick.start(TODAY), ["3"])
    assert (step.state.step, step.state.kind, step.state.first_day) == (
        SickStep.EXPECTED_RETURN,
        SickKind.GOING_HOME,
        TODAY,
    )
    assert step.replies[0].name == "sick_return"
    assert step.replies[0].params["first_day"] == TODAY


def test_sick_answers_that_do_not_fit_are_asked_again():
    again = run(sick.start(TODAY), ["måske"])
    assert again.replies == [Text("sick_quick_again"), sick.start(TODAY).replies[0]]
    window = {"earliest": date(2026, 10, 25), "latest": date(2026, 12, 8)}
    outside = {"text": "1/1", **window, "example": date(2026, 11, 26)}
    first_day = run(sick.start(TODAY), ["1", "1/1"])
    assert first_day.state.step == SickStep.FIRST_DAY
    assert first_day.replies == [
        Text("bad_date", outside),
        Card("sick_first_day", {**window, "example": date(2026, 11, 26)}),
    ]
    a_year = run(sick.start(TODAY), ["1", "i dag", "24/11-2027"])
    assert a_year.state.step == SickStep.NOTE
    beyond = run(sick.start(TODAY), ["1", "i dag", "25/11/2027"])
    assert beyond.state.step == SickStep.EXPECTED_RETURN
    health = run(sick.start(TODAY), ["1", "i dag", "ved ikke", "Jeg har migræne", "hmm"])
    assert health.state.step == SickStep.HEALTH_WORDS
    assert health.replies == [Card("sick_health_words", {"words": ["migræne"]})]
    confirm = run(sick.start(TODAY), ["1", "i dag", "ved ikke", "spring over", "måske"])
    summary = {"kind": SickKind.FULL, "first_day": TODAY, "expected_return": None, "note": None}
    assert confirm.state.step == SickStep.CONFIRM
    assert confirm.replies == [Text("sick_confirm_again"), Card("sick_confirm", summary)]


def test_back_fully_ends_the_fit_report():
    step = run(fit.start(date(2026, 11, 20), 1.0, TODAY), ["i dag", "fuld"], fit)
    assert step == Step(None, [], [ReportFit(TODAY)])


def test_fit_answers_that_do_not_fit_are_asked_again():
    since = date(2026, 11, 20)
    outside = run(fit.start(since, 1.0, TODAY), ["1/1"], fit)
    assert outside.replies == [
        Text(
            "bad_date",
            {
                "text": "1/1",
                "earliest": date(2026, 11, 21),
                "latest": date(2026, 12, 8),
                "example": date(2026, 11, 26),
            },
        ),
        fit.when_card(since, TODAY),
    ]
    assert fit.when_card(since, TODAY).params["offers"] == [TODAY, TODAY + timedelta(days=1)]
    # Reported sick today: fit "today" would leave no sick day, so it is not offered.
    same_day = run(fit.start(TODAY, 1.0, TODAY), ["i dag"], fit)
    assert same_day.replies == [
        Text("fit_day_after_start", {"since": TODAY, "example": date(2026, 11, 26)}),
        fit.when_card(TODAY, TODAY),
    ]
    assert fit.when_card(TODAY, TODAY).params["offers"] == [TODAY + timedelta(days=1)]
    empty = run(fit.start(since, 1.0, TODAY), [""], fit)
    assert empty.replies[0].key == "date_empty" and empty.state.step == FitStep.WHEN
    how = run(fit.start(since, 1.0, TODAY), ["i dag", "måske"], fit)
    assert how.replies == [Text("fit_how_again"), Card("fit_how")]
    assert run(fit.start(since, 1.0, TODAY), ["i dag", "delvis", "2"], fit).replies == [
        Text("fit_amount_again", {"full": 37.0})
    ]
    # From tomorrow, 25 November 2026, 22 weeks end on 28 April 2027.
    assert run(fit.start(since, 1.0, TODAY), ["i morgen", "delvis", "10", "28/4"], fit).effects
    too_long = run(fit.start(since, 1.0, TODAY), ["i morgen", "delvis", "10", "29/4"], fit)
    assert too_long.state.step == FitStep.UNTIL


def test_emergency_day_today_or_tomorrow_and_paid_with():
    step = run(
        emergency.start(emergency.days(TODAY), TODAY), ["i morgen", "afspadsering"], emergency
    )
    assert step.effects == [RequestEmergencyDay(date(2026, 11, 25), PaidWith.TIME_OFF)]
    both = emergency.start(emergency.days(TODAY), TODAY)
    assert run(both, ["26/11"], emergency).state.step == emergency.EmergencyStep.WHEN
    # Today already off (a sick day): only tomorrow is offered, and only tomorrow is taken.
    tomorrow = emergency.start([TODAY + timedelta(days=1)], TODAY)
    assert tomorrow.replies[0].params["offers"] == [TODAY + timedelta(days=1)]
    assert run(tomorrow, ["i dag"], emergency).state.step == emergency.EmergencyStep.WHEN
    assert run(tomorrow, ["i morgen"], emergency).state.step == emergency.EmergencyStep.PAID_WITH


def test_29_february_is_found_in_the_nearest_leap_year():
    assert parse_day("29/2", date(2028, 2, 20)) == date(2028, 2, 29)
    assert parse_day("29/2", date(2026, 11, 24)) is None  # no 29/2 in 2025-2027


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7", "07:00"),
        ("7 30", "07:30"),
        ("07.30", "07:30"),
        ("0730", "07:30"),
        ("kl 14 30", "14:30"),
    ],
)
def test_parse_time_of_day(typed: str, expected: str) -> None:
    parsed = parse_time_of_day(typed)
    assert parsed is not None and parsed.strftime("%H:%M") == expected


@pytest.mark.parametrize("typed", ["24", "7 60", "noon", "", "7:30:15", "-1"])
def test_parse_time_of_day_refuses(typed: str) -> None:
    assert parse_time_of_day(typed) is None


def test_pause_until() -> None:
    from datetime import date

    from dialogs.checkin import pause_until

    today = date(2026, 11, 24)
    assert pause_until("", today) == date(2026, 12, 8)
    assert pause_until("til 26/11", today) == date(2026, 11, 26)
    assert pause_until("until 21/7", today) == date(2027, 7, 21)
    assert pause_until("til 40/40", today) is None
    assert pause_until("til 2028-01-01", today) is None  # more than a year
