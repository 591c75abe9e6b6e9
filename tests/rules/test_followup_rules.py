"""The follow-up engine, one rule kind at a time: when each kind fires, what it is due and by
when, and what it says when it does not fire.

Each test evaluates a one-rule policy with a municipality's numbers from the seeds (the policy
files hold the same numbers; tests/rules/test_policies.py checks the files themselves). 2 March 2026
is a Monday; 2, 3 and 6 April 2026 are Easter holidays.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from rules.calendar import WorkCalendar
from rules.followups import KINDS, EmployeeFacts, Finding, Period, evaluate
from rules.followups.after_nth_day import threshold
from rules.followups.context import Context
from rules.policy import RULE_KINDS, AfterNthDayRule, Guidance, Policy, Texts

CAL = WorkCalendar("12345", ZoneInfo("Europe/Copenhagen"))
VETERAN = EmployeeFacts("e1", start_date=date(2015, 8, 1))
FOLLOW_UP = {"da": "Følg op.", "en": "Follow up."}


def d(text: str) -> date:
    return date.fromisoformat(text)


def sick(
    first: str, last: str | None = None, kind: str = "sick", expected: str | None = None
) -> Period:
    return Period(d(first), d(last) if last else None, kind, d(expected) if expected else None)


def policy(rule: dict[str, Any], **fields: Any) -> Policy:
    data = {"id": "p", "name": {"da": "P", "en": "P"}, "rules": [rule], **fields}
    return Policy.model_validate(data)


def rule(
    kind: str, guide: str = "frequent", why: dict[str, str] = FOLLOW_UP, **fields: Any
) -> dict[str, Any]:
    return {"id": kind.replace("_", "-"), "kind": kind, "guide": guide, "why": why, **fields}


def find(
    the_rule: dict[str, Any],
    history: Sequence[Period],
    on: str,
    facts: EmployeeFacts = VETERAN,
    **policy_fields: Any,
) -> Finding:
    [found] = evaluate(history, facts, policy(the_rule, **policy_fields), d(on), CAL)
    return found


def due(found: Finding) -> list[str]:
    return [f.due_on.isoformat() for f in found.followups]


def texts(da: str, en: str) -> Texts:
    return Texts(da=da, en=en)


# --- the table --------------------------------------------------------------------------------


def test_every_rule_kind_of_the_policy_model_has_an_entry_in_the_table() -> None:
    assert set(KINDS) == RULE_KINDS


def test_only_kinds_that_count_earlier_sick_days_read_history_before_an_occurrence() -> None:
    rules = policy(rule("periods_within", periods=3, within_days=90)).rules
    rules += policy(rule("yearly_total", days=10, quarters=[3, 4])).rules
    rules += policy(rule("rolling_total", days=15, months=12)).rules
    rules += policy(rule("after_nth_day", nth=15)).rules
    rules += policy(rule("contact_days", days=[1, 5, 15])).rules
    rules += policy(rule("deadline", day=21, deadline_day=28)).rules
    reads = {r.kind: KINDS[r.kind].reads_back(r) for r in rules}
    assert reads == {
        "periods_within": 90,
        "yearly_total": 366,
        "rolling_total": 12 * 31 + 1,
        "after_nth_day": 366,
        "contact_days": 0,
        "deadline": 0,
    }


def test_no_absence_in_a_year_and_a_quarter_says_so() -> None:
    found = find(
        rule("contact_days", days=[1, 5, 15]), [sick("2024-01-08", "2024-01-09")], "2026-03-10"
    )
    assert not found.fired
    assert found.explanation == texts(
        "Intet sygefravær fra 8.12.2024 til 10.3.2026.",
        "No sick absence from 2024-12-08 to 2026-03-10.",
    )


# --- contact_days -------------------------------------------------------------------------------


def test_one_five_fifteen_contacts_on_days_1_5_and_15_varde() -> None:
    why = {"da": "Kontakt på dag {day} ({first_day}).", "en": "Contact on day {day} ({first_day})."}
    contact = rule("contact_days", guide="contact", why=why, days=[1, 5, 15], deadline_days=1)
    found = find(contact, [sick("2026-03-02")], "2026-03-20")
    assert due(found) == ["2026-03-02", "2026-03-06", "2026-03-16"]
    assert [f.deadline_on.isoformat() for f in found.followups] == [
        "2026-03-03",
        "2026-03-09",
        "2026-03-17",
    ]
    assert [f.key for f in found.followups] == [
        "e1:p:contact-days:2026-03-02/day-1",
        "e1:p:contact-days:2026-03-02/day-5",
        "e1:p:contact-days:2026-03-02/day-15",
    ]
    assert found.explanation == texts(
        "Kontakt på dag 15 (2.3.2026).", "Contact on day 15 (2026-03-02)."
    )


def test_a_contact_day_on_a_saturday_is_due_on_monday_varde() -> None:
    found = find(rule("contact_days", days=[1, 5, 15]), [sick("2026-03-03")], "2026-03-09")
    assert due(found) == ["2026-03-03", "2026-03-09"]


def test_one_three_ten_in_working_days_reaches_day_3_on_monday_after_thursday_norddjurs() -> None:
    contact = rule("contact_days", guide="contact", days=[1, 3, 10])
    found = find(contact, [sick("2026-03-05")], "2026-03-18", counting="working_days")
    assert due(found) == ["2026-03-05", "2026-03-09", "2026-03-18"]


def test_advis_before_day_7_says_which_day_the_absence_reached_hedensted() -> None:
    found = find(rule("contact_days", days=[7, 14, 21]), [sick("2026-03-02")], "2026-03-06")
    assert not found.fired
    assert found.explanation == texts(
        "Seneste fravær fra 2.3.2026 nåede dag 5 (kalenderdage); reglen: dag 7, 14, 21.",
        "The latest absence from 2026-03-02 reached day 5 (calendar days); the rule: day 7, 14, 21.",
    )


def test_only_the_day_14_advis_carries_the_partial_return_guidance_hedensted() -> None:
    guidance = {"da": "Brug mulighedserklæringen.", "en": "Use the mulighedserklæring."}
    advis = rule("contact_days", days=[7, 14, 21], guidance={14: guidance})
    found = find(advis, [sick("2026-03-02")], "2026-03-23")
    assert [f.guidance for f in found.followups] == [None, Guidance(**guidance), None]


# --- week_contact -------------------------------------------------------------------------------


def test_contact_in_weeks_2_and_6_due_on_days_8_and_36_hjorring() -> None:
    weeks = rule("week_contact", guide="contact", weeks=[2, 6], deadline_days=4)
    found = find(weeks, [sick("2026-03-02")], "2026-04-07")
    # Day 36 is Easter Monday: due the next working day; the deadline 4 working days on would be
    # 13 April, in week 7, so it is the last working day of week 6 (day 42, Sunday 12 April).
    assert due(found) == ["2026-03-09", "2026-04-07"]
    assert [f.deadline_on.isoformat() for f in found.followups] == ["2026-03-13", "2026-04-10"]
    assert [f.occurrence for f in found.followups] == ["2026-03-02/week-2", "2026-03-02/week-6"]


def test_a_one_week_absence_gets_no_week_contact_and_says_the_days_hjorring() -> None:
    found = find(
        rule("week_contact", weeks=[2, 6]), [sick("2026-03-02", "2026-03-06")], "2026-03-20"
    )
    assert not found.fired
    assert found.explanation == texts(
        "Seneste fravær fra 2.3.2026 nåede dag 5 (kalenderdage); reglen: uge 2, 6 (dag 8, 36).",
        "The latest absence from 2026-03-02 reached day 5 (calendar days); the rule: week 2, 6 "
        "(day 8, 36).",
    )


# --- periods_within -----------------------------------------------------------------------------

THREE_IN_90 = rule(
    "periods_within",
    periods=3,
    within_days=90,
    deadline_days=10,
    why={
        "da": "{count} fraværsperioder inden for {within} dage (den seneste fra {first_day}).",
        "en": "{count} absence periods within {within} days (the latest from {first_day}).",
    },
)
JAN_FEB_MAR = [
    sick("2026-01-05", "2026-01-06"),
    sick("2026-02-02", "2026-02-03"),
    sick("2026-03-02", "2026-03-03"),
]


def test_three_periods_in_90_days_reminds_leader_lemvig() -> None:
    found = find(THREE_IN_90, JAN_FEB_MAR, "2026-03-10")
    [followup] = found.followups
    assert (followup.occurrence, followup.due_on, followup.recipient) == (
        "2026-03-02",
        d("2026-03-02"),
        "leader",
    )
    assert followup.deadline_on == d("2026-03-16")
    assert followup.why == texts(
        "3 fraværsperioder inden for 90 dage (den seneste fra 2.3.2026).",
        "3 absence periods within 90 days (the latest from 2026-03-02).",
    )


def test_a_fourth_period_in_the_window_fires_again_with_its_count_lemvig() -> None:
    found = find(THREE_IN_90, [*JAN_FEB_MAR, sick("2026-03-16", "2026-03-16")], "2026-03-20")
    assert due(found) == ["2026-03-02", "2026-03-16"]
    assert found.explanation.en.startswith("4 absence periods within 90 days")


def test_two_periods_say_how_many_of_three_are_in_the_window_lemvig() -> None:
    found = find(THREE_IN_90, [JAN_FEB_MAR[0], JAN_FEB_MAR[2]], "2026-03-10")
    assert not found.fired
    assert found.explanation == texts(
        "2 af 3 fraværsperioder inden for 90 dage (11.12.2025 til 10.3.2026).",
        "2 of 3 absence periods within 90 days (2025-12-11 to 2026-03-10).",
    )


def test_a_third_period_starting_on_a_saturday_is_reached_but_due_on_monday_lemvig() -> None:
    history = [*JAN_FEB_MAR[:2], sick("2026-03-07")]
    found = find(THREE_IN_90, history, "2026-03-07")
    assert not found.fired
    assert found.explanation == texts(
        "Nået, men forfalder først 9.3.2026 (næste arbejdsdag).",
        "Reached, but due only on 2026-03-09 (the next working day).",
    )
    assert due(find(THREE_IN_90, history, "2026-03-09")) == ["2026-03-09"]


def test_three_periods_in_six_months_fire_where_90_days_do_not_viborg() -> None:
    history = [sick("2026-01-05", "2026-01-05"), JAN_FEB_MAR[2], sick("2026-06-01", "2026-06-02")]
    six_months = rule("periods_within", periods=3, within_days=183)
    assert due(find(six_months, history, "2026-06-05")) == ["2026-06-01"]
    assert not find(THREE_IN_90, history, "2026-06-05").fired


# --- consecutive_days ---------------------------------------------------------------------------

SEVEN_DAYS = rule("consecutive_days", days=7)


def test_seven_consecutive_days_across_a_partial_fit_report_are_one_absence_lemvig() -> None:
    history = [sick("2026-03-02", "2026-03-05"), sick("2026-03-06", "2026-03-10", "partly_sick")]
    found = find(SEVEN_DAYS, history, "2026-03-12")
    # Day 7 is Sunday 8 March.
    assert [(f.occurrence, f.due_on.isoformat()) for f in found.followups] == [
        ("2026-03-02", "2026-03-09")
    ]


def test_a_free_day_between_two_periods_starts_the_count_again_lemvig() -> None:
    history = [sick("2026-03-02", "2026-03-05"), sick("2026-03-07", "2026-03-10", "partly_sick")]
    found = find(SEVEN_DAYS, history, "2026-03-12")
    assert not found.fired
    assert found.explanation.en == (
        "The latest absence from 2026-03-07 reached day 4 (calendar days); the rule: day 7."
    )


# --- yearly_total -------------------------------------------------------------------------------

TEN_IN_THE_YEAR = rule(
    "yearly_total",
    days=10,
    quarters=[3, 4],
    counting="working_days",
    deadline_days=65,
    why={"da": "{total} dage i {year}, Q{quarter}.", "en": "{total} days in {year}, Q{quarter}."},
)


def test_ten_working_days_in_the_year_call_for_conversations_in_q3_and_q4_lemvig() -> None:
    history = [sick("2026-02-02", "2026-02-06"), sick("2026-08-03", "2026-08-07")]
    found = find(TEN_IN_THE_YEAR, history, "2026-10-05")
    assert [f.occurrence for f in found.followups] == ["2026-Q3", "2026-Q4"]
    assert due(found) == ["2026-08-07", "2026-10-01"]
    # By the end of the quarter: its last working day (31 December is a day off).
    assert [f.deadline_on.isoformat() for f in found.followups] == ["2026-09-30", "2026-12-30"]
    assert found.followups[0].why == texts("10 dage i 2026, Q3.", "10 days in 2026, Q3.")


def test_weekends_inside_an_absence_are_no_sick_days_in_dagsvaerk_lemvig() -> None:
    # Monday to the Thursday a week later: 11 calendar days, 9 working days.
    found = find(TEN_IN_THE_YEAR, [sick("2026-08-03", "2026-08-13")], "2026-10-05")
    assert not found.fired
    assert found.explanation == texts(
        "9 sygedage (arbejdsdage) i 2026 til 5.10.2026; reglen: 10 dage giver samtale i Q3, Q4.",
        "9 sick days (working days) in 2026 up to 2026-10-05; the rule: 10 days call for a "
        "conversation in Q3, Q4.",
    )


# --- rolling_total (issue 5's "15 days in 12 months"; no seed has one) --------------------------

FIFTEEN_IN_12_MONTHS = rule(
    "rolling_total",
    days=15,
    months=12,
    why={"da": "{total} af {days} dage.", "en": "{total} of {days} days."},
)


def test_fifteen_sick_days_in_twelve_months_fire_on_the_fifteenth() -> None:
    history = [sick("2025-06-01", "2025-06-10"), sick("2026-03-02", "2026-03-10")]
    found = find(FIFTEEN_IN_12_MONTHS, history, "2026-03-12")
    assert due(found) == ["2026-03-06"]
    assert found.explanation == texts("15 af 15 dage.", "15 of 15 days.")


def test_a_new_absence_while_above_the_limit_does_not_fire_again() -> None:
    history = [
        sick("2025-06-01", "2025-06-10"),
        sick("2026-03-02", "2026-03-10"),
        sick("2026-03-16", "2026-03-18"),
    ]
    assert due(find(FIFTEEN_IN_12_MONTHS, history, "2026-03-20")) == ["2026-03-06"]


def test_below_the_rolling_limit_says_the_total() -> None:
    found = find(FIFTEEN_IN_12_MONTHS, [sick("2026-03-02", "2026-03-10")], "2026-03-12")
    assert found.explanation == texts(
        "9 af 15 sygedage (kalenderdage) de seneste 12 måneder.",
        "9 of 15 sick days (calendar days) in the last 12 months.",
    )


# --- after_nth_day ------------------------------------------------------------------------------

AFTER_15 = rule(
    "after_nth_day",
    nth=15,
    new_employee_months=6,
    nth_for_new=0,
    counting="working_days",
    why={"da": "{total} dage, grænse {nth}.", "en": "{total} days, limit {nth}."},
)


def test_a_new_absence_after_fifteen_sick_days_in_twelve_months_gladsaxe() -> None:
    # Three working weeks in September 2025: 15 dagsværk.
    history = [sick("2025-09-01", "2025-09-19"), sick("2026-03-02", "2026-03-03")]
    found = find(AFTER_15, history, "2026-03-05")
    assert [(f.occurrence, f.due_on) for f in found.followups] == [("2026-03-02", d("2026-03-02"))]
    assert found.explanation == texts("15 dage, grænse 15.", "15 days, limit 15.")


def test_fourteen_days_before_a_new_absence_say_the_employees_limit_gladsaxe() -> None:
    history = [sick("2025-09-01", "2025-09-18"), sick("2026-03-02", "2026-03-03")]
    found = find(AFTER_15, history, "2026-03-05")
    assert not found.fired
    assert found.explanation == texts(
        "14 sygedage (arbejdsdage) de 12 måneder før fraværet fra 2.3.2026; grænsen for denne "
        "medarbejder er 15.",
        "14 sick days (working days) in the 12 months before the absence from 2026-03-02; this "
        "employee's limit is 15.",
    )


def test_new_staff_are_followed_up_at_every_period_gladsaxe() -> None:
    new = EmployeeFacts("e2", start_date=date(2026, 1, 1))
    found = find(AFTER_15, [sick("2026-03-02", "2026-03-03")], "2026-03-05", facts=new)
    assert found.explanation == texts("0 dage, grænse 0.", "0 days, limit 0.")


def test_new_staff_are_held_to_the_common_limit_after_six_months_gladsaxe() -> None:
    the_rule = AfterNthDayRule.model_validate(AFTER_15)
    new = EmployeeFacts("e2", start_date=date(2026, 1, 1))
    ctx = Context([], new, policy(AFTER_15), d("2026-08-01"), CAL, 0, frozenset({"sick"}))
    assert threshold(the_rule, ctx, d("2026-06-30")) == 0
    assert threshold(the_rule, ctx, d("2026-07-01")) == 15


# --- deadline (statutory.yaml) ------------------------------------------------------------------

CONVERSATION_BY_WEEK_4 = rule(
    "deadline",
    guide="absence_conversation",
    day=21,
    deadline_day=28,
    why={"da": "Senest {deadline}.", "en": "By {deadline}."},
)
FAST_TRACK = rule("deadline", guide="long", day=14, deadline_day=35, only_if_long_expected=True)


def test_absence_conversation_reminded_on_day_21_due_by_day_28_statutory() -> None:
    found = find(CONVERSATION_BY_WEEK_4, [sick("2026-03-02")], "2026-03-23")
    [followup] = found.followups
    # Day 21 is a Sunday and day 28 too: reminded on Monday, due by the Friday before day 28.
    assert (followup.due_on, followup.deadline_on) == (d("2026-03-23"), d("2026-03-27"))
    assert followup.why == texts("Senest 29.3.2026.", "By 2026-03-29.")


def test_fast_track_waits_when_return_is_expected_within_8_weeks_statutory() -> None:
    found = find(FAST_TRACK, [sick("2026-03-02", expected="2026-04-10")], "2026-03-20")
    assert not found.fired
    assert found.explanation == texts(
        "Fraværet fra 2.3.2026 forventes slut 10.4.2026, inden for 8 uger; reglen gælder kun ved "
        "længere fravær.",
        "The absence from 2026-03-02 is expected to end 2026-04-10, within 8 weeks; the rule "
        "applies only to longer absence.",
    )
    assert due(find(FAST_TRACK, [sick("2026-03-02")], "2026-03-20")) == ["2026-03-16"]


def test_nemrefusion_goes_to_hr_without_an_advis_to_the_employee_viborg() -> None:
    nemrefusion = rule("deadline", guide="statutory", day=23, deadline_day=35, recipient="hr")
    [followup] = find(
        nemrefusion, [sick("2026-03-02")], "2026-03-25", employee_advis=True
    ).followups
    assert (followup.recipient, followup.advis_employee) == ("hr", False)
    [leader] = find(
        CONVERSATION_BY_WEEK_4, [sick("2026-03-02")], "2026-03-25", employee_advis=True
    ).followups
    assert (leader.recipient, leader.advis_employee) == ("leader", True)


# --- after_return (statutory.yaml, Gladsaxe's box 3.9) ------------------------------------------

RETURN_AFTER_20 = rule(
    "after_return",
    guide="return",
    min_days=20,
    deadline_days=10,
    why={
        "da": "{total} dage ({first_day}-{last_day}).",
        "en": "{total} days ({first_day}-{last_day}).",
    },
)


def test_return_conversation_the_day_after_20_days_of_absence_gladsaxe() -> None:
    found = find(RETURN_AFTER_20, [sick("2026-03-02", "2026-03-21")], "2026-03-25")
    [followup] = found.followups
    # Back on Sunday 22 March: due Monday, 10 working days on across Easter.
    assert (followup.due_on, followup.deadline_on) == (d("2026-03-23"), d("2026-04-09"))
    assert followup.why == texts(
        "20 dage (2.3.2026-21.3.2026).", "20 days (2026-03-02-2026-03-21)."
    )


def test_an_absence_not_yet_ended_gets_no_return_conversation_yet() -> None:
    found = find(RETURN_AFTER_20, [sick("2026-03-02")], "2026-03-25")
    assert found.explanation == texts(
        "Fraværet fra 2.3.2026 er ikke slut (24 kalenderdage indtil nu).",
        "The absence from 2026-03-02 has not ended (24 calendar days so far).",
    )


def test_nineteen_days_are_too_few_for_a_return_conversation_gladsaxe() -> None:
    found = find(RETURN_AFTER_20, [sick("2026-03-02", "2026-03-20")], "2026-03-25")
    assert found.explanation == texts(
        "Seneste fravær fra 2.3.2026 varede 19 kalenderdage; reglen: mindst 20.",
        "The latest absence from 2026-03-02 lasted 19 calendar days; the rule: at least 20.",
    )
