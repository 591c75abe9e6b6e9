"""The kinds of sygemelding and the words (and digits) that choose them, typed or on a card."""

from __future__ import annotations

import enum


class SickKind(enum.StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    GOING_HOME = "going_home"
    CHILD = "child"


KIND_WORDS: dict[str, SickKind] = {
    "1": SickKind.FULL,
    "fuldt": SickKind.FULL,
    "fuldt syg": SickKind.FULL,
    "helt": SickKind.FULL,
    "fully": SickKind.FULL,
    "full": SickKind.FULL,
    "2": SickKind.PARTIAL,
    "delvis": SickKind.PARTIAL,
    "delvist": SickKind.PARTIAL,
    "delvis syg": SickKind.PARTIAL,
    "partly": SickKind.PARTIAL,
    "partial": SickKind.PARTIAL,
    "3": SickKind.GOING_HOME,
    "går hjem": SickKind.GOING_HOME,
    "går syg hjem": SickKind.GOING_HOME,
    "going home": SickKind.GOING_HOME,
    "home": SickKind.GOING_HOME,
    "4": SickKind.CHILD,
    "barn": SickKind.CHILD,
    "barn syg": SickKind.CHILD,
    "barns første sygedag": SickKind.CHILD,
    "child": SickKind.CHILD,
}
