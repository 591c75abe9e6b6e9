"""The start banner: what a newcomer needs after `make run` (issue 21 fills it in)."""

from __future__ import annotations

from bot.settings import Settings


def banner(settings: Settings) -> str:
    return "demo organisation ready; open the Playground (see README) and write 'hjælp'"
