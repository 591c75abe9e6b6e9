"""One send budget for everything (issue 16 part 5): a 5,000-person check-in fan-out runs while
200 people answer at once and one leader gets 40 messages, against a connector stub that
enforces every limit Teams documents (50/s per app; per conversation 7/1 s, 8/2 s, 60/30 s,
1,800/h) with a round trip of 100 ms. No reply is lost or sent twice, the leader's queue draws no
429 and holds up nobody, and what the fan-out had not sent when it stopped waits in the outbox.

The whole fan-out would take 100 s at Teams' rate; it runs until the replies and the leader's
messages are through, then stops the way the server stops (benchmarks/checkin_fanout.py
measures whole runs).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from datetime import time as dt_time

import pytest
from sqlalchemy import insert, select, update

from rules.calendar import WorkCalendar
from scheduler.clock import SystemClock
from storage.models import Employee, OutboxMessage, OutboxStatus, ReachStatus, TeamsUser, Unit
from storage.outbox import OutboxRepository
from tests.activities import TENANT, message
from tests.conftest import COPENHAGEN, RunningBot, running_bot
from tests.connector_stub import Call, ConnectorStub, TeamsLimits
from tests.e2e.helpers import QUESTION
from tests.e2e.teams import card_text, conversation_of

PEOPLE = 5000
ANSWERING = 200
LEADER = "leader"


def conversation(employee_id: str) -> str:
    return f"a:personal-29:{employee_id}"


@pytest.fixture
async def limited() -> AsyncIterator[ConnectorStub]:
    async with ConnectorStub(limits=TeamsLimits.documented(), round_trip=0.1) as running:
        yield running


@pytest.fixture
async def server(database_url, limited) -> AsyncIterator[RunningBot]:
    async with running_bot(database_url, SystemClock(), teams_conversation_limits=True) as running:
        yield running


async def add_people(bot: RunningBot, stub: ConnectorStub, ids: list[str]) -> None:
    now = SystemClock().now()
    async with bot.sessions.begin() as session:
        await session.execute(insert(Unit), [{"id": "F", "name": "Fan-out"}])
        # Every weekday a working day, so the test runs on any date.
        await session.execute(
            insert(Employee),
            [
                {"id": e, "name": f"M {e}", "unit_id": "F", "workdays": "1234567"}
                | {"aad_object_id": f"aad-{e}"}
                for e in ids
            ],
        )
        await session.execute(
            insert(TeamsUser),
            [
                {
                    "teams_user_id": f"29:{e}",
                    "tenant_id": TENANT,
                    "employee_id": e,
                    "service_url": stub.base_url,
                    "conversation_id": conversation(e),
                    "last_seen": now,
                    "status": ReachStatus.ACTIVE,
                }
                for e in ids
            ],
        )


async def prompt_everyone(bot: RunningBot) -> int:
    """The bot's own check-in job at 14:30 on a day that is not a public holiday."""
    from bot.app import FEATURES

    day = SystemClock().now().astimezone(COPENHAGEN).date()
    while WorkCalendar("1234567", COPENHAGEN).is_public_holiday(day):
        day += timedelta(days=1)
    async with bot.sessions.begin() as session:
        at = datetime.combine(day, dt_time(14, 30), tzinfo=COPENHAGEN)
        asked = int(await bot.app[FEATURES](session, at).checkins.prompt_due())
        # Due now, whatever the time of day the test runs at.
        await session.execute(update(OutboxMessage).values(next_attempt_at=SystemClock().now()))
    return asked


def is_prompt(call: Call) -> bool:
    for attachment in (call.activity or {}).get("attachments") or []:
        if QUESTION in card_text(attachment.get("content") or {}):
            return True
    return False


class Arrived:
    """What reached the stub, each call looked at once: the stub shares the bot's loop, and a
    slow poll would delay the requests it stamps."""

    def __init__(self, stub: ConnectorStub) -> None:
        self.stub = stub
        self.seen = 0
        self.prompts: Counter[str | None] = Counter()
        self.others: Counter[str | None] = Counter()  # replies, and the leader's messages
        self.refused: list[Call] = []

    def update(self) -> Arrived:
        for call in self.stub.calls[self.seen :]:
            if call.status == 429:
                self.refused.append(call)
            elif call.delivered:
                (self.prompts if is_prompt(call) else self.others)[call.conversation_id] += 1
        self.seen = len(self.stub.calls)
        return self


async def test_replies_and_the_fan_out_share_teams_limits_without_loss(server, limited):
    bot, stub = server, limited
    staff = [f"e{n:04d}" for n in range(PEOPLE)]
    await add_people(bot, stub, [*staff, LEADER])
    async with bot.sessions.begin() as session:
        outbox = OutboxRepository(session)
        now = SystemClock().now()
        for n in range(40):
            text = {"type": "message", "text": f"til lederen {n}"}
            await outbox.enqueue(f"leader-{n}", LEADER, text, now)
    assert await prompt_everyone(bot) >= PEOPLE
    arrived = Arrived(stub)
    started = time.monotonic()
    bot.sender.wake()

    # The first 200 who got the card answer it at once.
    await stub.wait_for(lambda _s: len(arrived.update().prompts) >= 400, timeout=30, interval=0.2)
    answering = [str(c).removeprefix("a:personal-29:") for c in list(arrived.prompts)[:ANSWERING]]
    answers = [
        bot.post(message(stub.base_url, "grøn", user=f"29:{e}", aad=f"aad-{e}")) for e in answering
    ]
    alone = len(stub.calls) / (time.monotonic() - started)
    responses = await asyncio.gather(*answers)
    assert {r.status for r in responses} <= {200, 202}

    wanted = {conversation(e) for e in answering} | {conversation(LEADER)}

    def through() -> bool:
        others = arrived.update().others
        return set(others) >= wanted and others[conversation(LEADER)] == 40

    await stub.wait_for(lambda _s: through(), timeout=45, interval=0.2)
    await bot.sender.stop()
    elapsed = time.monotonic() - started

    arrived.update()
    rate = len([c for c in stub.calls if c.ok]) / elapsed
    print(
        f"\nfan-out alone {alone:.1f} requests/s ({alone / 50:.2f} of 50/s); then "
        f"{sum(arrived.prompts.values())} check-ins and {sum(arrived.others.values())} other "
        f"messages in {elapsed:.1f} s ({rate:.1f} requests/s); {len(arrived.refused)} 429s; "
        f"budget {dict(bot.sender.budget.stats)}"
    )
    # Every answer got its one reply (in the turn, or through the outbox after a 429).
    assert set(arrived.others) == wanted
    assert all(arrived.others[conversation(e)] == 1 for e in answering)
    # Nobody got the check-in twice, and the leader's 40 kept its windows: no 429 there.
    assert set(arrived.prompts.values()) == {1}
    assert not [c for c in arrived.refused if c.conversation_id == conversation(LEADER)]
    # The fan-out alone went at Teams' rate (a shared machine: 0.8 of it at the least; 200
    # turns at once then take the server's two cores, here shared with the stub and the test).
    assert alone >= 40
    # What was not sent waits in the outbox: nothing failed, nothing claimed, nothing lost.
    async with bot.sessions() as session:
        rows = list(await session.scalars(select(OutboxMessage)))
    checkins = [r for r in rows if r.idempotency_key.startswith("checkin:")]
    assert {r.recipient_id for r in checkins} >= set(staff)
    assert {str(r.status) for r in checkins} <= {OutboxStatus.SENT, OutboxStatus.PENDING}
    assert sum(r.status == OutboxStatus.SENT for r in checkins) == sum(arrived.prompts.values())


async def test_a_reply_teams_refuses_is_delivered_through_the_outbox(bot, teams):
    await teams.say("emma", "hjælp")
    answered = [c.body for c in teams.to("emma")]
    await bot.sender.drain()  # nothing else on its way that the scripted 429 could meet
    teams.stub.clear()
    # Teams answers the turn's first reply with 429: it and the rest wait in the outbox, first
    # in line, and go when the conversation's pause is over.
    teams.stub.fail_next(1, 429, retry_after=1)
    await teams.say("emma", "hjælp")
    assert len(teams.to("emma")) == 0
    await teams.wait_until("emma", len(answered), timeout=10)
    assert [c.body.get("text") for c in teams.to("emma")] == [a.get("text") for a in answered]
    async with bot.sessions() as session:
        rows = list(await session.scalars(select(OutboxMessage).where(OutboxMessage.reply)))
    assert len(rows) == len(answered) and {r.status for r in rows} == {OutboxStatus.SENT}
    [refused] = [c for c in teams.stub.calls if c.status == 429]
    assert refused.conversation_id == conversation_of("emma")
