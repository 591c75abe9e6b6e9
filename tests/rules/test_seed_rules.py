"""Every seed rule issue 18 found inexpressible, as policy data, one scenario per seed case:
week contacts that end with their week (Christmas, Easter), the exact legal dates with the law
named, Lemvig's two roles, Hjørring's "long absence expected", Viborg's chain through HR (PO),
Gladsaxe's calendar year, the weekend day-1 contact of seed 002 and Hedensted's links.

2 November 2026 is a Monday; 24-26 and 31 December and 1 January are days off; Easter 2026 is
2-6 April (Maundy Thursday, Good Friday, Easter Monday off)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from rules.calendar import WorkCalendar
from rules.followups import EmployeeFacts, Finding, FollowUp, Period, due_followups, evaluate
from rules.followups.explain import RETURN_EXPECTED, RETURN_UNKNOWN
from rules.followups.texts import say
from rules.policy import Escalation, Policy, load_policies

CAL = WorkCalendar("12345", ZoneInfo("Europe/Copenhagen"))
POLICIES = load_policies()
VETERAN = EmployeeFacts("e1", start_date=date(2015, 8, 1))
WEEKENDS_TOO = EmployeeFacts("e2", start_date=date(2015, 8, 1), workdays="1234567")
WHY = {"da": "Følg op.", "en": "Follow up."}


def d(text: str) -> date:
    return date.fromisoformat(text)


def sick(first: str, last: str | None = None, expected: str | None = None) -> Period:
    return Period(d(first), d(last) if last else None, "sick", d(expected) if expected else None)


def due(
    policy: str | Policy,
    history: Sequence[Period],
    on: str,
    rule: str,
    facts: EmployeeFacts = VETERAN,
) -> list[FollowUp]:
    chosen = POLICIES[policy] if isinstance(policy, str) else policy
    return [f for f in due_followups(history, facts, chosen, d(on), CAL) if f.rule_id == rule]


def finding(policy: str, history: Sequence[Period], on: str, rule: str) -> Finding:
    found = evaluate(history, VETERAN, POLICIES[policy], d(on), CAL)
    return next(f for f in found if f.rule_id == rule)


def one_rule(**fields: Any) -> Policy:
    rule = {"id": "r", "guide": "contact", "why": WHY, **fields}
    return Policy.model_validate({"id": "p", "name": WHY, "rules": [rule]})


def days(found: list[FollowUp]) -> list[tuple[str, str]]:
    return [(f.due_on.isoformat(), f.deadline_on.isoformat()) for f in found]


# --- 1. week contacts end with their week (seed 001, Hjørring) --------------------------------


def test_hjorring_week_2_contact_over_christmas_is_done_by_the_last_working_day_of_week_2() -> None:
    # Sick from Friday 18 December: week 2 is days 8-14, 25-31 December. Day 8 is Christmas Day,
    # so the contact falls due on Monday 28 December; 4 working days on would be 5 January, in
    # week 3, so the deadline is the week's last working day, 30 December (31st is a day off).
    found = due("hjorring", [sick("2026-12-18")], "2027-01-15", "kontakt-uge-2")
    assert days(found) == [("2026-12-28", "2026-12-30")]


def test_hjorring_week_2_contact_over_easter_is_done_by_day_14() -> None:
    # Sick from Thursday 26 March: day 8 is Maundy Thursday, due Tuesday 7 April after Easter;
    # week 2 ends on day 14, Wednesday 8 April, not 13 April as 4 working days would say.
    found = due("hjorring", [sick("2026-03-26")], "2026-04-30", "kontakt-uge-2")
    assert days(found) == [("2026-04-07", "2026-04-08")]


def test_hjorring_week_2_read_as_the_calendar_week_ends_on_its_sunday() -> None:
    # Sick from Wednesday 16 December: calendar week 2 of the absence is 21-27 December; the
    # absence-day week 2 is days 8-14, 23-29 December. Each reading caps the deadline at its end.
    history = [sick("2026-12-16")]
    calendar_week = one_rule(kind="week_contact", weeks=[2], week="calendar_week", deadline_days=4)
    absence_days = one_rule(kind="week_contact", weeks=[2], deadline_days=4)
    assert days(due(calendar_week, history, "2027-01-15", "r")) == [("2026-12-21", "2026-12-23")]
    assert days(due(absence_days, history, "2027-01-15", "r")) == [("2026-12-23", "2026-12-29")]


def test_hjorring_conversation_with_the_job_centre_only_when_a_long_absence_is_in_prospect() -> (
    None
):
    rule = "fastholdelsessamtale-uge-2-og-6"
    # No expected return given: the week-2 contact, but no conversation with the consultant.
    unknown = [sick("2026-03-02")]
    assert [f.occurrence for f in due("hjorring", unknown, "2026-04-30", "kontakt-uge-2")] == [
        "2026-03-02/week-2"
    ]
    assert due("hjorring", unknown, "2026-04-30", rule) == []
    explained = finding("hjorring", unknown, "2026-04-30", rule).explanation
    assert explained == say(RETURN_UNKNOWN, first=d("2026-03-02"), weeks=4)
    # Back expected within 4 weeks: not a long absence either.
    short = [sick("2026-03-02", expected="2026-03-20")]
    assert due("hjorring", short, "2026-04-30", rule) == []
    expected = say(RETURN_EXPECTED, first=d("2026-03-02"), expected=d("2026-03-20"), weeks=4)
    assert finding("hjorring", short, "2026-04-30", rule).explanation == expected
    # A long absence in prospect: the conversation in week 2 and again in week 6.
    long = [sick("2026-03-02", expected="2026-05-15")]
    assert [f.occurrence for f in due("hjorring", long, "2026-04-30", rule)] == [
        "2026-03-02/week-2",
        "2026-03-02/week-6",
    ]


# --- 2. exact legal texts, the law named --------------------------------------------------


def test_section_7a_conversation_by_30_november_for_a_first_sick_day_on_2_november() -> None:
    [talk] = due("default", [sick("2026-11-02")], "2026-11-23", "sygefravaerssamtale-uge-4")
    assert talk.deadline_on == d("2026-11-30")
    assert "senest 30.11.2026" in talk.why.da and "sygedagpengeloven § 7 a" in talk.why.da
    assert "by 2026-11-30" in talk.why.en


def test_nemrefusion_report_by_7_december_for_a_first_day_of_absence_on_2_november() -> None:
    [report] = due("default", [sick("2026-11-02")], "2026-11-25", "nemrefusion")
    assert report.deadline_on == d("2026-12-07")
    assert "senest 7.12.2026" in report.why.da and "§ 59" in report.why.da


def test_every_statutory_rule_names_its_law_and_the_rask_igen_samtale_is_practice() -> None:
    rules = {rule.id: rule for rule in POLICIES["default"].rules}
    laws = {rule_id: rule.law for rule_id, rule in rules.items() if rule.basis == "law"}
    assert laws == {
        "sygefravaerssamtale-uge-4": "sygedagpengeloven § 7 a",
        "nemrefusion": "sygedagpengeloven § 59, stk. 2-3",
        "fast-track": "sygedagpengeloven § 7 c",
        "fastholdelsesplan": "sygedagpengeloven § 7 b",
        "jobcenter-uge-8": "sygedagpengeloven § 13 b",
    }
    back = rules["rask-igen-samtale"]
    assert back.basis == "practice" and back.law is None
    assert "ikke et lovkrav" in back.why.da and "not required by law" in back.why.en


def test_viborgs_three_periods_in_six_months_is_marked_a_local_choice_not_seed_004() -> None:
    rule = next(r for r in POLICIES["viborg"].rules if r.id == "tre-perioder-6-maaneder")
    assert rule.basis == "local_choice"
    assert "lokalt valg" in rule.why.da and "local choice" in rule.why.en


def test_a_rule_of_law_must_name_its_law_and_only_it_may() -> None:
    with pytest.raises(ValidationError, match="must name it in `law`"):
        one_rule(kind="contact_days", days=[1], basis="law")
    with pytest.raises(ValidationError, match="only for a rule with basis law"):
        one_rule(kind="contact_days", days=[1], law="sygedagpengeloven § 7 a")


# --- 3. recipients, escalation, counting, links ----------------------------------------------


def test_lemvig_staff_leader_gets_the_card_and_the_area_leader_the_advis() -> None:
    history = [sick("2026-03-02", "2026-03-10")]
    [talk] = due("lemvig", history, "2026-03-20", "syv-sammenhaengende-dage")
    assert (talk.recipient, talk.advis, talk.advis_employee) == ("leader", ("leader_above",), False)


def test_viborg_advis_to_both_employee_and_leader_and_escalation_through_hr_to_the_chef() -> None:
    viborg = POLICIES["viborg"]
    [talk] = due("viborg", [sick("2026-03-02")], "2026-03-23", "sygefravaerssamtale-uge-4")
    assert (talk.recipient, talk.advis, talk.advis_employee) == ("leader", ("employee",), True)
    assert viborg.escalation.chain == ["hr", "leader_above"]
    assert POLICIES["varde"].escalation.chain == ["leader_above"]
    [report] = due("viborg", [sick("2026-03-02")], "2026-03-25", "nemrefusion")
    assert report.advis == ()  # HR's own errand is no news for the employee


def test_advis_and_escalation_roles_are_listed_once_and_not_the_recipient_again() -> None:
    with pytest.raises(ValidationError, match="listed once"):
        one_rule(kind="contact_days", days=[1], advis=["leader_above", "leader_above"])
    with pytest.raises(ValidationError, match="is the recipient already"):
        one_rule(kind="contact_days", days=[1], advis=["leader"])
    with pytest.raises(ValidationError, match="listed once"):
        Escalation(chain=["hr", "hr"])


def test_gladsaxe_a_year_is_the_calendar_year_or_else_the_last_12_months() -> None:
    # 15 dagsværk in November 2025, then a new period on 5 January 2026.
    history = [sick("2025-11-03", "2025-11-21"), sick("2026-01-05", "2026-01-06")]
    rule = "hver-periode-efter-15-dage"
    assert due("gladsaxe", history, "2026-01-31", rule) == []
    twelve_months = one_rule(
        kind="after_nth_day", nth=15, counting="working_days", year="last_12_months"
    )
    [found] = due(twelve_months, history, "2026-01-31", "r")
    assert found.occurrence == "2026-01-05"


def test_seed_002_a_weekend_day_1_contact_falls_due_on_the_leaders_next_weekday() -> None:
    # Gladsaxe's elder care works weekends: sick on Saturday 7 March, the leader calls on Monday;
    # day 5 (Wednesday 11 March) is due that day. Varde's 1-5-15 has no such option.
    history = [sick("2026-03-07")]
    found = due("gladsaxe", history, "2026-03-20", "kontakt-1-5-15", WEEKENDS_TOO)
    assert [f.due_on.isoformat() for f in found] == ["2026-03-09", "2026-03-11"]
    varde = due("varde", history, "2026-03-20", "kontakt-1-5-15", WEEKENDS_TOO)
    assert varde[0].due_on == d("2026-03-07")
    # Sick on Easter Monday: the next weekday is Tuesday.
    easter = due("gladsaxe", [sick("2026-04-06")], "2026-04-08", "kontakt-1-5-15", WEEKENDS_TOO)
    assert easter[0].due_on == d("2026-04-07")


def test_hedensted_day_14_advis_links_the_mulighedserklaering_form_and_guidance() -> None:
    found = due("hedensted", [sick("2026-03-02")], "2026-03-31", "advis-7-14-21")
    links = [f.guidance.links if f.guidance else None for f in found]  # type: ignore[attr-defined]
    assert links[0] is None and links[2] is None
    [link] = links[1]
    assert str(link.url) == "https://star.dk/om-styrelsen/blanketter/5/mulighedserklaering/"
    assert "blanket og vejledning" in link.title.da


def test_a_link_must_be_a_web_address() -> None:
    guidance = {**WHY, "links": [{"title": WHY, "url": "not a link"}]}
    with pytest.raises(ValidationError, match="url"):
        one_rule(kind="contact_days", days=[14], guidance={14: guidance})


def partly(first: str, last: str, percent: int | None = None, hours: float | None = None) -> Period:
    return Period(d(first), d(last), "partly_sick", None, percent, hours)


def yearly(**policy_fields: Any) -> Policy:
    rule = {
        "id": "r",
        "kind": "yearly_total",
        "days": 10,
        "quarters": [1],
        "counting": "working_days",
        "guide": "frequent",
        "why": {"da": "{total:sygedag|sygedage}.", "en": "{total:sick day|sick days}."},
    }
    return Policy.model_validate({"id": "p", "name": WHY, "rules": [rule], **policy_fields})


def test_partly_sick_days_count_as_their_share_where_the_policy_says_so() -> None:
    # 5 whole sick days, then two weeks at 50 % (or 18.5 of 37 hours a week) off work.
    for part in (
        partly("2026-01-12", "2026-01-23", percent=50),
        partly("2026-01-12", "2026-01-23", hours=18.5),
    ):
        history = [sick("2026-01-05", "2026-01-09"), part]
        # Whole days: the 10th sick day is Friday 16 January.
        [whole] = due(yearly(), history, "2026-02-27", "r")
        assert whole.due_on == d("2026-01-16")
        # As shares: 5 + 10 x 0.5 reaches 10 only on Friday 23 January.
        [share] = due(yearly(partly_sick="fraction"), history, "2026-02-27", "r")
        assert share.due_on == d("2026-01-23") and share.why.da == "10 sygedage."
    # Three half days after the five whole ones: 6.5, written the Danish way, and not yet 10.
    history = [sick("2026-01-05", "2026-01-09"), partly("2026-01-12", "2026-01-14", percent=50)]
    counted = yearly(partly_sick="fraction")
    assert due(counted, history, "2026-03-01", "r") == []
    [found] = evaluate(history, VETERAN, counted, d("2026-01-14"), CAL)
    assert "6,5 sygedage" in found.explanation.da and "6.5 sick days" in found.explanation.en


def test_vejle_leaves_reduced_hours_out_of_the_count_altogether_seed_000() -> None:
    history = [sick("2026-01-05", "2026-01-09"), partly("2026-01-12", "2026-01-23", percent=50)]
    assert due(yearly(counts=["sick"]), history, "2026-02-27", "r") == []


def test_norddjurs_former_1_5_14_is_written_as_contact_days_seed_003() -> None:
    # Seed 003: "1-5-14 ændret til 1-3-10"; the old rule is one line of policy data.
    old = one_rule(kind="contact_days", days=[1, 5, 14], counting="working_days")
    found = due(old, [sick("2026-03-02")], "2026-03-31", "r")
    # Working days from Monday 2 March: day 5 is Friday 6 March, day 14 Thursday 19 March.
    assert [f.due_on.isoformat() for f in found] == ["2026-03-02", "2026-03-06", "2026-03-19"]
