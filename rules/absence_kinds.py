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


@dataclass(frozen=True)
class KindInfo:
    kind: AbsenceKind
    symbol: str  # shown next to the colour, so colour is never the only signal
    colour: str  # contrast on white and for colour-blind readers
    is_sickness: bool  # an open period of it is "sick" (status, raskmelding, overlap)
    counts_in_figures: bool  # sickness percentage and the unit figures
    card_title: str  # text key of the leader's card title
    may_count_in_policy: bool  # a policy's `counts:` may name it


KINDS: dict[AbsenceKind, KindInfo] = {
    info.kind: info
    for info in (
        KindInfo(AbsenceKind.SICK, "🟥", "#c62828", True, True, "leader_card_title", True),
        KindInfo(
            AbsenceKind.PARTLY_SICK, "🟧", "#ef6c00", True, True, "leader_card_title_partial", True
        ),
        KindInfo(
            AbsenceKind.CHILD_SICK, "🟦", "#1565c0", True, False, "leader_card_title_child", True
        ),
        KindInfo(
            AbsenceKind.EMERGENCY_DAY, "⬜", "#6d6d6d", False, False, "leader_card_title", False
        ),
    )
}
# Off work on a day a period covers, whether reported, asked for (an akutdag awaiting its
# answer) or already over: the check-in does not ask them and the team day counts them away.
AWAY = (AbsenceStatus.OPEN, AbsenceStatus.CLOSED, AbsenceStatus.REQUESTED)
SICKNESS = tuple(k for k, info in KINDS.items() if info.is_sickness)
COUNTED_IN_FIGURES = frozenset(str(k) for k, info in KINDS.items() if info.counts_in_figures)
SYMBOLS = {str(k): info.symbol for k, info in KINDS.items()}
COLOURS = {str(k): info.colour for k, info in KINDS.items()}
