"""The chat most end-to-end tests start from: everyone in the small organisation has said hello,
so each has a Teams address."""

from __future__ import annotations

import pytest

from tests.e2e.teams import Teams


@pytest.fixture
async def teams(bot, stub) -> Teams:
    chat = Teams(bot, stub)
    await chat.hello("chef", "lars", "dorte", "emma", "ali", "mette", "hanne")
    return chat
