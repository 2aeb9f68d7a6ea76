"""Normalisation of NER organisation mentions into facet values (pure; no spaCy).

* articles, possessives and over-long spans go: ``der NATO``, ``Nato's``, ``Nato Tote`` -> ``NATO``;
* known acronyms are upper case: ``Nato`` -> ``NATO``, ``Uno`` -> ``UNO``;
* a tagged compound of acronym + common noun is the acronym: ``NATO-Staaten`` -> ``NATO``,
  but institutions stay whole: ``EU-Kommission``;
* inflected forms are one organisation shown in the nominative where seen:
  ``Europäischen Union``/``Europäische Union`` -> ``Europäische Union``,
  ``Bundestages``/``Bundestag`` -> ``Bundestag``.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Iterable

from indexer.entities.persons import ABSTRACT_NOUNS, ARTICLES, TOKEN, fold_name, is_role, strip_possessive

ACRONYMS = {"NATO", "UNO", "OPEC", "NASA", "FIFA", "UEFA", "UNESCO", "UNICEF", "UNHCR", "OSZE",
            "OECD", "ASEAN", "IAEA", "IAEO", "NAFTA", "SWIFT", "INTERPOL", "EUROPOL", "FRONTEX",
            "WHO", "WTO", "IWF", "ESA", "KFOR", "ISAF", "UNIFIL", "MINUSMA", "EULEX", "AWACS"}
INSTITUTION_HEADS = ("kommission", "parlament", "rat", "fraktion", "gericht", "gerichtshof",
                     "bank", "zentrale", "mission", "agentur", "behörde", "partei", "jugend",
                     "stiftung", "akademie", "universität", "verband", "ministerium", "amt")
INFLECTIONS = ("es", "en", "em", "er", "e", "s", "n")
SCORE = re.compile(r"\s+\d+:\d+\b.*$", re.S)


@lru_cache(maxsize=100_000)
def clean_organisation(mention: str) -> str | None:
    """Light normalisation of an ORG mention.

    ``der NATO`` -> ``NATO``; ``Nato`` -> ``NATO``; ``Nato's``/``NATOs`` -> ``NATO``;
    ``NATO-Generalsekretär``/``NATO-Staaten`` -> ``NATO``; ``EU-Kommission`` stays;
    ``die Vereinten Nationen`` -> ``Vereinten Nationen``; ``der`` -> None;
    ``Nato Tote`` -> ``NATO`` and ``Ärzte ohne Grenzen sagte`` -> ``Ärzte ohne Grenzen`` (span too long);
    ``Boston Celtics 95:105`` -> ``Boston Celtics`` (a result after a team);
    ``Spekulation`` (an abstract noun), ``Außenminister`` (a role), ``BIP``, ``Kalten Krieg`` -> None.
    """
    tokens = strip_possessive(TOKEN.findall(SCORE.sub("", mention.replace("\n", " "))))
    while tokens and tokens[0].lower() in ARTICLES:
        tokens = tokens[1:]
    tokens = [normalise_acronym(token) for token in tokens]
    while len(tokens) > 1 and tokens[-1][:1].islower():
        tokens = tokens[:-1]
    if tokens and len(tokens[-1]) > 4 and tokens[-1].endswith(".") and tokens[-1][:-1].isalpha():
        tokens[-1] = tokens[-1][:-1]   # "Royal Society of Public Health. (tberg)"
    if len(tokens) > 1 and tokens[0] in ACRONYMS:
        tokens = tokens[:1]
    if len(tokens) == 1:
        tokens = [compound_head(tokens[0])]
    if len(tokens) == 1 and tokens[0].isalpha() and (tokens[0].endswith(ABSTRACT_NOUNS) or is_role(tokens[0])):
        return None
    name = " ".join(tokens)
    if organisation_key(name) in NOT_ORGANISATIONS:
        return None
    if sum(ch.isalpha() for ch in name) < 2 or not (name[0].isupper() or name[0].isdigit()):
        return None
    return name


def normalise_acronym(token: str) -> str:
    """``Nato`` -> ``NATO``, ``Uno`` -> ``UNO``, ``NATOs`` -> ``NATO``,
    ``Nato-Staaten`` -> ``NATO-Staaten``; ``AfD`` unchanged."""
    first, dash, rest = token.partition("-")
    if first.upper() in ACRONYMS:
        first = first.upper()
    elif first.endswith("s") and first[:-1] in ACRONYMS:
        first = first[:-1]
    return first + dash + rest


def compound_head(token: str) -> str:
    """``NATO-Staaten`` -> ``NATO``; ``EU-Kommission``, ``Coca-Cola`` unchanged."""
    first, dash, rest = token.partition("-")
    if not dash or not (first.isupper() and len(first) >= 2):
        return token
    head = rest.split("-")[-1].lower()
    if head.endswith(INSTITUTION_HEADS) or not rest[:1].isupper() or rest.isupper():
        return token
    return first


def organisation_key(name: str) -> str:
    """Grouping key without case and inflection endings:
    ``Europäischen Union``/``Europäische Union`` -> ``europaeisch union``;
    ``Deutschen Bundestages``/``Deutsche Bundestag`` -> ``deutsch bundestag``; ``NGOs`` -> ``ngo``."""
    return " ".join(uninflect(token) for token in name.split())


def uninflect(token: str) -> str:
    """``Europäischen`` -> ``europaeisch``, ``Bundestages`` -> ``bundestag``, ``NGOs`` -> ``ngo``;
    ``Rates`` -> ``rat``; ``Ausschuss`` and ``Ausschusses`` -> ``ausschuss``."""
    if token[:-1].isupper() and token.endswith("s"):
        token = token[:-1]
    if token.isupper():
        return fold_name(token)
    word = fold_name(token)
    for ending in INFLECTIONS:
        if word.endswith(ending) and len(word) - len(ending) >= (4 if ending in ("s", "n") else 3):
            if ending == "s" and word.endswith(("ss", "us")):
                return word
            return word[: -len(ending)]
    return word


def inflection_rank(name: str) -> int:
    """Nominative-looking forms first: ``Europäische Union`` (0) before ``Europäischen Union`` (1),
    ``Bundestag`` (0) before ``Bundestages`` (1), ``NGO`` (0) before ``NGOs`` (1)."""
    tokens = name.split()
    adjectives = sum(1 for token in tokens[:-1] if token[:1].isupper() and token.endswith("en"))
    genitive = 1 if tokens[-1].endswith("s") else 0
    return adjectives + genitive


def preferred_spellings(names: Iterable[str], counts: Counter | None = None) -> dict[str, str]:
    """key -> display: nominative first, then more capitals (``NATO`` over ``Nato``), then
    shorter (``Grüne`` over ``Grünen``), then most frequent, then first seen."""
    variants: dict[str, list[str]] = {}
    for name in names:
        spellings = variants.setdefault(organisation_key(name), [])
        if name not in spellings:
            spellings.append(name)
    counts = counts or Counter()

    def order(spellings: list[str], name: str) -> tuple:
        capitals = sum(map(str.isupper, name))
        return (inflection_rank(name), -capitals, len(name), -counts[name], spellings.index(name))

    return {key: min(spellings, key=lambda n: order(spellings, n)) for key, spellings in variants.items()}


def organisations_in_document(mentions: Iterable[str], persons: Iterable[str] = ()) -> tuple[str, ...]:
    """Distinct organisations in order of first mention, one spelling each.

    ``["Nato", "NATO", "EU", "des Bundestages", "Bundestag"]`` -> ``("NATO", "EU", "Bundestag")``.
    An ORG mention that is one of the document's ``persons`` is dropped
    (``Saddam Hussein`` tagged ORG once and PER elsewhere), and so is a one-word
    ORG mention that is the surname of a document's full-name person, also in the genitive
    (``Rutte`` tagged ORG once, with ``Mark Rutte`` in the document; ``Sardanas``).
    """
    persons = list(persons)
    people = {fold_name(person) for person in persons}
    people |= {fold_name(person.split()[-1]) + ending for person in persons if len(person.split()) > 1
               for ending in ("", "s")}   # Sardana, Sardanas of Rakesh Sardana
    names = [name for name in map(clean_organisation, mentions) if name and fold_name(name) not in people]
    display = preferred_spellings(names)
    return tuple(dict.fromkeys(display[organisation_key(name)] for name in names))


def corpus_organisation_names(documents: list[tuple[str, ...]]) -> dict[str, str]:
    """Corpus-wide spelling for every organisation that changes:
    ``[("Europäischen Union",), ("Europäische Union",)]`` -> ``{"Europäischen Union": "Europäische Union"}``."""
    counts = Counter(name for names in documents for name in set(names))
    display = preferred_spellings(counts, counts)
    mapping = {}
    for name in counts:
        shown = display[organisation_key(name)]
        if shown != name:
            mapping[name] = shown
    return mapping


# Frequent ORG slips of the model that are no organisations (compared by organisation_key).
# Frequent ORG slips of the model that are no organisations: historical states, frameworks, formats.
NOT_ORGANISATIONS = {organisation_key(name) for name in (
    "BIP", "Kalter Krieg", "Kalten Krieges", "DDR", "Sowjetunion", "UdSSR", "Jugoslawien", "PESCO", "SSZ",
    "EU Trust Fund", "Normandie-Format", "Minsker Abkommen", "Große Koalition", "Ampel", "Ampelkoalition", "WM", "EM",
    "FCAS", "MGCS", "Eurodrohne", "Eurofighter", "Tornado", "Taurus", "Patriot", "Leopard",   # weapons, programmes
    "TTIP", "CETA", "MVP", "ISS", "IAA", "WWDC", "CES", "SOS", "DAX", "ATX", "KZ", "AKW", "NGO", "NGOs", "USB",
    "GPS", "PC", "TV", "DNA", "AIDS", "HIV", "CO2", "PKW", "LKW", "SUV", "BIP", "ORF-Interview")}   # things, not bodies


def without_short_forms(linked: list[str], unlinked: tuple[str, ...]) -> list[str]:
    """The unlinked organisations that are not the first word of a catalogue organisation
    found in the same text: ``EUTM`` next to ``EUTM Mali`` is that mission, written short.
    Only an acronym goes (``Union`` next to ``Union Berlin`` stays for the rules above it).

    >>> without_short_forms(["EUTM Mali", "NATO"], ("EUTM", "MCI", "Mali Kommission"))
    ['MCI', 'Mali Kommission']
    """
    from indexer.entities.catalogue import is_acronym  # the catalogue imports this module

    firsts = {name.split()[0] for name in linked if " " in name}
    return [name for name in unlinked if not (" " not in name and name in firsts and is_acronym(name))]
