"""Tantivy (``tantivy`` from PyPI) as a benchmark peer.

Index: title and text with a registered analyser ``de`` (simple tokenizer, lowercase,
German Snowball stemmer), all stored; ``source`` and ``group`` raw (``group`` a fast
field), ``year`` an indexed fast integer. One writer thread, like the product's one
process. Query: leaves of the product's query tree go through ``Index.parse_query``
(title boost 2, conjunction by default), prefixes become ``regex_query`` over the stemmed
terms, and AND/OR/NOT become ``boolean_query``. Facets: ``Searcher.aggregate`` with a
``terms`` aggregation per facet (one call per disjunctive pass). Totals are exact
(``count=True``). Snippets: ``SnippetGenerator``.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from benchmarks.engine import (SNIPPET_CHARS, TOP, Built, EngineMissing, Outcome, active_filters, directory_size,
                               facet_passes, prefix_text, records)
from benchmarks.queries import BenchQuery
from indexer.search.query import And, FieldMatch, Fuzzy, Not, Or, Phrase, Prefix, Word, parse_query

try:
    import tantivy
except ImportError:  # pragma: no cover - depends on the bench extra
    tantivy = None

TEXT_FIELDS = ["title", "text"]
BOOSTS = {"title": 2.0}


def analyser():
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.stemmer("german")).build())


def schema():
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="de")
    builder.add_text_field("text", stored=True, tokenizer_name="de")
    builder.add_text_field("source", tokenizer_name="raw")
    builder.add_text_field("group", stored=True, fast=True, tokenizer_name="raw")
    builder.add_integer_field("year", stored=True, indexed=True, fast=True)
    return builder.build()


class TantivyEngine:
    name = "tantivy"

    def __init__(self):
        if tantivy is None:
            raise EngineMissing("tantivy not installed (pip install -e '.[bench]')")
        self.index = self.searcher = None
        self.schema = None

    def build(self, corpus: Path, directory: Path) -> Built:
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        started = time.perf_counter()
        self.schema = schema()
        self.index = tantivy.Index(self.schema, path=str(directory))
        self.index.register_tokenizer("de", analyser())
        writer = self.index.writer(heap_size=256_000_000, num_threads=1)
        count = 0
        for record in records(corpus):
            writer.add_document(tantivy.Document(
                id=record["id"], title=record["title"], text=record["text"], source=record["source"].lower(),
                group=record["group"], year=record["year"]))
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        seconds = time.perf_counter() - started
        self.index.reload()
        self.searcher = self.index.searcher()
        return Built(count, seconds, directory_size(directory))

    def open(self, directory: Path) -> None:
        self.schema = schema()
        self.index = tantivy.Index.open(str(directory))
        self.index.register_tokenizer("de", analyser())
        self.searcher = self.index.searcher()

    def text_query(self, text: str, fields: list[str]):
        return self.index.parse_query(text, fields, field_boosts=BOOSTS, conjunction_by_default=True)

    def query(self, node):
        """The product's query tree as a tantivy query."""
        occur = tantivy.Occur
        if isinstance(node, (Word, Fuzzy)):
            return self.text_query(node.text, TEXT_FIELDS)
        if isinstance(node, Phrase):
            return self.text_query(f'"{node.text}"', TEXT_FIELDS)
        if isinstance(node, Prefix):
            pattern = prefix_text(node.text) + ".*"
            return tantivy.Query.boolean_query([(occur.Should, tantivy.Query.regex_query(self.schema, f, pattern))
                                                for f in TEXT_FIELDS])
        if isinstance(node, FieldMatch):
            if node.field == "title":
                return self.text_query(node.value, ["title"])
            return tantivy.Query.term_query(self.schema, node.field, node.value.lower())
        if isinstance(node, Or):
            return tantivy.Query.boolean_query([(occur.Should, self.query(i)) for i in node.items])
        if isinstance(node, And):
            return tantivy.Query.boolean_query(
                [(occur.MustNot, self.query(i.item)) if isinstance(i, Not) else (occur.Must, self.query(i))
                 for i in node.items])
        raise ValueError(f"not translatable for tantivy: {node!r}")

    def filtered(self, query, filters: tuple):
        if not filters:
            return query
        clauses = [(tantivy.Occur.Must, query)]
        clauses += [(tantivy.Occur.Must, tantivy.Query.term_query(self.schema, name, value)) for name, value in filters]
        return tantivy.Query.boolean_query(clauses)

    def search(self, query: BenchQuery, facets: bool) -> Outcome:
        base = self.query(parse_query(query.text))
        full = self.filtered(base, active_filters(query))
        result = self.searcher.search(full, TOP, count=True)
        hits = self.hits(full, result.hits)
        counted = {}
        for filters, names in (facet_passes(query) if facets else {}).items():
            counted.update(self.aggregate(self.filtered(base, filters), names))
        return Outcome(result.count, hits, counted)

    def hits(self, query, scored) -> list[tuple[str, str, str]]:
        if not scored:
            return []
        generator = tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "text")
        generator.set_max_num_chars(SNIPPET_CHARS)
        found = []
        for _, address in scored:
            doc = self.searcher.doc(address)
            found.append((doc["id"][0], doc["title"][0], generator.snippet_from_doc(doc).to_html()))
        return found

    def aggregate(self, query, names: list[str]) -> dict:
        spec = {name: {"terms": {"field": name, "size": TOP if name == "group" else 1000}} for name in names}
        result = self.searcher.aggregate(query, spec)
        return {name: {str(b["key"]): b["doc_count"] for b in result[name]["buckets"]} for name in names}

    def close(self) -> None:
        self.searcher = self.index = None
