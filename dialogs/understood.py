"""Whole messages that are no command, read when no dialog is going on.

Phrases that plainly mean "I am sick" ("jeg har feber", "kan ikke komme på arbejde i dag",
"I'm sick", "🤒") start the quick sick report; greetings and thanks get a short friendly answer;
"fortryd" says there is nothing to undo. Commands are read first (dialogs/commands.py), so
"rask", "grøn", "status" and "syg hjem" are never taken for these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dialogs.commands import Intent, normalise
from dialogs.symptoms import symptoms_in

# Whole messages, outside a dialog. Greetings and thanks get a short friendly answer.
SMALL_TALK: dict[str, Intent] = {
    **dict.fromkeys(
        [
            "hej",
            "hejsa",
            "hey",
            "hi",
            "hello",
            "godmorgen",
            "god morgen",
            "morgen",
            "goddag",
            "god dag",
            "good morning",
            "morning",
            "hej naervaer",
            "hi naervaer",
        ],
        Intent.GREETING,
    ),
    **dict.fromkeys(
        [
            "tak",
            "mange tak",
            "tusind tak",
            "tak for det",
            "tak skal du have",
            "thanks",
            "thank you",
            "thanks a lot",
            "thx",
            "ty",
            "👍",
            "🙏",
        ],
        Intent.THANKS,
    ),
    **dict.fromkeys(
        ["fortryd", "annuller", "annullér", "afbryd", "cancel"], Intent.NOTHING_TO_UNDO
    ),
}
# Phrases (whole words, anywhere in the message) that plainly mean "I am ill today".
SICK_PHRASES = (
    "er syg",
    "blevet syg",
    "er sløj",
    "føler mig syg",
    "føler mig sløj",
    "syg i dag",
    "sløj",
    "utilpas",
    "melder mig syg",
    "melder syg",
    "sygemelde mig",
    "sygemelder mig",
    "kan ikke komme",
    "kommer ikke på arbejde",
    "kommer ikke ind",
    "kan ikke arbejde",
    "bliver hjemme",
    "må blive hjemme",
    "kan ikke møde",
    "i am ill",
    "i'm ill",
    "im ill",
    "feel sick",
    "feeling sick",
    "feel ill",
    "feeling ill",
    "unwell",
    "under the weather",
    "sick today",
    "off sick",
    "calling in sick",
    "call in sick",
    "can't come in",
    "cant come in",
    "cannot come in",
    "can't make it",
    "cannot make it",
    "can't work",
    "cannot work",
    "won't be in",
    "wont be in",
    "not coming in",
    "staying home",
    "staying at home",
    "is sick",
    "are sick",
    "i am sick",
    "i'm sick",
    "im sick",
    "got sick",
)
# ... unless the message says the opposite ("jeg er ikke syg længere", "no longer sick").
NOT_SICK_PHRASES = (
    "ikke syg",
    "ikke længere syg",
    "ikke sløj",
    "rask",
    "not sick",
    "no longer sick",
    "not ill",
    "better now",
    "have been sick",
    "was sick",
    "var syg",
)
CHILD_WORDS = (
    "barn",
    "barns",
    "child's",
    "barnet",
    "børn",
    "børnene",
    "søn",
    "sønnen",
    "datter",
    "datteren",
    "lille",
    "child",
    "kid",
    "kids",
    "son",
    "daughter",
    "baby",
)
CHILD_SICK_WORDS = ("syg", "sygedag", "sick", "ill", "sick day")
ENGLISH_HINTS = frozenset(
    {
        "i",
        "i'm",
        "im",
        "have",
        "a",
        "the",
        "can't",
        "cant",
        "cannot",
        "sick",
        "ill",
        "my",
        "today",
        "feel",
        "feeling",
        "won't",
        "not",
        "come",
        "in",
        "is",
        "am",
        "got",
        "good",
        "morning",
        "thanks",
        "thank",
        "you",
        "hello",
        "hi",
        "cancel",
        "staying",
        "home",
        "kid",
        "child",
        "child's",
        "first",
        "day",
        "son",
        "daughter",
        "fever",
        "flu",
        "headache",
    }
)
_EMOJI_TAIL = re.compile(r"[\s!.,;:)(\-]*(?:[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F]+)?$")


@dataclass(frozen=True)
class Understood:
    """What a whole message means outside a dialog, and the language its words chose."""

    intent: Intent
    language: str | None = None


def understood(text: str) -> Understood | None:
    """Small talk, "fortryd" with nothing to undo, or a message that says its writer is ill."""
    said = normalise(text)
    plain = _EMOJI_TAIL.sub("", said).strip() or said
    if plain in SMALL_TALK or said in SMALL_TALK:
        return Understood(SMALL_TALK.get(plain) or SMALL_TALK[said], _language(plain))
    padded = f" {said} "
    if any(f" {phrase} " in padded for phrase in NOT_SICK_PHRASES):
        return None
    child = any(f" {word} " in padded for word in CHILD_WORDS)
    if child and any(f" {word} " in padded for word in CHILD_SICK_WORDS):
        # "barn syg", "barns første sygedag", "child sick": not commands, so that typed in the
        # step-by-step dialog they still answer its first question
        return Understood(Intent.CHILD_SICK, _language(said))
    if not (symptoms_in(said) or any(f" {phrase} " in padded for phrase in SICK_PHRASES)):
        return None
    return Understood(Intent.CHILD_SICK if child else Intent.SICK_SAID, _language(said))


def _language(said: str) -> str | None:
    """'en' when most words are English ones (a Danish message has almost none of them)."""
    words = [w.strip("'") for w in said.split() if w.isalpha() or "'" in w]
    english = sum(1 for w in words if w in ENGLISH_HINTS or f"{w}'" in ENGLISH_HINTS)
    return "en" if words and english * 2 > len(words) else None
