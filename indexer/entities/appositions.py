"""Organisations a text introduces by their kind (pure; no spaCy).

German news names a firm, paper or group it has not named before with a noun of its kind
in front: ``der chinesische Hersteller Dongfeng``, ``der US-Telekomkonzern Verizon``, ``die
Zeitung The Times``, ``des Sportblatts Marca``. The kind is evidence that the name after it is
an organisation, whatever label (or none) the NER model gave it, so such a name needs no
other shape (issue 12: an unlinked organisation needs evidence).

The name is the NER span that starts right after the kind noun (``Daily Mail``, tagged PER),
else the capitalised words there that are no German nouns, first names or places::

    >>> [name for _, name in introduced_organisations("Der Hersteller Dongfeng stieg ein.")]
    ['Dongfeng']
"""

from __future__ import annotations

import re
from typing import Iterable

from indexer.entities.countries import load_gazetteer
from indexer.entities.linking import HOME_COUNTRIES
from indexer.entities.persons import common_nouns, is_common_noun

# Heads of nouns that say "the organisation called ...": Autobauer, Telekomkonzern, Sportblatt.
KINDS = (
    "konzern", "hersteller", "autobauer", "zeitung", "blatt", "sender", "magazin", "agentur", "anbieter",
    "händler", "verlag", "plattform", "unternehmen", "firma", "versicherer", "airline", "fluglinie",
    "fluggesellschaft", "portal", "netzwerk", "zeitschrift", "dienst", "startup", "start-up", "label",
    "discounter", "betreiber", "gewerkschaft", "verein", "klub", "club", "miliz", "bank", "combo",
)
NOT_KINDS = ("feigenblatt", "kleeblatt", "flugblatt", "absender", "gottesdienst", "wehrdienst", "zivildienst",
             "kundendienst", "urlaubsdienst", "tausender")   # nouns that end like a kind but name none
AFTER_KIND = re.compile(r"(?:es|s)?\s+(?=[\"„“«»‚']?[A-ZÄÖÜ0-9])")
NAME_WORD = re.compile(r"[\"„“«»‚']?([A-ZÄÖÜ0-9][\w'’-]*(?:\.\w+)*|&)[\"“”«»‘']?")
CONNECTORS = {"&", "of", "and", "for"}
LEADING = {"The"}   # an English article opens a name: die Zeitung The Times
MAX_WORDS = 5
SHORT_NOUN = 6   # a noun this short may be a word of an English name (Mail, Times)
SENTENCE_ENDS = ".:!?;,–\"“”"
YEAR = re.compile(r"(?:18|19|20)\d\d")
QUOTES = "\"„“”«»‚‘'"
NOT_NAMES = {"Die", "Der", "Das", "Den", "Dem", "Des", "Ein", "Eine", "Er", "Sie", "Es", "Wir", "Ich", "In",
             "Im", "Am", "An", "Auf", "Aus", "Bei", "Mit", "Nach", "Von", "Vor", "Zu", "Zum", "Zur", "Für", "Und",
             "Ihr", "Ihre", "Ihren", "Ihrem", "Ihrer", "Ihnen", "Dies", "Diese", "Dieser", "Jetzt", "Heute"}


def introduced_organisations(text: str, spans: Iterable[tuple[int, int]] = ()) -> list[tuple[int, str]]:
    """(offset, name) of every organisation the ``text`` introduces with a kind noun.

    ``spans``: the NER mentions as (start, end); one that starts right after the kind noun
    gives the name's extent (``die britische Zeitung Daily Mail`` -> Daily Mail)."""
    ends = {}
    for start, end in spans:
        ends[start] = max(end, ends.get(start, start))
    found = []
    for begin, start in kind_nouns(text):
        if inside_name(text, begin):
            continue
        name = ner_name(text, start, ends.get(start)) or word_name(text, start)
        if name:
            found.append((start, name))
    return found


def kind_nouns(text: str) -> list[tuple[int, int]]:
    """(start of the kind noun, start of the word after it), in text order; ``str.find`` per
    kind, a regular expression only where one occurs (the hot path of a build)."""
    lower = text.lower()
    found = []
    for kind in KINDS:
        at = lower.find(kind)
        while at >= 0:
            end = at + len(kind)
            after = AFTER_KIND.match(text, end)
            if after:
                begin = word_start(text, at)
                if text[begin].isupper() and is_kind(text[begin:end]):
                    found.append((begin, after.end()))
            at = lower.find(kind, end)
    return sorted(set(found))


def word_start(text: str, end: int) -> int:
    """Where the word (with hyphens) that ``end`` lies in begins: ``US-Telekomkonzern``."""
    begin = end
    while begin and (text[begin - 1].isalnum() or text[begin - 1] == "-"):
        begin -= 1
    return begin


def is_kind(word: str) -> bool:
    """``Telekomkonzern``, ``Sportblatts`` -> True; ``Feigenblatt``, ``Zehntausender`` -> False."""
    lower = word.lower()
    return not (lower.endswith(NOT_KINDS) or lower.removesuffix("s").endswith(NOT_KINDS))


def inside_name(text: str, start: int) -> bool:
    """The kind noun is a word of a name when a capitalised word other than an article or a
    place adjective stands before it: ``Raiffeisen Bank International`` (not ``Die Zeitung``,
    ``Schweizer Werbeagentur``)."""
    before = text[max(0, start - 60):start].split()
    if not before or before[-1][-1:] in SENTENCE_ENDS:
        return False
    if len(before) == 1 or before[-2][-1:] in SENTENCE_ENDS:   # "Beim Konzern ...": a sentence's first word
        return False
    word = before[-1]
    return word[:1].isupper() and word not in NOT_NAMES and not word.endswith("er")


def ner_name(text: str, start: int, end: int | None) -> str | None:
    """The NER span at ``start`` when it is capitalised words without a first name in front,
    up to a long German noun with a name after it (``Kurier Villeneigentümer Herinrich
    Schuster`` -> Kurier; ``The British Medical Journal``, ``Daily Mail`` stay whole)."""
    from indexer.entities.people import is_first_name   # people imports linking, linking imports this

    if end is None:
        return None
    words = text[start:end].strip("\"„“«»‚' ").split()
    nouns = common_nouns()
    cut = next((i for i, word in enumerate(words[1:-1], 1)   # a noun before a name: the name is a person's
                if len(word) > SHORT_NOUN and is_common_noun(word.lower(), nouns)
                and not any(later in CONNECTORS for later in words[i + 1:])), len(words))
    words = words[:cut]
    if not words or len(words) > MAX_WORDS or is_first_name(words[0]):
        return None
    if not all(word[:1].isupper() or word[:1].isdigit() or word in CONNECTORS for word in words):
        return None
    return plain(" ".join(words))


def word_name(text: str, start: int) -> str | None:
    """Capitalised words at ``start`` that are no German nouns, first names, countries or
    pronouns: ``Dongfeng zu Großaktionären`` -> Dongfeng; ``Saatchi & Saatchi Geneva unter`` ->
    Saatchi & Saatchi Geneva; ``Apple Ende Mai`` -> Apple; a quoted name whatever its words:
    ``„Kurier“`` -> Kurier."""
    from indexer.entities.people import is_first_name

    quoted = text[start:start + 1] in QUOTES
    words, closed, cut = [], False, False
    position = start
    for match in NAME_WORD.finditer(text, start):
        if match.start() != position or len(words) == MAX_WORDS:
            break
        word = match.group(1)
        if not (quoted or is_name_word(word, first=not words)):
            cut = word not in NOT_NAMES   # Islamischer | Staat: a noun cuts a name in two
            break
        words.append(word)
        closed = match.group(0)[-1:] in QUOTES
        position = match.end() + 1 if text[match.end():match.end() + 1] == " " and not closed else -1
    while words and (words[-1] in CONNECTORS or words[-1] in LEADING or YEAR.fullmatch(words[-1])):
        words.pop()   # "Novomatic 2015" (not "Rossija 24")
    if not words or cut or (quoted and not closed) or is_first_name(words[0]) or is_home_place(" ".join(words)):
        return None
    name = plain(" ".join(words))
    return name if name and sum(ch.isalpha() for ch in name) >= 2 else None


def is_name_word(word: str, first: bool) -> bool:
    if word in CONNECTORS:
        return not first
    if word in LEADING:
        return first
    if word in NOT_NAMES:
        return False
    return word.isupper() or not is_common_noun(word.lower().split("-")[-1], common_nouns())


def is_home_place(name: str) -> bool:
    """A country (``Deutschland``) or a German, Austrian or Swiss place (``Hamburg``) is no
    firm after a kind noun (``die Bank Austria``: the catalogue knows it); a foreign place may
    be (``der Hersteller Dongfeng``)."""
    gazetteer = load_gazetteer()
    return tuple(name.split()) in gazetteer.names or gazetteer.places.get(name) in HOME_COUNTRIES


def plain(name: str) -> str:
    """Without a final full stop or quote: ``Marca.`` -> Marca."""
    return name.rstrip(".,;:!?\"“”«»‘'")
