"""Where a text mentions an entity: the forms a facet value takes in running German text.

A search by entity (``person:Scholz``, ``--person``, a ticked facet value) marks the
entity's mentions in snippets and on the document page, as the query's words are marked:

* a person by the full name and the surname, also in the genitive: ``Olaf Scholz``,
  ``Scholz``, ``Scholz'``, ``Putins``, ``von der Leyen``;
* a country by its names and adjectives from the gazetteer (``indexer/data/gazetteer``):
  ``Russland``, ``Russlands``, ``Russische Föderation``, ``russischen``, ``Russen``;
* an organisation by its name, inflected (``Europäischen Union``, ``Bundestages``), an
  acronym also capitalised (``NATO``, ``Nato``);
* both also by their aliases in the shipped catalogue (``indexer/data/catalogue``), strong
  and home ones, not the weak ones (``Deutscher Bundestag``: ``Bundestag``, ``Hohes Haus``,
  not ``Parlament``; ``Vereinte Nationen``: ``UN``, ``UNO``).

A mention may start a hyphenated compound (``NATO-Gipfel``, ``Ukraine-Krieg``) but is
never the middle of a word.

    >>> spans = mention_spans("Olaf Scholz sprach. Scholz' Rede.", mention_pattern((("person", "Olaf Scholz"),)))
    >>> spans
    [(0, 11), (20, 27)]
"""

from __future__ import annotations

import functools
import re
from typing import Iterable


#: (facet field, stored value) pairs: ``("person", "Olaf Scholz")``
Entities = tuple[tuple[str, str], ...]
PARTICLES = frozenset("von van de del della der den di da du zu ten ter bin ibn al el".split())
SIBILANTS = ("s", "z", "x", "ß", "ce")
_TOKEN_SEPARATOR = r"[\s\-]+"
_WORD_CHAR = re.compile(r"\w")


def mention_spans(text: str, pattern: re.Pattern | None) -> list[tuple[int, int]]:
    """Character spans of the mentions ``pattern`` finds, sorted (``mention_pattern``).

    The pattern has no look-behind (it would make the regex engine try every position of
    the text: 125 instead of 36 µs per hit for a person); the character before is checked
    here, on the few candidates.
    """
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(text) if not (m.start() and _WORD_CHAR.match(text, m.start() - 1))]


@functools.lru_cache(maxsize=512)
def mention_pattern(entities: Entities) -> re.Pattern | None:
    """One regular expression for all forms of all ``entities``; None when there are none."""
    forms = {form for field, value in entities for form in entity_forms(field, value)}
    if not forms:
        return None
    alternatives = "|".join(sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})(?!\w)")


def entity_forms(field: str, value: str) -> list[str]:
    """Regular expressions (escaped) for the forms of one value of a facet."""
    value = value.strip()
    if field == "person":
        return person_forms(value) + [joined(a.split()) + genitive(a) for a in catalogue_aliases(field, value)]
    if field == "organisation":
        return [form for name in (value, *catalogue_aliases(field, value)) for form in organisation_forms(name)]
    if field == "country":
        return country_forms(value)
    return [re.escape(value)] if value else []


def catalogue_aliases(field: str, value: str) -> tuple[str, ...]:
    """The strong and home aliases of the catalogue entry named ``value`` (none when the
    catalogue cannot be read: marking then falls back to the name)."""
    from indexer.entities.catalogue import CatalogueError, entries_named  # only when an entity is marked

    try:
        entries = entries_named(field, value)
    except (CatalogueError, OSError):
        return ()
    return tuple(alias for entry in entries for alias in (*entry.aliases, *entry.home))


def person_forms(name: str) -> list[str]:
    """``Olaf Scholz`` -> the full name and the surname (``von der Leyen``), each with its genitive."""
    tokens = name.split()
    if not tokens:
        return []
    names = [tokens]
    if len(tokens) > 1:
        names.append(tokens[surname_start(tokens):])
    return [joined(parts) + genitive(parts[-1]) for parts in names]


def surname_start(tokens: list[str]) -> int:
    """Index of the surname: the last token, with particles before it (``von der Leyen``)."""
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1] in PARTICLES:
        start -= 1
    return start


def genitive(word: str) -> str:
    """``Putin`` -> ``Putins``; ``Scholz`` -> ``Scholz'``/``Scholz’`` (an apostrophe after s, z, x, ß)."""
    return "(?:['’])?" if word.endswith(SIBILANTS) else "(?:s)?"


def organisation_forms(name: str) -> list[str]:
    """``NATO`` -> NATO, Nato; ``Europäische Union`` -> also ``Europäischen Union``; ``Bundestag`` -> ``Bundestages``."""
    tokens = name.split()
    if not tokens:
        return []
    variants = [tokens]
    if len(tokens) == 1 and name.isupper() and len(name) > 1 and name.isalpha():
        variants.append([name.capitalize()])
    forms = []
    for parts in variants:
        head = [declined(t) for t in parts[:-1]]
        last = re.escape(parts[-1]) + ("(?:e?s)?" if parts[-1][-1:].islower() else "")
        forms.append(_TOKEN_SEPARATOR.join(head + [last]))
    return forms


def declined(word: str) -> str:
    """A capitalised adjective before a noun in any case: ``Deutscher`` -> Deutsch(e|er|es|en|em)."""
    stem = re.sub(r"(?:e|er|es|en|em)$", "", word)
    if not word[:1].isupper() or stem == word or len(word) < 5:
        return re.escape(word)
    return re.escape(stem) + "(?:e|er|es|en|em)"


def country_forms(name: str) -> list[str]:
    """The gazetteer's names as written and its adjectives and demonyms in lower case and
    capitalised (``russische``, ``Russische``, ``Russen``) of a country.

    Case variants, not ``(?i:…)`` groups: those make the regex three times slower."""
    names, demonyms = country_tables()
    code = codes_by_display().get(name)
    if code is None:
        return [re.escape(name)] if name else []
    forms = [joined(list(tokens)) for tokens in names.get(code, ())]
    forms += [re.escape(variant) for word in demonyms.get(code, ()) for variant in (word, word.capitalize())]
    return forms or [re.escape(name)]


def load_gazetteer():
    """The gazetteer, imported when a country is first marked (not by every search process)."""
    from indexer.entities.countries import load_gazetteer as load

    return load()


@functools.lru_cache(maxsize=1)
def codes_by_display() -> dict[str, str]:
    """``Nordkorea`` -> ``KP``: the facet's display names back to their codes."""
    return {display: code for code, display in load_gazetteer().display.items()}


@functools.lru_cache(maxsize=1)
def country_tables() -> tuple[dict[str, list[tuple[str, ...]]], dict[str, list[str]]]:
    """The gazetteer's names and demonyms grouped by country code."""
    gazetteer = load_gazetteer()
    return group(gazetteer.names.items()), group(gazetteer.demonyms.items())


def group(pairs: Iterable[tuple]) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for key, code in pairs:
        grouped.setdefault(code, []).append(key)
    return grouped


def joined(tokens: list[str]) -> str:
    return _TOKEN_SEPARATOR.join(map(re.escape, tokens))
