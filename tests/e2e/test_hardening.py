"""Hardening over HTTP: body size, per-user turn limit, and a fuzz of 10,000 activities."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import Absence, CheckIn, DialogState, Kudos
from tests.activities import message
from tests.conftest import running_bot


async def business_state(bot) -> tuple[int, ...]:
    async with bot.sessions() as session:
        return tuple(
            [
                int(await session.scalar(select(func.count()).select_from(model)) or 0)
                for model in (Absence, CheckIn, Kudos, DialogState)
            ]
        )


async def test_a_huge_body_is_refused_before_it_is_read(bot, stub):
    activity = message(stub.base_url, "x" * (300 * 1024))
    response = await bot.post(activity)
    assert response.status == 413
    assert stub.sent() == []


async def test_a_flood_from_one_user_is_slowed_down_politely(database_url, clock, stub):
    async with running_bot(database_url, clock, turns_per_minute=6) as bot:
        for n in range(14):
            await bot.post(message(stub.base_url, "grøn" if n == 12 else "status"))
        await stub.wait_for(lambda s: any("hurtigere" in t for t in s.texts()))
        too_fast = [t for t in stub.texts() if "hurtigere" in t]
        assert too_fast == [
            "Du skriver hurtigere, end jeg kan følge med. Vent et øjeblik, og prøv så igen."
        ]
        async with bot.sessions() as session:
            # The refused "grøn" was not recorded; another user is not held back.
            assert await session.scalar(select(func.count()).select_from(CheckIn)) == 0
        await bot.post(message(stub.base_url, "status", user="29:dorte", aad="aad-dorte"))
        await stub.wait_for(lambda s: any(c.conversation_id.endswith("dorte") for c in s.sent()))
