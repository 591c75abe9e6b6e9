"""Every user-facing string, one module per language; Danish is the default."""

from __future__ import annotations

from bot.texts import da, en

LANGUAGES: dict[str, dict[str, str]] = {"da": da.TEXTS, "en": en.TEXTS}
DEFAULT_LANGUAGE = "da"


def language_of(locale: str | None, default_locale: str = "da-DK") -> str:
    """'en-GB' -> 'en'; anything we do not speak falls back to the default (Danish)."""
    for candidate in (locale, default_locale):
        if candidate:
            code = candidate.replace("_", "-").split("-")[0].lower()
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE


def t(language: str, key: str, **params: object) -> str:
    return LANGUAGES.get(language, LANGUAGES[DEFAULT_LANGUAGE])[key].format(**params)
