"""Turns the parsed query tree into a Whoosh query, against one open reader.

Words and phrases are analysed exactly as the index was (stems, compound parts at index
time only); prefixes and fuzzy words expand over the unstemmed ``exact`` field, bounded;
facet fields resolve case-insensitively to the stored values. Also collects the terms to
highlight in snippets, and the entity values (``person:Scholz`` -> ``Olaf Scholz``) whose
mentions are marked.

Ranking extras (see ``indexer.search.ranking``): each plain word also brings optional clauses that
never change which documents match, only their order: its compound parts at query time
(weaker) and its unstemmed form in ``exact``. A question (``mode="question"``) drops its
question words and needs only some of its words (phrases in it stay required);
``mode="question_all"`` drops them too but needs all the other words.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Callable

from whoosh import query as wq

from indexer.search import ranking
from indexer.search.postings import Postings, PostingsCache
from indexer.search.ranking import DEFAULT, RankingConfig
from indexer.search.spelling import words_within
from indexer.text.analyser import STOPWORDS, analyze_exact
from indexer.errors import EmptyQueryError, QuerySyntaxError
from indexer.facets import ENTITY_FIELDS, FACET_FIELDS
from indexer.search.query import And, DateRange, FieldMatch, Fuzzy, Node, Not, Or, Phrase, Prefix, Word

MAX_EXPANSION = 64  # terms a prefix or fuzzy word may expand to (the most frequent ones)
MAX_SCANNED_TERMS = 20_000  # lexicon entries a prefix may look at before giving up on rarer ones

#: resolves a facet field value as typed (``russland``) to stored values (``Russland``)
Resolver = Callable[[str, str], list[str]]


@dataclass
class Compiled:
    query: wq.Query
    stems: set[str] = field(default_factory=set)  # highlight through the German analyser
    words: set[str] = field(default_factory=set)  # highlight through the exact analyser
    extras: list[wq.Query] = field(default_factory=list)  # optional ranking clauses
    entities: set[tuple[str, str]] = field(default_factory=set)  # (facet field, stored value) to mark

    @property
    def ranked(self) -> wq.Query:
        """The query to score with: the matching query, plus the optional clauses."""
        return wq.AndMaybe(self.query, wq.Or(self.extras)) if self.extras else self.query


class QueryCompiler:
    def __init__(self, reader, resolve: Resolver, mode: str = "and", cache=None, config: RankingConfig = DEFAULT,
                 files: dict | None = None):
        self.reader = reader
        self.postings = Postings(reader, cache or PostingsCache(0), files)  # files: the segments' postings files
        self.config = config  # the service's ranking configuration: weights of the clauses
        self.cache = cache  # a PostingsCache of this reader's snapshot: expansions are kept there
        self.resolve = resolve
        self.mode = mode  # "and", "or", "question" or "question_all": how plain words combine at the top level
        self.stems: set[str] = set()
        self.words: set[str] = set()
        self.entities: set[tuple[str, str]] = set()
        self.parts: list[wq.Query] = []  # compound parts of query words (weaker)
        self.extras: list[wq.Query] = []  # exact word forms
        self.factors: dict[int, float] = {}  # id(Word) -> weight factor (answer types in questions)
        self.analyzer = reader.schema["body"].analyzer  # as the index was built (ablations too)

    def compile(self, node: Node | None) -> Compiled:
        compiled = self.visit(node) if node is not None else None
        if compiled is None:
            raise EmptyQueryError("Die Anfrage enthält nur Füll- oder Stoppwörter (der, die, und …).")
        return Compiled(compiled, self.stems, self.words, self.parts + self.extras, self.entities)

    def analyze(self, text: str, mode: str = "query") -> list[str]:
        return [t.text for t in self.analyzer(text, mode=mode)]

    def visit(self, node: Node) -> wq.Query | None:
        return getattr(self, f"visit_{type(node).__name__.lower()}")(node)

    def visit_word(self, node: Word) -> wq.Query | None:
        stems = self.analyze(node.text)
        self.stems.update(stems)
        weight = ranking.word_weight(node.text, self.config) * self.factors.get(id(node), 1.0)
        self.add_extras(node.text, stems, weight)
        return combine(wq.And, [text_term(s, weight, self.config) for s in stems])

    def add_extras(self, text: str, stems: list[str], weight: float) -> None:
        """Optional clauses for ``text``: compound parts (as indexing splits them) and exact forms."""
        config = self.config
        if config.parts_weight > 0:
            parts = dict.fromkeys(p for p in self.analyze(text, mode="index") if p not in stems)
            self.parts.extend(wq.Term("body", p, boost=config.parts_weight * weight) for p in parts)
        if config.exact_weight > 0:
            words = [w for w in analyze_exact(text) if w not in STOPWORDS]
            self.extras.extend(wq.Term("exact", w, boost=config.exact_weight * weight) for w in words)

    def visit_phrase(self, node: Phrase) -> wq.Query | None:
        stems = self.analyze(node.text)
        self.stems.update(stems)
        if len(stems) <= 1:
            return combine(wq.And, [text_term(s, 1.0, self.config) for s in stems])
        title = wq.Phrase("title", stems, boost=self.config.title_weight)
        return either_field(title, wq.Phrase("body", stems), self.config)

    def visit_prefix(self, node: Prefix) -> wq.Query | None:
        words = analyze_exact(node.text)
        if not words:
            raise QuerySyntaxError(f"Präfix ohne Buchstaben: {node.text[:40]!r}.", "Beispiel: Sanktion*")
        prefix = words[-1] if len(words) == 1 else "".join(words)
        terms = self.expansion(("prefix", prefix), lambda: self.top_prefix_terms(prefix))
        self.words.update(terms)
        return ExpansionOr([wq.Term("exact", t) for t in terms]) if terms else wq.NullQuery

    def visit_fuzzy(self, node: Fuzzy) -> wq.Query | None:
        words = analyze_exact(node.text)
        if len(words) != 1:
            return self.visit_word(Word(node.text))
        word = words[0]
        prefix = 1 if len(word) > 3 else 0
        distance = node.distance or (2 if len(word) >= 6 else 1)
        terms = self.expansion(("fuzzy", word, distance, prefix),
                               lambda: self.top_terms(words_within(self.reader, "exact", word, distance, prefix)))
        self.words.update(terms)
        return ExpansionOr([wq.Term("exact", t) for t in terms]) if terms else wq.NullQuery

    def visit_fieldmatch(self, node: FieldMatch) -> wq.Query | None:
        if node.field in FACET_FIELDS:
            values = self.resolve(node.field, node.value)
            if node.field in ENTITY_FIELDS:  # speaker:, party:, source: are no mentions to mark
                self.entities.update((node.field, v) for v in values)
            return wq.Or([wq.Term(node.field, v) for v in values]) if values else wq.NullQuery
        if node.field == "title":
            stems = self.analyze(node.value)
            self.stems.update(stems)
            return combine(wq.And, [wq.Term("title", s) for s in stems])
        return wq.Term(node.field, node.value)

    def visit_daterange(self, node: DateRange) -> wq.Query:
        start = dt.datetime.combine(node.start, dt.time.min) if node.start else None
        end = dt.datetime.combine(node.end, dt.time.max) if node.end else None
        return wq.DateRange("date", start, end)

    def visit_and(self, node: And) -> wq.Query | None:
        if self.mode in ("question", "question_all"):
            return self.question(node)
        parts = [self.visit(item) for item in node.items]
        positive = [p for p, item in zip(parts, node.items) if p is not None and not isinstance(item, Not)]
        negative = [p for p, item in zip(parts, node.items) if p is not None and isinstance(item, Not)]
        if self.mode == "or" and all(isinstance(i, (Word, Not)) for i in node.items):
            joined = combine(wq.Or, positive)
        else:
            joined = combine(wq.And, positive)
        if joined is None:
            return combine(wq.And, [wq.Every()] + negative) if negative else None
        return combine(wq.And, [joined] + negative)

    def question(self, node: And) -> wq.Query | None:
        """Any of its words but the question words, or their compound parts; phrases stay required.
        In ``question_all`` mode all of those words are required."""
        words = [i for i in node.items if isinstance(i, Word)]
        content = [w for w in words if not ranking.is_question_word(w.text)] or words
        factors = ranking.answer_type_factors([w.text for w in words], self.config)
        self.factors = {id(w): f for w, f in zip(words, factors)}
        optional = [q for q in (self.visit(w) for w in content) if q is not None]
        if self.mode == "question_all":  # all words but the question words
            return combine(wq.And, optional + [self.visit(i) for i in node.items if not isinstance(i, Word)])
        if optional:
            optional, self.parts = optional + self.parts, []
        required = [q for q in (self.visit(i) for i in node.items if not isinstance(i, Word)) if q is not None]
        some = combine(wq.Or, optional)
        if required:
            return wq.AndMaybe(combine(wq.And, required), some) if some is not None else combine(wq.And, required)
        return some

    def visit_or(self, node: Or) -> wq.Query | None:
        return combine(wq.Or, [self.visit(item) for item in node.items])

    def visit_not(self, node: Not) -> wq.Query | None:
        saved = set(self.stems), set(self.words), list(self.parts), list(self.extras), set(self.entities)
        inner = self.visit(node.item)
        self.stems, self.words, self.parts, self.extras, self.entities = saved  # excluded words: no highlight, no extras
        return wq.Not(inner) if inner is not None else None

    def expansion(self, key: tuple, expand: Callable[[], list[str]]) -> list[str]:
        """A prefix's or fuzzy word's terms, from the snapshot's cache when it has them."""
        if self.cache is None:
            return expand()
        return self.cache.get(key, lambda: (expand(),))[0]

    def top_prefix_terms(self, prefix: str) -> list[str]:
        """The ``MAX_EXPANSION`` most frequent words starting with ``prefix``, in one lexicon scan
        (of the postings files' sorted terms where every segment has one)."""
        scanned = self.postings.prefixed("exact", prefix, MAX_SCANNED_TERMS)
        if scanned is None:
            scanned = itertools.islice(((term.decode("utf-8") if isinstance(term, bytes) else term, info.doc_frequency())
                                        for term, info in self.reader.iter_prefix("exact", prefix)), MAX_SCANNED_TERMS)
        found = sorted(((frequency, term) for term, frequency in scanned), reverse=True)
        return [t for _, t in found[:MAX_EXPANSION]]

    def top_terms(self, terms) -> list[str]:
        """The ``MAX_EXPANSION`` most frequent of ``terms`` (scanning a bounded number)."""
        found = []
        for i, term in enumerate(terms):
            if i >= MAX_SCANNED_TERMS:
                break
            found.append((self.reader.doc_frequency("exact", term), term))
        found.sort(reverse=True)
        return [t for _, t in found[:MAX_EXPANSION]]


class ExpansionOr(wq.Or):
    """The terms a prefix or fuzzy word expands to.

    The service's evaluator adds them up sparsely like any OR of terms; where Whoosh's own
    matcher runs this query (the slow reference in tests), the array matcher replaces the
    binary tree of union matchers, which costs seconds for 64 frequent terms (``Polizei*``).
    """

    matcher_type = wq.Or.ARRAY_MATCHER


def text_term(stem: str, weight: float = 1.0, config: RankingConfig = DEFAULT) -> wq.Query:
    """A stem in the title or the body, scored by the better of the two fields (weighted title)."""
    title = wq.Term("title", stem, boost=config.title_weight * weight)
    return either_field(title, wq.Term("body", stem, boost=weight), config)


def either_field(title: wq.Query, body: wq.Query, config: RankingConfig = DEFAULT) -> wq.Query:
    """Title or body: the better field's score (dismax), or both added up."""
    kind = wq.DisjunctionMax if config.title_dismax else wq.Or
    return kind([title, body])


def combine(kind, parts: list) -> wq.Query | None:
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else kind(parts)


def is_plain_words(node: Node | None) -> bool:
    """True for a query of two or more plain words and nothing else (no operators)."""
    return isinstance(node, And) and all(isinstance(i, Word) for i in node.items)
