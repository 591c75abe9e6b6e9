"""The Connector stub is test infrastructure; these tests pin down the behaviour e2e tests rely on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest
import pytest_asyncio
from yarl import URL

from tests.connector_stub import ADAPTIVE_CARD, ConnectorStub, TeamsLimits

THREAD_ID = "a:1abc;messageid=123"


@pytest_asyncio.fixture
async def stub() -> AsyncIterator[ConnectorStub]:
    async with ConnectorStub() as running:
        yield running


@pytest_asyncio.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def activity(text: str | None = None, card: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "message"}
    if text is not None:
        body["text"] = text
    if card is not None:
        body["attachments"] = [{"contentType": ADAPTIVE_CARD, "content": card}]
    return body


def conv_url(stub: ConnectorStub, conversation_id: str, rest: str = "activities") -> URL:
    # Encode like a careful client would; the stub must decode it back.
    return URL(
        f"{stub.base_url}v3/conversations/{quote(conversation_id, safe='')}/{rest}", encoded=True
    )


async def create(
    http: aiohttp.ClientSession, stub: ConnectorStub, member: str
) -> aiohttp.ClientResponse:
    body = {
        "members": [{"id": member}],
        "tenantId": "t1",
        "channelData": {"tenant": {"id": "t1"}},
        "isGroup": False,
        "bot": {"id": "28:bot"},
    }
    return await http.post(f"{stub.base_url}v3/conversations", json=body)


@pytest.mark.asyncio
async def test_start_returns_base_url_and_stop_frees_it() -> None:
    stub = ConnectorStub()
    base = await stub.start()
    assert base.startswith("http://127.0.0.1:") and base.endswith("/")
    await stub.stop()
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.ClientConnectionError):
            await http.get(base)


@pytest.mark.asyncio
async def test_conversation_lifecycle_is_recorded(
    stub: ConnectorStub, http: aiohttp.ClientSession
) -> None:
    stub.add_member("29:u1", name="Mette", aad_object_id="aad-1", email="mette@kommune.dk")

    created = await create(http, stub, "29:u1")
    assert created.status == 200
    conversation = await created.json()
    assert conversation["id"] == "a:stub-conv-29:u1"
    assert conversation["serviceUrl"] == stub.base_url
    again = await (await create(http, stub, "29:u1")).json()
    assert again["id"] == conversation["id"]

    conv_id = conversation["id"]
    sent = await http.post(conv_url(stub, conv_id), json=activity("Hej"))
    assert sent.status == 200
    sent_id = (await sent.json())["id"]

    card = {"type": "AdaptiveCard", "version": "1.5", "body": []}
    reply = await http.post(
        conv_url(stub, conv_id, f"activities/{sent_id}"), json=activity(card=card)
    )
    assert reply.status == 200
    reply_id = (await reply.json())["id"]
    assert reply_id != sent_id

    update = await http.put(conv_url(stub, conv_id, f"activities/{sent_id}"), json=activity("Hej!"))
    assert update.status == 200
    assert (await update.json()) == {"id": sent_id}

    delete = await http.delete(conv_url(stub, conv_id, f"activities/{reply_id}"))
    assert delete.status == 200

    member = await http.get(conv_url(stub, conv_id, "members/29:u1"))
    assert member.status == 200
    assert await member.json() == {
        "id": "29:u1",
        "name": "Mette",
        "aadObjectId": "aad-1",
        "email": "mette@kommune.dk",
        "userPrincipalName": "mette@kommune.dk",
        "tenantId": "stub-tenant",
    }
    unknown = await http.get(conv_url(stub, conv_id, "members/29:nobody"))
    assert unknown.status == 404
    assert (await unknown.json())["error"]["code"] == "MemberNotFoundInConversation"

    kinds = [(c.method, c.kind, c.status) for c in stub.calls]
    assert kinds == [
        ("POST", "create", 200),
        ("POST", "create", 200),
        ("POST", "send", 200),
        ("POST", "reply", 200),
        ("PUT", "update", 200),
        ("DELETE", "delete", 200),
        ("GET", "member", 200),
        ("GET", "member", 404),
    ]
    assert all(c.conversation_id == conv_id for c in stub.calls)
    assert stub.calls[3].activity_id == sent_id
    assert stub.calls[2].headers["Content-Type"] == "application/json"
    # Creates without an embedded activity deliver nothing.
    assert [c.kind for c in stub.sent()] == ["send", "reply"]
    assert stub.texts() == ["Hej"]
    assert stub.cards() == [card]
    assert [c.activity_id for c in stub.updates()] == [sent_id]
    assert stub.calls == sorted(stub.calls, key=lambda c: c.at)

    stub.clear()
    assert stub.calls == [] and stub.sent() == []


@pytest.mark.asyncio
@pytest.mark.parametrize("encode", [True, False])
async def test_thread_conversation_ids_are_decoded(
    stub: ConnectorStub, http: aiohttp.ClientSession, encode: bool
) -> None:
    url = (
        conv_url(stub, THREAD_ID)
        if encode
        else f"{stub.base_url}v3/conversations/{THREAD_ID}/activities"
    )
    response = await http.post(url, json=activity("i tråden"))
    assert response.status == 200
    assert stub.calls[0].conversation_id == THREAD_ID
    assert stub.texts() == ["i tråden"]


@pytest.mark.asyncio
async def test_duplicate_sends_are_two_deliveries(
    stub: ConnectorStub, http: aiohttp.ClientSession
) -> None:
    for _ in range(2):
        await http.post(conv_url(stub, "a:c1"), json=activity("same"))
    assert stub.texts() == ["same", "same"]


@pytest.mark.asyncio
async def test_fail_next_with_retry_after(stub: ConnectorStub, http: aiohttp.ClientSession) -> None:
    stub.fail_next(2, 429, retry_after=1.5)
    stub.fail_next(1, 503, code="Overloaded")

    statuses = []
    for _ in range(4):
        response = await http.post(conv_url(stub, "a:c1"), json=activity("hi"))
        statuses.append((response.status, response.headers.get("Retry-After")))
        if response.status != 200:
            error = (await response.json())["error"]
            assert error["code"] == {429: "Throttled", 503: "Overloaded"}[response.status]

    assert statuses == [(429, "1.5"), (429, "1.5"), (503, None), (200, None)]
    assert len(stub.sent()) == 1
    # Scripted 429s are not rate-limit throttling.
    assert stub.throttled == 0


@pytest.mark.asyncio
async def test_block_conversation_and_member(
    stub: ConnectorStub, http: aiohttp.ClientSession
) -> None:
    stub.block("a:c1")
    stub.block(member_id="29:u2", code="BotNotInConversationRoster")
    stub.block("a:c3", code="BotDisabledByAdmin")

    for conversation_id, code in [
        ("a:c1", "ConversationBlockedByUser"),
        ("a:c3", "BotDisabledByAdmin"),
        ("a:stub-conv-29:u2", "BotNotInConversationRoster"),
    ]:
        response = await http.post(conv_url(stub, conversation_id), json=activity("x"))
        assert response.status == 403
        assert (await response.json())["error"]["code"] == code

    created = await create(http, stub, "29:u2")
    assert created.status == 403
    assert (await created.json())["error"]["code"] == "BotNotInConversationRoster"
    assert (await create(http, stub, "29:u3")).status == 200
    assert stub.sent() == []


@pytest.mark.asyncio
async def test_gone_conversation(stub: ConnectorStub, http: aiohttp.ClientSession) -> None:
    stub.gone("a:c1")
    response = await http.post(conv_url(stub, "a:c1"), json=activity("x"))
    assert response.status == 404
    assert (await response.json())["error"]["code"] == "ConversationNotFound"
    assert stub.sent() == []


@pytest.mark.asyncio
async def test_conversation_rate_limit(http: aiohttp.ClientSession) -> None:
    limits = TeamsLimits(app_per_second=50, conversation_per_second=7)
    async with ConnectorStub(limits=limits) as stub:
        responses = await asyncio.gather(
            *(http.post(conv_url(stub, "a:c1"), json=activity(f"m{i}")) for i in range(10))
        )
        statuses = sorted(r.status for r in responses)
        assert statuses == [200] * 7 + [429] * 3
        assert {r.headers.get("Retry-After") for r in responses if r.status == 429} == {"1"}
        assert stub.throttled == 3
        assert len(stub.sent()) == 7
        # Another conversation has its own budget.
        other = await http.post(conv_url(stub, "a:c2"), json=activity("other"))
        assert other.status == 200


@pytest.mark.asyncio
async def test_app_rate_limit(http: aiohttp.ClientSession) -> None:
    async with ConnectorStub(
        limits=TeamsLimits(app_per_second=3, conversation_per_second=None)
    ) as stub:
        statuses = [
            (await http.post(conv_url(stub, f"a:c{i}"), json=activity("x"))).status
            for i in range(5)
        ]
        assert statuses == [200, 200, 200, 429, 429]
        assert stub.throttled == 2


@pytest.mark.asyncio
async def test_wait_for(stub: ConnectorStub, http: aiohttp.ClientSession) -> None:
    async def send_later() -> None:
        await asyncio.sleep(0.05)
        await http.post(conv_url(stub, "a:c1"), json=activity("late"))

    task = asyncio.create_task(send_later())
    calls = await stub.wait_for_sent(1, timeout=2)
    await task
    assert [c.activity["text"] for c in calls if c.activity] == ["late"]

    with pytest.raises(TimeoutError, match=r"late"):
        await stub.wait_for(lambda s: len(s.sent()) >= 2, timeout=0.05)


@pytest.mark.asyncio
async def test_latency_and_unknown_routes(stub: ConnectorStub, http: aiohttp.ClientSession) -> None:
    stub.latency = 0.05
    loop = asyncio.get_running_loop()
    started = loop.time()
    response = await http.get(f"{stub.base_url}v3/conversations/a:c1/pagedmembers")
    assert loop.time() - started >= 0.05
    assert response.status == 404
    assert stub.calls[0].kind == "unknown"


@pytest.mark.asyncio
async def test_malformed_body_is_rejected(stub: ConnectorStub, http: aiohttp.ClientSession) -> None:
    response = await http.post(
        conv_url(stub, "a:c1"), data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert stub.sent() == [] and stub.calls[0].body is None


@pytest.mark.asyncio
async def test_agents_sdk_client_accepts_the_stub_responses(stub: ConnectorStub) -> None:
    # The bot talks through this client; its pydantic models reject e.g. empty ids.
    from microsoft_agents.activity import Activity, ChannelAccount, ConversationParameters
    from microsoft_agents.hosting.core.connector.client.connector_client import ConnectorClient

    stub.add_member("29:u1", name="Mette")
    client = ConnectorClient(stub.base_url, "token")
    try:
        conversations = client.conversations
        created = await conversations.create_conversation(
            ConversationParameters(members=[ChannelAccount(id="29:u1")], tenant_id="t1")
        )
        assert created.id == "a:stub-conv-29:u1"
        message = Activity(type="message", text="Hej", channel_id="msteams")
        sent = await conversations.send_to_conversation(THREAD_ID, message)
        replied = await conversations.reply_to_activity(THREAD_ID, sent.id, message)
        updated = await conversations.update_activity(THREAD_ID, sent.id, message)
        await conversations.delete_activity(THREAD_ID, replied.id)
        member = await conversations.get_conversation_member(THREAD_ID, "29:u1")
    finally:
        await client.close()

    assert updated.id == sent.id
    assert member.name == "Mette"
    assert stub.texts() == ["Hej", "Hej"]
    assert stub.calls[1].headers["Authorization"] == "Bearer token"
    assert {c.conversation_id for c in stub.calls[1:]} == {THREAD_ID}
