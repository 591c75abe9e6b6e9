"""Who may do what (issue 16): skulderklap only to a colleague the card offers, team-day settings
only by the unit's leader or the deputy standing in, HR on any sick report, /metrics only with
its token. Forged card payloads are refused politely, in Danish and English, and change nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bot.settings import Settings
from storage.models import Absence, AbsenceEvent, Kudos, OutboxMessage, Unit
from tests.builders import Org
from tests.conftest import free_port, running_bot, start_bot
from tests.e2e.helpers import report_sick
from tests.e2e.teams import action, card_text

KUDOS = {"kind": "kudos", "message": "Tak for i dag", "tell_leader": "true"}
TEAM_DAY = {"kind": "team_day", "day_yellow_absent": "1", "day_red_percent": "10"}


async def counts(bot) -> tuple[int, int]:
    async with bot.sessions() as session:
        kudos = await session.scalar(select(func.count()).select_from(Kudos))
        outbox = await session.scalar(select(func.count()).select_from(OutboxMessage))
    return kudos or 0, outbox or 0


async def solgaarden(bot) -> tuple[int | None, int | None]:
    async with bot.sessions() as session:
        unit = await session.get(Unit, "Solgården")
    assert unit is not None
    return unit.day_yellow_absent, unit.day_red_percent


async def test_skulderklap_reaches_only_a_colleague_the_card_offers(bot, teams):
    await Org(bot.sessions).reads_english("e2")
    before = await counts(bot)
    # Chef and HR are in other units; Emma herself is no colleague of hers.
    for recipient in ("c1", "h1", "e1"):
        await teams.click("emma", {**KUDOS, "recipient": recipient})
        assert teams.texts_to("emma")[-1] == "Den kollega kan jeg ikke finde."
    body = await teams.execute("ali", {**KUDOS, "recipient": "c1"})
    assert body["value"] == "I cannot find that colleague."
    assert await counts(bot) == before  # nothing stored, nothing queued for anyone
    assert teams.to("chef") == [] and teams.to("hanne") == []
    # The same payload to a colleague in the unit goes through: the refusal is about scope.
    await teams.click("emma", {**KUDOS, "recipient": "e3"})
    assert teams.texts_to("emma")[-1] == "Dit skulderklap er sendt til Mette Berg."
    assert (await counts(bot))[0] == before[0] + 1


async def test_team_day_only_by_the_units_leader_or_the_deputy_standing_in(bot, teams):
    org = Org(bot.sessions)
    # Mette leads by role but nobody reports to her; Ali too, and he reads English.
    await org.person("e3", role="leader")
    await org.person("e2", role="leader", locale="en-GB")
    await teams.say("mette", "teamdag")
    assert teams.texts_to("mette")[-1] == (
        "Dagsfarven sættes af enhedens leder, eller af stedfortræderen, mens lederen er væk. "
        "Spørg din leder, hvis noget skal ændres."
    )
    await teams.say("ali", "team day")
    assert teams.texts_to("ali")[-1].startswith("The team day colour is set by the unit's leader")
    # Forged saves: a leader by role, the deputy while Lars is at work, Ali in English.
    await teams.click("mette", TEAM_DAY)
    await teams.click("dorte", TEAM_DAY)
    assert teams.texts_to("mette")[-1] == teams.texts_to("dorte")[-1] == "Det kan kun ledere."
    body = await teams.execute("ali", TEAM_DAY)
    assert body["value"] == "Only leaders can do that."
    assert await solgaarden(bot) == (None, None)
    # While Lars is away, Dorte stands in: she opens Solgården's card and saves it.
    await org.person("l1", deputy_from=date(2026, 11, 23), deputy_to=date(2026, 11, 27))
    await teams.say("dorte", "teamdag")
    card = teams.last_card("dorte")
    assert "Teamets dagsfarve — Solgården" in card_text(card)
    await teams.click("dorte", action(card, "Gem"), day_yellow_absent="2", day_red_percent="40")
    assert teams.texts_to("dorte")[-1] == "Dagsfarven for Solgården er gemt."
    assert await solgaarden(bot) == (2, 40)
    # Lars is still the unit's leader.
    await teams.click("lars", TEAM_DAY)
    assert teams.texts_to("lars")[-1] == "Dagsfarven for Solgården er gemt."
    assert await solgaarden(bot) == (1, 10)


async def test_hr_may_act_on_any_sick_report_but_not_grant_an_akutdag(bot, teams):
    await report_sick(teams, "emma")
    await teams.wait_until("lars", 1)
    card = teams.cards_to("lars")[0]
    # Not routed to HR (Lars got it), and HR acts as the README says.
    await teams.click("hanne", action(card, "Markér som arbejdsskade"))
    assert "arbejdsskade" in teams.texts_to("hanne")[-1].lower()
    async with bot.sessions() as session:
        [absence] = (await session.scalars(select(Absence))).all()
    assert absence.work_injury and absence.acknowledged_by == "h1"
    # A colleague still may not; nor HR on an akutdag, which the leader line grants.
    await teams.click("mette", action(card, "Jeg ringer til dig i dag"))
    assert teams.texts_to("mette")[-1].startswith("Du kan ikke handle på denne sag")
    for answer in ("akutdag", "i morgen", "ferie"):
        await teams.say("ali", answer)
    await teams.wait_until("lars", 2)
    approve = action(teams.cards_to("lars")[-1], "Godkend")
    async with bot.sessions() as session:
        events = await session.scalar(select(func.count()).select_from(AbsenceEvent))
    await teams.click("hanne", approve)
    assert teams.texts_to("hanne")[-1].startswith("Du kan ikke handle på denne sag")
    async with bot.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(AbsenceEvent)) == events


async def test_hr_cannot_act_on_her_own_sick_report(bot, teams):
    await report_sick(teams, "hanne")
    await teams.wait_until("chef", 1)
    await teams.click("hanne", action(teams.cards_to("chef")[0], "Jeg ringer til dig i dag"))
    assert teams.texts_to("hanne")[-1].startswith("Du kan ikke handle på denne sag")


async def scrape(bot, token: str | None = None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    async with bot.http.get(f"{bot.url}/metrics", headers=headers) as response:
        text = await response.text()
        assert response.status != 200 or "naervaer_turns_total" in text
        return response.status


async def test_metrics_need_the_bearer_token(database_url, clock, stub):
    async with running_bot(database_url, clock, metrics_token="s3cret-scrape") as bot:
        assert await scrape(bot) == 401
        assert await scrape(bot, "wrong") == 401
        assert await scrape(bot, "s3cret-scrape") == 200
        async with bot.http.get(
            f"{bot.url}/metrics", headers={"Authorization": "Basic s3cret-scrape"}
        ) as response:
            assert response.status == 401
            assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_with_an_app_id_metrics_without_a_token_do_not_exist(database_url, clock):
    production = {
        "app_id": "11111111-2222-3333-4444-555555555555",
        "app_tenant_id": "tenant",
        "database_url": database_url,
    }
    for token, expected in ((None, (404, 404)), ("t0ken", (401, 200))):
        settings = Settings(_env_file=None, port=free_port(), metrics_token=token, **production)  # type: ignore[call-arg]
        runner, bot = await start_bot(settings, clock)
        try:
            assert (await scrape(bot), await scrape(bot, "t0ken")) == expected
        finally:
            await bot.http.close()
            await runner.cleanup()


async def test_local_mode_without_a_token_keeps_metrics_open(bot):
    assert await scrape(bot) == 200
