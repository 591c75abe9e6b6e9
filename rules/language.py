"""Which of our languages a person reads: Danish unless their Teams locale is one we speak."""

from __future__ import annotations

LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"


def language_of(locale: str | None, default_locale: str = "da-DK") -> str:
    """'en-GB' -> 'en'; anything we do not speak falls back to the default (Danish)."""
    for candidate in (locale, default_locale):
        if candidate:
            code = candidate.replace("_", "-").split("-")[0].lower()
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE
