"""English texts: quick."""

TEXTS: dict[str, str] = {}
