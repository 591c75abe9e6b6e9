"""The quick sick report, the note kept when editing, and what whole messages mean (issue 14)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dialogs import sick
from dialogs.commands import Intent, parse_command
from dialogs.dates import DateWindow
from dialogs.replies import Card, Text
from dialogs.sick import QuickChoice, ReportSick, SickKind, SickState, SickStep
from dialogs.symptoms import health_words_in, symptoms_in
from dialogs.understood import understood

TODAY = date(2026, 12, 1)  # a Tuesday
WINDOW = DateWindow()


def quick() -> SickState:
    state = sick.start(TODAY).state
    assert isinstance(state, SickState)
    return state


def test_syg_opens_one_card_with_everything_pre_chosen_and_valid():
    step = sick.start(TODAY)
    assert step.state == SickState(step=SickStep.KIND, kind=SickKind.FULL)
    [card] = step.replies
    assert card.name == "sick_quick"
    p = card.params
    assert (p["kind"], p["first_day"], p["expected_return"], p["note"]) == (
        SickKind.FULL,
        TODAY,
        None,
        None,
    )
    assert p["earliest"] <= p["first_day"] <= p["latest"] and not p["expanded"]


def test_send_on_the_card_reports_fully_sick_from_today_back_unknown():
    step = sick.send_card(quick(), QuickChoice(), TODAY)
    assert step.state is None
    assert step.effects == [ReportSick(SickKind.FULL, TODAY, None, None)]
    # what Teams sends when the choices were not opened: the pre-filled values and empty fields
    as_filled = QuickChoice("full", TODAY.isoformat(), "", "")
    assert sick.send_card(quick(), as_filled, TODAY).effects == step.effects


def test_typed_send_on_the_quick_card_is_the_same_one_answer():
    step = sick.answer(quick(), "send", TODAY)
    assert step.effects == [ReportSick(SickKind.FULL, TODAY, None, None)]


def test_the_choices_on_the_card_are_reported_as_chosen():
    choice = QuickChoice("partial", "2026-12-02", "2026-12-07", "  Mine vagter er byttet  ")
    step = sick.send_card(quick(), choice, TODAY)
    assert step.effects == [
        ReportSick(SickKind.PARTIAL, date(2026, 12, 2), date(2026, 12, 7), "Mine vagter er byttet")
    ]
    child = sick.start(TODAY, kind=SickKind.CHILD)
    assert child.replies[0].params["kind"] == SickKind.CHILD
    assert sick.send_card(child.state, QuickChoice(), TODAY).effects[0].kind == SickKind.CHILD


@pytest.mark.parametrize(
    ("choice", "said"),
    [
        (QuickChoice("sometimes"), "sick_quick_again"),
        (QuickChoice("full", "2026-10-01"), "bad_date"),
        (QuickChoice("full", "blå"), "bad_date"),
        (QuickChoice("going_home", "2026-12-02"), "sick_going_home_today"),
        (QuickChoice("full", "2026-12-03", "2026-12-02"), "sick_return_again"),
        (QuickChoice("full", "2026-12-03", "2026-12-03"), "sick_return_again"),
        (QuickChoice("full", None, "2028-01-01"), "sick_return_again"),
        (QuickChoice("full", None, "snart"), "sick_return_again"),
    ],
)
def test_a_card_value_that_does_not_fit_is_answered_and_the_card_shown_again(choice, said):
    step = sick.send_card(quick(), choice, TODAY)
    assert step.effects == []
    assert step.state is not None and step.state.step == SickStep.KIND
    text, card = step.replies
    assert isinstance(text, Text) and text.key == said
    assert card.name == "sick_quick"
    p = card.params  # what is pre-filled again is valid when pressed
    assert WINDOW.contains(p["first_day"], TODAY)
    assert p["expected_return"] is None or p["expected_return"] > p["first_day"]
    assert p["kind"] in SickKind


def test_a_note_with_health_words_gets_the_choice_and_then_is_sent_without_a_second_send():
    note = "Jeg har 🤒 og ondt i hovedet"
    step = sick.send_card(quick(), QuickChoice(note=note), TODAY)
    assert step.effects == [] and step.state.step == SickStep.HEALTH_WORDS
    assert step.replies == [Card("sick_health_words", {"words": ["🤒", "ondt i hovedet"]})]
    anyway = sick.answer(step.state, "send alligevel", TODAY)
    assert anyway.effects == [ReportSick(SickKind.FULL, TODAY, None, note)]
    without = sick.answer(step.state, "send uden besked", TODAY)
    assert without.effects == [ReportSick(SickKind.FULL, TODAY, None, None)]


def test_edit_note_keeps_the_written_note_on_the_quick_card():
    choice = QuickChoice("partial", "2026-12-02", "", "Jeg har feber")
    warned = sick.send_card(quick(), choice, TODAY)
    edit = sick.answer(warned.state, "ret beskeden", TODAY)
    assert edit.state.step == SickStep.KIND and edit.state.note == "Jeg har feber"
    [card] = edit.replies
    assert card.name == "sick_quick"
    assert card.params["note"] == "Jeg har feber"
    assert card.params["kind"] == SickKind.PARTIAL and card.params["expanded"]
    sent = sick.send_card(
        edit.state, QuickChoice("partial", "2026-12-02", "", "Vagter byttet"), TODAY
    )
    assert sent.effects == [ReportSick(SickKind.PARTIAL, date(2026, 12, 2), None, "Vagter byttet")]


def test_edit_note_keeps_the_written_note_in_the_typed_dialog():
    step = sick.start(TODAY)
    for said in ["1", "i dag", "ved ikke", "Jeg har migræne"]:
        step = sick.answer(step.state, said, TODAY)
    edit = sick.answer(step.state, "ret", TODAY)
    assert edit.state.step == SickStep.NOTE and edit.state.note == "Jeg har migræne"
    assert edit.replies == [Card("sick_note", {"note": "Jeg har migræne"})]


def test_andet_shows_the_step_by_step_choices_and_a_typed_date_starts_the_day():
    assert sick.answer(quick(), "Andet …", TODAY).replies == [Card("sick_kind")]
    assert sick.answer(quick(), "other", TODAY).replies == [Card("sick_kind")]
    step = sick.answer(quick(), "på fredag", TODAY)
    assert (step.state.step, step.state.first_day) == (SickStep.EXPECTED_RETURN, date(2026, 12, 4))


def test_date_cards_carry_a_window_and_an_example_inside_it():
    first = sick.answer(quick(), "1", TODAY).replies[0]
    p = first.params
    assert p["earliest"] <= p["example"] <= p["latest"]
    back = sick.answer(sick.answer(quick(), "1", TODAY).state, "i dag", TODAY).replies[0]
    assert back.params["earliest"] == TODAY + timedelta(days=1)
    assert back.params["earliest"] <= back.params["example"] <= back.params["latest"]
    empty = sick.answer(sick.answer(quick(), "1", TODAY).state, " ", TODAY).replies[0]
    assert empty.key == "date_empty"


SICK_SAYINGS = [
    "jeg er syg",
    "Jeg har feber",
    "kan ikke komme på arbejde i dag",
    "jeg er sløj",
    "har ondt i hovedet",
    "Hej, jeg er syg i dag",
    "Godmorgen, jeg har kvalme og bliver hjemme",
    "jeg kommer ikke ind i dag",
    "I'm sick",
    "I have a fever",
    "can't come in today",
    "I feel sick",
    "I'm ill today",
    "staying home today, feeling unwell",
    "🤒",
    "🤧",
    "🤢",
    "😷😷",
]


@pytest.mark.parametrize("text", SICK_SAYINGS)
def test_phrases_that_plainly_mean_i_am_sick_start_the_quick_report(text):
    intent, _rest = parse_command(text)
    said = understood(text)
    assert intent == Intent.SICK or (said is not None and said.intent == Intent.SICK_SAID)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("mit barn er syg", Intent.CHILD_SICK),
        ("barn syg", Intent.CHILD_SICK),
        ("barns første sygedag", Intent.CHILD_SICK),
        ("child's first sick day", Intent.CHILD_SICK),
        ("min datter har feber", Intent.CHILD_SICK),
        ("my kid is sick", Intent.CHILD_SICK),
        ("godmorgen", Intent.GREETING),
        ("God morgen!", Intent.GREETING),
        ("hej", Intent.GREETING),
        ("good morning", Intent.GREETING),
        ("tak", Intent.THANKS),
        ("Mange tak 🙏", Intent.THANKS),
        ("thanks", Intent.THANKS),
        ("fortryd", Intent.NOTHING_TO_UNDO),
        ("cancel", Intent.NOTHING_TO_UNDO),
    ],
)
def test_whole_messages_outside_a_dialog(text, intent):
    assert understood(text).intent == intent


@pytest.mark.parametrize(
    ("text", "language"),
    [("I have a fever", "en"), ("thanks", "en"), ("jeg har feber", None), ("tak", None)],
)
def test_the_words_choose_the_language(text, language):
    assert understood(text).language == language


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("rask", Intent.FIT),
        ("jeg er rask", Intent.FIT),
        ("grøn", Intent.CHECKIN_GREEN),
        ("gul, ondt i ryggen af at løfte", Intent.CHECKIN_YELLOW),
        ("rød jeg har det skidt", Intent.CHECKIN_RED),
        ("status", Intent.STATUS),
        ("syg hjem", Intent.GOING_HOME_SICK),
        ("går syg hjem", Intent.GOING_HOME_SICK),
        ("registrér syg", Intent.REGISTER_SICK),
        ("registrér rask", Intent.REGISTER_FIT),
        ("akutdag", Intent.EMERGENCY_DAY),
    ],
)
def test_commands_are_not_captured_by_the_sickness_phrases(text, intent):
    assert parse_command(text)[0] == intent


@pytest.mark.parametrize(
    "text",
    [
        "jeg er ikke syg længere",
        "I am not sick",
        "blå bananer",
        "i dag",
        "sygdom",
        "hvad kan du",
        "jeg skal til lægen i morgen",
        "it is cold outside",
    ],
)
def test_what_is_not_a_sick_report(text):
    said = understood(text)
    assert said is None or said.intent not in (Intent.SICK_SAID, Intent.CHILD_SICK)


def test_one_symptom_list_for_intents_and_the_health_words_warning():
    for text in ["feber", "ondt i maven", "🤒", "hovedpine", "fever", "sore throat"]:
        assert symptoms_in(text) and health_words_in(text) == symptoms_in(text)
    # health words that do not by themselves say "ill today" only warn in a note
    assert health_words_in("skal til lægen") == ["lægen"] and symptoms_in("skal til lægen") == []


def test_syg_with_a_day_pre_chooses_that_day_and_send_keeps_it():
    step = sick.start(TODAY, first_day=date(2026, 12, 2))
    assert step.replies[0].params["first_day"] == date(2026, 12, 2)
    assert not step.replies[0].params["expanded"]  # the summary says it; no need to open
    typed = sick.answer(step.state, "send", TODAY)
    assert typed.effects == [ReportSick(SickKind.FULL, date(2026, 12, 2), None, None)]
    # a client that sends every input sends the pre-filled day
    pressed = sick.send_card(step.state, QuickChoice("full", "2026-12-02", "", ""), TODAY)
    assert pressed.effects == typed.effects


def test_child_words_answer_the_typed_dialog_instead_of_starting_again():
    # outside a dialog "barn syg" starts the quick report; inside, it is the kind
    assert parse_command("barn syg")[0] is None
    step = sick.answer(quick(), "barn syg", TODAY)
    assert (step.state.step, step.state.kind) == (SickStep.FIRST_DAY, SickKind.CHILD)
