"""Xapian (``xapian-bindings-binary``) as a benchmark peer.

Index: ``TermGenerator`` with the German Snowball stemmer and ``STEM_ALL``; the title is
indexed twice (prefix ``S`` for ``title:`` and unprefixed with wdf 2 as a boost), the
text unprefixed; boolean terms ``XS`` source, ``XG`` group, ``XY`` year; values 0 (group)
and 1 (year) for facets; the document data holds id, title and text for snippets.
Query: the product's query tree rendered in Xapian's query syntax and parsed by
``QueryParser`` (STEM_ALL, default AND, wildcards limited to the 64 most frequent
expansions as in the product); filters are ``OP_FILTER`` boolean terms. Facets:
``ValueCountMatchSpy`` per value slot, with ``checkatleast`` = all documents so counts
and totals are exact (one extra ``get_mset(0, 0)`` per disjunctive pass with filters).
Snippets: ``MSet.snippet``.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from benchmarks.engine import (SNIPPET_CHARS, TOP, Built, EngineMissing, Outcome, active_filters, directory_size,
                               facet_passes, prefix_text, records)
from benchmarks.queries import BenchQuery
from indexer.search.query import And, FieldMatch, Fuzzy, Not, Or, Phrase, Prefix, Word, parse_query

try:
    import xapian
except ImportError:  # pragma: no cover - depends on the bench extra
    xapian = None

SLOTS = {"group": 0, "year": 1}
FILTER_PREFIX = {"group": "XG", "year": "XY"}
MAX_EXPANSION = 64


def to_xapian(node) -> str:
    """The query tree in Xapian's query-parser syntax."""
    if isinstance(node, (Word, Fuzzy)):
        return node.text
    if isinstance(node, Phrase):
        return f'"{node.text}"'
    if isinstance(node, Prefix):
        return f"{prefix_text(node.text)}*"
    if isinstance(node, FieldMatch):
        value = node.value.lower() if node.field == "source" else node.value
        return f'{node.field}:"{value}"' if " " in value else f"{node.field}:{value}"
    if isinstance(node, Or):
        return "(" + " OR ".join(to_xapian(i) for i in node.items) + ")"
    if isinstance(node, And):
        positive = " AND ".join(to_xapian(i) for i in node.items if not isinstance(i, Not))
        negative = "".join(f" AND NOT {to_xapian(i.item)}" for i in node.items if isinstance(i, Not))
        return f"({positive}{negative})"
    raise ValueError(f"not translatable for Xapian: {node!r}")


class XapianEngine:
    name = "xapian"

    def __init__(self):
        if xapian is None:
            raise EngineMissing("xapian not installed (pip install -e '.[bench]': xapian-bindings-binary)")
        self.db = None
        self.stemmer = xapian.Stem("german")

    def build(self, corpus: Path, directory: Path) -> Built:
        shutil.rmtree(directory, ignore_errors=True)
        directory.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        db = xapian.WritableDatabase(str(directory), xapian.DB_CREATE_OR_OVERWRITE)
        generator = xapian.TermGenerator()
        generator.set_stemmer(self.stemmer)
        generator.set_stemming_strategy(xapian.TermGenerator.STEM_ALL)
        count = 0
        for record in records(corpus):
            db.add_document(self.document(generator, record))
            count += 1
        db.commit()
        db.close()
        seconds = time.perf_counter() - started
        self.db = xapian.Database(str(directory))
        return Built(count, seconds, directory_size(directory))

    def open(self, directory: Path) -> None:
        self.db = xapian.Database(str(directory))

    def document(self, generator, record: dict):
        doc = xapian.Document()
        generator.set_document(doc)
        generator.index_text(record["title"], 1, "S")
        generator.index_text(record["title"], 2)
        generator.increase_termpos()
        generator.index_text(record["text"])
        doc.add_boolean_term("XS" + record["source"].lower())
        doc.add_boolean_term("XG" + record["group"])
        doc.add_boolean_term("XY" + str(record["year"]))
        doc.add_value(SLOTS["group"], record["group"])
        doc.add_value(SLOTS["year"], str(record["year"]))
        doc.set_data(json.dumps({"id": record["id"], "title": record["title"], "text": record["text"]},
                                ensure_ascii=False))
        return doc

    def parser(self):
        parser = xapian.QueryParser()
        parser.set_database(self.db)
        parser.set_stemmer(self.stemmer)
        parser.set_stemming_strategy(xapian.QueryParser.STEM_ALL)
        parser.set_default_op(xapian.Query.OP_AND)
        parser.add_prefix("title", "S")
        parser.add_boolean_prefix("source", "XS")
        parser.set_max_expansion(MAX_EXPANSION, xapian.Query.WILDCARD_LIMIT_MOST_FREQUENT)
        return parser

    def query(self, text: str):
        flags = (xapian.QueryParser.FLAG_BOOLEAN | xapian.QueryParser.FLAG_PHRASE | xapian.QueryParser.FLAG_WILDCARD
                 | xapian.QueryParser.FLAG_LOVEHATE | xapian.QueryParser.FLAG_BOOLEAN_ANY_CASE)
        return self.parser().parse_query(to_xapian(parse_query(text)), flags)

    def filtered(self, query, filters: tuple):
        for name, value in filters:
            query = xapian.Query(xapian.Query.OP_FILTER, query, xapian.Query(FILTER_PREFIX[name] + str(value)))
        return query

    def search(self, query: BenchQuery, facets: bool) -> Outcome:
        base = self.query(query.text)
        everything = self.db.get_doccount()
        enquire = xapian.Enquire(self.db)
        enquire.set_query(self.filtered(base, active_filters(query)))
        passes = facet_passes(query) if facets else {}
        spies = {name: xapian.ValueCountMatchSpy(SLOTS[name]) for name in passes.get(active_filters(query), [])}
        for spy in spies.values():
            enquire.add_matchspy(spy)
        mset = enquire.get_mset(0, TOP, everything)
        hits = [self.hit(mset, match) for match in mset]
        counted = {name: self.counts(name, spy) for name, spy in spies.items()}
        for filters, names in passes.items():
            if filters != active_filters(query):
                counted.update(self.count_pass(base, filters, names, everything))
        return Outcome(mset.get_matches_estimated(), hits, counted)

    def hit(self, mset, match) -> tuple[str, str, str]:
        data = json.loads(match.document.get_data())
        snippet = mset.snippet(data["text"], SNIPPET_CHARS, self.stemmer, xapian.MSet.SNIPPET_EXHAUSTIVE,
                               "<mark>", "</mark>", "…")
        return data["id"], data["title"], snippet

    def count_pass(self, base, filters: tuple, names: list[str], everything: int) -> dict:
        enquire = xapian.Enquire(self.db)
        enquire.set_query(self.filtered(base, filters))
        spies = {name: xapian.ValueCountMatchSpy(SLOTS[name]) for name in names}
        for spy in spies.values():
            enquire.add_matchspy(spy)
        enquire.get_mset(0, 0, everything)
        return {name: self.counts(name, spy) for name, spy in spies.items()}

    @staticmethod
    def counts(name: str, spy) -> dict[str, int]:
        items = spy.top_values(TOP) if name == "group" else spy.values()
        return {item.term.decode("utf-8"): item.termfreq for item in items}

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
