"""Hardening over HTTP: body size, per-user turn limit, and a fuzz of 10,000 activities."""

from __future__ import annotations

import json
import logging
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from storage.models import Absence, CheckIn, DialogState, Kudos
from tests.activities import message
from tests.conftest import running_bot
from tests.e2e.teams import Teams


async def business_state(bot) -> tuple[int, ...]:
    async with bot.sessions() as session:
        return tuple(
            [
                int(await session.scalar(select(func.count()).select_from(model)) or 0)
                for model in (Absence, CheckIn, Kudos, DialogState)
            ]
        )


async def test_a_huge_body_is_refused_before_it_is_read(bot, stub):
    activity = message(stub.base_url, "x" * (300 * 1024))
    response = await bot.post(activity)
    assert response.status == 413
    assert stub.sent() == []


async def test_a_flood_from_one_user_is_slowed_down_politely(database_url, clock, stub):
    async with running_bot(database_url, clock, turns_per_minute=6) as bot:
        for n in range(14):
            await bot.post(message(stub.base_url, "grøn" if n == 12 else "status"))
        await stub.wait_for(lambda s: any("hurtigere" in t for t in s.texts()))
        too_fast = [t for t in stub.texts() if "hurtigere" in t]
        assert too_fast == [
            "Du skriver hurtigere, end jeg kan følge med. Vent et øjeblik, og prøv så igen."
        ]
        async with bot.sessions() as session:
            # The refused "grøn" was not recorded; another user is not held back.
            assert await session.scalar(select(func.count()).select_from(CheckIn)) == 0
        await bot.post(message(stub.base_url, "status", user="29:dorte", aad="aad-dorte"))
        await stub.wait_for(lambda s: any(c.conversation_id.endswith("dorte") for c in s.sent()))


# --- the fuzz ------------------------------------------------------------------------------

KINDS = [
    "command",
    "answer",
    "leader_action",
    "other_tasks_answer",
    "on_behalf",
    "followup_action",
    "checkin",
    "checkin_leader",
    "kudos",
    "team_day",
    "launch",
]
REJECTIONS = (
    "Det forstod jeg ikke",
    "Den knap kender jeg ikke",
    "Jeg modtog en tom besked",
    "Du er ikke oprettet",
    "You are not set up",
    "naervaer virker i en personlig chat",
    "Tallene passer ikke",
    "Du har ingen igangværende",
    "Der er intet at svare på",
)
junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)
texts = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="abcæøå <>/@\\\"'{}", min_size=1000, max_size=100_000),
    st.sampled_from(["", " ", "<at>naervaer</at>", "\u0000", "💛" * 50, "DROP TABLE employees;"]),
)
values = st.fixed_dictionaries(
    {"kind": st.sampled_from(KINDS)},
    optional={
        "command": junk | st.text(max_size=20),
        "absence_id": junk,
        "followup_id": junk,
        "checkin_id": junk,
        "action": junk | st.sampled_from(["get_well", "held", "ack", "reply", "approve"]),
        "day": junk | st.sampled_from(["2026-11-24", "2026-02-30", "i dag"]),
        "colour": junk | st.sampled_from(["blue", "GREEN", ""]),
        "recipient": junk,
        "message": junk,
        "day_yellow_absent": junk,
        "dialog": junk,
        "step": junk,
        "text": junk,
    },
)
SENDERS = [
    ("29:emma", "aad-emma"),
    ("29:lars", "aad-lars"),
    ("29:stranger", "aad-unknown"),
    ("", None),
]


@st.composite
def activities(draw: st.DrawFn) -> dict[str, Any]:
    user, aad = draw(st.sampled_from(SENDERS))
    activity = message("SERVICE", "", user=user, aad=aad)
    activity["type"] = draw(
        st.sampled_from(
            [
                "message",
                "message",
                "message",
                "invoke",
                "conversationUpdate",
                "installationUpdate",
                "typing",
                "event",
                "messageReaction",
                "bogus",
            ]
        )
    )
    activity["id"] = draw(st.text(min_size=1, max_size=30))
    activity["text"] = draw(texts)
    if draw(st.booleans()):
        activity["value"] = draw(values | junk)
    for key in draw(st.lists(st.sampled_from(sorted(activity)), max_size=3, unique=True)):
        if key == "serviceUrl":
            continue  # replies must reach the stub, not the internet
        if draw(st.booleans()):
            del activity[key]
        else:
            activity[key] = draw(junk)
    if draw(st.integers(0, 20)) == 0:
        activity["conversation"] = {
            "id": "19:group",
            "conversationType": "groupChat",
            "isGroup": True,
        }
    return activity


def generate(count: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
    )
    @given(activities())
    def collect(activity: dict[str, Any]) -> None:
        found.append(activity)

    collect()
    return found


async def test_fuzzed_activities_never_break_the_server(bot, stub, database_url, caplog):
    count = 10_000
    examples = generate(count)
    assert len(examples) >= count * 0.9
    await Teams(bot, stub).hello("emma", "lars")
    caplog.set_level(logging.WARNING)
    statuses: Counter[int] = Counter()
    before = await business_state(bot)
    for n, activity in enumerate(examples):
        body = json.dumps(activity).replace('"SERVICE"', json.dumps(stub.base_url))
        sent_before = len(stub.sent())
        async with bot.http.post(
            f"{bot.url}/api/messages", data=body, headers={"Content-Type": "application/json"}
        ) as response:
            await response.read()
            statuses[response.status] += 1
            assert response.status < 500, (n, response.status, activity)
        replies = [
            c.body.get("text", "") for c in stub.sent()[sent_before:] if isinstance(c.body, dict)
        ]
        after = await business_state(bot)
        if after != before:
            # Only an input the bot accepted may change anything.
            assert not any(r.startswith(REJECTIONS) for r in replies), (n, activity, replies)
            before = after
    errors = [
        r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("naervaer")
    ]
    assert errors == [], [r.getMessage() for r in errors[:5]]
    print(f"fuzz: {len(examples)} activities, statuses {dict(statuses)}")


async def test_metrics_show_turns_outbox_and_follow_ups(bot, stub):
    teams = Teams(bot, stub)
    await teams.hello("emma", "lars")
    await teams.say("emma", "hjælp")
    async with bot.http.get(f"{bot.url}/metrics") as response:
        assert response.status == 200 and response.content_type == "text/plain"
        text = await response.text()
    assert 'naervaer_turns_total{type="message"} 3.0' in text
    assert 'naervaer_outbox_depth{status="pending"}' in text
    assert "naervaer_followups_due 0.0" in text
    assert "naervaer_outbox_throttled_total 0.0" in text
    assert "naervaer_outbox_senders 1.0" in text  # this one alone has the whole rate
    assert "Emma" not in text and "e1" not in text  # figures only
