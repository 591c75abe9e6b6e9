"""Policy files and the follow-up engine, in virtual time: one scenario per rule kind, named
after the seed case it comes from (seed 002 boxes 3.4, 3.5, 4.1; seeds 001, 003, 004)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from rules.calendar import WorkCalendar, absence_day_number
from rules.followups import (
    LOOKBACK,
    EmployeeFacts,
    Finding,
    FollowUp,
    Period,
    due_followups,
    evaluate,
)
from rules.policy import POLICY_DIR, Policy, PolicyError, load_policies, load_policy

CAL = WorkCalendar("12345", ZoneInfo("Europe/Copenhagen"))
POLICIES = load_policies()
VETERAN = EmployeeFacts("e1", start_date=date(2015, 8, 1))


def sick(
    first: str, last: str | None = None, kind: str = "sick", expected: str | None = None
) -> Period:
    return Period(
        date.fromisoformat(first),
        date.fromisoformat(last) if last else None,
        kind,
        date.fromisoformat(expected) if expected else None,
    )


def due(
    policy_id: str | Policy,
    history: Sequence[Period],
    on: str,
    rule: str,
    facts: EmployeeFacts = VETERAN,
) -> list[FollowUp]:
    policy = POLICIES[policy_id] if isinstance(policy_id, str) else policy_id
    found = due_followups(history, facts, policy, date.fromisoformat(on), CAL)
    return [f for f in found if f.rule_id == rule]


def finding(policy_id: str, history: Sequence[Period], on: str, rule: str) -> Finding:
    findings = evaluate(history, VETERAN, POLICIES[policy_id], date.fromisoformat(on), CAL)
    return next(f for f in findings if f.rule_id == rule)


def dates(followups: list[FollowUp]) -> list[str]:
    return [f.due_on.isoformat() for f in followups]


def policy_with(rule: Mapping[str, object], **fields: object) -> Policy:
    why = {"da": "Grund.", "en": "Reason."}
    data = {"id": "t", "name": {"da": "T", "en": "T"}, "rules": [{"why": why, **rule}], **fields}
    return Policy.model_validate(data)


# --- policy files ---------------------------------------------------------------------------


def test_every_policy_file_loads() -> None:
    assert set(POLICIES) == {
        "default",
        "lemvig",
        "gladsaxe",
        "hedensted",
        "norddjurs",
        "hjorring",
        "viborg",
        "varde",
    }
    for policy in POLICIES.values():
        for rule in policy.rules:
            assert rule.why.da.strip() and rule.why.en.strip()


def test_every_policy_resolves_to_include_every_statutory_rule() -> None:
    statutory = load_policy(POLICY_DIR / "statutory.yaml")
    assert statutory.abstract and statutory.id not in POLICIES
    assert [r.id for r in statutory.rules] == [
        "sygefravaerssamtale-uge-4",
        "nemrefusion",
        "fast-track",
        "fastholdelsesplan",
        "jobcenter-uge-8",
        "rask-igen-samtale",
    ]
    for policy in POLICIES.values():
        # Equal models: same id and content, so no file overrides the law by redefining an id.
        assert policy.rules[-len(statutory.rules) :] == statutory.rules, policy.id
    assert POLICIES["default"].rules == statutory.rules


def test_viborg_sends_advis_to_both_and_escalates_after_2_and_5_working_days() -> None:
    viborg = POLICIES["viborg"]
    assert viborg.employee_advis
    assert viborg.escalation.remind_after_working_days == 2
    assert viborg.escalation.escalate_after_working_days == 5


BASE = """\
id: bad
name: {da: Dårlig, en: Bad}
counting: calendar_days
rules:
  - id: ok
    kind: contact_days
    days: [1, 5, 15]
    guide: contact
    why: {da: "Dag {day}.", en: "Day {day}."}
"""


def write(tmp_path: Path, text: str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_value_names_the_file_and_the_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        BASE + "  - {id: x, kind: periods_within, periods: three, within_days: 90,"
        " guide: frequent, why: {da: a, en: b}}\n",
    )
    with pytest.raises(PolicyError) as error:
        load_policy(path)
    assert str(error.value).startswith(f"{path}: rules.1.periods: Input should be a valid integer")


def test_a_project_file_is_named_from_the_project_root() -> None:
    # Error messages show "policies/x.yaml" for the project's own files.
    with pytest.raises(PolicyError, match=r"^policies/missing\.yaml: cannot be read"):
        load_policy(POLICY_DIR / "missing.yaml")


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        (
            "  - {id: x, kind: three_in_ninety, guide: frequent, why: {da: a, en: b}}\n",
            "rules.1",
            "does not match any of the expected tags",
        ),
        (
            "  - {id: x, kind: consecutive_days, dayz: 7, guide: long, why: {da: a, en: b}}\n",
            "rules.1.dayz",
            "Extra inputs are not permitted",
        ),
        (
            "  - {id: ok, kind: consecutive_days, days: 7, guide: long, why: {da: a, en: b}}\n",
            "rules",
            "rule id 'ok' is used twice",
        ),
        (
            "  - {id: x, kind: consecutive_days, days: 7, guide: long, why: {da: '{n}', en: '{n}'}}\n",
            "rules.1.why",
            "unknown placeholders ['n']",
        ),
        (
            "  - {id: x, kind: deadline, day: 21, deadline_day: 28, counting: working_days,"
            " guide: statutory, why: {da: a, en: b}}\n",
            "rules.1.counting",
            "counts calendar days",
        ),
    ],
    ids=["unknown kind", "unknown field", "duplicate rule id", "unknown placeholder", "counting"],
)
def test_policy_mistakes_are_errors(tmp_path: Path, extra: str, field: str, message: str) -> None:
    path = write(tmp_path, BASE + extra)
    with pytest.raises(PolicyError) as error:
        load_policy(path)
    assert f"{path}: {field}: " in str(error.value)
    assert message in str(error.value)


def test_a_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "  - [unclosed\n")
    with pytest.raises(PolicyError, match=r"bad\.yaml: line \d+: "):
        load_policy(path)


def test_emergency_days_cannot_be_counted_as_sick_days(tmp_path: Path) -> None:
    path = write(tmp_path, BASE.replace("rules:", "counts: [sick, emergency_day]\nrules:"))
    with pytest.raises(PolicyError, match=r"counts\.1: Input should be 'sick'"):
        load_policy(path)


CHILD = """\
id: child
name: {da: Barn, en: Child}
extends: bad
rules:
  - id: ok
    kind: contact_days
    days: [1, 3]
    guide: contact
    why: {da: "Dag {day}.", en: "Day {day}."}
  - {id: own, kind: consecutive_days, days: 7, guide: long, why: {da: a, en: b}}
"""


def test_extends_puts_the_parents_rules_after_the_childs_own(tmp_path: Path) -> None:
    write(tmp_path, BASE.replace("id: bad", "id: bad\nabstract: true"), "bad.yaml")
    write(tmp_path, CHILD, "child.yaml")
    write(tmp_path, "id: grandchild\nname: {da: G, en: G}\nextends: child\n", "grandchild.yaml")
    policies = load_policies(tmp_path)
    assert list(policies) == ["child", "grandchild"]  # the abstract parent is no policy
    child = policies["child"]
    # The child's "ok" overrides the parent's rule of that id, in the child's place.
    assert [r.id for r in child.rules] == ["ok", "own"]
    assert dates(due(child, [sick("2026-03-02")], "2026-03-31", "ok")) == [
        "2026-03-02",
        "2026-03-04",
    ]
    assert policies["grandchild"].rules == child.rules


def test_a_policy_needs_rules_or_extends(tmp_path: Path) -> None:
    path = write(tmp_path, "id: empty\nname: {da: T, en: T}\n")
    with pytest.raises(PolicyError, match="a policy needs rules, or extends"):
        load_policy(path)


def test_extending_an_unknown_policy_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, CHILD, "child.yaml")
    with pytest.raises(PolicyError) as error:
        load_policies(tmp_path)
    assert str(error.value) == f"{path}: extends: no policy 'bad' in {tmp_path}"


def test_a_cycle_of_extends_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, BASE.replace("id: bad", "id: bad\nextends: child"), "bad.yaml")
    write(tmp_path, CHILD, "child.yaml")
    with pytest.raises(PolicyError, match=r"child\.yaml: extends: a cycle: bad -> child -> bad$"):
        load_policies(tmp_path)
    write(tmp_path, BASE.replace("id: bad", "id: bad\nextends: bad"), "bad.yaml")
    with pytest.raises(PolicyError, match=r"bad\.yaml: extends: a cycle: bad -> bad$"):
        load_policies(tmp_path)


def test_two_files_with_one_policy_id_are_an_error(tmp_path: Path) -> None:
    write(tmp_path, BASE, "a.yaml")
    write(tmp_path, BASE, "b.yaml")
    with pytest.raises(PolicyError, match=r"b\.yaml: id: 'bad' is already used by .*a\.yaml"):
        load_policies(tmp_path)


# --- Lemvig (seed 002 box 3.5) --------------------------------------------------------------


def test_lemvig_three_periods_in_90_days_calls_for_a_conversation() -> None:
    history = [sick("2026-01-05", "2026-01-06"), sick("2026-02-02", "2026-02-03")]
    assert due("lemvig", history, "2026-03-15", "tre-perioder-90-dage") == []

    history.append(sick("2026-03-16", "2026-03-17"))  # 70 days after the first
    [followup] = due("lemvig", history, "2026-03-16", "tre-perioder-90-dage")
    assert followup.occurrence == "2026-03-16"
    assert followup.due_on == date(2026, 3, 16)
    assert followup.deadline_on == date(2026, 3, 30)  # 10 working days
    assert followup.guide == "frequent"
    assert followup.why.da.startswith("3 fraværsperioder inden for 90 dage (den seneste fra 16.3")
    assert "catalogue box 3.5" in followup.why.en


def test_lemvig_three_periods_spread_over_more_than_90_days_do_not() -> None:
    history = [
        sick("2026-01-05", "2026-01-06"),
        sick("2026-02-02", "2026-02-03"),
        sick("2026-04-06", "2026-04-07"),  # day 92 after 5 January
    ]
    assert due("lemvig", history, "2026-04-30", "tre-perioder-90-dage") == []


def test_lemvig_seven_consecutive_days() -> None:
    history = [sick("2026-03-04")]  # Wednesday, still sick
    assert due("lemvig", history, "2026-03-09", "syv-sammenhaengende-dage") == []
    [followup] = due("lemvig", history, "2026-03-10", "syv-sammenhaengende-dage")
    assert (followup.occurrence, followup.due_on) == ("2026-03-04", date(2026, 3, 10))


def test_lemvig_seventh_day_on_a_saturday_is_due_on_monday() -> None:
    history = [sick("2026-03-01")]  # Sunday; day 7 is Saturday 7 March
    assert due("lemvig", history, "2026-03-08", "syv-sammenhaengende-dage") == []
    pending = finding("lemvig", history, "2026-03-08", "syv-sammenhaengende-dage")
    assert not pending.fired
    assert "2026-03-09" in pending.explanation.en
    assert dates(due("lemvig", history, "2026-03-09", "syv-sammenhaengende-dage")) == ["2026-03-09"]


def test_lemvig_ten_days_in_the_year_gives_q3_and_q4_conversations() -> None:
    history = [
        sick("2026-02-02", "2026-02-06"),  # Mon-Fri: 5 dagsværk
        sick("2026-05-15", "2026-05-18"),  # Fri-Mon: 2 dagsværk, not 4
        sick("2026-06-01", "2026-06-03"),  # 3 dagsværk: the 10th day is 3 June
    ]
    assert due("lemvig", history, "2026-06-30", "ti-dage-i-aaret") == []

    [q3] = due("lemvig", history, "2026-07-01", "ti-dage-i-aaret")
    assert (q3.occurrence, q3.due_on) == ("2026-Q3", date(2026, 7, 1))
    assert q3.deadline_on == date(2026, 9, 30)  # never after the quarter
    assert q3.why.en.startswith("10 sick days in 2026 (the limit is 10): hold an absence")

    later = due("lemvig", history, "2026-10-01", "ti-dage-i-aaret")
    assert [(f.occurrence, f.due_on) for f in later] == [
        ("2026-Q3", date(2026, 7, 1)),
        ("2026-Q4", date(2026, 10, 1)),
    ]


def test_lemvig_nine_days_in_the_year_are_not_enough() -> None:
    history = [sick("2026-02-02", "2026-02-06"), sick("2026-06-01", "2026-06-04")]
    rule = finding("lemvig", history, "2026-12-01", "ti-dage-i-aaret")
    assert not rule.fired
    assert rule.explanation.en.startswith("9 sick days (working days) in 2026")


# --- Gladsaxe (seed 002 box 3.4) ------------------------------------------------------------


def test_gladsaxe_every_period_after_the_15th_day() -> None:
    history = [
        sick("2026-01-05", "2026-01-16"),  # 10 dagsværk
        sick("2026-02-02", "2026-02-06"),  # 5 more: 15 in all
        sick("2026-03-02", "2026-03-03"),  # the first new period after the 15th day
        sick("2026-04-13", "2026-04-13"),  # and every one after it
    ]
    found = due("gladsaxe", history, "2026-05-01", "hver-periode-efter-15-dage")
    assert [(f.occurrence, f.due_on) for f in found] == [
        ("2026-03-02", date(2026, 3, 2)),
        ("2026-04-13", date(2026, 4, 13)),
    ]
    assert "15 sygedage i kalenderåret" in found[0].why.da


def test_gladsaxe_fourteen_days_then_a_new_period_is_not_enough() -> None:
    history = [sick("2026-01-05", "2026-01-16"), sick("2026-02-02", "2026-02-05")]
    history.append(sick("2026-03-02", "2026-03-03"))
    assert due("gladsaxe", history, "2026-03-31", "hver-periode-efter-15-dage") == []


def test_gladsaxe_days_older_than_12_months_no_longer_count() -> None:
    history = [sick("2025-01-06", "2025-01-31"), sick("2026-02-02", "2026-02-03")]
    assert due("gladsaxe", history, "2026-03-31", "hver-periode-efter-15-dage") == []


def test_gladsaxe_new_employee_followed_closer() -> None:
    newcomer = EmployeeFacts("e2", start_date=date(2026, 1, 1))
    history = [sick("2026-02-02", "2026-02-02"), sick("2026-08-03", "2026-08-04")]
    found = due("gladsaxe", history, "2026-09-01", "hver-periode-efter-15-dage", newcomer)
    # Every period in the first six months; after that the ordinary 15 days apply.
    assert [f.occurrence for f in found] == ["2026-02-02"]
    assert "grænsen for medarbejderen er 0" in found[0].why.da
    assert due("gladsaxe", history, "2026-09-01", "hver-periode-efter-15-dage") == []


def test_gladsaxe_contacts_on_days_1_5_and_15() -> None:
    history = [sick("2026-03-02")]
    found = due("gladsaxe", history, "2026-03-20", "kontakt-1-5-15")
    assert [f.occurrence for f in found] == [
        "2026-03-02/day-1",
        "2026-03-02/day-5",
        "2026-03-02/day-15",
    ]
    assert dates(found) == ["2026-03-02", "2026-03-06", "2026-03-16"]


# --- Hedensted (seed 002 box 4.1) -----------------------------------------------------------


def test_hedensted_advis_7_14_21_with_day_14_guidance() -> None:
    history = [sick("2026-03-02")]  # Monday: days 7, 14 and 21 are Sundays
    found = due("hedensted", history, "2026-03-23", "advis-7-14-21")
    assert dates(found) == ["2026-03-09", "2026-03-16", "2026-03-23"]
    assert [f.guidance is not None for f in found] == [False, True, False]
    guidance = found[1].guidance
    assert guidance is not None
    assert "mulighedserklæring" in guidance.da
    assert "HR-konsulenten" in guidance.da
    assert "HR consultant" in guidance.en
    assert found[1].why.da.startswith("Dag 14 af fraværet fra 2.3.2026")
    assert not any(f.advis_employee for f in found)


# --- Norddjurs (seed 003) -------------------------------------------------------------------


def test_norddjurs_1_3_10_in_working_days_across_a_weekend() -> None:
    history = [sick("2026-03-05")]  # Thursday
    found = due("norddjurs", history, "2026-03-18", "kontakt-1-3-10")
    assert dates(found) == ["2026-03-05", "2026-03-09", "2026-03-18"]
    for followup, day in zip(found, [1, 3, 10], strict=True):
        number = absence_day_number(
            date(2026, 3, 5), followup.due_on, working_days=True, calendar=CAL
        )
        assert number == day


def test_norddjurs_counts_no_easter_holidays() -> None:
    history = [sick("2026-04-01")]  # Wednesday before skærtorsdag, langfredag, 2. påskedag
    assert dates(due("norddjurs", history, "2026-04-30", "kontakt-1-3-10")) == [
        "2026-04-01",
        "2026-04-08",
        "2026-04-17",
    ]


def test_working_day_numbers_agree_with_the_calendar() -> None:
    days = list(range(1, 16))
    rule = {"id": "r", "kind": "contact_days", "days": days, "guide": "contact"}
    policy = policy_with(rule, counting="working_days")
    first = date(2025, 12, 15)
    for offset in range(40):  # across Christmas, New Year and every weekday
        start = first + timedelta(days=offset)
        found = due(policy, [sick(start.isoformat())], "2026-02-15", "r")
        assert len(found) == len(days)
        for followup, n in zip(found, days, strict=True):
            natural = next(
                start + timedelta(days=k)
                for k in range(60)
                if absence_day_number(
                    start, start + timedelta(days=k), working_days=True, calendar=CAL
                )
                == n
            )
            assert followup.due_on == CAL.this_or_next_working_day(natural), (start, n)


# --- Hjørring (seed 001) --------------------------------------------------------------------


def test_hjorring_week_2_and_week_6() -> None:
    history = [sick("2026-03-02", expected="2026-05-01")]
    assert [f.occurrence for f in due("hjorring", history, "2026-04-10", "kontakt-uge-2")] == [
        "2026-03-02/week-2"
    ]
    found = due("hjorring", history, "2026-04-10", "fastholdelsessamtale-uge-2-og-6")
    # Week 2 starts on day 8; week 6 on day 36, 2. påskedag, so the next working day.
    assert [(f.occurrence, f.due_on) for f in found] == [
        ("2026-03-02/week-2", date(2026, 3, 9)),
        ("2026-03-02/week-6", date(2026, 4, 7)),
    ]
    week_2, week_6 = (f.guidance for f in found)
    assert week_2 is not None and "fastholdelseskonsulent" in week_2.da
    assert week_6 is not None and "Gentag" in week_6.da


def test_hjorring_short_absence_gets_no_week_6_contact() -> None:
    history = [sick("2026-03-02", "2026-03-12", expected="2026-05-01")]
    found = due("hjorring", history, "2026-04-30", "fastholdelsessamtale-uge-2-og-6")
    assert [f.occurrence for f in found] == ["2026-03-02/week-2"]


# --- rolling total (issue 5) ----------------------------------------------------------------

ROLLING = {"id": "r", "kind": "rolling_total", "days": 15, "months": 12, "guide": "frequent"}


def test_rolling_15_days_in_12_months() -> None:
    policy = policy_with(ROLLING)
    history = [sick("2025-06-01", "2025-06-10"), sick("2026-03-02", "2026-03-08")]
    [followup] = due(policy, history, "2026-03-31", "r")
    # 10 days in June and the 5th day of March: the 15th day is Friday 6 March.
    assert (followup.occurrence, followup.due_on) == ("2026-03-02", date(2026, 3, 6))

    # Already over the limit: a new absence does not call for it again.
    history.append(sick("2026-04-13", "2026-04-14"))
    assert [f.occurrence for f in due(policy, history, "2026-04-30", "r")] == ["2026-03-02"]


def test_rolling_total_counts_days_leaving_the_window() -> None:
    policy = policy_with(ROLLING)
    # On 5 March 2026 the window holds 6 March 2025 on: the old days drop out one a day while
    # new ones come, so the total never reaches 15 although 10 + 8 would.
    history = [sick("2025-03-01", "2025-03-10"), sick("2026-03-05", "2026-03-12")]
    rule = evaluate(history, VETERAN, policy, date(2026, 3, 31), CAL)[0]
    assert not rule.fired
    assert rule.explanation.en == "8 of 15 sick days (calendar days) in the last 12 months."

    # A longer absence gets there once the old days are gone: 6 March 2025 to 10 March leave
    # the window by 13 March 2026, and the absence's own 15th day is 19 March.
    history[-1] = sick("2026-03-05", "2026-03-25")
    [followup] = due(policy, history, "2026-03-31", "r")
    assert followup.due_on == date(2026, 3, 19)
    assert followup.why.en == "Reason."


# --- Danish law (DOMAIN.md) -----------------------------------------------------------------


def test_statutory_conversation_by_week_4() -> None:
    history = [sick("2026-03-02")]
    assert due("default", history, "2026-03-20", "sygefravaerssamtale-uge-4") == []
    [followup] = due("default", history, "2026-03-23", "sygefravaerssamtale-uge-4")
    assert followup.due_on == date(2026, 3, 23)  # day 21 is a Sunday
    assert followup.deadline_on == date(2026, 3, 30)  # 4 weeks after 2 March, day 29
    assert followup.guide == "absence_conversation"
    assert "§ 7 a" in followup.why.da and "30.3.2026" in followup.why.da
    assert due("default", [sick("2026-03-02", "2026-03-13")], "2026-04-30", followup.rule_id) == []


def test_nemrefusion_within_5_weeks_goes_to_hr() -> None:
    history = [sick("2026-03-02")]
    [followup] = due("viborg", history, "2026-03-24", "nemrefusion")
    assert followup.recipient == "hr"
    assert followup.due_on == date(2026, 3, 24)  # day 23
    # Day 35 is Easter Sunday; before it langfredag and skærtorsdag: Wednesday 1 April.
    assert followup.deadline_on == date(2026, 4, 1)
    assert not followup.advis_employee  # HR's errand, even where the employee gets advis
    [talk] = due("viborg", history, "2026-03-24", "sygefravaerssamtale-uge-4")
    assert talk.advis_employee and talk.recipient == "leader"


def test_fast_track_only_when_long_absence_expected() -> None:
    back_soon = [sick("2026-03-02", expected="2026-04-01")]
    rule = finding("default", back_soon, "2026-03-20", "fast-track")
    assert not rule.fired
    assert "expected to end 2026-04-01, within 8 weeks" in rule.explanation.en

    for expected in (None, "2026-05-15"):  # unknown, or after week 8
        history = [sick("2026-03-02", expected=expected)]
        [followup] = due("default", history, "2026-03-20", "fast-track")
        assert followup.due_on == date(2026, 3, 16)  # day 14 is a Sunday
        assert followup.deadline_on == date(2026, 4, 1)  # day 35, as for NemRefusion
        assert followup.guide == "long"
        assert due("default", history, "2026-03-23", "fastholdelsesplan") != []
    assert due("default", back_soon, "2026-03-23", "fastholdelsesplan") == []


def test_job_centre_week_8_is_information_for_the_leader() -> None:
    history = [sick("2026-03-02")]
    [followup] = due("default", history, "2026-04-30", "jobcenter-uge-8")
    assert followup.due_on == date(2026, 4, 20)  # day 50
    assert followup.why.en.startswith("For your information")


def test_rask_igen_samtale_after_20_days() -> None:
    history = [sick("2026-03-02", "2026-03-21")]  # 20 days, back on Sunday 22 March
    assert due("default", history, "2026-03-21", "rask-igen-samtale") == []
    [followup] = due("default", history, "2026-03-23", "rask-igen-samtale")
    assert (followup.occurrence, followup.due_on) == ("2026-03-02", date(2026, 3, 23))
    assert followup.guide == "return"
    assert "20 dages fravær (2.3.2026 til 21.3.2026)" in followup.why.da

    assert (
        due("default", [sick("2026-03-02", "2026-03-20")], "2026-04-30", "rask-igen-samtale") == []
    )


# --- what counts ----------------------------------------------------------------------------


def test_partial_sickness_counts_as_the_policy_says() -> None:
    # Sick Monday to Wednesday, then a delvis raskmelding: one continuing absence.
    history = [sick("2026-03-02", "2026-03-04"), sick("2026-03-05", "2026-03-21", "partly_sick")]
    [followup] = due("lemvig", history, "2026-03-31", "syv-sammenhaengende-dage")
    assert (followup.occurrence, followup.due_on) == ("2026-03-02", date(2026, 3, 9))
    [back] = due("lemvig", history, "2026-03-31", "rask-igen-samtale")
    assert (back.occurrence, back.due_on) == ("2026-03-02", date(2026, 3, 23))  # 20 days in all

    sick_only = POLICIES["lemvig"].model_copy(update={"counts": ["sick"]})
    assert due(sick_only, history, "2026-03-31", "syv-sammenhaengende-dage") == []
    assert due(sick_only, history, "2026-03-31", "rask-igen-samtale") == []


def test_a_free_day_between_two_periods_makes_two_periods() -> None:
    history = [
        sick("2026-01-05", "2026-01-06"),
        sick("2026-01-07", "2026-01-08", "partly_sick"),  # continues the first
        sick("2026-01-12", "2026-01-12"),
        sick("2026-01-14", "2026-01-14"),
    ]
    rule = finding("lemvig", history, "2026-01-31", "tre-perioder-90-dage")
    assert rule.fired
    assert rule.followups[0].why.da.startswith("3 fraværsperioder")


def test_emergency_days_never_count() -> None:
    history = [
        sick("2026-03-02", "2026-03-04"),
        sick("2026-03-05", "2026-03-05", "emergency_day"),  # an akutdag splits the absence
        sick("2026-03-06", "2026-03-09"),
        sick("2026-03-23", "2026-03-23", "emergency_day"),
        sick("2026-04-06", "2026-04-06", "emergency_day"),
    ]
    everything = POLICIES["lemvig"].model_copy(
        update={"counts": ["sick", "partly_sick", "child_sick"]}
    )
    for policy in (POLICIES["lemvig"], everything):
        assert due(policy, history, "2026-04-30", "syv-sammenhaengende-dage") == []
        assert due(policy, history, "2026-04-30", "tre-perioder-90-dage") == []


def test_child_sick_days_count_only_where_the_policy_says() -> None:
    history = [sick("2026-03-02", "2026-03-10", "child_sick")]
    assert due("lemvig", history, "2026-03-31", "syv-sammenhaengende-dage") == []
    with_children = POLICIES["lemvig"].model_copy(update={"counts": ["sick", "child_sick"]})
    assert dates(due(with_children, history, "2026-03-31", "syv-sammenhaengende-dage")) == [
        "2026-03-09"
    ]


# --- time -----------------------------------------------------------------------------------


def test_keys_are_stable_when_evaluated_again_later() -> None:
    history = [
        sick("2025-11-03", "2025-11-05"),
        sick("2025-12-01", "2025-12-19"),
        sick("2026-01-12", "2026-01-13", "child_sick"),
        sick("2026-01-19", "2026-02-20", expected="2026-04-30"),
        sick("2026-02-21", "2026-03-13", "partly_sick"),
        sick("2026-04-27", "2026-04-28"),
        sick("2026-05-26", "2026-05-26", "emergency_day"),
        sick("2026-06-08", "2026-06-10"),
        sick("2026-08-31", "2026-09-04"),
        sick("2026-09-28", "2026-10-02"),
    ]
    facts = EmployeeFacts("e3", start_date=date(2025, 9, 1), workdays="1234")
    first_on, last_on = date(2025, 11, 1), date(2027, 6, 30)
    for policy in POLICIES.values():
        seen: dict[str, FollowUp] = {}
        on = first_on
        while on <= last_on:
            found = {f.key: f for f in due_followups(history, facts, policy, on, CAL)}
            assert len(found) == len(due_followups(history, facts, policy, on, CAL))
            for key, followup in found.items():
                assert followup.due_on <= on
                assert seen.setdefault(key, followup) == followup, key
            # What was due stays due, unchanged, until it is older than the lookback.
            for key, followup in seen.items():
                if followup.due_on >= on - LOOKBACK + timedelta(days=7):
                    assert key in found, (policy.id, on, key)
            on += timedelta(days=1)
        assert seen, policy.id


def test_future_periods_are_ignored() -> None:
    history = [sick("2026-03-02", "2026-03-31"), sick("2026-05-04")]
    on = "2026-03-10"
    assert due("gladsaxe", history, on, "kontakt-1-5-15") == due(
        "gladsaxe", history[:1], on, "kontakt-1-5-15"
    )
    # Known to last until 31 March, but on 10 March it has only reached day 9.
    assert dates(due("gladsaxe", history, on, "kontakt-1-5-15")) == ["2026-03-02", "2026-03-06"]
    assert due("default", history, on, "rask-igen-samtale") == []
    rule = finding("default", [sick("2026-05-04")], on, "rask-igen-samtale")
    assert rule.explanation.en.startswith("No sick absence from")


def test_nothing_older_than_a_year_and_a_quarter_is_reported() -> None:
    history = [sick("2024-01-08", "2024-03-29")]
    assert due_followups(history, VETERAN, POLICIES["lemvig"], date(2026, 3, 1), CAL) == []


# --- explain --------------------------------------------------------------------------------


def test_every_rule_is_explained_and_one_that_did_not_fire_says_why() -> None:
    history = [sick("2026-01-05", "2026-01-06"), sick("2026-02-02", "2026-02-03")]
    findings = evaluate(history, VETERAN, POLICIES["lemvig"], date(2026, 2, 20), CAL)
    assert [f.rule_id for f in findings] == [r.id for r in POLICIES["lemvig"].rules]
    periods = findings[0]
    assert (periods.rule_id, periods.fired, periods.followups) == (
        "tre-perioder-90-dage",
        False,
        (),
    )
    assert (
        periods.explanation.da
        == "2 af 3 fraværsperioder inden for 90 dage (23.11.2025 til 20.2.2026)."
    )
    assert periods.explanation.en == (
        "2 of 3 absence periods within 90 days (2025-11-23 to 2026-02-20)."
    )
    consecutive = findings[1]
    assert consecutive.explanation.en == (
        "The latest absence from 2026-02-02 reached day 2 (calendar days); the rule: day 7."
    )


def test_a_rule_that_fired_is_explained_by_its_why() -> None:
    history = [sick("2026-03-02")]
    rule = finding("hedensted", history, "2026-03-16", "advis-7-14-21")
    assert rule.fired and len(rule.followups) == 2
    assert rule.explanation == rule.followups[-1].why
