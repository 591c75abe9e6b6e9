"""Parts a rule may carry beside its numbers: who gets advis, what the rule rests on (the law,
the municipality's written policy, its practice or a local choice), guidance with links, and the
condition "a long absence is expected"."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from rules.policy.base import NonEmpty, Strict, Texts

# Who may be told: the employee, the nearest leader (Lemvig's personaleleder), the leader above
# (Lemvig's områdeleder, Viborg's chef) and HR (Viborg's PO).
AdvisRole = Literal["employee", "leader", "leader_above", "hr"]
# law: a statute names the duty (`law` says which); policy: the municipality's written policy
# (a seed); practice: what the municipality does, informally and as needed (seed 002 box 3.9's
# rask-igen-samtale); local_choice: chosen in this file, found in no source.
Basis = Literal["law", "policy", "practice", "local_choice"]
# A web address as a string (stored in a follow-up's JSON as it is): https only, no spaces.
Url = Annotated[str, StringConstraints(pattern=r"^https://[^\s/]+\.[^\s]+$", max_length=500)]


class Link(Strict):
    """A link shown with a rule's guidance (Hedensted: the mulighedserklæring form)."""

    title: Texts
    url: Url


class Guidance(Texts):
    """What a leader is told beside the rule's why, with links to forms and guides."""

    links: list[Link] = Field(default_factory=list)


class LongExpected(Strict):
    """Fields of a rule that may apply only when a long absence is expected: no return
    expected within `long_expected_weeks` weeks of the first day. An absence with no expected
    return counts as long when `unknown_is_long` (the law's fast-track), not when the rule
    needs a prospect of long absence first (Hjørring's "udsigt til et længere forløb")."""

    only_if_long_expected: bool = False
    long_expected_weeks: int = Field(default=8, ge=1)
    unknown_is_long: bool = True


class Grounds(Strict):
    """What a rule rests on; a rule of law names its law."""

    basis: Basis = "policy"
    law: NonEmpty | None = None

    @model_validator(mode="after")
    def _law_named(self) -> Self:
        if self.basis == "law" and self.law is None:
            raise ValueError("a rule with basis law must name it in `law`")
        if self.basis != "law" and self.law is not None:
            raise ValueError("`law` is only for a rule with basis law")
        return self
