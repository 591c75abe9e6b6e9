"""The one table of absence kinds: what each is called, how it is drawn and whether it counts.

Cards, the tab (calendar colours, legend, CSS), figures and the policy files read this table;
adding a kind is one row here, its texts in bot/texts, and a migration for the database enum.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class AbsenceKind(enum.StrEnum):
    SICK = "sick"
    PARTLY_SICK = "partly_sick"
    CHILD_SICK = "child_sick"  # barns første sygedag
    EMERGENCY_DAY = "emergency_day"  # akutdag: never sickness


class AbsenceStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    REQUESTED = "requested"  # an akutdag waiting for the leader
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # taken back by the employee: kept for the audit, counts nowhere


@dataclass(frozen=True)
class KindInfo:
    kind: AbsenceKind
    symbol: str  # shown next to the colour, so colour is never the only signal
    colour: str  # contrast on white and for colour-blind readers
    is_sickness: bool  # an open period of it is "sick" (status, raskmelding, overlap)
    counts_in_figures: bool  # sickness percentage and the unit figures
    card_title: str  # text key of the leader's card title
    may_count_in_policy: bool  # a policy's `counts:` may name it
    may_be_work_injury: bool  # the leader's card offers "mark as work injury"


KINDS: dict[AbsenceKind, KindInfo] = {
    info.kind: info
    for info in (
        KindInfo(
            kind=AbsenceKind.SICK,
            symbol="🟥",
            colour="#c62828",
            is_sickness=True,
            counts_in_figures=True,
            card_title="leader_card_title",
            may_count_in_policy=True,
            may_be_work_injury=True,
        ),
        KindInfo(
            kind=AbsenceKind.PARTLY_SICK,
            symbol="🟧",
            colour="#ef6c00",
            is_sickness=True,
            counts_in_figures=True,
            card_title="leader_card_title_partial",
            may_count_in_policy=True,
            may_be_work_injury=True,
        ),
        KindInfo(
            kind=AbsenceKind.CHILD_SICK,
            symbol="🟦",
            colour="#1565c0",
            is_sickness=True,
            counts_in_figures=False,
            card_title="leader_card_title_child",
            may_count_in_policy=True,
            may_be_work_injury=False,
        ),
        KindInfo(
            kind=AbsenceKind.EMERGENCY_DAY,
            symbol="⬜",
            colour="#6d6d6d",
            is_sickness=False,
            counts_in_figures=False,
            card_title="leader_card_title",
            may_count_in_policy=False,
            may_be_work_injury=False,
        ),
    )
}
# Off work on a day a period covers, whether reported, asked for (an akutdag awaiting its
# answer) or already over: the check-in does not ask them and the team day counts them away.
AWAY = (AbsenceStatus.OPEN, AbsenceStatus.CLOSED, AbsenceStatus.REQUESTED)
# In the ledger: a person's periods in these statuses never overlap (rules/ledger.py, and the
# database's exclusion constraint or trigger, migration 0009).
LIVE = AWAY
# Out of reach for a report to them (routing passes it on): an open period of any kind but
# partial sickness, since someone partly back still reads their messages.
OUT_OF_REACH = (AbsenceStatus.OPEN,)
OUT_OF_REACH_KINDS = tuple(k for k in AbsenceKind if k != AbsenceKind.PARTLY_SICK)
SICKNESS = tuple(k for k, info in KINDS.items() if info.is_sickness)
COUNTED_IN_FIGURES = frozenset(str(k) for k, info in KINDS.items() if info.counts_in_figures)
SYMBOLS = {str(k): info.symbol for k, info in KINDS.items()}
COLOURS = {str(k): info.colour for k, info in KINDS.items()}
