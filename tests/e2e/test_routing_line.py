"""Routing completes the line, and an away leader's role is read by the deputy (issue 14,
part 7), over HTTP on SQLite and PostgreSQL, in Danish and English, in virtual time."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.app import CHECKINS, FOLLOW_UP
from storage.models import (
    Absence,
    AbsenceKind,
    AbsenceStatus,
    Employee,
    FollowUpRecord,
    Role,
)
from tests.builders import Org
from tests.e2e.helpers import at, prompts, report_sick
from tests.e2e.teams import Teams, card_text


async def away(bot, *who: str, first: date = date(2026, 11, 24)) -> None:
    """Registered sick (as their leader would have registered it), from `first`."""
    async with bot.sessions.begin() as session:
        for person in who:
            session.add(
                Absence(
                    employee_id=person,
                    kind=AbsenceKind.SICK,
                    status=AbsenceStatus.OPEN,
                    first_day=first,
                    reported_by=person,
                    channel="chat",
                    source_key=f"away-{person}",
                    created_at=at(24, 8),
                )
            )


async def routed(bot, who: str) -> tuple[str | None, str | None]:
    async with bot.sessions() as session:
        absence = await session.scalar(
            select(Absence).where(Absence.employee_id == who).order_by(Absence.id.desc())
        )
        assert absence is not None
        return absence.routed_to, absence.routed_as


def button(card: dict, title: str) -> dict:
    """The submit data of a button inside the card's body (the digest's per-comment buttons)."""
    return next(
        a["data"]
        for block in card["body"]
        if block.get("type") == "ActionSet"
        for a in block["actions"]
        if a.get("title") == title
    )


def said_to(teams: Teams, who: str) -> str:
    """Everything a person was sent, texts and cards, as one text."""
    return "\n".join(teams.texts_to(who) + [card_text(c) for c in teams.cards_to(who)])


async def test_leader_and_deputy_sick_the_leaders_leader_gets_the_card_in_english(bot, teams):
    await away(bot, "l1", "d1")
    await Org(bot.sessions).reads_english("c1")
    await report_sick(teams, "emma")
    assert await routed(bot, "e1") == ("c1", "leaders_leader")
    await teams.wait_until("chef", 1)
    assert "Emma Sørensen has reported sick" in card_text(teams.cards_to("chef")[0])
    assert "Chef Hansen (leder over din leder, da din leder er væk)" in said_to(teams, "emma")
    assert not any("Emma Sørensen" in card_text(c) for c in teams.cards_to("lars"))


async def test_an_english_employee_is_told_in_english_who_got_it(bot, teams):
    await away(bot, "l1", "d1")
    await report_sick(teams, "ali")
    assert await routed(bot, "e2") == ("c1", "leaders_leader")
    await teams.wait_until("chef", 1)
    assert "Ali Khan har meldt sig syg" in card_text(teams.cards_to("chef")[0])
    assert "Chef Hansen (a leader above your leader, as your leader is away)" in said_to(
        teams, "ali"
    )


async def test_the_top_leader_sick_their_staffs_report_goes_to_hr_not_to_them(bot, teams):
    # The regression from the Playground: the report reached the sick leader.
    await away(bot, "c1")
    await report_sick(teams, "lars")
    assert await routed(bot, "l1") == ("h1", "hr")
    await teams.wait_until("hanne", 1)
    assert "Du får den, fordi Chef Hansen er væk." in card_text(teams.cards_to("hanne")[0])
    assert teams.to("chef") == []


async def tick_checkins(bot, clock, day: int, hour: int, minute: int = 0) -> None:
    clock.set(at(day, hour, minute))
    await bot.app[CHECKINS]()


async def test_an_away_leaders_digest_and_red_ping_go_to_the_deputy(bot, teams, clock):
    await teams.say("lars", "tjek-ind oversigt kl 16")
    await teams.say("lars", "rød besked til")
    await away(bot, "l1")
    await Org(bot.sessions).reads_english("d1")
    await teams.say("emma", "rød Ingen pause i dag")
    await teams.stub.wait_for(
        lambda _s: any("Emma Sørensen answered red" in t for t in teams.texts_to("dorte"))
    )
    await tick_checkins(bot, clock, 24, 14, 30)
    await teams.stub.wait_for(lambda _s: len(prompts(teams, "dorte")) == 1)
    assert prompts(teams, "lars") == []  # sick: not asked about the working day
    # Dorte is Lars's deputy: her own card does not name her as a reader of her answers.
    assert "seen with your name by Lars Jensen. Nobody else sees them." in card_text(
        prompts(teams, "dorte")[0]
    )
    await tick_checkins(bot, clock, 24, 16, 0)
    await teams.stub.wait_for(
        lambda _s: any(
            "Today's check-ins — Tuesday 24 Nov" in card_text(c) for c in teams.cards_to("dorte")
        )
    )
    assert "Ingen pause i dag" in said_to(teams, "dorte")
    # The digest's buttons work for the deputy standing in: none is refused.
    digest = next(c for c in teams.cards_to("dorte") if "Today's check-ins" in card_text(c))
    await teams.click("dorte", button(digest, "Seen"))
    assert teams.texts_to("dorte")[-1] == "Marked as seen. Emma Sørensen is told."
    assert not any("tjek-ind" in t.lower() and "rødt" in t for t in teams.texts_to("lars"))
    assert not any("Dagens tjek-ind" in card_text(c) for c in teams.cards_to("lars"))


async def test_leader_and_deputy_away_nobody_gets_the_teams_digest(bot, teams, clock):
    await away(bot, "l1", "d1")
    await teams.say("emma", "grøn")
    await tick_checkins(bot, clock, 24, 16, 0)
    await tick_checkins(bot, clock, 24, 16, 5)
    for who in ("lars", "dorte", "chef"):
        assert not any("Dagens tjek-ind" in card_text(c) for c in teams.cards_to(who))


async def tick_followups(bot, clock, day: int, hour: int) -> None:
    clock.set(at(day, hour))
    await bot.app[FOLLOW_UP]()


async def test_follow_ups_go_to_the_deputy_while_the_leader_is_away(bot, teams, clock):
    await Org(bot.sessions).follows_policy("Solgården", "norddjurs")
    await report_sick(teams, "emma")  # Tuesday: day 1 reaches Lars
    await bot.app[FOLLOW_UP]()
    await teams.stub.wait_for(
        lambda _s: any("Opfølgning: Emma" in card_text(c) for c in teams.cards_to("lars"))
    )
    await away(bot, "l1", first=date(2026, 11, 25))
    before = len(teams.to("lars"))
    await tick_followups(bot, clock, 26, 9)  # day 3 due, day 1 overdue
    await teams.stub.wait_for(
        lambda _s: (
            any("Opfølgning: Emma" in card_text(c) for c in teams.cards_to("dorte"))
            and any("skulle have været holdt" in t for t in teams.texts_to("dorte"))
        )
    )
    assert len(teams.to("lars")) == before
    await teams.say("dorte", "opfølgning")
    assert teams.texts_to("dorte")[-1] == "Du har 2 åbne opfølgninger:"


async def test_an_hr_follow_up_goes_to_an_hr_person_who_is_here(bot, teams, clock):
    async with bot.sessions.begin() as session:
        # Sorted first among HR, and away today.
        session.add(Employee(id="h0", name="Helle HR", unit_id="HR", leader_id="c1", role=Role.HR))
        session.add(
            FollowUpRecord(
                key="test-hr",
                employee_id="e1",
                policy_id="default",
                rule_id="nemrefusion",
                rule_kind="statutory",
                occurrence="1",
                due_on=date(2026, 11, 24),
                deadline_on=date(2026, 11, 30),
                recipient="hr",
                guide="statutory",
                why={"da": "NemRefusion", "en": "NemRefusion"},
                created_at=at(24, 8),
            )
        )
    await away(bot, "h0")
    await tick_followups(bot, clock, 24, 9)
    await teams.stub.wait_for(
        lambda _s: any("Opfølgning: Emma" in card_text(c) for c in teams.cards_to("hanne"))
    )
