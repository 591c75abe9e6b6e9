"""English texts: cards."""

TEXTS: dict[str, str] = {}
