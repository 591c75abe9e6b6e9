"""The chat most end-to-end tests start from: everyone in the small organisation has said hello,
so each has a Teams address; and the bot with the tab, whose SSO tokens a local Entra signs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conftest import running_bot
from tests.e2e.tab_keys import LocalEntra
from tests.e2e.teams import Teams


@pytest.fixture
async def teams(bot, stub) -> Teams:
    chat = Teams(bot, stub)
    await chat.hello("chef", "lars", "dorte", "emma", "ali", "mette", "hanne")
    return chat


@pytest.fixture
async def entra() -> AsyncIterator[LocalEntra]:
    async with LocalEntra() as running:
        yield running


@pytest.fixture
async def tab(database_url, clock, stub, entra):
    async with running_bot(database_url, clock, **entra.settings()) as running:
        yield running
