"""The condition "a long absence is expected" that deadline and week_contact rules may carry."""

from __future__ import annotations

from datetime import timedelta

from rules.followups.context import Absence
from rules.policy import LongExpected


def long_expected(rule: LongExpected, absence: Absence) -> bool:
    """No return expected within the rule's weeks; an unknown return counts as the rule says."""
    expected = absence.expected_return
    if expected is None:
        return rule.unknown_is_long
    return expected > absence.first + timedelta(weeks=rule.long_expected_weeks)
