"""Danish texts: ledger."""

TEXTS: dict[str, str] = {}
