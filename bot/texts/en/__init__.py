"""English: one module per area, merged into one table; a key may be defined only once."""

from __future__ import annotations

from bot.texts.en import (
    cards,
    charts,
    chat,
    demo,
    export,
    graph,
    guard,
    ledger,
    payroll,
    quick,
    record,
    routing,
    scope,
    tab,
)
from bot.texts.merge import merged

TEXTS: dict[str, str] = merged(
    chat.TEXTS,
    ledger.TEXTS,
    quick.TEXTS,
    routing.TEXTS,
    cards.TEXTS,
    tab.TEXTS,
    charts.TEXTS,
    export.TEXTS,
    demo.TEXTS,
    guard.TEXTS,
    scope.TEXTS,
    record.TEXTS,
    graph.TEXTS,
    payroll.TEXTS,
)
