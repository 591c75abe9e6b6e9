"""Every command the help card shows works when typed, in Danish and English, and the English
card shows English commands (issue 14: the English card said **akutdag**)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from storage.models import Employee
from tests.e2e.teams import Teams, card_text

BOLD = re.compile(r"\*\*(.+?)\*\*")
NOT_UNDERSTOOD = ("Det forstod jeg ikke", "I did not understand")
# The same word in both languages, and the line that names the other language's help.
BOTH_LANGUAGES = {"status", "pause", "stop", "start", "help", "hjælp"}


@pytest.fixture
async def teams(bot, stub) -> Teams:
    chat = Teams(bot, stub)
    await chat.hello("lars")
    return chat


async def shown_commands(teams: Teams, who: str, word: str) -> list[str]:
    await teams.say(who, word)
    return BOLD.findall(card_text(teams.last_card(who)))


async def assert_each_is_understood(teams: Teams, who: str, commands: list[str]) -> None:
    for command in commands:
        before = len(teams.to(who))
        await teams.say(who, command)
        answers = teams.to(who)[before:]
        said = [c.body.get("text", "") for c in answers]
        assert answers, command
        assert not any(text.startswith(NOT_UNDERSTOOD) for text in said), (command, said)
        await teams.say(who, "fortryd")  # leave any dialog the command started


async def english(bot, who: str) -> None:
    async with bot.sessions.begin() as session:
        await session.execute(update(Employee).where(Employee.id == who).values(locale="en-GB"))


async def test_every_command_on_the_danish_help_card_works(bot, teams):
    commands = await shown_commands(teams, "lars", "hjælp")
    assert {"syg", "rask", "akutdag", "registrér syg", "opfølgning enkeltvis"} <= set(commands)
    await assert_each_is_understood(teams, "lars", commands)


async def test_every_command_on_the_english_help_card_is_english_and_works(bot, teams):
    danish = set(await shown_commands(teams, "lars", "hjælp"))
    await english(bot, "l1")
    commands = await shown_commands(teams, "lars", "help")
    assert {"sick", "fit", "emergency day", "register sick", "followups single"} <= set(commands)
    assert not (set(commands) & danish) - BOTH_LANGUAGES
    await assert_each_is_understood(teams, "lars", commands)
