"""Cards as Teams does them today (issue 14, part 9): Action.Execute answered by an invoke
response with the card's done state, the Action.Submit fallback updating the card in place, no
"Klaret" beside a card that says it, and an invoke that always hears back — over HTTP, on both
databases, in Danish and English."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.app import CHECKINS, FOLLOW_UP
from storage.models import Absence, AbsenceEvent
from tests.activities import card_action, execute_value
from tests.builders import Org
from tests.e2e.helpers import at, prompts, report_sick
from tests.e2e.teams import PEOPLE, Teams, action, buttons, card_text, live_buttons


def every_button_is_universal(card: dict) -> None:
    for button in buttons(card):
        assert button["type"] == "Action.Execute", button
        assert button["verb"] == button["data"]["kind"]
        fallback = button["fallback"]
        assert fallback["type"] == "Action.Submit" and fallback["data"] == button["data"]
        assert fallback["title"] == button["title"]


async def test_every_button_is_action_execute_with_a_submit_fallback(teams):
    await teams.say("emma", "hjælp")
    await teams.say("emma", "akutdag")
    await report_sick(teams, "ali")
    await teams.wait_until("lars", 1)
    cards = [*teams.cards_to("emma"), *teams.cards_to("ali"), *teams.cards_to("lars")]
    assert cards and all(buttons(card) for card in cards)
    for card in cards:
        every_button_is_universal(card)


async def test_dialog_card_pressed_by_execute_shows_what_was_chosen(teams):
    await teams.say("emma", "akutdag")
    asked = teams.last_card("emma")
    body = await teams.execute("emma", action(asked, "I morgen"))
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    shown = body["value"]
    assert "✓ I morgen" in card_text(shown) and live_buttons(shown) == []
    # The next step arrives as a new card with live buttons.
    paid = teams.last_card("emma")
    assert "Ferie" in live_buttons(paid)


async def test_dialog_card_pressed_the_old_way_is_updated_in_place(teams):
    await teams.say("ali", "akutdag")
    asked = teams.last_card("ali")
    message = teams.message_with("ali", action(asked, "Tomorrow"))
    await teams.press("ali", asked, "Tomorrow", execute=False)
    [update] = await teams.wait_for_update(1)
    assert update.activity_id == message
    now = teams.card_now(message)
    assert "✓ Tomorrow" in card_text(now) and live_buttons(now) == []
    assert "Vacation" in live_buttons(teams.last_card("ali"))  # the next step, in English


async def test_leader_card_by_execute_is_the_refreshed_card_without_a_klaret(bot, teams):
    await report_sick(teams, "emma")
    await teams.wait_until("lars", 1)
    card = teams.cards_to("lars")[0]
    body = await teams.execute("lars", action(card, "Jeg ringer til dig i dag"))
    shown = card_text(body["value"])
    assert "Emma Sørensen har meldt sig syg" in shown and "✓" in shown
    assert "Jeg ringer til dig i dag" not in live_buttons(body["value"])
    assert "Send god bedring" in card_text(body["value"])  # the other buttons stay
    assert not any(text.startswith("Klaret") for text in teams.texts_to("lars"))
    await teams.stub.wait_for(
        lambda _s: "Lars Jensen ringer til dig i løbet af i dag." in teams.texts_to("emma")
    )
    # Pressed again on the stale card: nothing happens, and it says so.
    again = await teams.execute("lars", action(card, "Jeg ringer til dig i dag"))
    assert again["type"] == "application/vnd.microsoft.activity.message"
    assert again["value"] == "Det er allerede gjort."
    async with bot.sessions() as session:
        kinds = list(await session.scalars(select(AbsenceEvent.kind)))
    assert kinds.count("call_today") == 1


async def test_same_button_both_ways_does_the_same_once(bot, teams):
    await report_sick(teams, "emma")
    await teams.wait_until("lars", 1)
    card = teams.cards_to("lars")[0]
    await teams.press("lars", card, "Markér som arbejdsskade", execute=False)
    [update] = await teams.wait_for_update(1)
    assert "skal anmeldes i EASY" in card_text(update.body["attachments"][0]["content"])
    body = await teams.execute("lars", action(card, "Markér som arbejdsskade"))
    assert body["value"] == "Det er allerede gjort."
    async with bot.sessions() as session:
        [absence] = list(await session.scalars(select(Absence)))
    assert absence.work_injury


async def test_check_in_by_execute_in_danish_and_english(bot, teams, clock):
    clock.set(at(24, 14, 30))
    await bot.app[CHECKINS]()
    await teams.stub.wait_for(lambda _s: prompts(teams, "emma") and prompts(teams, "ali"))
    body = await teams.execute("emma", action(prompts(teams, "emma")[0], "🟢 Grøn"), comment="")
    assert "Dit svar i dag: **🟢 Grøn**" in card_text(body["value"])
    english = await teams.execute("ali", action(prompts(teams, "ali")[0], "🟢 Green"), comment="")
    assert "Your answer today: **🟢 Green**" in card_text(english["value"])


async def test_a_refused_press_keeps_the_card_and_says_why(bot, teams):
    await Org(bot.sessions).follows_policy("Solgården", "norddjurs")
    await report_sick(teams, "emma")
    await bot.app[FOLLOW_UP]()
    await teams.stub.wait_for(
        lambda _s: any("Opfølgning" in card_text(c) for c in teams.cards_to("lars"))
    )
    card = next(c for c in teams.cards_to("lars") if "Opfølgning" in card_text(c))
    message = teams.message_with("lars", action(card, "Udsæt"))
    body = await teams.execute("lars", action(card, "Udsæt"), day="2026-11-20")
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert body["value"].startswith("Vælg en dato")
    assert message not in teams.shown
    assert all(call.activity_id != message for call in teams.stub.updates())
    done = await teams.execute("lars", action(card, "Udsæt"), day="2026-11-27")
    # Snoozed, the follow-up comes back: its card says so and keeps its decisions.
    assert done["type"] == "application/vnd.microsoft.card.adaptive"
    assert "✓ Udsat til fredag 27/11" in card_text(done["value"])


def invoke(teams: Teams, who: str, value: object, name: str = "adaptiveCard/action") -> dict:
    user, aad = PEOPLE[who]
    return card_action(teams.stub.base_url, value, user=user, aad=aad, name=name)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (execute_value("bogus", {"kind": "bogus"}), "Den knap kender jeg ikke"),
        (execute_value("leader_action", {"absence_id": "x"}), "Den knap kender jeg ikke"),
        ({"action": {"type": "Action.Execute", "data": "not a dict"}}, "Den knap kender jeg"),
        ({"action": "nothing"}, "Den knap kender jeg ikke"),
        (None, "Den knap kender jeg ikke"),
        (
            execute_value("leader_action", {"absence_id": 99999, "action": "call_today"}),
            "Du kan ikke handle på denne sag",
        ),
    ],
)
async def test_bad_card_actions_get_a_clear_message_and_change_nothing(bot, teams, value, expected):
    body = await teams.invoke(invoke(teams, "lars", value))
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert body["value"].startswith(expected), body
    async with bot.sessions() as session:
        assert list(await session.scalars(select(AbsenceEvent))) == []


async def test_bad_card_actions_in_english_and_from_strangers(bot, teams):
    english = await teams.invoke(invoke(teams, "ali", execute_value("bogus", {})))
    assert english["value"].startswith("I do not know that button")
    stranger = card_action(
        teams.stub.base_url, execute_value("command", {"command": "help"}), user="29:x", aad="x"
    )
    body = await teams.invoke(stranger)
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert "ikke oprettet i naervaer" in body["value"]
    other = await teams.bot.post(invoke(teams, "emma", {}, name="task/fetch"))
    assert other.status == 200


async def test_a_forged_card_stamp_cannot_put_markup_on_someone_elses_card(teams):
    await teams.say("emma", "akutdag")
    data = dict(action(teams.last_card("emma"), "I dag"))
    data["_card"] = {"name": "x" * 500, "heading": "h" * 5000, "title": 42}
    body = await teams.execute("emma", data)
    assert body["statusCode"] == 200
    # Only the presser's own card shows it, cut short, and the press itself still counts.
    assert card_text(body["value"]) == "h" * 300
    assert "Ferie" in live_buttons(teams.last_card("emma"))


async def test_menu_buttons_keep_their_card(teams):
    await teams.say("emma", "hjælp")
    help_card = teams.last_card("emma")
    body = await teams.execute("emma", action(help_card, "Status"))
    assert body == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": "Se svaret herunder.",
    }
    assert teams.texts_to("emma")[-1].startswith("Du er ikke registreret")


async def test_a_date_the_dialog_refuses_leaves_the_card_live(teams):
    await report_sick(teams, "emma")
    await teams.say("emma", "rask")
    asked = teams.last_card("emma")
    pick = next(b["data"] for b in buttons(asked) if b["data"].get("field") == "date")
    body = await teams.execute("emma", pick, date="2020-01-01")
    assert body["type"] == "application/vnd.microsoft.activity.message", body
    # The dialog's own answer (which days it can take), not a card saying "chosen".
    assert body["value"] and body["value"] != "Se svaret herunder."
    # The old way too: nothing is frozen, and the next try works.
    updates = len(teams.stub.updates())
    await teams.click("emma", pick, date="2020-01-01")
    assert len(teams.stub.updates()) == updates
    done = await teams.execute("emma", action(asked, "I morgen"))
    assert "✓ I morgen" in card_text(done["value"])


async def test_the_employees_answer_card_shows_the_answer_and_no_buttons(teams):
    await report_sick(teams, "emma")
    await teams.wait_until("lars", 1)
    await teams.execute("lars", action(teams.cards_to("lars")[0], "Kan du lave andre opgaver?"))
    await teams.stub.wait_for(
        lambda _s: "Kan du lave andre opgaver" in card_text(teams.last_card("emma"))
    )
    question = teams.last_card("emma")
    body = await teams.execute("emma", action(question, "Ja"), typed="Telefonvagt hjemmefra")
    shown = card_text(body["value"])
    assert "Kan du lave andre opgaver" in shown and "✓ Ja" in shown
    assert "✓ Telefonvagt hjemmefra" in shown and live_buttons(body["value"]) == []
    assert teams.texts_to("emma")[-1] == "Tak, dit svar er sendt til Lars Jensen."
