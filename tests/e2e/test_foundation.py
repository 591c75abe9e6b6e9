"""The server over real HTTP: health, help in both languages, identity, duplicates, auth."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.settings import Settings
from storage.models import ProcessedActivity, ReachStatus, TeamsUser
from tests.activities import BOT_ID, conversation_update, installation_update, message
from tests.conftest import free_port, start_bot


async def test_health_and_readiness(bot):
    async with bot.http.get(f"{bot.url}/healthz") as r:
        assert r.status == 200 and (await r.json())["status"] == "ok"
    async with bot.http.get(f"{bot.url}/readyz") as r:
        assert r.status == 200 and (await r.json())["status"] == "ready"


async def test_hjaelp_gets_a_danish_help_card(bot, stub):
    response = await bot.post(message(stub.base_url, "hjælp", locale="da-DK"))
    assert response.status in (200, 202)
    _privacy, call = await stub.wait_for_sent(2)  # the first contact brings the privacy notice
    assert call.kind == "reply" and call.conversation_id == "a:personal-29:emma"
    assert stub.cards()[0]["body"][0]["text"] == "Dine data i naervaer"
    card = stub.cards()[1]
    assert card["body"][0]["text"] == "naervaer — det kan jeg"
    assert any("aldrig, hvorfor du er syg" in block.get("text", "") for block in card["body"])


async def test_english_employee_gets_english_help(bot, stub):
    await bot.post(message(stub.base_url, "hjælp", user="29:ali", aad="aad-ali"))
    await stub.wait_for_sent(2)
    assert stub.cards()[0]["body"][0]["text"] == "Your data in naervaer"
    assert stub.cards()[1]["body"][0]["text"] == "naervaer — what I can do"


async def test_typing_help_in_english_answers_in_english(bot, stub):
    await bot.post(message(stub.base_url, "help", locale="da-DK"))
    await stub.wait_for_sent(2)
    assert stub.cards()[1]["body"][0]["text"] == "naervaer — what I can do"


async def test_help_button_works_like_typing(bot, stub):
    await bot.post(message(stub.base_url, "", value={"kind": "command", "command": "help"}))
    await stub.wait_for_sent(2)
    assert stub.cards()[1]["body"][0]["text"] == "naervaer — det kan jeg"


async def test_unknown_text_and_unknown_button_are_answered_clearly(bot, stub):
    await bot.post(message(stub.base_url, "blå bananer"))
    await bot.post(message(stub.base_url, "", value={"kind": "launch-rockets"}))
    await bot.post(message(stub.base_url, "   "))
    await stub.wait_for_sent(3)
    texts = stub.texts()
    assert texts[0].startswith('Det forstod jeg ikke: "blå bananer"')
    assert texts[1].startswith("Den knap kender jeg ikke")
    assert texts[2].startswith("Jeg modtog en tom besked")


async def test_unknown_user_is_told_politely_in_their_language(bot, stub):
    await bot.post(message(stub.base_url, "hjælp", user="29:x", aad="aad-nobody", locale="da-DK"))
    await bot.post(message(stub.base_url, "help", user="29:y", aad="aad-nobody-2", locale="en-US"))
    await stub.wait_for_sent(2)
    assert stub.texts()[0].startswith(
        "Hej! Du er ikke oprettet i naervaer — kontakt din leder eller HR"
    )
    assert stub.texts()[1].startswith("Hi! You are not set up in naervaer")
    assert stub.cards() == []
    async with bot.sessions() as session:
        unknown = (
            await session.scalars(select(TeamsUser).where(TeamsUser.teams_user_id == "29:x"))
        ).one()
        assert unknown.employee_id is None


async def test_identity_falls_back_to_email(bot, stub):
    activity = message(stub.base_url, "hjælp", user="29:mette", aad=None)
    activity["from"]["email"] = "METTE@example.dk"
    await bot.post(activity)
    await stub.wait_for_sent(2)
    assert stub.cards()[1]["body"][0]["text"] == "naervaer — det kan jeg"
    async with bot.sessions() as session:
        row = (
            await session.scalars(select(TeamsUser).where(TeamsUser.teams_user_id == "29:mette"))
        ).one()
        assert row.employee_id == "e3"


async def test_conversation_reference_is_stored_and_refreshed(bot, stub, clock):
    await bot.post(conversation_update(stub.base_url))
    await stub.wait_for_sent(2)  # welcome text + help card
    assert stub.texts()[0].startswith("Hej Emma!")
    clock.advance(hours=2)
    await bot.post(message(stub.base_url.rstrip("/") + "/v2/", "hjælp"))
    async with bot.sessions() as session:
        row = (
            await session.scalars(select(TeamsUser).where(TeamsUser.teams_user_id == "29:emma"))
        ).one()
    assert row.employee_id == "e1"
    assert row.tenant_id == "stub-tenant"
    assert row.conversation_id == "a:personal-29:emma"
    assert row.service_url.endswith("/v2/")
    assert row.bot_id == BOT_ID
    assert row.status == ReachStatus.ACTIVE
    assert row.last_seen == clock.now()


async def test_uninstall_marks_the_user_and_reinstall_reactivates(bot, stub):
    await bot.post(installation_update(stub.base_url, "remove"))
    async with bot.sessions() as session:
        row = (await session.scalars(select(TeamsUser))).one()
        assert row.status == ReachStatus.UNINSTALLED
    assert stub.sent() == []
    await bot.post(installation_update(stub.base_url, "add"))
    async with bot.sessions() as session:
        row = (await session.scalars(select(TeamsUser))).one()
        assert row.status == ReachStatus.ACTIVE
    await stub.wait_for_sent(1)
    assert stub.texts()[0].startswith("Hej Emma!")  # welcomed back


async def test_the_same_activity_twice_gets_one_reply(bot, stub):
    activity = message(stub.base_url, "hjælp", activity_id="teams-resend-1")
    first = await bot.post(activity)
    second = await bot.post(activity)
    assert first.status in (200, 202) and second.status in (200, 202)
    await stub.wait_for_sent(2)  # the privacy notice and the help card
    await bot.post(message(stub.base_url, "hjælp", activity_id="after"))
    await stub.wait_for_sent(3)
    assert len(stub.sent()) == 3  # the re-send produced nothing


async def test_bad_json_is_rejected_and_changes_nothing(bot):
    async with bot.http.post(
        f"{bot.url}/api/messages", data=b"{not json", headers={"Content-Type": "application/json"}
    ) as r:
        assert r.status == 400
    async with bot.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedActivity)) == 0


async def test_with_an_app_id_unsigned_requests_get_401_and_touch_nothing(
    database_url, clock, stub
):
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        port=free_port(),  # type: ignore[call-arg]
        app_id="11111111-2222-3333-4444-555555555555",
        app_tenant_id="tenant",
    )
    runner, running = await start_bot(settings, clock)
    try:
        unsigned = await running.post(message(stub.base_url, "hjælp"))
        forged = await running.post(
            message(stub.base_url, "hjælp"), headers={"Authorization": "Bearer not-a-jwt"}
        )
        assert unsigned.status == 401 and forged.status == 401
        async with running.http.get(f"{running.url}/healthz") as r:
            assert r.status == 200
        async with running.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(TeamsUser)) == 0
            assert await session.scalar(select(func.count()).select_from(ProcessedActivity)) == 0
        assert stub.calls == []
    finally:
        await running.http.close()
        await runner.cleanup()


async def test_user_without_directory_id_is_found_through_teams_member_lookup(bot, stub):
    stub.add_member("29:dorte", name="Dorte Nielsen", email="dorte@example.dk")
    await bot.post(message(stub.base_url, "hjælp", user="29:dorte", aad=None))
    await stub.wait_for_sent(2)
    assert stub.cards()[1]["body"][0]["text"] == "naervaer — det kan jeg"
    assert any(call.kind == "member" for call in stub.calls)
    async with bot.sessions() as session:
        row = (
            await session.scalars(select(TeamsUser).where(TeamsUser.teams_user_id == "29:dorte"))
        ).one()
    assert row.employee_id == "d1"


async def test_a_failing_turn_apologises_in_danish_and_can_be_retried(bot, stub, monkeypatch):
    from bot import intents

    def broken(*_args):
        raise RuntimeError("database exploded")

    with monkeypatch.context() as patch:
        patch.setattr(intents, "help_replies", broken)
        activity = message(stub.base_url, "hjælp", activity_id="fails-once")
        await bot.post(activity)
        await stub.wait_for_sent(1)
    assert stub.texts()[0].startswith("Beklager, der skete en fejl")
    assert "exploded" not in stub.texts()[0]
    await bot.post(activity)  # Teams' re-send is handled now: the failed turn stored nothing
    await stub.wait_for_sent(3)
    assert stub.cards()[1]["body"][0]["text"] == "naervaer — det kan jeg"


async def test_welcome_is_said_once_not_on_every_reopening(bot, stub):
    await bot.post(conversation_update(stub.base_url))
    await stub.wait_for_sent(2)
    await bot.post(conversation_update(stub.base_url))
    await bot.post(message(stub.base_url, "hjælp"))
    await stub.wait_for_sent(3)
    assert [t for t in stub.texts() if t.startswith("Hej Emma!")] == [stub.texts()[0]]


async def test_group_chats_get_no_personal_information(bot, stub):
    update_activity = conversation_update(stub.base_url)
    update_activity["conversation"] = {
        "id": "19:group",
        "conversationType": "groupChat",
        "isGroup": True,
    }
    await bot.post(update_activity)
    group_message = message(stub.base_url, "syg", conversation="19:group")
    group_message["conversation"].update(conversationType="groupChat", isGroup=True)
    await bot.post(group_message)
    await stub.wait_for_sent(1)
    assert stub.texts() == ["naervaer virker i en personlig chat. Skriv til mig dér."]
    async with bot.sessions() as session:
        row = (await session.scalars(select(TeamsUser))).one()
    assert row.conversation_id is None  # a group chat is never used for proactive messages


async def test_the_recurring_jobs_are_scheduled(bot):
    from bot.app import JOBS

    assert bot.app[JOBS].names() == [
        "check-ins",
        "follow-ups",
        "forget-ids",
        "nudge-unacknowledged",
        "payroll-hand-off",
        "retention",
        "unit-figures",
    ]
