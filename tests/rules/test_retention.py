"""Retention as data: one list of rules, each with its cut-off, used by the dry run and the run."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from rules.retention import RULES, Data, Retention, due, years_back

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
TODAY = NOW.date()


def cut(kind: Data, rules: Retention | None = None) -> date:
    return next(d.before for d in due(rules or Retention(), NOW, TODAY) if d.rule.data == kind)


def test_every_kind_of_data_has_exactly_one_rule() -> None:
    assert sorted(r.data for r in RULES) == sorted(Data)


def test_every_rule_reads_a_retention_setting() -> None:
    settings = {f.name for f in fields(Retention)}
    assert all(rule.setting in settings for rule in RULES)


def test_reports_name_what_each_rule_takes() -> None:
    reports = [r.report for r in RULES]
    assert len(set(reports)) == len(reports)
    assert "check-in comments to clear" in reports and "people who left to erase" in reports


def test_people_are_erased_before_anything_else() -> None:
    # Erasing someone clears their comments and moves their answers: it must come first.
    assert RULES[0].data == Data.LEAVERS


def test_check_in_comments_go_after_the_configured_days() -> None:
    assert cut(Data.CHECKIN_COMMENTS) == TODAY - timedelta(days=90)
    assert cut(Data.CHECKIN_COMMENTS, Retention(checkin_comment_days=30)) == TODAY - timedelta(
        days=30
    )


def test_answers_are_folded_after_twelve_months() -> None:
    assert cut(Data.CHECKIN_ANSWERS) == TODAY - timedelta(days=365)


def test_people_who_left_go_three_years_after_leaving() -> None:
    assert cut(Data.LEAVERS) == date(2023, 11, 24)
    assert cut(Data.LEAVERS, Retention(absence_years_after_leaving=5)) == date(2021, 11, 24)


def test_leap_day_counts_back_to_the_28th() -> None:
    assert years_back(date(2028, 2, 29), 3) == date(2025, 2, 28)
    assert years_back(date(2028, 2, 29), 4) == date(2024, 2, 29)


def test_events_are_cut_at_a_moment_and_days_at_a_date() -> None:
    assert cut(Data.AUDIT_ENTRIES) == NOW - timedelta(days=5 * 365 + 1)
    assert cut(Data.SENT_MESSAGES) == NOW - timedelta(days=30)
    assert cut(Data.KUDOS) == NOW - timedelta(days=365)
    assert cut(Data.DIALOGS) == NOW - timedelta(days=30)
    assert cut(Data.NUDGES) == TODAY - timedelta(days=365)
    assert type(cut(Data.NUDGES)) is date and isinstance(cut(Data.KUDOS), datetime)


def test_each_limit_moves_only_its_own_rule() -> None:
    default = {d.rule.data: d.before for d in due(Retention(), NOW, TODAY)}
    shorter = {d.rule.data: d.before for d in due(Retention(message_days=7), NOW, TODAY)}
    assert {k for k in Data if default[k] != shorter[k]} == {Data.SENT_MESSAGES}
