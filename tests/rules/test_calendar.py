"""Working days (dagsværk), Danish days off and working hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from rules.calendar import WorkCalendar, absence_day_number

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
MON_FRI = WorkCalendar("12345", COPENHAGEN)
MON_THU = WorkCalendar("1234", COPENHAGEN)


def local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=COPENHAGEN)


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- days off -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),  # nytårsdag
        date(2026, 4, 2),  # skærtorsdag
        date(2026, 4, 3),  # langfredag
        date(2026, 4, 6),  # 2. påskedag
        date(2026, 5, 14),  # Kristi himmelfartsdag
        date(2026, 5, 25),  # 2. pinsedag
        date(2026, 6, 5),  # grundlovsdag, by agreement
        date(2026, 12, 24),  # juleaftensdag, by agreement
        date(2026, 12, 25),  # juledag
        date(2026, 12, 26),  # 2. juledag
        date(2026, 12, 31),  # nytårsaftensdag, by agreement
    ],
)
def test_danish_days_off_2026_are_public_holidays(day: date) -> None:
    assert MON_FRI.is_public_holiday(day)


@pytest.mark.parametrize(
    "day", [date(2026, 5, 1), date(2026, 6, 4), date(2026, 12, 23), date(2026, 12, 30)]
)
def test_ordinary_days_around_holidays_are_not_public_holidays(day: date) -> None:
    assert not MON_FRI.is_public_holiday(day)


def test_store_bededag_is_a_holiday_in_2023() -> None:
    assert MON_FRI.is_public_holiday(date(2023, 5, 5))


@pytest.mark.parametrize("day", [date(2024, 4, 26), date(2025, 5, 16), date(2026, 5, 1)])
def test_store_bededag_is_a_working_day_from_2024(day: date) -> None:
    # The fourth Friday after Easter: abolished as a holiday from 2024.
    assert MON_FRI.is_working_day(day)


# --- working days ---------------------------------------------------------------------------


def test_weekend_and_holidays_are_not_working_days() -> None:
    assert MON_FRI.is_working_day(date(2026, 3, 27))  # Friday
    assert not MON_FRI.is_working_day(date(2026, 3, 28))  # Saturday
    assert not MON_FRI.is_working_day(date(2026, 3, 29))  # Sunday
    assert not MON_FRI.is_working_day(date(2026, 4, 6))  # 2. påskedag, a Monday


def test_dagsvaerk_across_easter_skips_the_weekday_holidays_and_the_weekend() -> None:
    # Mon 30 March to Fri 10 April 2026: ten weekdays; skærtorsdag, langfredag and
    # 2. påskedag are off.
    assert MON_FRI.working_days_between(date(2026, 3, 30), date(2026, 4, 10)) == 7


def test_dagsvaerk_across_christmas_skips_the_agreed_and_public_holidays() -> None:
    # Mon 21 Dec 2026 to Fri 1 Jan 2027: ten weekdays; 24, 25, 31 Dec and 1 Jan are off.
    assert MON_FRI.working_days_between(date(2026, 12, 21), date(2027, 1, 1)) == 6


def test_dagsvaerk_counts_both_ends_and_is_zero_when_end_is_before_start() -> None:
    assert MON_FRI.working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 1
    assert MON_FRI.working_days_between(date(2026, 3, 2), date(2026, 3, 8)) == 5
    assert MON_FRI.working_days_between(date(2026, 3, 3), date(2026, 3, 2)) == 0


def test_monday_to_thursday_schedule_does_not_count_fridays() -> None:
    assert not MON_THU.is_working_day(date(2026, 3, 6))  # Friday
    assert MON_THU.working_days_between(date(2026, 3, 2), date(2026, 3, 15)) == 8
    assert MON_THU.next_working_day(date(2026, 3, 5)) == date(2026, 3, 9)


def test_next_working_day_after_skaertorsdag_is_tuesday_after_easter() -> None:
    assert MON_FRI.next_working_day(date(2026, 4, 1)) == date(2026, 4, 7)


def test_this_or_next_working_day_keeps_a_working_day() -> None:
    assert MON_FRI.this_or_next_working_day(date(2026, 3, 27)) == date(2026, 3, 27)
    assert MON_FRI.this_or_next_working_day(date(2026, 3, 28)) == date(2026, 3, 30)


def test_add_working_days_skips_weekends_and_holidays() -> None:
    assert MON_FRI.add_working_days(date(2026, 3, 28), 0) == date(2026, 3, 30)
    assert MON_FRI.add_working_days(date(2026, 3, 27), 1) == date(2026, 3, 30)
    assert MON_FRI.add_working_days(date(2026, 3, 30), 5) == date(2026, 4, 9)


@pytest.mark.parametrize("workdays", ["", "12348", "Mon"])
def test_a_schedule_must_be_iso_weekday_digits(workdays: str) -> None:
    with pytest.raises(ValueError):
        WorkCalendar(workdays, COPENHAGEN)


# --- working hours --------------------------------------------------------------------------


def test_friday_evening_report_reaches_the_leader_monday_0800() -> None:
    assert MON_FRI.next_working_morning(local(2026, 3, 6, 19, 30)) == local(2026, 3, 9, 8, 0)


def test_saturday_report_reaches_the_leader_monday_0800() -> None:
    assert MON_FRI.next_working_morning(local(2026, 3, 7, 10, 0)) == local(2026, 3, 9, 8, 0)


def test_report_before_0800_on_a_working_day_reaches_the_leader_at_0800() -> None:
    assert MON_FRI.next_working_morning(local(2026, 3, 3, 6, 15)) == local(2026, 3, 3, 8, 0)
    assert MON_FRI.next_working_morning(local(2026, 3, 3, 8, 0)) == local(2026, 3, 3, 8, 0)


def test_report_during_working_hours_reaches_the_leader_next_working_morning() -> None:
    assert MON_FRI.next_working_morning(local(2026, 4, 1, 9, 0)) == local(2026, 4, 7, 8, 0)


def test_next_working_morning_is_in_utc() -> None:
    morning = MON_FRI.next_working_morning(local(2026, 3, 27, 17, 0))
    assert morning.tzinfo is UTC
    assert morning == utc(2026, 3, 30, 6, 0)  # summer time from 29 March


def test_working_time_includes_day_start_and_excludes_day_end() -> None:
    assert not MON_FRI.is_working_time(local(2026, 3, 3, 7, 59))
    assert MON_FRI.is_working_time(local(2026, 3, 3, 8, 0))
    assert MON_FRI.is_working_time(local(2026, 3, 3, 15, 59))
    assert not MON_FRI.is_working_time(local(2026, 3, 3, 16, 0))


def test_working_time_is_judged_in_copenhagen_time() -> None:
    assert MON_FRI.is_working_time(utc(2026, 3, 3, 7, 30))  # 08:30 in Copenhagen
    assert not MON_FRI.is_working_time(utc(2026, 3, 3, 15, 30))  # 16:30 in Copenhagen


def test_no_working_time_on_a_weekend_or_holiday() -> None:
    assert not MON_FRI.is_working_time(local(2026, 3, 7, 10, 0))
    assert not MON_FRI.is_working_time(local(2026, 12, 24, 10, 0))


def test_working_time_follows_the_leaders_hours() -> None:
    early = WorkCalendar("12345", COPENHAGEN, day_start=time(7, 0), day_end=time(15, 0))
    assert early.is_working_time(local(2026, 3, 3, 7, 0))
    assert not early.is_working_time(local(2026, 3, 3, 15, 30))


def test_four_working_hours_from_friday_1500_end_monday_1100() -> None:
    assert MON_FRI.add_working_hours(local(2026, 3, 6, 15, 0), 4) == local(2026, 3, 9, 11, 0)


def test_four_working_hours_from_saturday_end_monday_1200() -> None:
    assert MON_FRI.add_working_hours(local(2026, 3, 7, 10, 0), 4) == local(2026, 3, 9, 12, 0)


def test_four_working_hours_from_tuesday_evening_end_wednesday_1200() -> None:
    assert MON_FRI.add_working_hours(local(2026, 3, 3, 20, 0), 4) == local(2026, 3, 4, 12, 0)


def test_working_hours_within_one_day() -> None:
    assert MON_FRI.add_working_hours(local(2026, 3, 3, 9, 0), 2.5) == local(2026, 3, 3, 11, 30)


def test_working_hours_that_fill_the_day_end_at_day_end() -> None:
    assert MON_FRI.add_working_hours(local(2026, 3, 3, 8, 0), 8) == local(2026, 3, 3, 16, 0)


def test_working_hours_skip_easter() -> None:
    # Wednesday 1 April 15:00: one hour that day, then Thursday to Monday are off.
    assert MON_FRI.add_working_hours(local(2026, 4, 1, 15, 0), 4) == local(2026, 4, 7, 11, 0)


def test_working_hours_across_spring_dst_change() -> None:
    end = MON_FRI.add_working_hours(local(2026, 3, 27, 15, 0), 4)
    assert end == utc(2026, 3, 30, 9, 0)  # 11:00 summer time
    assert end.tzinfo is UTC


def test_working_hours_across_autumn_dst_change() -> None:
    end = MON_FRI.add_working_hours(local(2026, 10, 23, 15, 0), 4)
    assert end == utc(2026, 10, 26, 10, 0)  # 11:00 winter time


def test_zero_working_hours_outside_working_time_wait_for_the_next_morning() -> None:
    assert MON_FRI.add_working_hours(local(2026, 3, 7, 10, 0), 0) == local(2026, 3, 9, 8, 0)


def test_naive_moments_are_refused() -> None:
    with pytest.raises(ValueError):
        MON_FRI.is_working_time(datetime(2026, 3, 3, 9, 0))


# --- absence day numbers --------------------------------------------------------------------


def test_calendar_day_number_counts_every_day() -> None:
    first = date(2026, 3, 27)  # Friday
    assert absence_day_number(first, first, working_days=False, calendar=MON_FRI) == 1
    assert absence_day_number(first, date(2026, 3, 31), working_days=False, calendar=MON_FRI) == 5


def test_working_day_number_skips_the_weekend() -> None:
    first = date(2026, 3, 27)  # Friday
    assert absence_day_number(first, date(2026, 3, 29), working_days=True, calendar=MON_FRI) == 1
    assert absence_day_number(first, date(2026, 3, 30), working_days=True, calendar=MON_FRI) == 2


def test_period_starting_on_saturday_is_day_1_until_monday() -> None:
    first = date(2026, 3, 28)  # Saturday
    assert absence_day_number(first, first, working_days=True, calendar=MON_FRI) == 1
    assert absence_day_number(first, date(2026, 3, 30), working_days=True, calendar=MON_FRI) == 1
    assert absence_day_number(first, date(2026, 3, 31), working_days=True, calendar=MON_FRI) == 2


def test_day_number_before_the_period_is_refused() -> None:
    with pytest.raises(ValueError):
        absence_day_number(date(2026, 3, 3), date(2026, 3, 2), working_days=False, calendar=MON_FRI)


def test_dagsvaerk_of_an_absence_counts_only_working_days_so_far():
    from rules.calendar import absence_working_days

    cal = WorkCalendar("12345", ZoneInfo("Europe/Copenhagen"))
    # Wednesday 1 April to Tuesday 7 April 2026: Easter takes Thu, Fri and Mon.
    assert absence_working_days(date(2026, 4, 1), date(2026, 4, 7), date(2026, 4, 20), cal) == 2
    # Open period, counted to today (Friday 27 Nov 2026 from Tuesday 24 Nov).
    assert absence_working_days(date(2026, 11, 24), None, date(2026, 11, 27), cal) == 4
    # A period planned ahead has none yet.
    assert absence_working_days(date(2026, 11, 30), None, date(2026, 11, 27), cal) == 0
