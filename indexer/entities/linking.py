"""Linking mentions to the catalogue: every facet value one entity under one name (pure; no spaCy).

* :func:`scan_catalogue` finds the catalogue's names and strong aliases in running text, also
  as the first part of a compound (``NATO-geführte`` -> NATO, ``EU-Kommission`` ->
  Europäische Kommission and Europäische Union); an office title after the hyphen adds
  nothing for an institution (``UN-Hochkommissar``) but counts for a party, club, outlet or
  company (``ÖVP-Chef`` -> ÖVP).
* :func:`link` maps one NER mention to an entry by name or alias (weak aliases too,
  ``Außenministerium`` -> Auswärtiges Amt in a German text).
* :func:`organisation_names` turns a document's ORG mentions into facet values: linked ones
  take the catalogue name; an unlinked one stays only if it looks like an organisation name
  (:func:`indexer.entities.shapes.looks_like_organisation`; tagged ORG twice is evidence too).

    >>> [m.entry.name for m in scan_catalogue("Die NATO-Staaten und die Vereinten Nationen", load_catalogue())]
    ['NATO', 'Vereinte Nationen']
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from indexer.entities.catalogue import PART, Catalogue, Entry, alias_key, is_acronym, load_catalogue, part_key
from indexer.entities.countries import country_adjectives, load_gazetteer
from indexer.entities.organisations import clean_organisation
from indexer.entities.persons import is_role
from indexer.entities.shapes import looks_like_organisation

HOME_COUNTRIES = ("DE", "AT", "CH")
ROLE_COUNTING_KINDS = {"party", "sport", "media", "company", "group"}


@dataclass(frozen=True)
class Unit:
    """An organisation named by a pattern: ``Unit(4, 34, "Russisches Außenministerium")``."""

    start: int
    end: int
    name: str


@dataclass(frozen=True)
class CatalogueMatch:
    start: int
    end: int
    entry: Entry


class Tokens:
    """The words of a text for catalogue look-ups: their strings and keys at once, their
    offsets only when a look-up needs them (the hot path of a build)."""

    def __init__(self, text: str):
        self.text = text
        self.words = PART.findall(text)
        cache = _KEYS
        self.keys = [cache[word] if word in cache else remember_key(word) for word in self.words]
        self._spans: list[tuple[int, int]] | None = None

    @property
    def spans(self) -> list[tuple[int, int]]:
        if self._spans is None:
            self._spans = [match.span() for match in PART.finditer(self.text)]
        return self._spans


_KEYS: dict[str, str] = {}


def remember_key(word: str) -> str:
    """``part_key`` memoised in a plain dict, bounded so a build of millions of documents keeps its memory."""
    key = part_key(word)
    if len(_KEYS) < 500_000:
        _KEYS[word] = key
    return key


def scan_catalogue(text: str, catalogue: Catalogue, type_: str | None = None,
                   home: str | None = None, tokens: Tokens | None = None) -> list[CatalogueMatch]:
    """Catalogue entries named in ``text`` (longest match first), in text order; home aliases
    only of entries of the ``home`` country (none when the text names no German-speaking country)."""
    tokens = tokens or Tokens(text)
    first = catalogue.first_keys
    found: list[CatalogueMatch] = []
    end_of_last = 0
    for index in [i for i, key in enumerate(tokens.keys) if key in first]:
        if index < end_of_last:
            continue
        width, entries = longest_entry(tokens, index, catalogue, type_, home)
        if width:
            spans = tokens.spans
            found.extend(CatalogueMatch(spans[index][0], spans[index + width - 1][1], entry) for entry in entries)
            found.extend(prefix_entries(tokens, index, width, catalogue, type_))
            end_of_last = index + width
    return found


def longest_entry(tokens: Tokens, index: int, catalogue: Catalogue, type_, home) -> tuple[int, list[Entry]]:
    keys, words = tokens.keys, tokens.words
    for width in catalogue.widths[keys[index]]:
        if index + width > len(keys):
            continue
        candidates = catalogue.scan.get(tuple(keys[index:index + width]))
        if not candidates or not joined(tokens, index, width):
            continue
        span = words[index:index + width]
        entries = [entry for form, entry, home_only in candidates
                   if (type_ is None or entry.type == type_) and same_case(parts_of(form), span)
                   and (not home_only or entry.country == home)]
        entries = [entry for entry in dict.fromkeys(entries) if counts_here(tokens, index + width, entry)]
        if entries:
            return width, entries
    return 0, []


def parts_of(form: str) -> list[str]:
    return PART.findall(form)


def gap(tokens: Tokens, left: int) -> str:
    """The characters between word ``left`` and the next."""
    return tokens.text[tokens.spans[left][1]:tokens.spans[left + 1][0]]


def joined(tokens: Tokens, index: int, width: int) -> bool:
    """The words of a match stand next to each other (spaces, hyphens, slashes only)."""
    for left in range(index, index + width - 1):
        between = gap(tokens, left)
        if len(between) > 3 or between.strip(" -/‐–") or "\n\n" in between:
            return False
    return True


def same_case(form: list[str], span: list[str]) -> bool:
    """Acronyms in their own case (``IS`` is not ``is``); other words with the same initial case."""
    for alias_part, word in zip(form, span):
        if is_acronym(alias_part):
            if word.rstrip("s") != alias_part.rstrip("s") and word != alias_part:
                return False
        elif alias_part[:1].isupper() != word[:1].isupper():
            return False
    return True


def counts_here(tokens: Tokens, after: int, entry: Entry) -> bool:
    """``UN-Hochkommissar``, ``EU-Ratspräsident``: an office title adds no institution;
    ``ÖVP-Chef``, ``Arsenal-Trainer`` add the party or club."""
    if after >= len(tokens.words) or entry.kind in ROLE_COUNTING_KINDS:
        return True
    if gap(tokens, after - 1) not in ("-", "‐"):
        return True
    return not is_role(tokens.words[after])


def prefix_entries(tokens: Tokens, index: int, width: int, catalogue: Catalogue, type_) -> list[CatalogueMatch]:
    """``UN-Sicherheitsrat`` is also the UN, ``EU-Kommission`` also the EU."""
    if width < 2 or gap(tokens, index) not in ("-", "‐"):
        return []
    candidates = catalogue.scan.get((tokens.keys[index],), ())
    word, (start, end) = tokens.words[index], tokens.spans[index]
    return [CatalogueMatch(start, end, entry) for form, entry, home_only in candidates
            if (type_ is None or entry.type == type_) and same_case(parts_of(form), [word]) and not home_only]


def home_country(codes: Iterable[str]) -> str | None:
    """The first German-speaking country among a document's countries: ``[UA, AT, DE]`` -> AT."""
    return next((code for code in codes if code in HOME_COUNTRIES), None)


def link(catalogue: Catalogue, type_: str, mention: str, home: str | None) -> Entry | None:
    """The one entry of ``type_`` named ``mention``: ``Vereinten Nationen`` -> Vereinte Nationen;
    ``Grünen`` -> the German or the Austrian party by ``home``; None when unknown or ambiguous."""
    entries = [entry for entry in catalogue.lookup(type_, mention) if usable(entry, mention, home)]
    if len(entries) > 1:
        entries = [entry for entry in entries if entry.country == home] or entries
    return entries[0] if len(entries) == 1 else None


def usable(entry: Entry, mention: str, home: str | None) -> bool:
    """Strong forms link anywhere; weak and home aliases of a country's entry only in texts of
    that country (a text naming no German-speaking country is no one's home: the
    ``Wirtschaftsministerium`` of a report from Moscow is not the German one)."""
    key = alias_key(mention)
    strong = any(alias_key(form) == key for form in entry.scanned)
    return strong or not entry.country or entry.country == home


def organisation_names(text: str, mentions: Iterable[tuple[int, str]], home: str | None,
                       catalogue: Catalogue | None = None,
                       matches: list[CatalogueMatch] | None = None,
                       introduced: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    """(catalogue organisations, unlinked names that look like organisations) of one document,
    each in order of first mention. ``mentions`` are the NER ORG spans as (offset, text); one
    inside a catalogue name found in the text adds nothing (``CDU`` of ``CDU/CSU-Fraktion``).
    ``matches``: the document's scan, if done already; ``introduced``: names the text gives
    a kind noun (``der Hersteller Dongfeng``), organisations without further evidence."""
    catalogue = catalogue or load_catalogue()
    if matches is None:
        matches = scan_catalogue(text, catalogue, None, home)
    matches = [m for m in matches if m.entry.type == "organisation"]
    units = named_units(text)
    found = [(m.start, m.entry.name) for m in matches] + [(unit.start, unit.name) for unit in units]
    spans = [(m.start, m.end) for m in matches] + [(unit.start, unit.end) for unit in units]
    unlinked = []
    mentions = [(start, mention, clean_organisation(mention)) for start, mention in mentions]
    tagged = Counter(name for _, _, name in mentions if name)
    for start, mention, name in mentions:
        if any(begin <= start < end for begin, end in spans):
            continue
        entries = organisation_entries(mention, home, catalogue)
        if entries is not None:
            found.extend((start, entry.name) for entry in entries)
            continue
        if name and (mention in introduced or looks_like_organisation(name, repeated=tagged[name] > 1)):
            unlinked.append(nominative(name))
    linked = [name for _, name in sorted(found, key=lambda item: item[0])]
    return list(dict.fromkeys(linked)), list(dict.fromkeys(unlinked))


UNIT = re.compile(r"\b(?:Polizeid|D)irektion (\d)(?: \((Nord|Süd|Ost|West|City|Mitte)\))?")
PORTFOLIO = re.compile(r"\b(?:(?:das|des|dem)\s+)?([A-ZÄÖÜa-zäöü]+isch(?:e|en|es))\s+([A-ZÄÖÜ][a-zäöüß]*ministerium)s?\b")
MINISTRY_AT = re.compile(r"\b(?:[Dd](?:as|es|em)|im)\s+([A-ZÄÖÜ][a-zäöüß]*ministerium)s?\s+in\s+([A-ZÄÖÜ][\w-]+)")
COUNTRY_PREFIX = re.compile(r"\b(US|UN|EU)-(Botschaft|Justizministerium|Außenministerium|Finanzministerium|"
                            r"Verteidigungsministerium|Handelsministerium)\b")


AT_PLACE = re.compile(r"\b(?:[Dd](?:as|er|ie|es|em)) (Land|Stadt|Landgericht|Amtsgericht|Oberlandesgericht|"
                      r"Verwaltungsgericht|Landesgericht|Staatsanwaltschaft)(?:e?s)? ([A-ZÄÖÜ][\w-]+)")
PLACE_PREPOSITIONS = {"in", "im", "aus", "auf", "nach", "nahe", "um", "durch", "über", "unter", "vor", "hinter"}
DEBATE = re.compile(r"(?:Herr|Frau) Präsident(?:in)?!|Meine (?:sehr )?(?:verehrten|geehrten) Damen und Herren|\(Beifall ")
UNION = re.compile(r"(?<![\w-])Union(?![\w-])(?! (?:für|der|des|von|[A-ZÄÖÜ]))")
UNION_OPENERS = {"Die", "Der", "Liebe", "Lieber", "Wir", "Ihr"}   # sentence starts before "Union"
COURTS = {"OLG": "Oberlandesgericht", "LG": "Landgericht", "VG": "Verwaltungsgericht", "OVG": "Oberverwaltungsgericht",
          "LAG": "Landesarbeitsgericht", "LSG": "Landessozialgericht"}
COURT = re.compile(r"\b(" + "|".join(COURTS) + r") ([A-ZÄÖÜ][\w-]+)")


def institutions_at_places(text: str) -> list[Unit]:
    """``Das Land Steiermark``, ``von der Stadt Salzburg``, ``Das Landgericht Augsburg``: a
    region, city or court acting as an institution; not ``in der Stadt Azaz`` (a place)."""
    if not ("Land" in text or "Stadt" in text or "gericht" in text or "Staatsanwaltschaft" in text):
        return []
    places = load_gazetteer().places
    found = []
    for match in AT_PLACE.finditer(text):
        head, place = match.groups()
        before = text[max(0, match.start() - 12):match.start()].split()
        if place in places and not (before and before[-1].lower() in PLACE_PREPOSITIONS):
            found.append(Unit(match.start(), match.end(), f"{head} {place}"))
    return found


def ministries_at_places(text: str) -> list[Unit]:
    """A ministry at a foreign place is that country's: ``das Außenministerium in Moskau`` ->
    Russisches Außenministerium; at a German, Austrian or Swiss place it may be a state's
    (``das Innenministerium in Stuttgart``) and stays unnamed."""
    places, adjectives = load_gazetteer().places, country_adjectives()
    found = []
    for match in MINISTRY_AT.finditer(text):
        ministry, place = match.groups()
        code = places.get(place)
        if code and code not in HOME_COUNTRIES and code in adjectives:
            found.append(Unit(match.start(), match.end(), country_ministry(adjectives[code], ministry)))
    return found


def country_ministry(adjective: str, ministry: str) -> str:
    """``russisch``, ``Außenministerium`` -> ``Russisches Außenministerium``."""
    return f"{adjective[0].upper()}{adjective[1:]}es {ministry}"


def bare_union(text: str, start: int) -> bool:
    """``der Union``, ``Die Union``, ``Union, SPD``: no adjective before it (``Europäische Union``)."""
    before = text[max(0, start - 30):start].split()
    word = before[-1] if before else ""
    return not word or word[-1] in ".!?,;:–" or word[:1].islower() or word in UNION_OPENERS


def named_units(text: str) -> list[Unit]:
    """Organisations named by a pattern: ``Direktion 2 (West)`` -> Polizeidirektion 2 (West);
    ``das russische Außenministerium`` -> Russisches Außenministerium; ``US-Botschaft``;
    ``OLG Düsseldorf`` -> Oberlandesgericht Düsseldorf; in a Bundestag speech a bare ``Union``
    (``Kollegen von der Union``; not ``Europäische Union``, ``Union für den Mittelmeerraum``,
    ``Union Berlin``) -> CDU/CSU."""
    found = []
    for match in UNIT.finditer(text) if "irektion" in text else ():
        number, area = match.groups()
        found.append(Unit(match.start(), match.end(), f"Polizeidirektion {number}" + (f" ({area})" if area else "")))
    for match in PORTFOLIO.finditer(text) if "ministerium" in text else ():
        adjective, ministry = match.groups()
        if not adjective[:1].isupper() or match.group(0)[:1].isupper():
            stem = adjective[:adjective.rindex("isch") + 4]
            found.append(Unit(match.start(), match.end(), country_ministry(stem, ministry)))
    found += ministries_at_places(text) if "ministerium" in text else []
    found += institutions_at_places(text)
    if "Union" in text and DEBATE.search(text):   # "die Union" in a Bundestag speech is CDU/CSU
        found += [Unit(match.start(), match.end(), "CDU/CSU") for match in UNION.finditer(text)
                  if bare_union(text, match.start())]
    if "G " in text:   # OLG Düsseldorf -> Oberlandesgericht Düsseldorf
        places = load_gazetteer().places
        found += [Unit(match.start(), match.end(), f"{COURTS[match.group(1)]} {match.group(2)}")
                  for match in COURT.finditer(text) if match.group(2) in places]
    if "US-" in text or "UN-" in text or "EU-" in text:
        found += [Unit(match.start(), match.end(), match.group(0)) for match in COUNTRY_PREFIX.finditer(text)]
    return found


def organisation_entries(mention: str, home: str | None, catalogue: Catalogue) -> list[Entry] | None:
    """Entries an ORG mention stands for: itself by name or alias, else the entries named
    inside it (``Auswärtigen Ausschusses 3. Ausschuss`` -> Auswärtiger Ausschuss); None if none."""
    name = clean_organisation(mention) or mention
    for form in (name, mention):
        entry = link(catalogue, "organisation", form, home)
        if entry is not None:
            return [entry]
    inside = [m.entry for m in scan_catalogue(mention, catalogue, "organisation")]
    return list(dict.fromkeys(inside)) or None


def nominative(name: str) -> str:
    """An inflected adjective before the head takes its nominative:
    ``Pädagogischen Hochschule Wien`` -> ``Pädagogische Hochschule Wien``,
    ``Obersten Gerichtshof`` -> ``Oberster Gerichtshof``, ``Deutschen Roten Kreuzes`` stays."""
    words = name.split()
    for ending in ("es", "s"):   # Bundesamts für ... -> Bundesamt für ...
        if len(words) > 1 and words[0].endswith(ending) and head_gender(words[0][:-len(ending)]) in ("m", "n"):
            return " ".join([words[0][:-len(ending)]] + words[1:])
    if len(words) < 2 or not words[0][:1].isupper() or not words[0].endswith(("en", "e")):
        return name
    gender = head_gender(words[1])
    stem = words[0][:-2] if words[0].endswith("en") else words[0][:-1]
    if gender is None or len(stem) < 4 or not stem.endswith(("isch", "ig", "st", "al", "ell", "ch", "er")):
        return name
    return " ".join([stem + {"f": "e", "m": "er", "n": "es"}[gender]] + words[1:])


GENDERS = {
    "f": ("schule", "kommission", "union", "bank", "partei", "agentur", "behörde", "stiftung", "akademie",
          "universität", "kammer", "gewerkschaft", "kirche", "gesellschaft", "zeitung", "polizei", "direktion",
          "organisation", "liga", "versammlung", "regierung", "konferenz", "beobachtungsstelle"),
    "m": ("gerichtshof", "rat", "ausschuss", "bund", "verband", "dienst", "rundfunk", "verein", "klub"),
    "n": ("amt", "ministerium", "institut", "komitee", "parlament", "gericht", "zentrum", "kreuz", "büro"),
}


def head_gender(word: str) -> str | None:
    lower = word.lower()
    return next((g for g, heads in GENDERS.items() if lower.endswith(heads)), None)
