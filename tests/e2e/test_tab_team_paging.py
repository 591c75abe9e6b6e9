"""Mit team for a large team over HTTP: one light line per person, pages of them, and the year
calendar on the person's own page (issue 15: 1.36 MB of calendars for 49 people)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from services.insight import TEAM_PAGE
from storage.models import AbsenceKind, Employee
from tests.conftest import running_bot
from tests.e2e.helpers import closed_period

TEAM = 49  # Lars's four from the small organisation and 45 more


@pytest.fixture
async def tab(database_url, clock, stub):
    async with running_bot(database_url, clock) as running:
        async with running.sessions.begin() as session:
            for n in range(TEAM - 4):
                session.add(
                    Employee(
                        id=f"p{n:02d}", name=f"Person {n:02d}", unit_id="Solgården", leader_id="l1"
                    )
                )
            await session.flush()
            for n in range(TEAM - 4):
                session.add(
                    closed_period(f"p{n:02d}", date(2026, 2, 2), date(2026, 2, 20), f"paging-{n}")
                )
                kind = AbsenceKind.PARTLY_SICK if n % 2 else AbsenceKind.SICK
                session.add(
                    closed_period(
                        f"p{n:02d}", date(2026, 8, 3), date(2026, 8, 14), f"paging-{100 + n}", kind
                    )
                )
        yield running


async def get(bot, path: str, who: str = "l1") -> tuple[int, str]:
    async with bot.http.get(f"{bot.url}{path}", cookies={"naervaer_demo": who}) as response:
        return response.status, await response.text()


def people(html: str) -> list[str]:
    return re.findall(r'<a href="/tab/person\?id=(\w+)">', html)


async def test_a_large_team_is_one_light_line_per_person_on_pages(tab):
    status, html = await get(tab, "/tab/api/team")
    assert status == 200
    assert len(html.encode()) < 30_000  # was 1.36 MB for 49 people with every calendar inline
    assert "<svg" not in html
    shown = people(html)
    assert len(shown) == TEAM_PAGE and shown[:2] == ["e2", "d1"]  # by name: Ali, Dorte
    assert "Person 00</a>: 2 perioder · 31 kalenderdage" in html
    assert '<a href="/tab/team?page=2" rel="next">2</a>' in html
    assert '<a href="/tab/team?page=1" aria-current="page">' in html
    # What the leader needs first comes before the list.
    assert html.index("Fraværende i dag") < html.index("Dagens tjek-ind") < html.index('id="cards"')


async def test_page_two_shows_the_rest(tab):
    first = people((await get(tab, "/tab/api/team"))[1])
    status, html = await get(tab, "/tab/api/team?page=2")
    rest = people(html)
    assert status == 200 and len(rest) == TEAM - TEAM_PAGE
    assert not set(first) & set(rest) and len(set(first) | set(rest)) == TEAM
    assert '<a href="/tab/team?page=1" rel="prev">1</a>' in html


@pytest.mark.parametrize("asked", ["abc", "-1", "0", "2.5", "", "9" * 5000])
async def test_a_bad_page_number_shows_the_first_page(tab, asked):
    status, html = await get(tab, f"/tab/api/team?page={asked}")
    assert status == 200 and len(people(html)) == TEAM_PAGE


async def test_a_page_past_the_end_shows_the_last(tab):
    status, html = await get(tab, "/tab/api/team?page=99999")
    assert status == 200 and len(people(html)) == TEAM - TEAM_PAGE


async def test_the_person_page_shows_the_calendar(tab):
    status, html = await get(tab, "/tab/api/person?id=p01")
    assert status == 200 and "Person 01" in html
    assert "<svg" in html and 'role="img"' in html and "url(#partial)" in html
    assert "2 perioder · 31 kalenderdage" in html
