"""The one absence-kind table agrees with everything that names kinds."""

from __future__ import annotations

from typing import get_args

from bot.texts import LANGUAGES
from rules.absence_kinds import AWAY, KINDS, SICKNESS, AbsenceKind, AbsenceStatus
from rules.figures import COUNTED
from rules.policy import CountedKind


def test_every_kind_has_one_row_and_its_texts():
    assert set(KINDS) == set(AbsenceKind)
    for kind, info in KINDS.items():
        for texts in LANGUAGES.values():
            assert f"kind_{kind}" in texts
            assert info.card_title in texts


def test_an_akutdag_is_never_sickness_and_never_counts():
    emergency = KINDS[AbsenceKind.EMERGENCY_DAY]
    assert AbsenceKind.EMERGENCY_DAY not in SICKNESS
    assert not (emergency.counts_in_figures or emergency.may_count_in_policy)


def test_policies_may_count_exactly_the_kinds_the_table_allows():
    allowed = {str(k) for k, info in KINDS.items() if info.may_count_in_policy}
    assert set(get_args(CountedKind)) == allowed


def test_figures_count_sick_and_partly_sick_but_not_a_childs_sick_day():
    assert COUNTED == {"sick", "partly_sick"}


def test_a_requested_akutdag_already_keeps_someone_away_but_a_declined_one_does_not():
    assert AbsenceStatus.REQUESTED in AWAY and AbsenceStatus.DECLINED not in AWAY
