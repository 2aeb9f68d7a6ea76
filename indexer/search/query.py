"""The query language, parsed into a small tree that knows nothing of Whoosh.

    Nordkorea Soldaten            words are ANDed
    "russische Soldaten"          phrase
    Russland OR Ukraine           also ODER, ||
    Putin NOT Selenskyj           also NICHT, -Selenskyj
    Sanktion*                     prefix (unstemmed, normalised words)
    Nordkroea~  Nordkroea~2       fuzzy (edit distance 1 or 2)
    person:"Wladimir Putin"  country:Russland  org:NATO  source:bundestag
    date:2024  date:2024-10  date:28.10.2024  date:[2024-01-01 TO 2024-06-30]  mentioned:2025

An unclosed quote or bracket is read as closed at the end of the query (``read_query`` says
so); other malformed input raises ``QuerySyntaxError`` with a one-line message and a hint.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from indexer.errors import DateFormatError, QuerySyntaxError
from indexer.index.schema import FIELD_NAMES
from indexer.text.dates import day_span, iso_period
from indexer.text.numbers import german_number

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 64
MAX_EXPANDING = 8  # prefix and fuzzy words per query: each one scans the lexicon
MAX_DEPTH = 16
MIN_PREFIX_CHARS = 2
GENDER_STAR = re.compile(r"(\w)[*:_](?=(?:in|innen|e|r|n)\b)")
OPERATORS = {"AND": "AND", "UND": "AND", "&&": "AND", "OR": "OR", "ODER": "OR", "||": "OR", "NOT": "NOT", "NICHT": "NOT"}
DATE_EXAMPLES = "Beispiele: date:2024, date:2024-10, date:2024-10-28, date:28.10.2024"
QUOTES = str.maketrans({"„": '"', "“": '"', "”": '"', "«": '"', "»": '"'})
LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # bytes a shell could not decode: no index term holds them


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Prefix:
    text: str


@dataclass(frozen=True)
class Fuzzy:
    text: str
    distance: int | None = None  # None: 1 for short words, 2 for words of six letters or more


@dataclass(frozen=True)
class FieldMatch:
    field: str  # index field name (person, country, organisation, source, mentioned, title, id)
    value: str


@dataclass(frozen=True)
class DateRange:
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


Node = Word | Phrase | Prefix | Fuzzy | FieldMatch | DateRange | And | Or | Not

_TOKEN = re.compile(
    r'\s+|(?P<paren>[()])|(?P<phrase>"[^"]*"?)|(?P<op>&&|\|\|)'
    r'|(?P<sign>[-+])?(?P<field>[A-Za-zÄÖÜäöü_]+):(?P<value>"[^"]*"?|\[[^\]]*\]?|[^\s()"]+)?'
    r'|(?P<word>[^\s()"]+)'
)


def parse_query(text: str) -> Node | None:
    """The tree of ``text``; None for an empty query. An unclosed quote or bracket is read as
    if closed at the end (``read_query`` also says how the query was read)."""
    return read_query(text)[0]


def read_query(text: str) -> tuple[Node | None, str]:
    """The tree of ``text`` and, when it had to be read leniently, a notice with the query as
    read (``"Bundeswehr Mali`` as ``"Bundeswehr Mali"``, ``(Nordkorea OR Russland`` as
    ``(Nordkorea OR Russland)``), else ""."""
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"Suchanfrage zu lang ({german_number(len(text))} Zeichen, "
                               f"höchstens {german_number(MAX_QUERY_CHARS)}).",
                               "Die Anfrage kürzen.")
    text = LONE_SURROGATE.sub("\ufffd", text).translate(QUOTES)
    tokens, open_quote = tokenize(text)
    if not tokens:
        return None, ""
    parser = _Parser(tokens)
    node = parser.parse_or(0)
    if parser.pos < len(tokens):
        raise QuerySyntaxError(f"Unerwartetes {describe(tokens[parser.pos])}.", "Klammern prüfen: jede ( braucht eine ).")
    if parser.clauses > MAX_CLAUSES:
        raise QuerySyntaxError(f"Zu viele Suchbegriffe ({parser.clauses}, höchstens {MAX_CLAUSES}).", "Die Anfrage kürzen.")
    if parser.expanding > MAX_EXPANDING:
        raise QuerySyntaxError(f"Zu viele Platzhalter- oder unscharfe Wörter ({parser.expanding}, höchstens {MAX_EXPANDING}).",
                               "Weniger Wörter mit * oder ~ verwenden.")
    return node, lenient_notice(text, open_quote, parser.unclosed)


def lenient_notice(text: str, open_quote: bool, open_brackets: int) -> str:
    """How an unclosed quote or bracket was read: closed at the end, where it always runs to."""
    if not open_quote and not open_brackets:
        return ""
    what = " und ".join(w for w, on in (("Anführungszeichen", open_quote), ("Klammer" if open_brackets < 2 else "Klammern", open_brackets)) if on)
    closed = text.rstrip() + '"' * open_quote + ")" * open_brackets
    return f"{what} nicht geschlossen; gesucht wurde: {closed}"


def tokenize(text: str) -> tuple[list[tuple[str, object]], bool]:
    """The tokens of ``text``, and whether its last quote was left open (it is read as closed)."""
    tokens, open_quote = [], False
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is None:
            continue
        if kind == "value":
            kind = "field"
        open_quote |= unclosed_quote(kind, match)
        tokens.extend(signed(match.group("sign"), classify(kind, match)))
    return tokens, open_quote


def unclosed_quote(kind: str, match: re.Match) -> bool:
    """A phrase or a quoted field value without its closing quote: it runs to the end of the query."""
    if kind == "field" and match.group("field").lower() not in FIELD_NAMES:
        return False
    raw = (match.group("value") or "") if kind == "field" else match.group(0)
    return kind in ("phrase", "field") and raw.startswith('"') and (len(raw) < 2 or not raw.endswith('"'))


def signed(sign: str | None, token: tuple[str, object]) -> list[tuple[str, object]]:
    """A ``-`` or ``+`` glued to a field: ``-country:IT`` excludes like ``NOT country:IT``;
    before what turned out to be plain words (``-Superman: Dawn``) it stays on the word."""
    if not sign:
        return [token]
    if token[0] == "word":
        return [("word", sign + token[1])]
    return [("op", "NOT"), token] if sign == "-" else [token]


def classify(kind: str, match: re.Match) -> tuple[str, object]:
    raw = match.group(0)
    if kind == "paren":
        return raw, raw
    if kind == "phrase":
        return "phrase", raw[1:-1] if len(raw) > 1 and raw.endswith('"') else raw[1:]
    if kind == "op":
        return "op", OPERATORS[raw]
    if kind == "field":
        return field_token(match.group("field"), match.group("value") or "")
    if raw in OPERATORS:
        return "op", OPERATORS[raw]
    return "word", raw


def field_token(name: str, value: str) -> tuple[str, object]:
    field = FIELD_NAMES.get(name.lower())
    if field is None:
        near = difflib.get_close_matches(name.lower(), FIELD_NAMES, n=1, cutoff=0.75)
        if near:  # a typo of a field name: say so rather than search the text "persn:Putin"
            raise QuerySyntaxError(f"Unbekanntes Feld {name!r}.", f"Meinten Sie {near[0]}:{value or '…'}?")
        if value.lower() in ("in", "innen"):  # Bürger:innen
            return "word", f"{name}{value}"
        return "word", f"{name} {value}".strip()  # "Superman: Dawn", "Ziel:Frieden": plain words
    if not value or value in ('"', "["):
        raise QuerySyntaxError(f"Feld {name!r} ohne Wert.", f'Beispiel: {name}:"Wert"')
    if value.startswith('"'):
        value = value[1:-1] if value.endswith('"') else value[1:]
        if not value.strip():
            raise QuerySyntaxError(f"Feld {name!r} ohne Wert.", f'Beispiel: {name}:"Wert"')
    return "field", (field, value.strip())


def describe(token) -> str:
    kind, value = token
    return {"op": f"Operator {value}", ")": "')'", "(": "'('"}.get(kind, f"'{value}'")


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.pos = 0
        self.clauses = 0
        self.expanding = 0  # Prefix and Fuzzy nodes
        self.unclosed = 0  # brackets still open at the end: read as closed there

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def parse_or(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise QuerySyntaxError("Zu tief geschachtelte Klammern.", "Weniger Klammern verwenden.")
        items = [self.parse_and(depth)]
        while self.peek() == ("op", "OR"):
            self.pos += 1
            items.append(self.parse_and(depth))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self, depth: int) -> Node:
        items = [self.parse_unary(depth)]
        while True:
            kind, value = self.peek()
            if kind is None or kind == ")" or (kind, value) == ("op", "OR"):
                break
            if (kind, value) == ("op", "AND"):
                self.pos += 1
            items.append(self.parse_unary(depth))
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_unary(self, depth: int) -> Node:
        """NOT, ``-`` and ``+`` in front of a term; a run of them is folded (an even number of
        negations cancels) in a loop, so ``------x`` cannot exhaust the stack."""
        negate = False
        while True:
            kind, value = self.peek()
            if (kind, value) == ("op", "NOT"):
                self.pos += 1
                negate = not negate
            elif kind == "word" and len(value) > 1 and value[0] in "-+":
                self.tokens[self.pos] = ("word", value[1:])
                negate ^= value[0] == "-"
            else:
                break
        node = self.parse_primary(depth)
        return Not(node) if negate else node

    def parse_primary(self, depth: int) -> Node:
        kind, value = self.peek()
        if kind is None:
            raise QuerySyntaxError("Die Anfrage endet mitten in einem Ausdruck.", "Nach AND/OR/NOT ein Suchwort angeben.")
        if kind == "op":
            raise QuerySyntaxError(f"Operator {value} ohne Suchwort davor oder danach.",
                                   "Operatoren stehen zwischen Wörtern: Russland OR Ukraine.")
        if kind == ")":
            raise QuerySyntaxError("Schließende Klammer ohne öffnende.", "Klammern prüfen: jede ( braucht eine ).")
        self.pos += 1
        self.clauses += 1
        if kind == "(":
            node = self.parse_or(depth + 1)
            if self.peek()[0] == ")":
                self.pos += 1
            else:  # only the end of the query stops a group without its ")"
                self.unclosed += 1
            return node
        if kind == "phrase":
            return Phrase(value)
        if kind == "field":
            return field_node(*value)
        node = word_node(value)
        self.expanding += isinstance(node, (Prefix, Fuzzy))
        return node


def word_node(text: str) -> Node:
    """``Sanktion*`` -> Prefix, ``Nordkroea~`` -> Fuzzy, else Word."""
    fuzzy = re.fullmatch(r"(.+?)~([12]?)", text)
    if fuzzy:
        return Fuzzy(fuzzy.group(1), int(fuzzy.group(2)) if fuzzy.group(2) else None)
    if GENDER_STAR.search(text):  # Arbeiter*innen, ein*e Bürger*in: a word, not a wildcard
        return Word(GENDER_STAR.sub(r"\1", text))
    if "*" in text:  # "?" is punctuation (questions), never a wildcard
        stem = text.rstrip("*")
        if "*" in stem:
            raise QuerySyntaxError(f"Platzhalter nur am Wortende: {text[:40]!r}.", "Beispiel: Sanktion*")
        if len(stem) < MIN_PREFIX_CHARS or not any(ch.isalnum() for ch in stem):
            raise QuerySyntaxError(f"Präfix zu kurz: {text[:40]!r}.", f"Mindestens {MIN_PREFIX_CHARS} Zeichen vor dem *, z. B. Bundes*")
        return Prefix(stem)
    return Word(text)


def field_node(field: str, value: str) -> Node:
    if field == "date":
        return DateRange(*date_range(value))
    if field == "mentioned":
        return FieldMatch(field, mentioned_period(value))
    return FieldMatch(field, value)


def date_range(value: str) -> tuple[dt.date | None, dt.date | None]:
    """``2024`` -> whole year; ``2024-10`` -> month; ``[2024-01-01 TO 2024-06-30]`` -> range."""
    if value.startswith("["):
        parts = re.fullmatch(r"\[\s*(\S+)\s+(?:TO|BIS|to|bis)\s+(\S+)\s*\]", value)
        if not parts:
            raise QuerySyntaxError(f"Ungültiger Datumsbereich {value[:40]!r}.", "Beispiel: date:[2024-01-01 TO 2024-06-30]")
        start = None if parts.group(1) == "*" else date_bounds(parts.group(1))[0]
        end = None if parts.group(2) == "*" else date_bounds(parts.group(2))[1]
        return start, end
    return date_bounds(value)


def date_bounds(value: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``2024``, ``2024-10``, ``2024-10-28`` or ``28.10.2024``."""
    try:
        return day_span(value)
    except DateFormatError:
        raise QuerySyntaxError(f"Ungültiges Datum {value[:40]!r}.", DATE_EXAMPLES) from None


def mentioned_period(value: str) -> str:
    """``mentioned:28.10.2024`` -> ``2024-10-28``, as mentioned dates are indexed."""
    try:
        return iso_period(value)
    except DateFormatError:
        raise QuerySyntaxError(f"Ungültiges Datum {value[:40]!r}.", DATE_EXAMPLES.replace("date:", "mentioned:")) from None


def positive_words(node: Node | None) -> list[str]:
    """Plain words of the query outside NOT: candidates for spelling suggestions."""
    if isinstance(node, Word):
        return [node.text]
    if isinstance(node, (And, Or)):
        return [w for item in node.items for w in positive_words(item)]
    return []
