"""English texts: routing."""

TEXTS: dict[str, str] = {}
