"""Danish texts: quick."""

TEXTS: dict[str, str] = {}
