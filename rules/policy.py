"""Follow-up policies as data: one YAML file per policy in `policies/`, validated by pydantic.

A policy says when a leader follows up on an employee's absence (1-5-15 contact, "3 periods in
90 days", the statutory deadlines ...). Every model forbids unknown fields, so a typo in a policy
file is an error with the file and the field named, never a rule that silently does nothing.

The law is written once, in `policies/statutory.yaml`; every other file says `extends: statutory`.
`load_policies` resolves `extends` against the ids in the same folder: a policy follows its own
rules first, in its order, then its parent's (and so on up the chain). A rule of its own with the
same id as a parent's overrides it, in the child's place; everything else the child defines
(name, counting, counts, escalation, advis) is its own and applies to the inherited rules too.
A file with `abstract: true` is only a base to extend and is not offered as a policy. An unknown
parent or a cycle is a PolicyError naming the file.

Texts in a rule (`why`, `guidance`) may use placeholders, filled in per follow-up by
`rules.followups`. Which ones a rule kind offers is listed on the kind (`PLACEHOLDERS`);
dates are written the Danish way in `da` and as ISO dates in `en`:

    {day}        absence day number (contact_days, deadline)
    {week}       absence week number (week_contact)
    {first_day}  first day of the absence period the follow-up is about
    {last_day}   last day of that period (after_return)
    {deadline}   the legal deadline (deadline)
    {count}      periods within the window (periods_within)
    {periods}    {within}  the rule's own numbers (periods_within)
    {days}       the rule's number of days (consecutive_days, yearly_total, rolling_total)
    {total}      sick days counted by the rule
    {year}       {quarter}  (yearly_total)
    {months}     (rolling_total)
    {nth}        the threshold that applied to this employee (after_nth_day)
"""

from __future__ import annotations

import string
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Self

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

POLICY_DIR = Path(__file__).resolve().parents[1] / "policies"

Counting = Literal["calendar_days", "working_days"]
CountedKind = Literal["sick", "partly_sick", "child_sick"]
Guide = Literal["contact", "absence_conversation", "frequent", "long", "return", "statutory"]
Recipient = Literal["leader", "hr"]
# Ids end up in follow-up keys joined by ":", and in file names and admin commands.
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class PolicyError(ValueError):
    """A policy file that cannot be used; the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Texts(_Strict):
    da: NonEmpty
    en: NonEmpty

    def placeholders(self) -> tuple[set[str], set[str]]:
        """The placeholder names used in each language."""
        return _fields(self.da), _fields(self.en)


def _fields(text: str) -> set[str]:
    # Formatter.parse raises ValueError on a stray brace, which pydantic reports with the field.
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _check_placeholders(texts: Texts, allowed: frozenset[str]) -> Texts:
    da, en = texts.placeholders()
    if da != en:
        raise ValueError(
            f"da and en must use the same placeholders, got {sorted(da)} and {sorted(en)}"
        )
    if unknown := da - allowed:
        raise ValueError(
            f"unknown placeholders {sorted(unknown)}; this rule offers {sorted(allowed)}"
        )
    return texts


def _increasing(values: list[int], what: str) -> list[int]:
    if not values:
        raise ValueError(f"at least one {what} is needed")
    if any(b <= a for a, b in pairwise(values)):
        raise ValueError(f"{what}s must be increasing without repeats")
    return values


class Escalation(_Strict):
    """Overdue thresholds in working days after a follow-up's deadline (Viborg's chain)."""

    remind_after_working_days: int = Field(default=2, ge=0)
    escalate_after_working_days: int = Field(default=5, ge=0)

    @model_validator(mode="after")
    def _escalate_after_reminding(self) -> Self:
        if self.escalate_after_working_days < self.remind_after_working_days:
            raise ValueError(
                "escalate_after_working_days must not be before remind_after_working_days"
            )
        return self


class _Rule(_Strict):
    PLACEHOLDERS: ClassVar[frozenset[str]] = frozenset()
    # Kinds whose numbers are fixed in calendar days or weeks (the law, calendar weeks) refuse a
    # `counting` override rather than ignore it.
    FIXED_COUNTING: ClassVar[bool] = False

    id: Slug
    why: Texts
    guide: Guide
    counting: Counting | None = None
    recipient: Recipient = "leader"
    deadline_days: int | None = Field(default=None, ge=0)

    @field_validator("why")
    @classmethod
    def _why_placeholders(cls, why: Texts) -> Texts:
        return _check_placeholders(why, cls.PLACEHOLDERS)

    @field_validator("counting")
    @classmethod
    def _counting_allowed(cls, counting: Counting | None) -> Counting | None:
        if counting is not None and cls.FIXED_COUNTING:
            raise ValueError("this rule kind counts calendar days; counting cannot be set")
        return counting


def _check_guidance(guidance: dict[int, Texts], keys: list[int], what: str) -> None:
    if extra := set(guidance) - set(keys):
        raise ValueError(f"guidance for {what} {sorted(extra)} that the rule does not have")
    for texts in guidance.values():
        _check_placeholders(texts, frozenset())


class ContactDaysRule(_Rule):
    """Contact on absence days N1, N2, ... (1-5-15, 1-3-10; Hedensted's advis 7-14-21)."""

    PLACEHOLDERS: ClassVar = frozenset({"day", "first_day"})
    kind: Literal["contact_days"]
    days: list[Annotated[int, Field(ge=1)]]
    guidance: dict[int, Texts] = Field(default_factory=dict)

    @field_validator("days")
    @classmethod
    def _days(cls, days: list[int]) -> list[int]:
        return _increasing(days, "day")

    @model_validator(mode="after")
    def _guidance_days(self) -> Self:
        _check_guidance(self.guidance, self.days, "days")
        return self


class WeekContactRule(_Rule):
    """Contact in absence week W, due on its first day, 7*(W-1)+1 (Hjørring: weeks 2 and 6)."""

    PLACEHOLDERS: ClassVar = frozenset({"week", "first_day"})
    FIXED_COUNTING: ClassVar = True
    kind: Literal["week_contact"]
    weeks: list[Annotated[int, Field(ge=1)]]
    guidance: dict[int, Texts] = Field(default_factory=dict)

    @field_validator("weeks")
    @classmethod
    def _weeks(cls, weeks: list[int]) -> list[int]:
        return _increasing(weeks, "week")

    @model_validator(mode="after")
    def _guidance_weeks(self) -> Self:
        _check_guidance(self.guidance, self.weeks, "weeks")
        return self


class PeriodsWithinRule(_Rule):
    """`periods` absence periods starting within `within_days` calendar days (3 in 90)."""

    PLACEHOLDERS: ClassVar = frozenset({"count", "periods", "within", "first_day"})
    FIXED_COUNTING: ClassVar = True
    kind: Literal["periods_within"]
    periods: int = Field(ge=2)
    within_days: int = Field(ge=1, le=366)


class ConsecutiveDaysRule(_Rule):
    """An absence period reaching `days` consecutive absence days (Lemvig: 7)."""

    PLACEHOLDERS: ClassVar = frozenset({"days", "first_day"})
    kind: Literal["consecutive_days"]
    days: int = Field(ge=1)


class YearlyTotalRule(_Rule):
    """`days` sick days in the calendar year: a conversation in each of `quarters` (Lemvig)."""

    PLACEHOLDERS: ClassVar = frozenset({"days", "total", "year", "quarter"})
    kind: Literal["yearly_total"]
    days: int = Field(ge=1)
    quarters: list[Annotated[int, Field(ge=1, le=4)]]

    @field_validator("quarters")
    @classmethod
    def _quarters(cls, quarters: list[int]) -> list[int]:
        return _increasing(quarters, "quarter")


class RollingTotalRule(_Rule):
    """`days` sick days within `months` rolling months (15 in 12)."""

    PLACEHOLDERS: ClassVar = frozenset({"days", "total", "months"})
    kind: Literal["rolling_total"]
    days: int = Field(ge=1)
    months: int = Field(default=12, ge=1, le=24)


class AfterNthDayRule(_Rule):
    """Every new absence period after the employee's `nth` sick day in 12 months (Gladsaxe).

    "After the nth day" means at least `nth` sick days in the 12 months before the new period
    starts. Staff hired less than `new_employee_months` ago are held to `nth_for_new` instead;
    0 follows up every period.
    """

    PLACEHOLDERS: ClassVar = frozenset({"nth", "total", "first_day"})
    kind: Literal["after_nth_day"]
    nth: int = Field(ge=0)
    new_employee_months: int | None = Field(default=None, ge=1)
    nth_for_new: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _new_staff_pair(self) -> Self:
        if (self.new_employee_months is None) != (self.nth_for_new is None):
            raise ValueError("new_employee_months and nth_for_new go together")
        return self


class DeadlineRule(_Rule):
    """A statutory deadline: remind on absence day `day`, due by absence day `deadline_day`.

    Both are calendar absence-day numbers (day 1 = the first sick day), as the law counts.
    With `only_if_long_expected` it applies only when the employee is not expected back within
    `long_expected_weeks` weeks (expected return unknown or later).
    """

    PLACEHOLDERS: ClassVar = frozenset({"day", "deadline", "first_day"})
    FIXED_COUNTING: ClassVar = True
    kind: Literal["deadline"]
    day: int = Field(ge=1)
    deadline_day: int = Field(ge=1)
    only_if_long_expected: bool = False
    long_expected_weeks: int = Field(default=8, ge=1)

    @model_validator(mode="after")
    def _deadline_from_the_law(self) -> Self:
        if self.deadline_day < self.day:
            raise ValueError("deadline_day must not be before day")
        if self.deadline_days is not None:
            raise ValueError(
                "a deadline rule's deadline is deadline_day; deadline_days cannot be set"
            )
        return self


class AfterReturnRule(_Rule):
    """A rask-igen-samtale after an absence period of at least `min_days` sick days."""

    PLACEHOLDERS: ClassVar = frozenset({"total", "first_day", "last_day"})
    kind: Literal["after_return"]
    min_days: int = Field(default=20, ge=1)


Rule = Annotated[
    ContactDaysRule
    | WeekContactRule
    | PeriodsWithinRule
    | ConsecutiveDaysRule
    | YearlyTotalRule
    | RollingTotalRule
    | AfterNthDayRule
    | DeadlineRule
    | AfterReturnRule,
    Field(discriminator="kind"),
]
RULE_KINDS: frozenset[str] = frozenset(
    {
        "contact_days",
        "week_contact",
        "periods_within",
        "consecutive_days",
        "yearly_total",
        "rolling_total",
        "after_nth_day",
        "deadline",
        "after_return",
    }
)


def _sick_and_partly_sick() -> list[CountedKind]:
    return ["sick", "partly_sick"]


class Policy(_Strict):
    id: Slug
    name: Texts
    extends: Slug | None = None
    abstract: bool = False
    counting: Counting = "calendar_days"
    counts: list[CountedKind] = Field(default_factory=_sick_and_partly_sick, min_length=1)
    escalation: Escalation = Field(default_factory=Escalation)
    employee_advis: bool = False
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
    def _unique_rule_ids(cls, rules: list[_Rule]) -> list[_Rule]:
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


# --- files ----------------------------------------------------------------------------------


def load_policy(path: Path) -> Policy:
    """One policy file as written, `extends` not yet resolved; any problem raises PolicyError
    naming the file and the field path."""
    shown = _shown(path)
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PolicyError(f"{shown}: cannot be read: {error.strerror}") from error
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f"line {where.line + 1}: " if where is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise PolicyError(f"{shown}: {line}{problem}") from error
    if not isinstance(data, dict):
        raise PolicyError(f"{shown}: a policy file must be a mapping with id, name and rules")
    try:
        return Policy.model_validate(data)
    except ValidationError as error:
        lines = [f"{shown}: {_field_path(e['loc'])}: {e['msg']}" for e in error.errors()]
        raise PolicyError("\n".join(lines)) from error


def load_policies(folder: Path = POLICY_DIR) -> dict[str, Policy]:
    """Every *.yaml in folder by policy id, `extends` resolved and abstract ones left out;
    two files with one id are an error."""
    files: dict[str, tuple[Path, Policy]] = {}
    for path in sorted(folder.glob("*.yaml")):
        policy = load_policy(path)
        if policy.id in files:
            raise PolicyError(
                f"{_shown(path)}: id: {policy.id!r} is already used by {_shown(files[policy.id][0])}"
            )
        files[policy.id] = (path, policy)
    resolved: dict[str, Policy] = {}
    return {
        policy_id: _resolve(policy_id, files, resolved, ())
        for policy_id, (_, policy) in files.items()
        if not policy.abstract
    }


def _resolve(
    policy_id: str,
    files: dict[str, tuple[Path, Policy]],
    resolved: dict[str, Policy],
    chain: tuple[str, ...],
) -> Policy:
    """The policy with its parents' rules after its own; `chain` holds the children on the way
    here, to tell a cycle from a parent shared by many."""
    if policy_id in resolved:
        return resolved[policy_id]
    path, policy = files[policy_id]
    parent_id = policy.extends
    if parent_id is not None:
        chain = (*chain, policy_id)
        if parent_id in chain:
            cycle = " -> ".join((*chain[chain.index(parent_id) :], parent_id))
            raise PolicyError(f"{_shown(path)}: extends: a cycle: {cycle}")
        if parent_id not in files:
            raise PolicyError(
                f"{_shown(path)}: extends: no policy {parent_id!r} in {_shown(path.parent)}"
            )
        parent = _resolve(parent_id, files, resolved, chain)
        own = {rule.id for rule in policy.rules}
        rules = [*policy.rules, *(rule for rule in parent.rules if rule.id not in own)]
        policy = policy.model_copy(update={"rules": rules})
    resolved[policy_id] = policy
    return policy


def _shown(path: Path) -> str:
    # Files of the project are shown as "policies/x.yaml", wherever the process runs from.
    try:
        return path.resolve().relative_to(POLICY_DIR.parent).as_posix()
    except ValueError:
        return str(path)


def _field_path(loc: tuple[int | str, ...]) -> str:
    # pydantic puts the discriminator's tag into the location ("rules.2.periods_within.periods");
    # the file has no such level, so it is left out.
    parts = [
        str(part)
        for i, part in enumerate(loc)
        if not (part in RULE_KINDS and i > 0 and isinstance(loc[i - 1], int))
    ]
    return ".".join(parts) or "(top level)"
