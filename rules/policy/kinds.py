"""The rule kinds a policy may use, one model each, told apart by `kind`; how each is evaluated
and explained lives beside it in rules/followups/ (one module per kind).

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

from itertools import pairwise
from typing import Annotated, ClassVar, Literal, Self

from pydantic import Field, field_validator, model_validator

from rules.policy.base import Counting, Slug, Texts, check_placeholders
from rules.policy.parts import AdvisRole, Grounds, Guidance, LongExpected

Guide = Literal["contact", "absence_conversation", "frequent", "long", "return", "statutory"]
Recipient = Literal["leader", "hr"]


def _increasing(values: list[int], what: str) -> list[int]:
    if not values:
        raise ValueError(f"at least one {what} is needed")
    if any(b <= a for a, b in pairwise(values)):
        raise ValueError(f"{what}s must be increasing without repeats")
    return values


class RuleBase(Grounds):
    PLACEHOLDERS: ClassVar[frozenset[str]] = frozenset()
    # Kinds whose numbers are fixed in calendar days or weeks (the law, calendar weeks) refuse a
    # `counting` override rather than ignore it.
    FIXED_COUNTING: ClassVar[bool] = False

    id: Slug
    why: Texts
    guide: Guide
    counting: Counting | None = None
    recipient: Recipient = "leader"
    # Told besides the recipient (Lemvig: the area leader too); the employee also when the
    # policy's employee_advis says so.
    advis: list[AdvisRole] = Field(default_factory=list)
    deadline_days: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _advis_once(self) -> Self:
        if len(set(self.advis)) != len(self.advis):
            raise ValueError("advis: each role may be listed once")
        if self.recipient in self.advis:
            raise ValueError(f"advis: {self.recipient!r} is the recipient already")
        return self

    @field_validator("why")
    @classmethod
    def _why_placeholders(cls, why: Texts) -> Texts:
        return check_placeholders(why, cls.PLACEHOLDERS)

    @field_validator("counting")
    @classmethod
    def _counting_allowed(cls, counting: Counting | None) -> Counting | None:
        if counting is not None and cls.FIXED_COUNTING:
            raise ValueError("this rule kind counts calendar days; counting cannot be set")
        return counting


def _check_guidance(guidance: dict[int, Guidance], keys: list[int], what: str) -> None:
    if extra := set(guidance) - set(keys):
        raise ValueError(f"guidance for {what} {sorted(extra)} that the rule does not have")
    for texts in guidance.values():
        check_placeholders(texts, frozenset())


class ContactDaysRule(RuleBase):
    """Contact on absence days N1, N2, ... (1-5-15, 1-3-10; Hedensted's advis 7-14-21)."""

    PLACEHOLDERS: ClassVar = frozenset({"day", "first_day"})
    kind: Literal["contact_days"]
    days: list[Annotated[int, Field(ge=1)]]
    guidance: dict[int, Guidance] = Field(default_factory=dict)
    # "i løbet af første fraværsdag eller på førstkommende hverdag" (seed 002 ch. 3): a first
    # day that is no weekday (Monday-Friday, not a holiday) falls due on the next one, the
    # leader's working day, even for staff who work weekends.
    day_one_on_weekday: bool = False

    @field_validator("days")
    @classmethod
    def _days(cls, days: list[int]) -> list[int]:
        return _increasing(days, "day")

    @model_validator(mode="after")
    def _guidance_days(self) -> Self:
        _check_guidance(self.guidance, self.days, "days")
        return self


class WeekContactRule(RuleBase, LongExpected):
    """Contact in absence week W, due on its first day, and done by its last (Hjørring: weeks
    2 and 6). `week` says what a week is: absence_days (week W = days 7*(W-1)+1 to 7*W) or
    calendar_week (week 1 = the Monday-Sunday week of the first day)."""

    PLACEHOLDERS: ClassVar = frozenset({"week", "first_day"})
    FIXED_COUNTING: ClassVar = True
    kind: Literal["week_contact"]
    weeks: list[Annotated[int, Field(ge=1)]]
    week: Literal["absence_days", "calendar_week"] = "absence_days"
    guidance: dict[int, Guidance] = Field(default_factory=dict)

    @field_validator("weeks")
    @classmethod
    def _weeks(cls, weeks: list[int]) -> list[int]:
        return _increasing(weeks, "week")

    @model_validator(mode="after")
    def _guidance_weeks(self) -> Self:
        _check_guidance(self.guidance, self.weeks, "weeks")
        return self


class PeriodsWithinRule(RuleBase):
    """`periods` absence periods starting within `within_days` calendar days (3 in 90)."""

    PLACEHOLDERS: ClassVar = frozenset({"count", "periods", "within", "first_day"})
    FIXED_COUNTING: ClassVar = True
    kind: Literal["periods_within"]
    periods: int = Field(ge=2)
    within_days: int = Field(ge=1, le=366)


class ConsecutiveDaysRule(RuleBase):
    """An absence period reaching `days` consecutive absence days (Lemvig: 7)."""

    PLACEHOLDERS: ClassVar = frozenset({"days", "first_day"})
    kind: Literal["consecutive_days"]
    days: int = Field(ge=1)


class YearlyTotalRule(RuleBase):
    """`days` sick days in the calendar year: a conversation in each of `quarters` (Lemvig)."""

    PLACEHOLDERS: ClassVar = frozenset({"days", "total", "year", "quarter"})
    kind: Literal["yearly_total"]
    days: int = Field(ge=1)
    quarters: list[Annotated[int, Field(ge=1, le=4)]]

    @field_validator("quarters")
    @classmethod
    def _quarters(cls, quarters: list[int]) -> list[int]:
        return _increasing(quarters, "quarter")


class RollingTotalRule(RuleBase):
    """`days` sick days within `months` rolling months (15 in 12)."""

    PLACEHOLDERS: ClassVar = frozenset({"days", "total", "months"})
    kind: Literal["rolling_total"]
    days: int = Field(ge=1)
    months: int = Field(default=12, ge=1, le=24)


class AfterNthDayRule(RuleBase):
    """Every new absence period after the employee's `nth` sick day in 12 months (Gladsaxe).

    "After the nth day" means at least `nth` sick days in the 12 months before the new period
    starts. Staff hired less than `new_employee_months` ago are held to `nth_for_new` instead;
    0 follows up every period.
    """

    PLACEHOLDERS: ClassVar = frozenset({"nth", "total", "first_day"})
    kind: Literal["after_nth_day"]
    nth: int = Field(ge=0)
    # "efter en medarbejders 15. sygefraværsdag på et år" (Gladsaxe): the 12 months before the
    # new period, or the calendar year it starts in.
    year: Literal["last_12_months", "calendar_year"] = "last_12_months"
    new_employee_months: int | None = Field(default=None, ge=1)
    nth_for_new: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _new_staff_pair(self) -> Self:
        if (self.new_employee_months is None) != (self.nth_for_new is None):
            raise ValueError("new_employee_months and nth_for_new go together")
        return self


class DeadlineRule(RuleBase, LongExpected):
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

    @model_validator(mode="after")
    def _deadline_from_the_law(self) -> Self:
        if self.deadline_day < self.day:
            raise ValueError("deadline_day must not be before day")
        if self.deadline_days is not None:
            raise ValueError(
                "a deadline rule's deadline is deadline_day; deadline_days cannot be set"
            )
        return self


class AfterReturnRule(RuleBase):
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
