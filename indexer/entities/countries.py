"""Country linking: German country names, demonyms and place names -> ISO 3166-1 alpha-2.

Three kinds of evidence, all from the shipped tables in ``data/gazetteer/``:

* country names anywhere in the text, also in compounds and the genitive:
  ``Russlands``, ``Ukraine-Krieg``, ``Vereinigten Staaten`` -> RU, UA, US;
* country adjectives and demonyms anywhere, matched on lower-case tokens with
  their inflections: ``nordkoreanischer``, ``Ukrainerinnen``, ``Russen`` -> KP, UA, RU;
* city and region names only where the NER tagged a LOC (``in Kiew`` -> UA,
  ``Region Kursk`` -> RU) or in the dateline (``Berlin. NATO-Generalsekretär ...`` -> DE);
  the seats of institutions (``Brüssel``, ``Straßburg``, ``Den Haag``, ``Genf``) only in a dateline.
  Common words (``Essen``, ``Ende``, ``Dank``) and names shared by similar-sized
  cities in different countries (``Gera``) were left out of the table by build.py.

Facet values use a German short name per code (``KP`` -> ``Nordkorea``; ``US`` -> ``USA``,
the form German news use; see build.py DISPLAY). No spaCy here.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import Iterable
from indexer.settings import DATA_DIR
from indexer.entities.persons import common_nouns, is_common_noun

DATA_DIR = DATA_DIR / "gazetteer"

WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Dependent territories and disputed areas with ISO codes: places, not sovereign states.
TERRITORIES = frozenset(
    "HK MO GI EH GL PR FO BM KY VG AW CW GU AS MP VI NC PF RE YT GP MQ GF PM WF BL MF SX BQ TC AI MS FK GS SH "
    "IO PN TK NU CK NF CX CC HM BV SJ AX JE GG IM TF UM AQ".split())
# Seats that stand for their institutions (Brüssel for the EU and NATO): no country by themselves;
# a text about Belgium names it. A dateline (Brüssel. ...) still gives the place's country.
SEATS = {"Brüssel", "Straßburg", "Den Haag", "Genf"}
COALITION_FLAGS = {"Jamaika", "Kenia", "Simbabwe", "Deutschland"}
COALITION_WORDS = ("Koalition", "Bündnis", "Verhandlung", "Sondierung", "Option", "Partei")
ADJECTIVE_ENDINGS = ("", "e", "en", "er", "es", "em")
DATELINE = re.compile(
    r"\A[ \t]*((?:[A-ZÄÖÜ][\w-]*)(?:[ /][A-ZÄÖÜ][\w-]*){0,2})[ \t]*(?:\([^)\n]{1,30}\))?[ \t]*[.:][ \t]"
)


@dataclass(frozen=True)
class Gazetteer:
    """Lookup tables; build with :func:`load_gazetteer`."""

    display: dict[str, str]                              # "KP" -> "Nordkorea"
    names: dict[tuple[str, ...], str]                    # ("Vereinigten", "Staaten") -> "US"
    longest_name: int                                    # tokens in the longest country name
    first_words: frozenset[str]                          # "Vereinigten", "Russlands", ...
    demonyms: dict[str, str]                             # "ukrainerinnen" -> "UA"
    places: dict[str, str]                               # "Brüssel" -> "BE"

    def country(self, code: str) -> tuple[str, str]:
        """``"KP"`` -> ``("Nordkorea", "KP")``."""
        return (self.display.get(code, code), code)


@lru_cache(maxsize=2)
def load_gazetteer(directory: Path = DATA_DIR) -> Gazetteer:
    """Read the three shipped tables once per process."""
    display: dict[str, str] = {}
    names: dict[tuple[str, ...], str] = {}
    for code, shown, variants in read_rows(directory / "countries.tsv"):
        display[code] = shown
        for name in variants.split("|"):
            for form in name_forms(name):
                names.setdefault(form, code)
    demonyms: dict[str, str] = {}
    for stem, code, kind in read_rows(directory / "demonyms.tsv"):
        for form in demonym_forms(stem, kind):
            demonyms.setdefault(form, code)
    places = {}
    for name, code in read_rows(directory / "places.tsv.gz"):
        places[name] = code
        places.setdefault(" ".join(WORD.findall(name)), code)   # "St. Petersburg" -> "St Petersburg"
    longest = max(len(key) for key in names)
    first_words = frozenset(key[0] for key in names)
    return Gazetteer(display, names, longest, first_words, demonyms, places)


@lru_cache(maxsize=2)
def country_adjectives(directory: Path = DATA_DIR) -> dict[str, str]:
    """ISO code -> adjective stem, the first of the table: ``RU`` -> ``russisch``."""
    adjectives: dict[str, str] = {}
    for stem, code, kind in read_rows(directory / "demonyms.tsv"):
        if kind == "adj":
            adjectives.setdefault(code, stem)
    return adjectives


def read_rows(path: Path) -> list[tuple[str, ...]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        next(handle)
        return [tuple(line.rstrip("\n").split("\t")) for line in handle if line.strip()]


def name_forms(name: str) -> set[tuple[str, ...]]:
    """Token tuples a German country name takes in running text.

    ``Vereinigte Staaten`` -> also ``Vereinigten Staaten``; ``Russland`` -> also ``Russlands``;
    ``Vereinigtes Königreich`` -> also ``Vereinigte Königreich``, ``Vereinigten Königreichs``;
    ``Vereinigte Arabische Emirate`` -> also ``Vereinigten Arabischen Emiraten``; ``Kuba`` not ``Kuban``.
    """
    tokens = tuple(WORD.findall(name))
    if not tokens:
        return set()
    forms = set(product(*(adjective_forms(token) for token in tokens[:-1]), [tokens[-1]]))
    for form in list(forms):
        last = form[-1]
        if last[-1].islower():
            endings = ("s", "n") if last.endswith("e") else ("s", "es")
            forms.update(form[:-1] + (last + ending,) for ending in endings)
    return forms


def adjective_forms(token: str) -> tuple[str, ...]:
    """``Vereinigte`` -> (Vereinigte, Vereinigten); ``Vereinigtes`` -> (.., Vereinigte, Vereinigten)."""
    if not token[:1].isupper():
        return (token,)
    if token.endswith(("ische", "igte", "ierte")):
        return (token, token + "n")
    if token.endswith(("isches", "igtes")):
        return (token, token[:-1], token[:-1] + "n")
    return (token,)


def demonym_forms(stem: str, kind: str) -> list[str]:
    """Inflected lower-case forms.

    ``russisch`` -> russisch, russische, russischen, russischer, ...;
    ``russe`` -> russe, russen, russin, russinnen; ``ukrainer`` -> ukrainern, ukrainerin, ...
    """
    if kind == "adj":
        return [stem + ending for ending in ADJECTIVE_ENDINGS]
    if stem.endswith("e"):
        return [stem, stem + "n", stem[:-1] + "in", stem[:-1] + "innen"]
    if stem.endswith("er"):
        return [stem, stem + "n", stem + "s", stem + "in", stem + "innen"]
    return [stem, stem + "s", stem + "en", stem + "in", stem + "innen"]


def countries_named(text: str, gazetteer: Gazetteer) -> list[tuple[int, str]]:
    """(offset, code) for every country name: ``Laut Russlands Präsident`` -> [(5, "RU")]."""
    words = [(match.start(), match.group()) for match in WORD.finditer(text)]
    found = []
    index = 0
    while index < len(words):
        width = longest_match(words, index, gazetteer)
        if width and not is_coalition(text, words, index, width) and not is_other_thing(text, words, index, width):
            key = tuple(word for _, word in words[index:index + width])
            found.append((words[index][0], gazetteer.names[key]))
        index += width or 1
    return found


def is_coalition(text: str, words: list[tuple[int, str]], index: int, width: int) -> bool:
    """``Jamaika-Koalition``, ``Kenia-Bündnis``: German party coalitions named after flags."""
    if width != 1 or words[index][1] not in COALITION_FLAGS or index + 1 >= len(words):
        return False
    (start, word), (next_start, next_word) = words[index], words[index + 1]
    return text[start + len(word):next_start] == "-" and next_word.startswith(COALITION_WORDS)


NOT_THE_COUNTRY_BEFORE = re.compile(r"(?:Straße|Meerenge) von\s*$")
RIVER_ARTICLE = re.compile(r"\b(?:die|der|an der|über die)\s*$")
NOT_THE_COUNTRY_AFTER = re.compile(r"^-(?:Dollar|Cent)")


# Abbreviated country adjectives of lists and calendars: "dt. Schauspieler", "ital. Diktator".
ABBREVIATIONS = {"dt": "DE", "ital": "IT", "mex": "MX", "lett": "LV", "kanad": "CA", "öst": "AT", "österr": "AT",
                 "frz": "FR", "franz": "FR", "brit": "GB", "amerik": "US", "span": "ES", "russ": "RU", "ung": "HU",
                 "poln": "PL", "schwed": "SE", "niederl": "NL", "belg": "BE", "port": "PT", "chin": "CN",
                 "jap": "JP", "türk": "TR", "griech": "GR", "tschech": "CZ", "schweiz": "CH", "norw": "NO",
                 "dän": "DK", "finn": "FI", "isr": "IL", "bras": "BR", "argent": "AR", "austral": "AU", "ukr": "UA"}
ABBREVIATED = re.compile(r"(?<![\w.])(" + "|".join(ABBREVIATIONS) + r")\.(?=\s+[a-zäöüA-ZÄÖÜ])")


def is_other_thing(text: str, words: list[tuple[int, str]], index: int, width: int) -> bool:
    """``Straße von Gibraltar``, ``US-Dollar``: a country name that names no country here."""
    start = words[index][0]
    end = words[index + width - 1][0] + len(words[index + width - 1][1])
    before = text[max(0, start - 20):start]
    river = is_river(text, start, words[index][1])
    return bool(NOT_THE_COUNTRY_BEFORE.search(before) or NOT_THE_COUNTRY_AFTER.match(text[end:end + 8]) or river)


def is_river(text: str, start: int, mention: str) -> bool:
    """``die Moldau durchschwimmen``: the river, not the country (also when the NER tags it LOC)."""
    return mention == "Moldau" and RIVER_ARTICLE.search(text[max(0, start - 20):start]) is not None


def longest_match(words: list[tuple[int, str]], index: int, gazetteer: Gazetteer) -> int:
    """Number of tokens of the longest country name starting at ``index`` (0 if none)."""
    if words[index][1] not in gazetteer.first_words:
        return 0
    for width in range(min(gazetteer.longest_name, len(words) - index), 0, -1):
        key = tuple(word for _, word in words[index:index + width])
        if key in gazetteer.names:
            return width
    return 0


def countries_by_demonym(text: str, gazetteer: Gazetteer) -> list[tuple[int, str]]:
    """(offset, code) for adjectives/demonyms: ``nordkoreanischer Soldaten`` -> KP,
    ``russisch-ukrainischen`` -> RU and UA, ``Ukrainerinnen`` -> UA."""
    found = []
    for match in WORD.finditer(text.lower()):
        code = gazetteer.demonyms.get(match.group())
        if code and not is_language(text, match):
            found.append((match.start(), code))
    for match in ABBREVIATED.finditer(text):
        found.append((match.start(), ABBREVIATIONS[match.group(1)]))
    return found


def is_language(text: str, match: re.Match) -> bool:
    """``auf Schwedisch``, ``Deutsch als Zweitsprache``: a capitalised adjective without an
    ending is the language, no mention of the country."""
    word = text[match.start():match.end()]
    return word[:1].isupper() and word.endswith("isch") or word == "Deutsch"


def country_of_place(mention: str, gazetteer: Gazetteer) -> str | None:
    """Code for a LOC mention: ``Brüssel`` -> BE, ``Region Kursk`` -> RU, ``Moskaus`` -> RU; the
    words skipped before a place are lower case or German nouns, so ``Marat Numan`` (a Syrian
    town) is not ``Numan`` in Nigeria; ``Berlin-Lichtenberg`` -> DE."""
    tokens = WORD.findall(mention)
    for start in range(len(tokens)):
        code = lookup_place(tokens[start:], gazetteer)
        if code:
            return code
        token = tokens[start]
        if token[:1].isupper() and not is_common_noun(token.lower(), common_nouns()) and token not in gazetteer.places:
            return None   # Berlin of Berlin-Lichtenberg is skipped as a place
    return None


def lookup_place(tokens: list[str], gazetteer: Gazetteer) -> str | None:
    """Exact country or place name, then without a genitive ``s`` (``Kursks`` -> ``Kursk``)."""
    if not tokens or not tokens[0][:1].isupper():
        return None
    key = tuple(tokens)
    if key in gazetteer.names:
        return gazetteer.names[key]
    name = " ".join(tokens)
    code = gazetteer.places.get(name) or gazetteer.places.get(mention_with_hyphens(tokens))
    if code is None and name.endswith("s"):
        code = gazetteer.places.get(name[:-1])
    return code


def mention_with_hyphens(tokens: list[str]) -> str:
    """``["Baden", "Württemberg"]`` -> ``Baden-Württemberg`` (hyphenated place names)."""
    return "-".join(tokens)


def dateline_place(text: str) -> str | None:
    """The place of a news dateline on the first or second line.

    ``Berlin. NATO-Generalsekretär ...`` -> ``Berlin``; ``Kiew/Moskau (dpa) - `` is not
    a dateline (needs ``.`` or ``:``); ``Laut der NATO ist ...`` -> None.
    """
    for line in text.split("\n", 2)[:2]:
        match = DATELINE.match(line)
        if match:
            return match.group(1)
    return None


def link_countries(
    text: str, locations: Iterable[tuple[int, str]] = (), gazetteer: Gazetteer | None = None
) -> tuple[tuple[str, str], ...]:
    """Countries of a document in order of first evidence, as (display name, code).

    ``locations`` are the NER LOC mentions as (offset, text). Example:
    ``link_countries("Berlin. Rutte sagte in Brüssel ...", [(22, "Brüssel")])``
    -> ``(("Deutschland", "DE"), ("Belgien", "BE"))``.
    """
    gazetteer = gazetteer or load_gazetteer()
    evidence = countries_named(text, gazetteer) + countries_by_demonym(text, gazetteer)
    for offset, mention in locations:
        code = country_of_place(mention, gazetteer)
        if code and " ".join(WORD.findall(mention)).rstrip("s") not in SEATS and not is_river(text, offset, mention):
            evidence.append((offset, code))
    dateline = dateline_place(text)
    if dateline:
        evidence.extend((0, code) for part in dateline.split("/") if (code := country_of_place(part, gazetteer)))
    ordered = dict.fromkeys(code for _, code in sorted(evidence, key=lambda item: item[0]) if code not in TERRITORIES)
    return tuple(gazetteer.country(code) for code in ordered)
