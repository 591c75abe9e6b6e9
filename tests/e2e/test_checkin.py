"""The daily check-in over HTTP: prompts on working days only, answers by card and text, the
leader's team card in named and anonymous mode, digest, warnings, skulderklap, team day colour."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.app import CHECKINS
from storage.models import CheckIn, CheckInStatus, Employee, Kudos, Unit
from tests.builders import Org
from tests.conftest import COPENHAGEN
from tests.e2e.helpers import answered, at, prompts, report_sick
from tests.e2e.teams import Teams, action, card_text


async def tick(bot, clock, when: datetime) -> None:
    clock.set(when)
    await bot.app[CHECKINS]()


async def rows(bot, who: str | None = None) -> list[CheckIn]:
    async with bot.sessions() as session:
        query = select(CheckIn).order_by(CheckIn.day, CheckIn.employee_id)
        if who is not None:
            query = query.where(CheckIn.employee_id == who)
        return list(await session.scalars(query))


async def add_staff(bot, n: int, leader: str = "l1", unit: str = "Solgården") -> list[str]:
    """More colleagues for thresholds (they never open the bot, so they are never asked)."""
    ids = [f"x{i}" for i in range(n)]
    async with bot.sessions.begin() as session:
        for i in ids:
            session.add(Employee(id=i, name=f"Kollega {i}", unit_id=unit, leader_id=leader))
    return ids


async def test_asked_once_at_the_check_in_time_with_who_can_see_it(bot, teams, clock):
    await tick(bot, clock, at(24, 14, 29))
    assert prompts(teams, "emma") == []
    await tick(bot, clock, at(24, 14, 30))
    await teams.stub.wait_for(lambda _s: len(prompts(teams, "emma")) == 1)
    text = card_text(prompts(teams, "emma")[0])
    assert "tirsdag 24/11" in text
    assert (
        "kan ses med dit navn af Lars Jensen — og af stedfortræderen Dorte Nielsen, mens "
        "Lars Jensen er væk. Ingen andre ser dem."
    ) in text
    english = card_text(await _wait_prompt(teams, "ali"))
    assert (
        "How was your working day?" in english and "seen with your name by Lars Jensen" in english
    )
    await tick(bot, clock, at(24, 16, 0))
    await tick(bot, clock, at(24, 16, 1))
    assert len(prompts(teams, "emma")) == 1  # one a day, no reminders
    assert {r.employee_id for r in await rows(bot)} == {"c1", "l1", "d1", "e1", "e2", "e3", "h1"}


async def _wait_prompt(teams: Teams, who: str) -> dict:
    await teams.stub.wait_for(lambda _s: len(prompts(teams, who)) >= 1)
    return prompts(teams, who)[-1]


async def test_never_on_holidays_days_off_absence_or_pause(bot, teams, clock):
    await report_sick(teams, "emma")  # Tuesday 24/11
    await teams.say("dorte", "pause til 26/11")
    assert teams.texts_to("dorte")[-1].startswith("Tjek-ind holder pause til og med torsdag 26/11")
    await teams.say("mette", "stop")
    await tick(bot, clock, at(24, 15, 0))
    await teams.stub.wait_for(lambda _s: len(prompts(teams, "lars")) == 1)
    assert [r.status for r in await rows(bot, "e1")] == [CheckInStatus.SKIPPED]
    for who in ("emma", "dorte", "mette"):
        assert prompts(teams, who) == [], who
    await tick(bot, clock, at(27, 15, 0))  # Friday: Ali works Monday to Thursday
    await tick(bot, clock, at(28, 15, 0))  # Saturday
    await tick(bot, clock, at(25, 15, 0, month=12))  # Christmas Day, a Friday
    assert [r.day for r in await rows(bot, "e2")] == [date(2026, 11, 24)]
    assert [r.day for r in await rows(bot, "l1")] == [date(2026, 11, 24), date(2026, 11, 27)]
    assert [r.day for r in await rows(bot, "d1")] == [date(2026, 11, 27)]  # after the pause
    await teams.say("mette", "start")
    assert teams.texts_to("mette")[-1].startswith("Tjek-ind er slået til")


async def test_a_late_server_does_not_ask_in_the_evening(bot, teams, clock):
    await tick(bot, clock, at(24, 19, 0))
    assert {r.status for r in await rows(bot)} == {CheckInStatus.SKIPPED}
    assert prompts(teams, "emma") == []


async def test_answer_by_card_updates_the_card_and_can_change_the_same_day(bot, teams, clock):
    await tick(bot, clock, at(24, 14, 30))
    card = await _wait_prompt(teams, "emma")
    await teams.click("emma", action(card, "🟢 Grøn"), comment="")
    assert teams.texts_to("emma")[-1] == "Tak — godt at høre!"
    [first] = await teams.wait_for_update(1)
    assert "Dit svar i dag: **🟢 Grøn**" in card_text(first.body["attachments"][0]["content"])
    await teams.click("emma", action(card, "🟡 Gul"), comment="Travl dag, to syge")
    assert "Hvad skulle der til for at den blev grøn?" in card_text(teams.last_card("emma"))
    await teams.say("emma", "Færre afbrydelser")
    assert teams.texts_to("emma")[-1] == "Tak. Det er noteret sammen med dit svar."
    [row] = await rows(bot, "e1")
    assert (row.colour, row.comment, row.to_green) == (
        "yellow",
        "Travl dag, to syge",
        "Færre afbrydelser",
    )
    # The card is replaced after each of the three answers; wait for the one that says it all.
    await teams.stub.wait_for(
        lambda stub: any(
            "Færre afbrydelser" in card_text(u.body["attachments"][0]["content"])
            for u in stub.updates()
        )
    )
    shown = card_text(teams.stub.updates()[-1].body["attachments"][0]["content"])
    assert "🟡 Gul" in shown and "Færre afbrydelser" in shown
    # Yesterday's card cannot change today's answer, nor a forged colour anything.
    await tick(bot, clock, at(25, 10, 0))
    await teams.click("emma", action(card, "🔴 Rød"))
    assert teams.texts_to("emma")[-1] == "Du kan kun svare på eller ændre dagens tjek-ind."
    await teams.click("emma", {**action(card, "🔴 Rød"), "colour": "blue"})
    assert teams.texts_to("emma")[-1].startswith("Den knap kender jeg ikke")
    assert [(r.day, r.colour) for r in await rows(bot, "e1")] == [(date(2026, 11, 24), "yellow")]


async def test_answer_by_text_in_danish_and_english(bot, teams):
    await teams.say("emma", "gul Travl dag!")
    assert "Hvad skulle der til for at den blev grøn?" in card_text(teams.last_card("emma"))
    await teams.say("emma", "spring over")
    assert teams.texts_to("emma")[-1] == "Tak for dit svar."
    await teams.say("dorte", "1")
    assert teams.texts_to("dorte")[-1] == "Tak — godt at høre!"
    await teams.say("ali", "red")
    assert "What would have made it green?" in card_text(teams.last_card("ali"))
    await teams.say("mette", "grøn")
    await teams.say("mette", "rød")
    assert "Hvad skulle der til" in card_text(teams.last_card("mette"))
    got = {r.employee_id: (r.colour, r.comment) for r in await rows(bot)}
    assert got == {
        "e1": ("yellow", "Travl dag!"),
        "d1": ("green", None),
        "e2": ("red", None),
        "e3": ("red", None),
    }


async def test_sick_person_cannot_check_in(bot, teams):
    await report_sick(teams, "emma")
    await teams.say("emma", "grøn")
    assert teams.texts_to("emma")[-1].startswith("Du er registreret fraværende i dag")
    assert await rows(bot, "e1") == []


async def test_named_team_card_reply_and_acknowledgement(bot, teams, clock):
    await teams.say("emma", "grøn")
    await teams.say("dorte", "rød Mangler hænder i aften")
    await teams.say("dorte", "En vikar mere")
    await teams.say("lars", "team")
    card = teams.last_card("lars")
    text = card_text(card)
    assert "Dit team — tirsdag 24/11" in text and "I dag: 🟢 1  🟡 0  🔴 1" in text
    assert "Emma Sørensen" in text and "Mangler hænder i aften · → En vikar mere" in text
    reply = next(
        a["card"]["actions"][0]["data"]
        for block in card["body"]
        if block.get("type") == "ActionSet"
        for a in block["actions"]
        if a["type"] == "Action.ShowCard"
    )
    seen = next(
        a["data"]
        for block in card["body"]
        if block.get("type") == "ActionSet"
        for a in block["actions"]
        if a.get("title") == "Set"
    )
    await teams.click("chef", seen)  # not Dorte's nearest leader
    assert teams.texts_to("chef")[-1].startswith("Du kan ikke handle på denne sag")
    await teams.click("lars", reply, message="")
    assert teams.texts_to("lars")[-1] == "Skriv dit svar i feltet først."
    await teams.click("lars", reply, message="Jeg ringer til vikarbureauet nu")
    assert teams.texts_to("lars")[-1] == "Dit svar er sendt til Dorte Nielsen."
    await teams.stub.wait_for(
        lambda _s: any("Jeg ringer til vikarbureauet nu" in t for t in teams.texts_to("dorte"))
    )
    await teams.click("lars", seen)
    assert teams.texts_to("lars")[-1] == "Det er allerede gjort."  # the reply counted as seen
    await teams.say("emma", "team")
    assert teams.texts_to("emma")[-1] == "Det kan kun ledere."


async def test_a_deputy_standing_in_sees_the_away_leaders_team(bot, teams):
    await teams.say("emma", "gul Travlt")
    await teams.say("dorte", "team")
    assert teams.texts_to("dorte")[-1] == "Det kan kun ledere."  # Lars is here
    await report_sick(teams, "lars")
    await teams.say("dorte", "team")
    text = card_text(teams.last_card("dorte"))
    assert "Emma Sørensen" in text and "Travlt" in text
    assert "Dorte Nielsen" not in text  # not her own answers as if she led herself


async def test_anonymous_unit_shows_only_totals_above_the_thresholds(bot, teams):
    await Org(bot.sessions).unit("Solgården", checkin_anonymous=True)
    extra = await add_staff(bot, 7)
    await teams.say("emma", "grøn")
    await teams.say("dorte", "rød Alt for travlt")
    await teams.say("ali", "gul")
    await teams.say("mette", "grøn")
    await teams.say("lars", "team")
    text = card_text(teams.last_card("lars"))
    assert "Anonyme svar (11 medarbejdere)" in text
    assert "I dag: vises først, når mindst 5 har svaret" in text
    assert "Emma" not in text and "Dorte" not in text and "Alt for travlt" not in text
    today = date(2026, 11, 24)
    await answered(bot, extra[0], today, "green")
    await teams.say("lars", "team")
    text = card_text(teams.last_card("lars"))
    assert "I dag: 🟢 3  🟡 1  🔴 1" in text  # five answered
    assert "Kommentarer vises uden navn, når mindst 10 har svaret." in text
    assert "Emma" not in text and "Alt for travlt" not in text
    for i, person in enumerate(extra[1:]):
        await answered(bot, person, today - timedelta(days=1 + i % 2), "yellow", f"K{i}")
    await teams.say("lars", "team")
    text = card_text(teams.last_card("lars"))
    assert "Alt for travlt" in text and "K0" in text  # ten answered this week: comments, no names
    assert "Dorte" not in text and "Set" not in text and "Svar" not in text


async def test_the_footer_says_anonymous_when_the_unit_is(bot, teams, clock):
    await Org(bot.sessions).unit("Solgården", checkin_anonymous=True)
    await tick(bot, clock, at(24, 14, 30))
    card = card_text(await _wait_prompt(teams, "emma"))
    assert "Dit svar er anonymt: din leder ser kun samlede tal, når mindst 5 har svaret" in card
    assert "Lars" not in card


async def test_digest_at_the_leaders_time_and_a_red_ping_when_chosen(bot, teams, clock):
    await teams.say("lars", "tjek-ind oversigt kl 16")
    assert teams.texts_to("lars")[-1] == "Fra nu af kommer dagens tjek-ind-oversigt kl. 16.00."
    await teams.say("lars", "rød besked til")
    await teams.say("emma", "rød Ingen pause i dag")
    await teams.stub.wait_for(
        lambda _s: any("Emma Sørensen har svaret rødt" in t for t in teams.texts_to("lars"))
    )
    await teams.say("dorte", "grøn")
    await tick(bot, clock, at(24, 15, 30))
    digest = [c for c in teams.cards_to("lars") if "Dagens tjek-ind" in card_text(c)]
    assert digest == []
    await tick(bot, clock, at(24, 16, 0))
    await tick(bot, clock, at(24, 16, 5))
    await teams.stub.wait_for(
        lambda _s: any(
            "Dagens tjek-ind — tirsdag 24/11" in card_text(c) for c in teams.cards_to("lars")
        )
    )
    digest = [c for c in teams.cards_to("lars") if "Dagens tjek-ind" in card_text(c)]
    assert len(digest) == 1 and "Ingen pause i dag" in card_text(digest[0])
    assert not any(
        "Dagens tjek-ind" in card_text(c) for c in teams.cards_to("chef")
    )  # none answered


async def test_three_red_days_nudge_the_leader_once(bot, teams, clock):
    for day in (24, 25, 26):
        clock.set(at(day, 14, 0))
        await teams.say("emma", "rød")
        await teams.say("emma", "spring over")
        await tick(bot, clock, at(day, 15, 30))
    await teams.stub.wait_for(
        lambda _s: any("Overvej en snak med Emma Sørensen" in t for t in teams.texts_to("lars"))
    )
    clock.set(at(27, 14, 0))
    await teams.say("emma", "rød")
    await tick(bot, clock, at(27, 15, 30))
    nudges = [t for t in teams.texts_to("lars") if "Overvej en snak med Emma" in t]
    assert len(nudges) == 1 and "3 gule eller røde dage" in nudges[0]


async def test_a_team_swing_nudges_about_the_team(bot, teams, clock):
    extra = await add_staff(bot, 5)
    start = date(2026, 10, 12)
    for offset in range(30):
        day = start + timedelta(days=offset)
        if day.weekday() < 5 and day < date(2026, 11, 16):
            for person in extra:
                await answered(bot, person, day, "green")
    for offset in range(7):
        day = date(2026, 11, 16) + timedelta(days=offset)
        if day.weekday() < 5:
            for person in extra:
                await answered(bot, person, day, "red" if person != extra[0] else "yellow")
    await tick(bot, clock, at(24, 15, 30))
    await teams.stub.wait_for(
        lambda _s: any(
            "Teamets andel af gule og røde svar er steget" in t for t in teams.texts_to("lars")
        )
    )


async def test_skulderklap_by_card_and_by_text(bot, teams):
    await teams.say("dorte", "skulderklap")
    card = teams.last_card("dorte")
    assert "Giv et skulderklap" in card_text(card)
    names = [c["title"] for c in card["body"][1]["choices"]]
    assert "Emma Sørensen" in names and "Dorte Nielsen" not in names
    send = action(card, "Send skulderklap")
    await teams.click("dorte", send, recipient="e1", message="", tell_leader="true")
    assert teams.texts_to("dorte")[-1] == "Skriv et par ord til din kollega."
    await teams.click("dorte", send, recipient="nobody", message="Tak")
    assert teams.texts_to("dorte")[-1] == "Den kollega kan jeg ikke finde."
    await teams.click("dorte", send, recipient="e1", message="Tak for i nat!", tell_leader="true")
    assert teams.texts_to("dorte")[-1] == "Dit skulderklap er sendt til Emma Sørensen."
    await teams.stub.wait_for(
        lambda _s: (
            "💛 Skulderklap fra Dorte Nielsen: Tak for i nat!" in teams.texts_to("emma")
            and any("Dorte Nielsen har givet Emma Sørensen" in t for t in teams.texts_to("lars"))
        )
    )
    await teams.say("ali", "kudos mette Thanks for the help")
    assert teams.texts_to("ali")[-1] == "Your pat on the back has been sent to Mette Berg."
    async with bot.sessions() as session:
        kudos = list(await session.scalars(select(Kudos).order_by(Kudos.id)))
    assert [(k.sender_id, k.recipient_id, k.tell_leader) for k in kudos] == [
        ("d1", "e1", True),
        ("e2", "e3", False),
    ]


async def test_team_day_colour_each_working_morning(bot, teams, clock):
    await teams.say("lars", "teamdag")
    card = teams.last_card("lars")
    assert "Teamets dagsfarve — Solgården" in card_text(card)
    save = action(card, "Gem")
    await teams.click("lars", save, day_yellow_absent="0")
    assert teams.texts_to("lars")[-1].startswith("Tallene passer ikke")
    await teams.click(
        "lars",
        save,
        day_yellow_absent="1",
        day_red_percent="40",
        day_yellow_drops="Ture ud af huset",
        day_red_drops="Ture og aktiviteter",
        day_names="false",
    )
    assert teams.texts_to("lars")[-1] == "Dagsfarven for Solgården er gemt."
    await teams.say("emma", "teamdag")
    assert teams.texts_to("emma")[-1] == "Det kan kun ledere."
    await report_sick(teams, "emma")
    await tick(bot, clock, at(25, 7, 29))
    await tick(bot, clock, at(25, 7, 30))
    yellow = "🟡 I dag er en gul dag — vi prioriterer: Ture ud af huset. 1 af 5 er fraværende."
    await teams.stub.wait_for(
        lambda _s: (
            all(yellow in teams.texts_to(w) for w in ("dorte", "lars", "mette"))
            and "🟡 Today is a yellow day — we prioritise: Ture ud af huset. 1 of 5 are absent."
            in teams.texts_to("ali")
        )
    )
    assert not any("gul dag" in t for t in teams.texts_to("emma"))
    assert not any("gul dag" in t for t in teams.texts_to("chef"))  # another unit
    await tick(bot, clock, at(25, 9, 0))
    assert teams.texts_to("dorte").count(yellow) == 1
    await report_sick(teams, "mette")
    # Lars' card about Mette comes through the outbox: let it land before reading his last card.
    await teams.stub.wait_for(
        lambda _s: any("Mette Berg" in card_text(c) for c in teams.cards_to("lars"))
    )
    await teams.say("lars", "teamdag")
    await teams.click(
        "lars",
        action(teams.last_card("lars"), "Gem"),
        day_yellow_absent="1",
        day_red_percent="40",
        day_red_drops="Ture og aktiviteter",
        day_names="true",
    )
    await tick(bot, clock, at(26, 7, 30))
    red = "🔴 I dag er en rød dag — vi prioriterer: Ture og aktiviteter. Fraværende: Emma Sørensen, Mette Berg."
    await teams.stub.wait_for(lambda _s: red in teams.texts_to("dorte"))


async def test_hr_can_open_the_team_day_card_and_save_it(bot, teams):
    # HR leads by role: the card opened, but saving said "leaders only" (issue 13).
    await teams.say("hanne", "teamdag")
    card = teams.last_card("hanne")
    assert "Teamets dagsfarve — HR" in card_text(card)
    await teams.click(
        "hanne",
        action(card, "Gem"),
        day_yellow_absent="2",
        day_red_percent="50",
        day_yellow_drops="Møder",
        day_names="false",
    )
    assert teams.texts_to("hanne")[-1] == "Dagsfarven for HR er gemt."
    async with bot.sessions() as session:
        unit = await session.get(Unit, "HR")
    assert unit is not None
    assert (unit.day_yellow_absent, unit.day_red_percent, unit.day_yellow_drops) == (2, 50, "Møder")


async def test_ten_unanswered_days_bring_one_question_about_a_pause(bot, teams, clock):
    day = date(2026, 11, 24)
    asked = 0
    while asked < 11:
        if day.weekday() < 5:
            await tick(
                bot, clock, datetime(day.year, day.month, day.day, 14, 30, tzinfo=COPENHAGEN)
            )
            asked += 1
        day += timedelta(days=1)
    await teams.stub.wait_for(
        lambda _s: any("Vil du holde pause?" in card_text(c) for c in teams.cards_to("emma"))
    )
    offer = [c for c in teams.cards_to("emma") if "Vil du holde pause?" in card_text(c)]
    assert len(offer) == 1 and len(prompts(teams, "emma")) == 10
    await teams.click("emma", action(offer[0], "Pause i 2 uger"))
    assert teams.texts_to("emma")[-1].startswith("Tjek-ind holder pause til og med")
    await teams.say("emma", "pause til 40/40")
    assert teams.texts_to("emma")[-1].startswith("Den dato kan jeg ikke bruge")


async def test_each_person_may_choose_the_time(bot, teams, clock):
    await teams.say("emma", "tjek-ind kl 13:15")
    assert teams.texts_to("emma")[-1] == "Fra nu af bliver du spurgt kl. 13.15 på dine arbejdsdage."
    await teams.say("ali", "checkin at noon")
    assert teams.texts_to("ali")[-1].startswith("I cannot read that as a time of day")
    await tick(bot, clock, at(24, 13, 15))
    card = await _wait_prompt(teams, "emma")
    assert prompts(teams, "dorte") == []
    await teams.click("emma", action(card, "🔴 Rød"), comment="")
    to_green = card_text(teams.last_card("emma"))
    assert "Hvad skulle der til" in to_green and "kan ses med dit navn af Lars Jensen" in to_green


async def test_an_akutdag_means_no_check_in(bot, teams, clock):
    await teams.say("emma", "akutdag")
    await teams.say("emma", "i dag")
    await teams.say("emma", "1")
    await tick(bot, clock, at(24, 14, 30))
    await teams.stub.wait_for(lambda _s: len(prompts(teams, "dorte")) == 1)
    assert prompts(teams, "emma") == []


async def test_units_up_the_tree_hide_what_subtraction_would_reveal(bot, teams):
    extra = await add_staff(bot, 5)
    for person in extra:
        await answered(bot, person, date(2026, 11, 24), "green")
    await teams.say("chef", "team")
    text = card_text(teams.last_card("chef"))
    assert "Ældreområdet\n🟢 5  🟡 0  🔴 0" in text and "Solgården\n🟢 5  🟡 0  🔴 0" in text
    assert "HR\nvises først, når mindst 5 har svaret" in text
    assert "Kollega" not in text  # the chef is nobody's nearest leader there: no names
    await teams.say("hanne", "rød")
    await teams.say("chef", "team")
    text = card_text(teams.last_card("chef"))
    # Ældreområdet minus Solgården would be Hanne's answer alone: Solgården is hidden too.
    assert "Ældreområdet\n🟢 5  🟡 0  🔴 1" in text
    assert "Solgården\nvises først" in text and "HR\nvises først" in text


async def test_a_bare_command_after_yellow_is_the_command_not_the_suggestion(bot, teams):
    await teams.say("emma", "gul")
    await teams.say("emma", "hjælp fra en kollega")
    [row] = await rows(bot, "e1")
    assert row.to_green == "hjælp fra en kollega"
    await teams.say("dorte", "rød")
    await teams.say("dorte", "syg")
    assert "Hvordan er det i dag?" in card_text(teams.last_card("dorte"))
