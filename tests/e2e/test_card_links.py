"""The leader's sick-report card opens the employee's fraværskort in the tab (issue 15): in
local mode a plain link to this server's person page, which the leader may open and the
employee's colleague may not. Over HTTP, both databases."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp

from tests.e2e.helpers import report_sick
from tests.e2e.teams import Teams


def open_urls(card: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (a["title"], a["url"]) for a in card.get("actions", []) if a["type"] == "Action.OpenUrl"
    ]


async def page_as(url: str, who: str) -> tuple[int, str]:
    split = urlsplit(url)
    api = f"{split.scheme}://{split.netloc}/tab/api/person?{split.query}"
    async with aiohttp.ClientSession(cookies={"naervaer_demo": who}) as http:
        async with http.get(api) as response:
            return response.status, await response.text()


async def test_the_leaders_card_links_to_the_persons_page_in_the_tab(bot, teams: Teams):
    await report_sick(teams, "emma")
    [(title, url)] = open_urls(teams.cards_to("lars")[-1])
    assert title == "Se fraværskort"
    assert urlsplit(url).path == "/tab/person" and parse_qs(urlsplit(url).query) == {"id": ["e1"]}
    status, html = await page_as(url, "l1")
    assert status == 200 and "Emma Sørensen" in html
    status, _ = await page_as(url, "d1")  # a colleague, not her leader
    assert status == 403


async def test_the_demo_login_brings_the_leader_back_to_the_linked_page(bot):
    url = bot.url.removesuffix("/api/messages")
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{url}/tab/person?id=e1") as response:
            assert 'href="/tab/demo?next=/tab/person%3Fid%3De1"' in await response.text()
        async with http.get(f"{url}/tab/demo?next=/tab/person%3Fid%3De1") as response:
            assert 'name="next" value="/tab/person?id=e1"' in await response.text()
        for asked, lands in (
            ("/tab/person?id=e1", "/tab/person?id=e1"),
            ("https://example.com/tab/", "/tab"),
            ("//example.com/tab/", "/tab"),
            ("/tab//example.com", "/tab"),
            ("", "/tab"),
        ):
            form = {"who": "l1", "next": asked}
            async with http.post(f"{url}/tab/demo", data=form, allow_redirects=False) as response:
                assert (response.status, response.headers["Location"]) == (302, lands), asked
