"""The insight tab over HTTP: SSO tokens, who may see what, thresholds, audit, downloads."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from bot.app import FEATURES, FIGURES
from bot.cards.absence import leader_absence_card
from bot.settings import Settings
from bot.tab.links import TAB_ENTITY, person_link
from services.views import AbsenceView
from storage.models import Absence, AbsenceKind, AbsenceStatus, AuditEntry, Employee
from tests.builders import Org
from tests.conftest import COPENHAGEN, running_bot
from tests.e2e.helpers import report_sick, seed_absences
from tests.e2e.teams import Teams


async def get(bot, path: str, token: str | None = None, cookie: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    cookies = {"naervaer_demo": cookie} if cookie else None
    async with bot.http.get(f"{bot.url}{path}", headers=headers, cookies=cookies) as response:
        return response.status, await response.text()


async def audit(bot) -> list[tuple[str, str, str]]:
    async with bot.sessions() as session:
        rows = await session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(r.actor_id, r.subject_id, r.what) for r in rows]


async def test_a_valid_sso_token_shows_the_leader_his_team_and_is_audited(tab, entra, stub):
    await seed_absences(tab)
    status, html = await get(tab, "/tab/api/team", entra.token("aad-lars"))
    assert status == 200
    for name in ("Emma Sørensen", "Dorte Nielsen", "Ali Khan", "Mette Berg"):
        assert name in html
    assert "2 perioder · 15 kalenderdage" in html  # Emma: 3 + 12 days
    assert sorted(a[1] for a in await audit(tab)) == ["d1", "e1", "e2", "e3"]
    # Each name opens the person's fraværskort: a labelled picture, partial periods striped.
    assert '<a href="/tab/person?id=e1">Emma Sørensen</a>' in html
    status, html = await get(tab, "/tab/api/person?id=e1", entra.token("aad-lars"))
    assert "<svg" in html and 'role="img"' in html and "url(#partial)" in html
    # Absent today, with the kind, for the leader only.
    await report_sick(Teams(tab, stub), "emma")
    status, html = await get(tab, "/tab/api/team", entra.token("aad-lars"))
    assert "Emma Sørensen — Syg" in html


async def test_hr_is_a_leader_in_the_tab_as_in_the_chat(tab, entra):
    """One definition of a leader: HR opens the leader's pages (its own team, trivsel)."""
    for path in ("/tab/api/team", "/tab/api/trivsel", "/tab/api/organisation"):
        status, html = await get(tab, path, entra.token("aad-hr"))
        assert status == 200 and "Den side må du ikke se." not in html, path


@pytest.mark.parametrize(
    "claims",
    [
        {"forged": True},
        {"audience": "api://someone-else/app"},
        {"issuer": "https://login.microsoftonline.com/evil/v2.0"},
        {"expires_in": -60},
    ],
)
async def test_bad_tokens_are_refused(tab, entra, claims):
    status, html = await get(tab, "/tab/api/mig", entra.token("aad-lars", **claims))
    assert status == 401 and "Du er ikke logget ind" in html
    status, _ = await get(tab, "/tab/api/mig", "not-a-jwt")
    assert status == 401
    assert await audit(tab) == []


async def test_an_unknown_person_is_told_to_contact_hr(tab, entra):
    status, html = await get(tab, "/tab/api/mig", entra.token("aad-nobody"))
    assert status == 401 and "Du findes ikke i organisationsfilen" in html


async def test_nobody_sees_another_persons_page_without_the_right(tab, entra):
    emma = entra.token("aad-emma")
    for path in ("/tab/api/team", "/tab/api/trivsel", "/tab/api/organisation", "/tab/api/audit"):
        status, html = await get(tab, path, emma)
        assert status == 403 and "Den side må du ikke se." in html, path
    status, _ = await get(tab, "/tab/api/person?id=e3", emma)
    assert status == 403
    status, _ = await get(tab, "/tab/api/export/units.csv", emma)
    assert status == 403
    # A leader sees his own line, not another unit's HR person; HR sees anyone's card.
    assert (await get(tab, "/tab/api/person?id=h1", entra.token("aad-lars")))[0] == 403
    assert (await get(tab, "/tab/api/person?id=e1", entra.token("aad-lars")))[0] == 200
    assert (await get(tab, "/tab/api/person?id=e1", entra.token("aad-chef")))[0] == 200
    assert (await get(tab, "/tab/api/person?id=e1", entra.token("aad-hr")))[0] == 200
    assert await audit(tab) == [
        ("l1", "e1", "fraværskort"),
        ("c1", "e1", "fraværskort"),
        ("h1", "e1", "fraværskort"),
    ]
    status, html = await get(tab, "/tab/api/audit", entra.token("aad-hr"))
    assert status == 200 and "Lars Jensen" in html and "fraværskort" in html


async def test_my_data_downloads_hold_everything_about_me(tab, entra, stub):
    chat = Teams(tab, stub)
    await chat.hello("emma")
    await chat.say("emma", "gul Travl dag")
    await seed_absences(tab)
    await get(tab, "/tab/api/person?id=e1", entra.token("aad-lars"))
    # The export's layout is tests/e2e/test_access_export.py's business; here: the tab hands
    # the person her own data, with the leader's view of it, and nobody else's.
    status, body = await get(tab, "/tab/api/me/data.json", entra.token("aad-emma"))
    assert status == 200 and json.loads(body)
    for fact in ("Emma Sørensen", "Travl dag", "2026-03-02", "2026-09-07", "l1"):
        assert fact in body, fact
    assert "Dorte" not in body  # nobody else's data
    status, text = await get(tab, "/tab/api/me/data.csv", entra.token("aad-emma"))
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert status == 200 and len(rows[0]) == 4 and any("Travl dag" in row for row in rows)
    status, html = await get(tab, "/tab/api/mig", entra.token("aad-emma"))
    assert "Mig: Emma Sørensen" in html and "Travl dag" in html


async def test_organisation_figures_with_small_units_hidden(tab, entra, clock):
    await seed_absences(tab)
    await Org(tab.sessions).unit("Solgården", target_percent=4.5)
    async with tab.sessions.begin() as session:
        for n in range(4):  # Solgården 9 people, HR 5
            session.add(Employee(id=f"s{n}", name=f"Sara {n}", unit_id="Solgården", leader_id="l1"))
            session.add(Employee(id=f"r{n}", name=f"Rikke {n}", unit_id="HR", leader_id="h1"))
    async with tab.sessions.begin() as session:
        await tab.app[FEATURES](session, clock.now()).figures.refresh()
    status, html = await get(tab, "/tab/api/organisation", entra.token("aad-hr"))
    assert status == 200
    assert html.count("skjult (for få ansatte)") == 1
    # HR has 5 people, but shown next to Solgården it would leave the chef alone by subtraction.
    assert '<th scope="row">HR</th>\n<td colspan="6">skjult' in html
    assert '<th scope="row">Solgården</th>\n<td>9</td>' in html and "<td>4,5</td>" in html
    status, html = await get(tab, "/tab/api/organisation", entra.token("aad-lars"))
    assert "Solgården" in html and "Ældreområdet" not in html
    status, text = await get(tab, "/tab/api/export/units.csv", entra.token("aad-hr"))
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Enhed", "Ansatte", "Fravær %"]
    solgarden = next(r for r in rows if r[0] == "Solgården")
    assert solgarden[1] == "9" and float(solgarden[2]) > 0
    hidden = next(r for r in rows if r[0] == "HR")
    assert hidden[1:6] == ["", "", "", "", ""]


async def test_demo_login_only_in_local_mode(database_url, clock, stub, entra):
    async with running_bot(database_url, clock) as local:
        status, html = await get(local, "/tab/demo")
        assert status == 200 and "DEMO" in html
        status, html = await get(local, "/tab/api/mig", cookie="e1")
        assert status == 200 and "Emma Sørensen" in html
        async with local.http.post(
            f"{local.url}/tab/demo", data={"who": "l1", "theme": "dark"}, allow_redirects=False
        ) as response:
            assert response.headers["Location"] == "/tab?theme=dark"
    async with running_bot(
        database_url,
        clock,
        app_id="00000000-0000-0000-0000-0000000000aa",
        app_secret="x",
        app_tenant_id="tenant-test",
        **entra.settings(),
    ) as real:
        assert (await get(real, "/tab/demo"))[0] == 404
        status, _ = await get(real, "/tab/api/mig", cookie="e1")
        assert status == 401
        status, html = await get(real, "/tab/api/mig", entra.token("aad-emma"))
        assert status == 200 and "Emma Sørensen" in html


async def test_the_page_shell_and_static_files(tab):
    status, html = await get(tab, "/tab/team")
    assert status == 200 and 'data-page="team"' in html and "/tab/static/teams.js" in html
    # The shell is the same for everyone, with no page names in it: they come per person.
    assert "Revisionslog" not in html and "Gå til indhold" in html and "Henter" in html
    for path in ("/tab", "/tab/start"):
        status, html = await get(tab, path)
        assert status == 200 and 'data-page="start"' in html, path
    assert 'data-theme="dark"' in (await get(tab, "/tab?theme=dark"))[1]
    assert 'data-theme="default"' in (await get(tab, "/tab?theme=<script>"))[1]
    for name in ("tab.js", "tab.css", "teams.js"):
        assert (await get(tab, f"/tab/static/{name}"))[0] == 200, name
    assert (await get(tab, "/tab/static/secret.py"))[0] == 404
    assert (await get(tab, "/tab/nothing"))[0] == 404


async def _october_swing(tab) -> None:
    async with tab.sessions.begin() as session:
        for n in range(4):
            session.add(Employee(id=f"s{n}", name=f"Sara {n}", unit_id="Solgården", leader_id="l1"))
        await session.flush()
        for n, who in enumerate(("e1", "d1", "s0")):
            session.add(
                Absence(
                    employee_id=who,
                    kind=AbsenceKind.SICK,
                    status=AbsenceStatus.CLOSED,
                    first_day=date(2026, 10, 5),
                    last_day=date(2026, 10, 16),
                    reported_by=who,
                    channel="chat",
                    source_key=f"october-{n}",
                    created_at=datetime(2026, 10, 5, tzinfo=COPENHAGEN),
                )
            )


async def test_a_unit_swing_nudges_its_leader_and_the_leader_above_once(tab, stub, clock):
    chat = Teams(tab, stub)
    await chat.hello("lars", "chef")
    await _october_swing(tab)
    await tab.app[FIGURES]()
    message = "Sygefraværet i Solgården var"
    await stub.wait_for(
        lambda _s: (
            any(message in t and "okt 2026" in t for t in chat.texts_to("lars"))
            and any(message in t for t in chat.texts_to("chef"))
        )
    )
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=COPENHAGEN))
    await tab.app[FIGURES]()  # a new night, the same swing: no second nudge
    await tab.sender.drain()
    assert sum(message in t for t in chat.texts_to("lars")) == 1


async def test_an_away_leaders_swing_nudge_goes_to_the_deputy_standing_in(tab, stub, clock):
    chat = Teams(tab, stub)
    await chat.hello("lars", "chef", "dorte")
    await _october_swing(tab)
    async with tab.sessions.begin() as session:
        session.add(
            Absence(
                employee_id="l1",
                kind=AbsenceKind.SICK,
                status=AbsenceStatus.OPEN,
                first_day=date(2026, 11, 23),
                reported_by="l1",
                channel="chat",
                source_key="lars-away",
                created_at=datetime(2026, 11, 23, tzinfo=COPENHAGEN),
            )
        )
    await tab.app[FIGURES]()
    message = "Sygefraværet i Solgården var"
    await stub.wait_for(
        lambda _s: (
            any(message in t for t in chat.texts_to("dorte"))
            and any(message in t for t in chat.texts_to("chef"))
        )
    )
    await tab.sender.drain()
    assert not any(message in t for t in chat.texts_to("lars"))


def nav_pages(html: str) -> list[str]:
    return re.findall(r'href="/tab/(\w+)"', html)


async def test_each_role_is_offered_only_its_pages_and_lands_on_the_first(tab, entra):
    """The navigation never offers a page its person would be refused; /tab lands on the first."""
    expected = {
        "aad-emma": ["mig"],
        "aad-lars": ["team", "trivsel", "organisation", "mig"],
        "aad-hr": ["team", "trivsel", "organisation", "mig", "audit", "payroll"],
    }
    for oid, pages in expected.items():
        status, html = await get(tab, "/tab/api/nav?page=start", entra.token(oid))
        assert status == 200 and nav_pages(html) == pages, oid
        assert f'data-landing="{pages[0]}"' in html and "aria-current" not in html
        for page in pages:
            assert (await get(tab, f"/tab/api/{page}", entra.token(oid)))[0] == 200, (oid, page)
    status, html = await get(tab, "/tab/api/nav?page=mig", entra.token("aad-emma"))
    assert '<a href="/tab/mig" aria-current="page">Mig</a>' in html
    status, html = await get(tab, "/tab/api/nav?page=team", entra.token("aad-lars"))
    assert "Revisionslog" not in html and '"/tab/team" aria-current="page">Mit team' in html
    # Typing the address of a page one is not offered still gets the polite refusal.
    status, html = await get(tab, "/tab/api/audit", entra.token("aad-lars"))
    assert status == 403 and "Den side må du ikke se." in html
    # Nobody signed in: no pages, the same message as every page.
    status, html = await get(tab, "/tab/api/nav?page=start")
    assert status == 401 and "Du er ikke logget ind" in html and "href" not in html


async def test_the_navigation_in_english_for_an_english_reader(tab, entra):
    async with tab.sessions.begin() as session:
        (await session.get(Employee, "l1")).locale = "en-GB"
    status, html = await get(tab, "/tab/api/nav?page=team", entra.token("aad-lars"))
    assert status == 200
    assert re.findall(r">([^<]+)</a>", html) == ["My team", "Wellbeing", "Organisation", "Me"]


async def test_the_audit_log_shows_danish_local_times(tab, entra, clock):
    await get(tab, "/tab/api/person?id=e1", entra.token("aad-lars"))
    status, html = await get(tab, "/tab/api/audit", entra.token("aad-hr"))
    at = clock.now().astimezone(COPENHAGEN)
    assert status == 200 and f">{at.day}/{at.month} kl. {at:%H.%M}</time>" in html
    assert "+00:00<" not in html and "T" + f"{at:%H}" not in html.split("<tbody>")[1]


def test_cards_link_to_the_person_page_in_teams_and_locally():
    local = Settings(host="0.0.0.0", port=4000)
    assert person_link(local, "e 1") == "http://127.0.0.1:4000/tab/person?id=e+1"
    teams = Settings(app_id="00000000-0000-0000-0000-0000000000aa")
    link = urlsplit(person_link(teams, "e1"))
    assert link.netloc == "teams.microsoft.com"
    assert link.path == f"/l/entity/00000000-0000-0000-0000-0000000000aa/{TAB_ENTITY}"
    assert json.loads(parse_qs(link.query)["context"][0]) == {"subEntityId": "person:e1"}
    view = AbsenceView(
        id=7, employee_name="Emma", kind="sick", going_home=False, first_day=date(2026, 11, 24),
        expected_return=None, note=None, routed_as=None, usual_leader_name=None,
        on_behalf_name=None, work_injury=False, paid_with=None, status="open",
    )  # fmt: skip
    url = person_link(local, "e1")
    for lang, title in (("da", "Se fraværskort"), ("en", "See absence record")):
        for card in (
            leader_absence_card(lang, view, person_url=url),
            leader_absence_card(lang, replace(view, status="closed"), person_url=url),
        ):
            assert {"type": "Action.OpenUrl", "title": title, "url": url} in card["actions"]
    assert all(a["type"] != "Action.OpenUrl" for a in leader_absence_card("da", view)["actions"])
