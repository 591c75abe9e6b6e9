"""hjælp / help: what naervaer can do."""

from __future__ import annotations

from dialogs.replies import Card, CardName, Reply, Text


def help_replies(leader: bool = False, outlook: bool = False) -> list[Reply]:
    """`outlook`: the words for Outlook while sick are listed where the feature is on."""
    return [Card(CardName.HELP, {"leader": leader, "outlook": outlook})]


def welcome_replies(name: str, leader: bool = False) -> list[Reply]:
    return [Text("welcome", {"name": name.split()[0] if name else ""}), *help_replies(leader)]
