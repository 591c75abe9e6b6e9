"""Who may act and who may see whom: one definition of each, used by the chat and the tab."""

from __future__ import annotations

import enum
from collections.abc import Iterable


class Role(enum.StrEnum):
    EMPLOYEE = "employee"
    LEADER = "leader"
    HR = "hr"
    ADMIN = "admin"


# Roles that lead by position: a person with one of them may use the leader's commands and
# pages (team view, team day, follow-ups, on-behalf reports) even before anyone reports to
# them. Anyone others report to has the leader role: the organisation import promotes them.
LEADING_ROLES = frozenset({Role.LEADER, Role.HR, Role.ADMIN})


def is_leader(role: str) -> bool:
    """The one definition of a leader, for the chat and the tab alike."""
    return role in LEADING_ROLES


def leads_unit(member_id: str, role: str, members: Iterable[tuple[str, str | None]]) -> bool:
    """Whether this member of a unit leads it (its team-day settings; the deputy acts for them
    only while standing in). `members` are the unit's (id, leader id) pairs. The unit's leader
    is the member in a leading role whom other members report to; a unit where nobody reports
    to a member (a new unit, HR's own unit of one) is led by its members in a leading role."""
    pairs = list(members)
    inside = {person for person, _ in pairs}
    led_by = {leader for _, leader in pairs if leader in inside}
    return is_leader(role) and (member_id in led_by or not led_by)


def acts_on_any_sick_report(role: str) -> bool:
    """HR may act on anyone's sick report (the leader's card actions), as the README says, even
    when it was not routed to HR; an akutdag is granted by the leader line alone."""
    return role == Role.HR


def sees_everyone(role: str) -> bool:
    """HR sees every person and unit (and the audit log of who looked)."""
    return role == Role.HR


def may_see_person(viewer_id: str, viewer_role: str, subject_id: str, leads: set[str]) -> bool:
    """Oneself; HR everyone; a leader the people in the units below them."""
    return viewer_id == subject_id or sees_everyone(viewer_role) or subject_id in leads


# The tab's pages in the order the navigation shows them; the first is where a person lands.
LEADER_PAGES = ("team", "trivsel", "organisation", "mig")


def pages_for(role: str) -> tuple[str, ...]:
    """The tab pages a role may open: never offer one the services would refuse."""
    if sees_everyone(role):
        # The payroll office's worklist of hand-off rows to key in (services/payroll.py).
        return (*LEADER_PAGES, "audit", "payroll")
    if is_leader(role):
        return LEADER_PAGES
    return ("mig",)
