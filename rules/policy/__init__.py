"""Follow-up policies as data: one YAML file per policy in `policies/`, validated by pydantic.

A policy says when a leader follows up on an employee's absence (1-5-15 contact, "3 periods in
90 days", the statutory deadlines ...). Every model forbids unknown fields, so a typo in a policy
file is an error with the file and the field named, never a rule that silently does nothing.

Where things are: the shared building blocks (strict models, ids, texts and their placeholders)
in `base`, the rule kinds in `kinds`, the policy itself in `model`, loading files and resolving
`extends` in `files`. Callers import everything from `rules.policy`.
"""

from rules.policy.base import Counting, NonEmpty, Slug, Texts
from rules.policy.files import POLICY_DIR, PolicyError, load_policies, load_policy
from rules.policy.kinds import (
    RULE_KINDS,
    AfterNthDayRule,
    AfterReturnRule,
    ConsecutiveDaysRule,
    ContactDaysRule,
    DeadlineRule,
    Guide,
    PeriodsWithinRule,
    Recipient,
    RollingTotalRule,
    Rule,
    WeekContactRule,
    YearlyTotalRule,
)
from rules.policy.model import CountedKind, Escalation, Policy
from rules.policy.parts import AdvisRole, Basis, Guidance, Link, LongExpected

__all__ = [
    "POLICY_DIR",
    "RULE_KINDS",
    "AdvisRole",
    "AfterNthDayRule",
    "AfterReturnRule",
    "Basis",
    "ConsecutiveDaysRule",
    "ContactDaysRule",
    "CountedKind",
    "Counting",
    "DeadlineRule",
    "Escalation",
    "Guidance",
    "Guide",
    "Link",
    "LongExpected",
    "NonEmpty",
    "PeriodsWithinRule",
    "Policy",
    "PolicyError",
    "Recipient",
    "RollingTotalRule",
    "Rule",
    "Slug",
    "Texts",
    "WeekContactRule",
    "YearlyTotalRule",
    "load_policies",
    "load_policy",
]
