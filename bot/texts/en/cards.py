"""English texts: cards."""

TEXTS: dict[str, str] = {
    # The answer to a pressed menu button: what it does arrives as new messages below the card.
    "card_answer_below": "See the answer below.",
}
