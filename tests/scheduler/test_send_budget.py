"""The send budget on its own: sliding windows, replies first, a paused conversation holds back
only itself, replicas split every window, a stop sends the outbox's waiting sends back."""

from __future__ import annotations

import asyncio
import time

import pytest

from scheduler.send_budget import TEAMS_CONVERSATION, SendBudget, SendingStopped, Window


def counts_within(times: list[float], seconds: float) -> int:
    """The most requests any window of `seconds` saw."""
    return max(sum(1 for t in times if start <= t < start + seconds) for start in times)


async def test_no_window_ever_holds_more_than_its_requests():
    budget = SendBudget(Window(10, 0.5), (Window(3, 0.2),), margin=0.0, conversation_margin=0.0)
    times: list[float] = []

    async def send(key: str) -> None:
        assert await budget.take(key) == 0
        times.append(time.monotonic())

    await asyncio.gather(*(send(f"c{n % 4}") for n in range(30)))
    assert counts_within(times, 0.5) <= 10
    # Not a bucket's burst on top of the rate: spaced evenly, 10 in each half second.
    assert times[-1] - times[0] >= 1.2


async def test_replies_go_before_the_waiting_fan_out():
    budget = SendBudget(Window(2, 0.3), (), margin=0.0)
    order: list[str] = []

    async def send(name: str, first: bool) -> None:
        await budget.take(name, first=first)
        order.append(name)

    fan_out = [asyncio.create_task(send(f"p{n}", False)) for n in range(6)]
    await asyncio.sleep(0.02)  # one went (the next in 0.05 s), five wait
    replies = [asyncio.create_task(send(f"r{n}", True)) for n in range(2)]
    await asyncio.gather(*fan_out, *replies)
    assert order == ["p0", "r0", "r1", "p1", "p2", "p3", "p4", "p5"]


async def test_a_paused_conversation_holds_back_only_itself():
    budget = SendBudget(Window(100, 1.0), TEAMS_CONVERSATION, horizon=5.0)
    budget.pause("busy", 2.0)
    started = time.monotonic()
    assert await budget.take("other") == 0
    assert time.monotonic() - started < 0.1
    # The outbox's send waits (within the horizon); a reply that cannot go soon says when.
    assert 1.5 < await budget.take("busy", first=True, within=0.5) <= 2.25
    budget.pause("busy", 60.0)
    assert await budget.take("busy") > 50  # beyond the horizon: back to the outbox


async def test_a_pause_arriving_while_waiting_returns_the_send():
    budget = SendBudget(Window(1, 1.0), (), margin=0.0, horizon=5.0)
    await budget.take("a")
    waiting = asyncio.create_task(budget.take("b"))
    await asyncio.sleep(0.05)
    budget.pause("b", 30.0)
    assert await waiting > 25


async def test_replicas_split_every_window():
    budget = SendBudget()
    budget.share(3)
    assert budget.app == (Window(16, 1.0),)
    assert budget.conversation == (
        Window(2, 1.0),
        Window(2, 2.0),
        Window(20, 30.0),
        Window(600, 3600.0),
    )
    budget.share(9)
    assert budget.conversation[0] == Window(1, 9 / 7)


async def test_a_stop_returns_the_outbox_sends_but_not_the_replies():
    budget = SendBudget(Window(1, 10.0), (), margin=0.0)
    await budget.take("x")
    outbox = asyncio.create_task(budget.take("y"))
    reply = asyncio.create_task(budget.take("z", first=True, within=0.2))
    await asyncio.sleep(0.05)
    budget.close()
    with pytest.raises(SendingStopped):
        await outbox
    assert await reply == 0.2  # still waited its own time, then said "later"
    with pytest.raises(SendingStopped):
        await budget.take("y")
    budget.open()
    assert budget.stats["deferred"] == 1
