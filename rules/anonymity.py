"""Anonymity thresholds for check-in answers, the same in every view and export.

Aggregates only from MIN_AGGREGATE people who answered, comments only from MIN_COMMENTS and
never with names (the common norm: Viva Glint; Arbejdstilsynet's n >= 5). When units are shown
up the tree, a unit's figure minus its shown sub-units must not single out a small group
either (Glint's subtraction rule), so sub-units are hidden until the remainder is safe.
"""

from __future__ import annotations

from collections.abc import Mapping

MIN_AGGREGATE = 5
MIN_COMMENTS = 10


def may_show_aggregate(respondents: int) -> bool:
    return respondents >= MIN_AGGREGATE


def may_show_comments(respondents: int) -> bool:
    return respondents >= MIN_COMMENTS


def visible_units(respondents: Mapping[str, int], parent_of: Mapping[str, str | None]) -> set[str]:
    """Which units' aggregates may be shown. `respondents` counts a unit's whole subtree.

    Top down: a unit below the threshold is hidden; among a shown unit's children, the
    smallest shown ones are hidden until the rest of the unit (itself minus the shown
    children) is either nobody or at least MIN_AGGREGATE people.
    """
    children: dict[str | None, list[str]] = {}
    for unit in respondents:
        parent = parent_of.get(unit)
        children.setdefault(parent if parent in respondents else None, []).append(unit)
    shown: set[str] = set()

    def visit(unit: str) -> None:
        kids = [k for k in children.get(unit, []) if may_show_aggregate(respondents[k])]
        kids.sort(key=lambda k: (respondents[k], k))
        while kids:
            rest = respondents[unit] - sum(respondents[k] for k in kids)
            if rest == 0 or rest >= MIN_AGGREGATE:
                break
            kids.pop(0)
        for kid in kids:
            shown.add(kid)
            visit(kid)

    for root in children.get(None, []):
        if may_show_aggregate(respondents[root]):
            shown.add(root)
            visit(root)
    return shown
