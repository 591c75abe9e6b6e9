"""The Playground walk as data: who does what, by the texts a person sees, and what must follow.

Change the walk here, in one place, when a flow changes. A step is one person typing or pressing
one button; `expect` are texts that must then appear in that person's chat, `tell` texts in
someone else's (the leader's card after a report). `{today}`, `{tomorrow}` and `{yesterday}`
become the day as that person reads it ("tirsdag 24/11", "Tuesday 24 Nov"). `check` names a
comparison with the database (tests/e2e/test_playground_walk.py: CHECKS) made after the step.
Steps with `needs` run only once naervaer has a text containing those words (a flow another part
of issue 14 is still building); the walk reports them as pending until then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tests.conftest import COPENHAGEN

# The Playground personas (manifest/playground/<folder>) and who they are in bot/demo_org.csv.
PERSONAS = {
    "alex": ("employee", "demo-alex", "da"),
    "megan": ("leader", "demo-leder", "da"),
    "adele": ("english", "demo-adele", "en"),
}
# A Tuesday morning: a working day for everyone, check-ins at 14.30.
START = datetime(2026, 11, 24, 9, 0, tzinfo=COPENHAGEN)


@dataclass(frozen=True)
class Step:
    who: str
    # say: type and send; press: a button, an answer must come; open: a button that only
    # unfolds the card (Action.ShowCard); fill: type into a card's field (`into`: its
    # placeholder or label); at: set the clock (ISO time, Copenhagen); job: run a scheduled job.
    do: str
    arg: str = ""
    expect: tuple[str, ...] = ()
    tell: tuple[tuple[str, tuple[str, ...]], ...] = ()
    within: str | None = None
    into: str | None = None
    check: str | None = None
    needs: str | None = None
    # Measured: the quick report, from this step's start to the end of the step that stops it.
    starts: str | None = None
    stops: str | None = None


ALEX_CARD = "Alex Wilber har meldt sig"
# The two ways to the quick report that the walk times.
TYPED = "quick report, typed 'syg'"
HELP_CARD = "quick report, from the help card (English)"


def leader_action(title: str, expect: tuple[str, ...], alex: tuple[str, ...] = ()) -> Step:
    """A button on Megan's card about Alex; what Megan's card then says, and what Alex is told."""
    tell = (("alex", alex),) if alex else ()
    return Step("megan", "press", title, expect, tell, within=ALEX_CARD)


WALK: list[Step] = [
    # --- Tuesday: Alex reports sick the quick way; Megan gets the card --------------------
    Step("alex", "say", "syg", ("Sygemelding", "i dag, {today}"), starts=TYPED),
    Step(
        "alex",
        "press",
        "Send",
        ("Megan Bowen", "har fået besked", "Træk tilbage"),
        (("megan", ("Alex Wilber har meldt sig syg", "{today}")),),
        within="i dag, {today}",
        stops=TYPED,
        check="alex_sick_today",
    ),
    Step("alex", "say", "status", ("Du er registreret: Syg siden {today}",)),
    # --- each action on the leader's card, and the undo of the two that can be undone ----
    Step("megan", "open", "Send god bedring", within=ALEX_CARD),
    # Each done line says the day and the time the same way.
    leader_action("Send", ("✓ God bedring sendt {today} kl.",), ("God bedring",)),
    leader_action(
        "Jeg ringer til dig i dag",
        ("✓ Du ringer samme dag — sagt {today} kl.",),
        ("ringer til dig",),
    ),
    leader_action("Kan du lave andre opgaver?", ("Spurgt om andre opgaver",), ("andre opgaver",)),
    Step("alex", "press", "Ja", ("sendt til Megan Bowen",), (("megan", ("Svar",)),)),
    Step("megan", "open", "Registrér som delvis syg", within=ALEX_CARD),
    Step("megan", "fill", "50%", into="10 timer / 50%"),
    leader_action("Registrér", ("Registreret som delvis syg",), ("delvis syg (50 %)",)),
    leader_action("Fortryd delvis syg", ("Delvis syg fortrudt",), ("syg igen",)),
    leader_action("Markér som arbejdsskade", ("Markeret som arbejdsskade",)),
    leader_action("Fortryd arbejdsskade", ("Arbejdsskade fjernet",)),
    # --- Adele, in English, reports sick from the help card she got on opening the chat --------
    Step(
        "adele",
        "press",
        "I am sick",
        ("Report sick", "today, {today}"),
        within="what I can do",
        starts=HELP_CARD,
    ),
    Step(
        "adele",
        "press",
        "Send",
        ("Megan Bowen", "has been told", "Withdraw"),
        (("megan", ("Adele Vance har meldt sig syg",)),),
        within="today, {today}",
        check="adele_sick_today",
        stops=HELP_CARD,
    ),
    # Megan's greeting reaches Adele in English, pre-filled in Adele's language.
    Step("megan", "open", "Send god bedring", within="Adele Vance har meldt sig"),
    Step(
        "megan",
        "press",
        "Send",
        ("God bedring sendt",),
        (("adele", ("Megan Bowen writes: Get well soon!",)),),
        within="Adele Vance har meldt sig",
    ),
    # --- Wednesday: raskmelding, full (Alex) and partial (Adele) ---------------------------
    Step("alex", "at", "2026-11-25T09:00"),
    Step("alex", "say", "rask", ("Hvornår er du tilbage?",)),
    Step("alex", "press", "I dag", ("fuld tid",)),
    Step(
        "alex",
        "press",
        "Fuld tid",
        # The receipt from Tuesday is replaced in place: ended, without its buttons.
        ("Velkommen tilbage!", "Afsluttet: sidste fraværsdag var {yesterday}"),
        (("megan", ("Alex Wilber er rask fra {today}",)),),
        check="alex_fit_today",
    ),
    Step("adele", "say", "fit", ("When are you back?",)),
    Step("adele", "press", "Today", ("full time",)),
    Step("adele", "press", "Partly", ("How much",)),
    Step("adele", "fill", "50%", into="10 hours / 50%"),
    Step("adele", "press", "Send", ("Until which day",)),
    # Pressed as the card offers it: two weeks ahead pre-filled, inside the picker's limits.
    # Megan's card and message say the partial period, never "fit" alone.
    Step(
        "adele",
        "press",
        "Pick date",
        ("partly sick from {today}",),
        (
            (
                "megan",
                (
                    "Adele Vance er delvis rask fra {today}: syg 50 % til og med onsdag 9/12.",
                    "✓ Delvis rask fra {today}: syg 50 % til og med onsdag 9/12 — meldt {today} kl.",
                ),
            ),
        ),
        within="Until which day",
        check="adele_partly_fit",
    ),
    Step("adele", "say", "status", ("Partly sick since {today}", "50 %", "Wednesday 9 Dec")),
    # --- a report sent by mistake, withdrawn from the receipt -------------------------------
    Step("alex", "say", "syg", ("Sygemelding", "i dag, {today}")),
    Step("alex", "press", "Send", ("har fået besked",), within="i dag, {today}"),
    Step(
        "alex",
        "press",
        "Træk tilbage",
        ("er trukket tilbage",),
        (("megan", ("Alex Wilber har trukket sygemeldingen fra {today} tilbage",)),),
        check="alex_nothing_open",
    ),
    # --- akutdag for tomorrow, approved ----------------------------------------------------
    Step("alex", "say", "akutdag", ("hvilken dag?",)),
    Step("alex", "press", "I morgen", ("betales med",)),
    Step(
        "alex",
        "press",
        "Ferie",
        ("sendt til Megan Bowen",),
        (("megan", ("Alex Wilber beder om en akutdag {tomorrow}",)),),
    ),
    Step(
        "megan",
        "press",
        "Godkend",
        ("Godkendt",),
        (("alex", ("Megan Bowen har godkendt din akutdag {tomorrow}",)),),
        within="beder om en akutdag",
        check="alex_emergency_approved",
    ),
    # --- the daily check-in at 14.30 ---------------------------------------------------------
    Step("alex", "at", "2026-11-25T14:30"),
    Step("alex", "job", "check-ins", ("Hvordan har din arbejdsdag været?",)),
    Step("alex", "press", "🟢 Grøn", ("Tak",), check="alex_checked_in"),
]
