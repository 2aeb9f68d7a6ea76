"""Acronyms defined in the text: ``Bundesamt für Auswärtige Angelegenheiten (BfAA)`` (pure; no spaCy).

A document that defines an acronym shows the organisation under its full name; the build
collects the definitions of all documents, so ``BfAA`` alone in another document joins the
same full name (when the corpus defines it one way only).

    >>> acronym_definitions("Die Europäische Union (EU) und das Bundesamt für Auswärtige Angelegenheiten (BfAA)")
    {'EU': 'Europäische Union', 'BfAA': 'Bundesamt für Auswärtige Angelegenheiten'}
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

LINKS = r"(?:für|der|des|die|und|von|vom|zur|zum|im|in|am|an|of|for|the|and|de|du|la)"
DEFINITION = re.compile(
    r"(?P<long>[A-ZÄÖÜ][\w'-]*(?:\s+(?:" + LINKS + r"\s+)*[A-ZÄÖÜ][\w'-]*){0,7})\s+\((?P<acronym>[A-ZÄÖÜ][\wÄÖÜ&-]{1,9})\)")
ARTICLES = {"Der", "Die", "Das", "Des", "Dem", "Den", "Ein", "Eine", "The"}


def acronym_definitions(text: str) -> dict[str, str]:
    """Acronym -> the shortest full name before it whose letters spell it out."""
    found = {}
    for match in DEFINITION.finditer(text):
        acronym, words = match.group("acronym"), match.group("long").split()
        if sum(ch.isupper() for ch in acronym) < 2:
            continue
        for start in range(len(words) - 1, -1, -1):
            if words[start][:1].isupper() and spells(acronym, " ".join(words[start:])):
                if words[start] not in ARTICLES:
                    found.setdefault(acronym, " ".join(words[start:]))
                break
    return found


def spells(acronym: str, name: str) -> bool:
    """``BMVg`` and ``Bundesministerium der Verteidigung``: same first letter and the acronym's
    capitals in order inside the name."""
    letters = [ch.lower() for ch in acronym if ch.isupper() or ch.isdigit()]
    if not letters or letters[0] != name[:1].lower():
        return False
    rest = iter(name.lower())
    return all(letter in rest for letter in letters) and len(name) > len(acronym) + 3


def corpus_expansions(definitions: Iterable[dict[str, str]]) -> dict[str, str]:
    """Acronym -> full name, for acronyms the corpus defines one way only."""
    ways: dict[str, set[str]] = defaultdict(set)
    for document in definitions:
        for acronym, name in document.items():
            ways[acronym].add(name)
    return {acronym: next(iter(names)) for acronym, names in ways.items() if len(names) == 1}
