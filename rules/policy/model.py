"""A policy: its name, how it counts, which absence kinds count, escalation, and its rules."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from rules.policy.base import Counting, Slug, Strict, Texts
from rules.policy.kinds import Rule, RuleBase

CountedKind = Literal["sick", "partly_sick", "child_sick"]


EscalationRole = Literal["hr", "leader_above"]


def _to_the_leader_above() -> list[EscalationRole]:
    return ["leader_above"]


class Escalation(Strict):
    """Overdue thresholds in working days after a follow-up's deadline, and who is told when
    it is escalated: the leader above (default), or as Viborg (seed 004: "PO følger op med chef
    -> chef følger op med leder") HR first and then the chef, the leader above."""

    remind_after_working_days: int = Field(default=2, ge=0)
    escalate_after_working_days: int = Field(default=5, ge=0)
    chain: list[EscalationRole] = Field(default_factory=_to_the_leader_above, min_length=1)

    @model_validator(mode="after")
    def _escalate_after_reminding(self) -> Self:
        if self.escalate_after_working_days < self.remind_after_working_days:
            raise ValueError(
                "escalate_after_working_days must not be before remind_after_working_days"
            )
        if len(set(self.chain)) != len(self.chain):
            raise ValueError("chain: each role may be listed once")
        return self


def _sick_and_partly_sick() -> list[CountedKind]:
    return ["sick", "partly_sick"]


class Policy(Strict):
    id: Slug
    name: Texts
    extends: Slug | None = None
    abstract: bool = False
    counting: Counting = "calendar_days"
    counts: list[CountedKind] = Field(default_factory=_sick_and_partly_sick, min_length=1)
    escalation: Escalation = Field(default_factory=Escalation)
    employee_advis: bool = False
    # A partly sick day counts as a whole sick day, or as its share off work (percentage, or
    # hours per week of `week_hours`) in the totals: sick days in a year or in 12 months.
    # Day numbers and consecutive days go on as whole days: the absence continues.
    partly_sick: Literal["whole_days", "fraction"] = "whole_days"
    week_hours: float = Field(default=37.0, gt=0, le=80)
    # Only a policy's own rules until load_policies adds the parent's.
    rules: list[Rule] = Field(default_factory=list)

    @field_validator("counts")
    @classmethod
    def _counts_once(cls, counts: list[str]) -> list[str]:
        if len(set(counts)) != len(counts):
            raise ValueError("each absence kind may be listed once")
        return counts

    @field_validator("rules")
    @classmethod
    def _unique_rule_ids(cls, rules: list[RuleBase]) -> list[RuleBase]:
        seen: set[str] = set()
        for rule in rules:
            if rule.id in seen:
                raise ValueError(f"rule id {rule.id!r} is used twice")
            seen.add(rule.id)
        return rules

    @model_validator(mode="after")
    def _has_rules(self) -> Self:
        if not self.rules and self.extends is None:
            raise ValueError("a policy needs rules, or extends to follow another policy's")
        return self
