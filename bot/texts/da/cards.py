"""Danish texts: cards."""

TEXTS: dict[str, str] = {}
