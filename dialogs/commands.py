"""Typed commands: every card choice can also be written, in Danish or English.

`parse_command` finds a command in the first words (also inside a dialog); dialogs/understood.py
reads the whole messages that are no command.
"""

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
    CHECKIN_GREEN = "checkin_green"
    CHECKIN_YELLOW = "checkin_yellow"
    CHECKIN_RED = "checkin_red"
    CHECKIN_PAUSE = "checkin_pause"
    CHECKIN_STOP = "checkin_stop"
    CHECKIN_START = "checkin_start"
    TEAM = "team"
    KUDOS = "kudos"
    TEAM_DAY = "team_day"
    CHECKIN_DIGEST_TIME = "checkin_digest_time"
    CHECKIN_TIME = "checkin_time"
    PRIVACY = "privacy"
    RED_PING_ON = "red_ping_on"
    RED_PING_OFF = "red_ping_off"
    SICK_SAID = "sick_said"  # "jeg har feber": the quick report, with "no reason needed"
    CHILD_SICK = "child_sick"
    GREETING = "greeting"
    THANKS = "thanks"
    NOTHING_TO_UNDO = "nothing_to_undo"
    OUTLOOK_ON = "outlook_on"
    OUTLOOK_OFF = "outlook_off"


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
    "i'm sick": Intent.SICK,
    "im sick": Intent.SICK,
    "rask": Intent.FIT,
    "jeg er rask": Intent.FIT,
    "raskmelding": Intent.FIT,
    "fit": Intent.FIT,
    "i am fit": Intent.FIT,
    "går syg hjem": Intent.GOING_HOME_SICK,
    "gar syg hjem": Intent.GOING_HOME_SICK,
    "going home sick": Intent.GOING_HOME_SICK,
    "syg hjem": Intent.GOING_HOME_SICK,
    "går hjem syg": Intent.GOING_HOME_SICK,
    "jeg går syg hjem": Intent.GOING_HOME_SICK,
    "jeg går hjem syg": Intent.GOING_HOME_SICK,
    "i'm going home sick": Intent.GOING_HOME_SICK,
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
    "privatliv": Intent.PRIVACY,
    "privacy": Intent.PRIVACY,
    "gdpr": Intent.PRIVACY,
    "grøn": Intent.CHECKIN_GREEN,
    "gron": Intent.CHECKIN_GREEN,
    "green": Intent.CHECKIN_GREEN,
    "gul": Intent.CHECKIN_YELLOW,
    "yellow": Intent.CHECKIN_YELLOW,
    "rød": Intent.CHECKIN_RED,
    "rod": Intent.CHECKIN_RED,
    "red": Intent.CHECKIN_RED,
    "pause": Intent.CHECKIN_PAUSE,
    "stop": Intent.CHECKIN_STOP,
    "start": Intent.CHECKIN_START,
    "team": Intent.TEAM,
    "mit team": Intent.TEAM,
    "my team": Intent.TEAM,
    "skulderklap": Intent.KUDOS,
    "kudos": Intent.KUDOS,
    "teamdag": Intent.TEAM_DAY,
    "dagsfarve": Intent.TEAM_DAY,
    "team day": Intent.TEAM_DAY,
    "tjek-ind kl": Intent.CHECKIN_TIME,
    "tjek ind kl": Intent.CHECKIN_TIME,
    "checkin at": Intent.CHECKIN_TIME,
    "check-in at": Intent.CHECKIN_TIME,
    "tjek-ind oversigt kl": Intent.CHECKIN_DIGEST_TIME,
    "tjek ind oversigt kl": Intent.CHECKIN_DIGEST_TIME,
    "checkin digest at": Intent.CHECKIN_DIGEST_TIME,
    "check-in digest at": Intent.CHECKIN_DIGEST_TIME,
    "rød besked til": Intent.RED_PING_ON,
    "red alerts on": Intent.RED_PING_ON,
    "rød besked fra": Intent.RED_PING_OFF,
    "red alerts off": Intent.RED_PING_OFF,
    "outlook til": Intent.OUTLOOK_ON,
    "outlook on": Intent.OUTLOOK_ON,
    "outlook fra": Intent.OUTLOOK_OFF,
    "ingen outlook": Intent.OUTLOOK_OFF,
    "outlook off": Intent.OUTLOOK_OFF,
}
# A whole message that is one of these English phrases is answered in English, whatever the
# person's Teams locale says: they chose the language by writing it.
ENGLISH_PHRASES = frozenset(
    {
        "help",
        "sick",
        "i am sick",
        "i'm sick",
        "fit",
        "i am fit",
        "going home sick",
        "emergency day",
        "register sick",
        "register fit",
        "green",
        "yellow",
        "red",
        "my team",
        "kudos",
        "team day",
        "privacy",
        "outlook on",
        "outlook off",
        "cancel",
        "thanks",
        "thank you",
        "good morning",
        "hello",
        "hi",
    }
)
COLOUR_OF = {
    Intent.CHECKIN_GREEN: "green",
    Intent.CHECKIN_YELLOW: "yellow",
    Intent.CHECKIN_RED: "red",
}
_LONGEST = max(len(phrase.split()) for phrase in COMMANDS)
# Teams puts <at>naervaer</at> in front of a message that mentions the bot.
_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE)
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\ufe0f]")


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


def rest_as_typed(text: str) -> str:
    """What follows the first word, as typed: a comment keeps its case and punctuation."""
    parts = _MENTION.sub(" ", text).split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def language_chosen(text: str) -> str | None:
    """'en' when the whole message is an English command phrase, else None."""
    said = " ".join(_EMOJI.sub(" ", text).casefold().split()).strip(" !.")
    return "en" if said in ENGLISH_PHRASES else None
