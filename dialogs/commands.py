"""Typed commands: every card choice can also be written, in Danish or English."""

from __future__ import annotations

import enum
import re
import unicodedata


class Intent(enum.StrEnum):
    HELP = "help"
    SICK = "sick"
    FIT = "fit"
    GOING_HOME_SICK = "going_home_sick"
    EMERGENCY_DAY = "emergency_day"
    STATUS = "status"
    REGISTER_SICK = "register_sick"
    REGISTER_FIT = "register_fit"
    FOLLOWUPS = "followups"
    DIGEST_ON = "digest_on"
    DIGEST_OFF = "digest_off"
    FOLLOWUP_MORNING = "followup_morning"


COMMANDS: dict[str, Intent] = {
    "hjælp": Intent.HELP,
    "hjaelp": Intent.HELP,
    "help": Intent.HELP,
    "?": Intent.HELP,
    "menu": Intent.HELP,
    "syg": Intent.SICK,
    "jeg er syg": Intent.SICK,
    "sygemelding": Intent.SICK,
    "sick": Intent.SICK,
    "i am sick": Intent.SICK,
    "rask": Intent.FIT,
    "jeg er rask": Intent.FIT,
    "raskmelding": Intent.FIT,
    "fit": Intent.FIT,
    "i am fit": Intent.FIT,
    "går syg hjem": Intent.GOING_HOME_SICK,
    "gar syg hjem": Intent.GOING_HOME_SICK,
    "going home sick": Intent.GOING_HOME_SICK,
    "akutdag": Intent.EMERGENCY_DAY,
    "emergency day": Intent.EMERGENCY_DAY,
    "status": Intent.STATUS,
    "registrér syg": Intent.REGISTER_SICK,
    "registrer syg": Intent.REGISTER_SICK,
    "register sick": Intent.REGISTER_SICK,
    "registrér rask": Intent.REGISTER_FIT,
    "registrer rask": Intent.REGISTER_FIT,
    "register fit": Intent.REGISTER_FIT,
    "opfølgning": Intent.FOLLOWUPS,
    "opfølgninger": Intent.FOLLOWUPS,
    "opfolgning": Intent.FOLLOWUPS,
    "followups": Intent.FOLLOWUPS,
    "follow-ups": Intent.FOLLOWUPS,
    "followup": Intent.FOLLOWUPS,
    "opfølgning samlet": Intent.DIGEST_ON,
    "followups digest": Intent.DIGEST_ON,
    "opfølgning enkeltvis": Intent.DIGEST_OFF,
    "followups single": Intent.DIGEST_OFF,
    "opfølgning kl": Intent.FOLLOWUP_MORNING,
    "opfølgning klokken": Intent.FOLLOWUP_MORNING,
    "opfolgning kl": Intent.FOLLOWUP_MORNING,
    "followups at": Intent.FOLLOWUP_MORNING,
}
_LONGEST = max(len(phrase.split()) for phrase in COMMANDS)
# Teams puts <at>naervaer</at> in front of a message that mentions the bot.
_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", _MENTION.sub(" ", text)).casefold()
    text = re.sub(r"[!.,;:]+", " ", text)
    return " ".join(text.split())


def parse_command(text: str) -> tuple[Intent | None, str]:
    """The intent of the first words (longest phrase wins) and what follows them."""
    words = normalise(text).split()
    if words == ["?"] or (words and words[0] == "?"):
        return Intent.HELP, " ".join(words[1:])
    for size in range(min(_LONGEST, len(words)), 0, -1):
        intent = COMMANDS.get(" ".join(words[:size]))
        if intent is not None:
            return intent, " ".join(words[size:])
    return None, " ".join(words)
