"""The ledger rule: what a new period meeting a person's live periods means."""

from __future__ import annotations

from datetime import date

from rules.absence_kinds import AbsenceKind
from rules.ledger import Meet, NewPeriod, Period, decide, overlaps

SICK, PARTLY, CHILD, AKUT = (
    AbsenceKind.SICK,
    AbsenceKind.PARTLY_SICK,
    AbsenceKind.CHILD_SICK,
    AbsenceKind.EMERGENCY_DAY,
)
MON, TUE, WED, THU, FRI = (date(2026, 11, d) for d in (23, 24, 25, 26, 27))


def period(kind, first, last=None, by="e1", id=1) -> Period:
    return Period(id, kind, first, last, by)


def new(kind, first, last=None, by="e1") -> NewPeriod:
    return NewPeriod(kind, first, last, by)


def test_nothing_live_means_add():
    assert decide(new(SICK, TUE), []).meet == Meet.ADD
    assert decide(new(SICK, WED), [period(SICK, MON, TUE)]).meet == Meet.ADD


def test_an_akutdag_on_any_day_off_is_refused():
    for kind in (SICK, PARTLY, CHILD, AKUT):
        decision = decide(new(AKUT, WED, WED), [period(kind, TUE, None if kind != AKUT else WED)])
        assert decision.refused and decision.period is not None


def test_a_second_report_of_the_same_sickness_by_someone_else_merges():
    decision = decide(new(SICK, TUE, by="e1"), [period(SICK, TUE, by="l1")])
    assert decision.meet == Meet.MERGE and decision.period.id == 1


def test_the_same_person_reporting_again_is_told_since_when():
    decision = decide(new(SICK, WED), [period(SICK, MON)])
    assert decision.refused and decision.period.first_day == MON


def test_fully_sick_on_a_partial_day_ends_the_partial_period_the_day_before():
    assert decide(new(SICK, WED), [period(PARTLY, MON, FRI)]).meet == Meet.END_EARLIER
    assert decide(new(SICK, WED), [period(PARTLY, MON)]).meet == Meet.END_EARLIER


def test_fully_sick_on_the_partial_periods_first_day_converts_it():
    assert decide(new(SICK, MON), [period(PARTLY, MON, FRI)]).meet == Meet.CONVERT


def test_a_bounded_report_inside_a_longer_period_is_refused():
    assert decide(new(PARTLY, WED, THU), [period(SICK, MON, FRI)]).refused


def test_child_sick_day_and_own_sickness_do_not_mix_on_one_day():
    assert decide(new(CHILD, WED, WED), [period(SICK, MON)]).refused
    assert decide(new(SICK, WED), [period(CHILD, WED, WED)]).refused


def test_an_earlier_start_of_a_planned_period_extends_it():
    assert decide(new(SICK, TUE), [period(SICK, THU)]).meet == Meet.EXTEND
    assert decide(new(PARTLY, TUE), [period(SICK, THU)]).refused


def test_a_sickness_takes_over_a_planned_akutdag():
    akut = period(AKUT, THU, THU, id=7)
    decision = decide(new(SICK, TUE), [akut])
    assert decision.meet == Meet.ADD and decision.withdraw == (akut,)
    # An akutdag that began before the sickness is not taken away.
    assert decide(new(SICK, THU), [period(AKUT, THU, THU)]).withdraw != ()
    assert decide(new(SICK, FRI, by="x"), [period(AKUT, THU, FRI)]).refused


def test_two_periods_met_at_once_are_refused():
    live = [period(PARTLY, MON, TUE, id=1), period(SICK, THU, id=2)]
    assert decide(new(SICK, TUE), live).refused


def test_overlaps_finds_shared_days_only():
    assert not overlaps([period(SICK, MON, TUE), period(PARTLY, WED, FRI)])
    assert overlaps([period(SICK, MON), period(AKUT, FRI, FRI)])
    assert overlaps([period(SICK, MON, WED), period(CHILD, WED, WED)])
