"""The follow-up engine's own texts agree with their counts: 1 sygedag, 2 sygedage (issue 14)."""

from __future__ import annotations

from datetime import date

from rules.followups.after_nth_day import BEFORE_PERIOD, SPAN
from rules.followups.after_return import LASTED, NOT_ENDED
from rules.followups.explain import RETURN_EXPECTED
from rules.followups.texts import COUNTED, UNIT, say


def test_one_day_is_singular_and_more_are_plural() -> None:
    one = say(NOT_ENDED, first=date(2026, 3, 2), total=1, unit=COUNTED[False])
    assert one.da == "Fraværet fra 2.3.2026 er ikke slut (1 kalenderdag indtil nu)."
    assert one.en == "The absence from 2026-03-02 has not ended (1 calendar day so far)."
    two = say(LASTED, first=date(2026, 3, 2), total=2, unit=COUNTED[True], days=20)
    assert two.da == "Seneste fravær fra 2.3.2026 varede 2 arbejdsdage; reglen: mindst 20."
    span = SPAN["last_12_months"]
    before = say(BEFORE_PERIOD, total=1, unit=UNIT[True], span=span, first=date(2026, 3, 2), nth=10)
    assert before.da.startswith("1 sygedag (arbejdsdage) de 12 måneder")
    assert before.en.startswith("1 sick day (working days) in the 12 months")
    weeks = say(RETURN_EXPECTED, first=date(2026, 3, 2), expected=date(2026, 3, 9), weeks=1)
    assert "inden for 1 uge;" in weeks.da and "within 1 week;" in weeks.en


def test_numbers_without_words_stay_as_they_are() -> None:
    assert say(("{year} {n:02d}", "{year}"), year=2026, n=7).da == "2026 07"
