"""English texts: ledger."""

TEXTS: dict[str, str] = {}
