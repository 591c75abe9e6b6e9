"""Other tenants stay out (issue 16): an activity from a tenant naervaer was not told to serve is
refused politely in the sender's language, and leaves no person, no address and no row behind,
even when it carries the directory id of someone in the organisation."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import create_app
from bot.settings import Settings
from storage.models import DialogState, OutboxMessage, ProcessedActivity, TeamsUser
from tests.activities import TENANT, card_action, execute_value, message
from tests.conftest import running_bot
from tests.connector_stub import ConnectorStub

REFUSED_DA = (
    "Denne naervaer hører til en anden organisation, så jeg kan ikke hjælpe dig her. Intet er gemt."
)
REFUSED_EN = (
    "This naervaer belongs to another organisation, so I cannot help you here. Nothing was stored."
)
FOREIGN = "f00dfeed-0000-4000-8000-000000000001"


def from_tenant(activity: dict[str, Any], conversation: str | None, channel: Any) -> dict:
    """The same activity as another tenant would carry it (either field may be left out)."""
    activity["conversation"].pop("tenantId", None)
    activity.pop("channelData", None)
    if conversation is not None:
        activity["conversation"]["tenantId"] = conversation
    if channel is not None:
        activity["channelData"] = {"tenant": {"id": channel}}
    return activity


async def rows(bot) -> dict[str, int]:
    async with bot.sessions() as session:
        return {
            model.__tablename__: await session.scalar(select(func.count()).select_from(model))
            for model in (TeamsUser, ProcessedActivity, DialogState, OutboxMessage)
        }


def texts_in(stub: ConnectorStub, conversation: str) -> list[str]:
    return [c.body.get("text", "") for c in stub.sent() if c.conversation_id == conversation]


def served(stub: ConnectorStub, conversation: str) -> bool:
    """Answered as naervaer answers its own people (the help card), not refused."""
    calls = [c for c in stub.sent() if c.conversation_id == conversation]
    return bool(calls) and REFUSED_DA not in texts_in(stub, conversation)


@pytest.fixture
async def guarded(database_url, clock, stub):
    """The bot serving its own tenant and one more, named in the allow-list."""
    async with running_bot(
        database_url, clock, allowed_tenants=f" {TENANT.upper()} , second-tenant"
    ) as running:
        yield running


async def test_another_tenant_is_refused_in_its_language_and_nothing_is_stored(
    guarded, stub, caplog
):
    empty = await rows(guarded)
    shapes = [
        (FOREIGN, FOREIGN),  # both fields name another tenant
        (TENANT, FOREIGN),  # the two disagree: one is enough to refuse
        (FOREIGN, None),  # only conversation.tenantId
        (None, FOREIGN),  # only channelData.tenant.id
        (None, None),  # no tenant at all
        (None, ""),  # an empty tenant counts as none (the SDK refuses an empty tenantId: 400)
        (TENANT, [TENANT]),  # not a string: not a tenant anybody allowed, and no failed turn
        (None, {"id": TENANT}),
    ]
    for n, (conversation, channel) in enumerate(shapes):
        # Emma's directory id, from a conversation naervaer has never seen.
        activity = message(stub.base_url, "syg", conversation=f"a:evil-{n}")
        response = await guarded.post(from_tenant(activity, conversation, channel))
        assert response.status in (200, 202)
        assert texts_in(stub, f"a:evil-{n}") == [REFUSED_DA], (conversation, channel)
    english = message(stub.base_url, "help", conversation="a:evil-en", locale="en-US")
    await guarded.post(from_tenant(english, FOREIGN, FOREIGN))
    assert texts_in(stub, "a:evil-en") == [REFUSED_EN]
    assert await rows(guarded) == empty  # no address, no activity id, no dialog, no message
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]  # no turn failed
    # The tenants allowed are served (ids compared without case), so the refusal can fail.
    for n, tenant in enumerate((TENANT, "Second-Tenant")):
        ok = message(stub.base_url, "hjælp", conversation=f"a:ok-{n}")
        await guarded.post(from_tenant(ok, tenant, tenant))
        assert served(stub, f"a:ok-{n}")
    assert (await rows(guarded))["teams_users"] == 2  # an address per allowed tenant


async def test_a_card_press_from_another_tenant_hears_back_and_changes_nothing(guarded, stub):
    empty = await rows(guarded)
    press = card_action(
        stub.base_url,
        execute_value("kudos", {"kind": "kudos", "recipient": "e3", "message": "Hej"}),
        locale="da-DK",
    )
    response = await guarded.post(from_tenant(press, FOREIGN, FOREIGN))
    assert response.status == 200
    body = await response.json()
    assert body["statusCode"] == 200 and body["value"] == REFUSED_DA
    assert await rows(guarded) == empty
    assert stub.sent() == []  # answered in the HTTP response only


async def test_another_tenant_never_replaces_a_known_persons_address(guarded, stub):
    await guarded.post(message(stub.base_url, "hjælp"))  # Emma, from her own tenant
    async with guarded.sessions() as session:
        before = (await session.scalars(select(TeamsUser))).one()
    hijack = message(stub.base_url, "hjælp", user="29:attacker", conversation="a:attacker")
    await guarded.post(from_tenant(hijack, FOREIGN, FOREIGN))
    async with guarded.sessions() as session:
        [after] = (await session.scalars(select(TeamsUser))).all()
    assert (after.teams_user_id, after.conversation_id, after.tenant_id) == (
        before.teams_user_id,
        before.conversation_id,
        TENANT,
    )
    assert texts_in(stub, "a:attacker") == [REFUSED_DA]


async def test_the_app_tenant_alone_is_the_allow_list(database_url, clock, stub):
    async with running_bot(database_url, clock, app_tenant_id=TENANT) as bot:
        await bot.post(message(stub.base_url, "hjælp", conversation="a:own"))
        await bot.post(
            from_tenant(message(stub.base_url, "hjælp", conversation="a:x"), *[FOREIGN] * 2)
        )
        assert texts_in(stub, "a:x") == [REFUSED_DA]
        assert served(stub, "a:own")
        assert (await rows(bot))["teams_users"] == 1


async def test_local_mode_without_tenants_serves_every_tenant_and_says_so(
    database_url, clock, stub, caplog
):
    caplog.set_level(logging.WARNING, logger="naervaer.tenants")
    async with running_bot(database_url, clock) as bot:
        activity = message(stub.base_url, "hjælp", conversation="a:any")
        await bot.post(from_tenant(activity, FOREIGN, FOREIGN))
        assert (await rows(bot))["teams_users"] == 1
        assert served(stub, "a:any")
    assert any("every tenant" in r.getMessage() for r in caplog.records)


def test_with_an_app_id_the_server_needs_a_tenant_to_start():
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        app_id="11111111-2222-3333-4444-555555555555",
        app_type="MultiTenant",
        app_secret="secret",
    )
    with pytest.raises(ValueError, match="NAERVAER_ALLOWED_TENANTS"):
        create_app(settings)
