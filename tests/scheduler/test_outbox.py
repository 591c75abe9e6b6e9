"""The outbox sender against the connector stub: exactly once, 429, retries, terminal errors."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from sqlalchemy import insert, select

from bot.messenger import Messenger
from scheduler.clock import FrozenClock, SystemClock
from scheduler.outbox import OutboxSender, SenderSettings
from scheduler.send_budget import SendBudget, Window
from storage.models import Employee, OutboxMessage, OutboxStatus, ReachStatus, TeamsUser, Unit
from storage.outbox import OutboxRepository
from tests.activities import BOT_ID, TENANT


async def _no_token() -> str:
    return ""


async def _no_delivery(_message):
    raise AssertionError("nothing is sent here")


async def make_people(sessions, stub, n: int, *, with_conversation: bool = True) -> list[str]:
    now = SystemClock().now()
    ids = [f"p{i}" for i in range(n)]
    async with sessions.begin() as session:
        await session.execute(insert(Unit), [{"id": "U", "name": "U"}])
        # No daily check-in: a server under test could otherwise add prompts to the outbox.
        await session.execute(
            insert(Employee),
            [{"id": i, "name": i, "unit_id": "U", "checkin_stopped": True} for i in ids],
        )
        await session.execute(
            insert(TeamsUser),
            [
                {
                    "teams_user_id": f"29:{i}",
                    "tenant_id": TENANT,
                    "employee_id": i,
                    "service_url": stub.base_url,
                    "bot_id": BOT_ID,
                    "last_seen": now,
                    "conversation_id": f"a:conv-{i}" if with_conversation else None,
                    "status": ReachStatus.ACTIVE,
                }
                for i in ids
            ],
        )
    return ids


async def enqueue(sessions, items: list[tuple[str, str]], **kwargs) -> None:
    now = SystemClock().now()
    async with sessions.begin() as session:
        outbox = OutboxRepository(session)
        for key, recipient in items:
            await outbox.enqueue(key, recipient, {"type": "message", "text": key}, now, **kwargs)


def make_sender(sessions, **overrides) -> tuple[OutboxSender, Messenger]:
    settings = SenderSettings(**{"per_second": 2000, "backoff_base_seconds": 0.05, **overrides})
    # As the server wires them: the messenger takes its places from the sender's budget.
    budget = SendBudget.for_rates(settings.per_second, settings.per_conversation_per_second)
    messenger = Messenger(sessions, _no_token, None, budget=budget)
    sender = OutboxSender(sessions, messenger.deliver, SystemClock(), settings, budget=budget)
    return sender, messenger


async def statuses(sessions) -> Counter[str]:
    async with sessions() as session:
        return Counter(str(s) for s in await session.scalars(select(OutboxMessage.status)))


async def test_2000_messages_with_429_on_the_first_100_are_each_delivered_once(sessions, stub):
    people = await make_people(sessions, stub, 200)
    keys = [(f"m{i}", people[i % 200]) for i in range(2000)]
    await enqueue(sessions, keys)
    stub.fail_next(100, 429, retry_after=1)
    sender, messenger = make_sender(sessions)
    try:
        await sender.drain(within_seconds=120)
        await _drain_until_settled(sender, sessions, 2000)
    finally:
        await messenger.close()
    delivered = Counter(stub.texts())
    assert len(delivered) == 2000 and set(delivered.values()) == {1}
    assert sum(1 for call in stub.calls if call.status == 429) == 100
    assert await statuses(sessions) == Counter({"sent": 2000})


async def _drain_until_settled(sender, sessions, expected_sent: int) -> None:
    import asyncio

    for _ in range(200):
        await sender.run_once()
        if (await statuses(sessions)).get("sent", 0) >= expected_sent:
            return
        await asyncio.sleep(0.05)


async def test_the_same_idempotency_key_is_stored_and_sent_once(sessions, stub):
    [person] = await make_people(sessions, stub, 1)
    await enqueue(sessions, [("same", person), ("same", person)])
    sender, messenger = make_sender(sessions)
    await sender.drain()
    await messenger.close()
    assert stub.texts() == ["same"]


async def test_per_conversation_limit_spaces_messages_to_one_person(sessions, stub):
    [person] = await make_people(sessions, stub, 1)
    await enqueue(sessions, [(f"k{i}", person) for i in range(15)])
    sender, messenger = make_sender(sessions, per_conversation_per_second=7)
    await sender.drain()
    await messenger.close()
    times = [call.at for call in stub.sent()]
    assert len(times) == 15
    # Never more than 7 in any one-second window (the stub stamps arrival, so a loaded
    # machine's scheduling jitter of some tens of milliseconds is allowed for).
    assert all(times[i + 7] - times[i] >= 0.9 for i in range(len(times) - 7))


async def test_transient_errors_are_retried_with_backoff(sessions, stub):
    [person] = await make_people(sessions, stub, 1)
    await enqueue(sessions, [("flaky", person)])
    stub.fail_next(1, 503)
    stub.fail_next(1, 412)
    stub.fail_next(1, 502)
    sender, messenger = make_sender(sessions)
    await _drain_until_settled(sender, sessions, 1)
    await messenger.close()
    assert stub.texts() == ["flaky"]
    async with sessions() as session:
        row = (await session.scalars(select(OutboxMessage))).one()
    assert row.status == OutboxStatus.SENT and row.attempts == 4


async def test_retries_stop_at_the_limit(sessions, stub):
    [person] = await make_people(sessions, stub, 1)
    await enqueue(sessions, [("doomed", person)])
    stub.fail_next(10, 504)
    sender, messenger = make_sender(sessions, max_attempts=3)
    for _ in range(100):
        await sender.run_once()
        if (await statuses(sessions)).get("failed"):
            break
        await __import__("asyncio").sleep(0.05)
    await messenger.close()
    assert await statuses(sessions) == Counter({"failed": 1})
    assert len([c for c in stub.calls if c.status == 504]) == 3


async def test_blocked_user_is_marked_unreachable_and_not_tried_again(sessions, stub):
    people = await make_people(sessions, stub, 2)
    stub.block(conversation_id="a:conv-p0")
    await enqueue(sessions, [("a", "p0"), ("b", "p1")])
    sender, messenger = make_sender(sessions)
    await sender.drain()
    await enqueue(sessions, [("c", "p0")])
    await sender.drain()
    await messenger.close()
    assert stub.texts() == ["b"]
    assert len([c for c in stub.calls if c.conversation_id == "a:conv-p0"]) == 1
    async with sessions() as session:
        user = (
            await session.scalars(select(TeamsUser).where(TeamsUser.employee_id == people[0]))
        ).one()
        assert user.status == ReachStatus.BLOCKED
    assert await statuses(sessions) == Counter({"unreachable": 2, "sent": 1})


async def test_removed_bot_and_missing_conversation_are_terminal(sessions, stub):
    await make_people(sessions, stub, 2)
    stub.block(conversation_id="a:conv-p0", code="BotNotInConversationRoster")
    stub.gone("a:conv-p1")
    await enqueue(sessions, [("a", "p0"), ("b", "p1")])
    sender, messenger = make_sender(sessions)
    await sender.drain()
    await messenger.close()
    async with sessions() as session:
        users = {u.employee_id: u.status for u in await session.scalars(select(TeamsUser))}
    assert users == {"p0": ReachStatus.UNINSTALLED, "p1": ReachStatus.UNINSTALLED}
    assert await statuses(sessions) == Counter({"unreachable": 2})


async def test_a_conversation_is_created_when_only_tenant_and_user_are_known(sessions, stub):
    await make_people(sessions, stub, 1, with_conversation=False)
    await enqueue(sessions, [("first", "p0"), ("second", "p0")])
    sender, messenger = make_sender(sessions)
    await sender.drain()
    await messenger.close()
    creates = [c for c in stub.calls if c.kind == "create"]
    assert len(creates) == 1
    assert creates[0].body["members"] == [{"id": "29:p0"}]
    assert creates[0].body["tenantId"] == TENANT
    assert stub.texts() == ["first", "second"]
    async with sessions() as session:
        user = (await session.scalars(select(TeamsUser))).one()
        assert user.conversation_id == "a:stub-conv-29:p0"


async def test_a_card_can_be_replaced_in_place(sessions, stub):
    await make_people(sessions, stub, 1)
    await enqueue(sessions, [("card-v1", "p0")])
    await enqueue(sessions, [("card-v2", "p0")], replaces_key="card-v1")
    sender, messenger = make_sender(sessions)
    await _drain_until_settled(sender, sessions, 2)
    await messenger.close()
    [update] = stub.updates()
    assert update.activity_id == stub.sent()[0].response["id"]
    assert update.body["text"] == "card-v2"


async def test_nobody_to_send_to_yet_keeps_the_message(sessions, stub):
    async with sessions.begin() as session:
        session.add(Unit(id="U", name="U"))
        await session.flush()
        session.add(Employee(id="lonely", name="L", unit_id="U"))
    await enqueue(sessions, [("wait", "lonely")])
    sender, messenger = make_sender(sessions)
    await sender.run_once()
    await messenger.close()
    async with sessions() as session:
        row = (await session.scalars(select(OutboxMessage))).one()
    assert row.status == OutboxStatus.PENDING and row.attempts == 0  # parked, not failing
    assert row.last_error == "no Teams address for recipient yet"
    assert row.next_attempt_at > SystemClock().now() - timedelta(seconds=1)


async def test_incoming_ids_are_forgotten_after_two_days(sessions, clock):
    from scheduler.jobs import forget_old_incoming_ids
    from storage.teams import IncomingActivities

    incoming = IncomingActivities()
    async with sessions.begin() as session:
        assert await incoming.first_time(session, "c", "old", clock.now())
    clock.advance(days=1)
    async with sessions.begin() as session:
        assert await incoming.first_time(session, "c", "new", clock.now())
        assert not await incoming.first_time(session, "c", "old", clock.now())
    clock.advance(days=1, hours=1)
    assert await forget_old_incoming_ids(sessions, clock) == 1
    async with sessions.begin() as session:
        assert not await incoming.first_time(session, "c", "new", clock.now())


async def test_a_lost_lease_is_noticed_before_sending(sessions, stub):
    from datetime import timedelta as td

    [person] = await make_people(sessions, stub, 1)
    await enqueue(sessions, [("slow", person)])
    now = SystemClock().now()
    async with sessions.begin() as session:
        [mine] = await OutboxRepository(session).claim("A", now, 10, td(seconds=1))
    later = now + td(seconds=5)  # A waited too long; B retakes the expired lease
    async with sessions.begin() as session:
        [theirs] = await OutboxRepository(session).claim("B", later, 10, td(seconds=60))
        assert theirs.attempts == 1  # a retake counts, so a crashing message cannot loop
        assert not await OutboxRepository(session).renew_lease(mine.id, "A", later, td(seconds=60))
        assert await OutboxRepository(session).renew_lease(mine.id, "B", later, td(seconds=60))


async def test_a_vanished_card_fails_alone_and_keeps_the_person_reachable(sessions, stub):
    await make_people(sessions, stub, 1)
    await enqueue(sessions, [("card-v1", "p0")])
    sender, messenger = make_sender(sessions)
    await sender.drain()
    await enqueue(sessions, [("card-v2", "p0")], replaces_key="card-v1")
    stub.fail_next(1, 404, code="ActivityNotFound")
    await _drain_until_settled(sender, sessions, 1)
    await sender.drain()
    await messenger.close()
    async with sessions() as session:
        user = (await session.scalars(select(TeamsUser))).one()
        rows = {r.idempotency_key: r.status for r in await session.scalars(select(OutboxMessage))}
    assert user.status == ReachStatus.ACTIVE
    assert rows == {"card-v1": OutboxStatus.SENT, "card-v2": OutboxStatus.FAILED}


async def test_stopping_finishes_what_is_on_the_wire_and_hands_back_the_rest(sessions, stub):
    people = await make_people(sessions, stub, 5)
    await enqueue(sessions, [(f"m{i}", people[i % 5]) for i in range(200)])
    # 20/s: a claimed batch of 50 takes seconds, so the stop lands mid-round.
    sender, messenger = make_sender(sessions, per_second=20)
    try:
        sender.start()
        await stub.wait_for(lambda s: len(s.texts()) >= 10)
        await sender.stop()
        async with sessions() as session:
            rows = list(await session.scalars(select(OutboxMessage)))
        sent = {r.idempotency_key for r in rows if r.status == OutboxStatus.SENT}
        assert {str(r.status) for r in rows} == {"sent", "pending"}  # nothing left claimed
        assert sorted(stub.texts()) == sorted(sent)  # all on the wire got recorded
        assert len(sent) < 200
        # Another process takes over the rest: each message is delivered exactly once.
        other, other_messenger = make_sender(sessions)
        try:
            await other.drain(within_seconds=60)
        finally:
            await other_messenger.close()
    finally:
        await messenger.close()
    assert Counter(stub.texts()) == Counter({f"m{i}": 1 for i in range(200)})


async def test_a_429_pauses_only_its_conversation_and_a_long_pause_returns_it_to_the_outbox(
    sessions, stub
):
    people = await make_people(sessions, stub, 5)
    await enqueue(sessions, [(f"m{i}", people[i % 5]) for i in range(50)])
    # Teams says "wait 600 s" to the first request: that conversation waits, the others do not.
    stub.fail_next(1, 429, retry_after=600)
    sender, messenger = make_sender(sessions)

    def others_done() -> bool:
        return bool(stub.calls) and 40 == sum(
            1 for c in stub.sent() if c.conversation_id != stub.calls[0].conversation_id
        )

    try:
        sender.start()
        await _until(others_done, 20, stub.summary)
        await asyncio.sleep(0.3)  # time for the paused one's rows to go back
        await sender.stop()
    finally:
        await messenger.close()
    refused = stub.calls[0].conversation_id
    async with sessions() as session:
        rows = list(await session.scalars(select(OutboxMessage)))
    waiting = [r for r in rows if r.status == OutboxStatus.PENDING]
    # Those already on the wire when the 429 came went; the rest wait the 600 s, in the outbox.
    assert {f"a:conv-{r.recipient_id}" for r in waiting} == {refused} and len(waiting) >= 5
    later = SystemClock().now() + timedelta(seconds=590)
    assert all(_aware(r.next_attempt_at) > later and r.attempts == 0 for r in waiting)
    assert all(r.lease_until is None for r in rows)
    assert sorted(stub.texts()) == sorted(r.idempotency_key for r in rows if r.status == "sent")


def _aware(moment):
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def test_a_stop_hands_back_at_once_what_waits_for_the_budget(sessions, stub):
    people = await make_people(sessions, stub, 50)
    await enqueue(sessions, [(f"m{i}", people[i]) for i in range(50)])
    # One request a second: the claimed batch waits for the budget when the stop comes.
    sender, messenger = make_sender(sessions, per_second=1)
    try:
        sender.start()
        await _until(lambda: len(stub.texts()) >= 1)
        started = __import__("time").monotonic()
        await sender.stop()
        assert __import__("time").monotonic() - started < 1.0
    finally:
        await messenger.close()
    async with sessions() as session:
        rows = list(await session.scalars(select(OutboxMessage)))
    sent = sorted(r.idempotency_key for r in rows if r.status == OutboxStatus.SENT)
    assert {str(r.status) for r in rows} == {"sent", "pending"} and sorted(stub.texts()) == sent
    assert all(
        r.lease_until is None and r.claimed_by is None for r in rows if r.status == "pending"
    )
    assert len(sent) <= 2


async def _until(condition, seconds: float = 10.0, show=lambda: "") -> None:
    import asyncio

    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"condition not met: {show()}")


async def test_replicas_share_the_rate_teams_allows_one_app(sessions, stub):
    # Teams counts 50 requests/s per app: two replicas at 40/s each would meet 429s all morning.
    first, first_messenger = make_sender(sessions, per_second=40)
    second, second_messenger = make_sender(sessions, per_second=40)
    try:
        assert await first.share_rate() == 1 and first.budget.app == (Window(40, 1.0),)
        assert await second.share_rate() == 2 and await first.share_rate() == 2
        assert first.budget.app == second.budget.app == (Window(20, 1.0),)
        # Every conversation window is split too: 7/1 s, 8/2 s, 60/30 s, 1,800/h.
        assert first.budget.conversation == (
            Window(3, 1.0),
            Window(4, 2.0),
            Window(30, 30.0),
            Window(900, 3600.0),
        )
        second.start()
        await second.stop()  # signs off: the other has the whole rate again
        assert await first.share_rate() == 1 and first.budget.app == (Window(40, 1.0),)
    finally:
        await first_messenger.close()
        await second_messenger.close()


async def test_a_sender_that_went_silent_no_longer_takes_a_share(sessions, stub):
    clock = FrozenClock(SystemClock().now())
    quiet = OutboxSender(sessions, _no_delivery, clock, SenderSettings(beat_seconds=5))
    alive = OutboxSender(sessions, _no_delivery, clock, SenderSettings(beat_seconds=5))
    await quiet.share_rate()  # then killed: it never beats again
    assert await alive.share_rate() == 2
    clock.advance(seconds=16)
    assert await alive.share_rate() == 1 and alive.budget.app == (Window(50, 1.0),)
