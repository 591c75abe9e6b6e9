"""Danish texts: routing."""

TEXTS: dict[str, str] = {}
