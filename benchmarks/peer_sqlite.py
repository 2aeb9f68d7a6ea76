"""SQLite FTS5 (stdlib ``sqlite3``) as a benchmark peer.

FTS5 has no German stemmer, so words are stemmed in Python with ``snowballstemmer``
(German) before insertion, and the query's words the same way. The FTS5 table holds the
stemmed title, text and the source (``unicode61`` tokenizer, ``bm25`` rank with title
weight 2 set as the table's ``rank``); a plain table ``docs`` (same rowid) holds id,
title, group and year with B-tree indexes on group and year. Query: the product's query
tree in FTS5 syntax (``AND``/``OR``/``NOT``, ``"phrase"``, ``"prefix"*``, ``title : x``).
Facets: ``GROUP BY`` over the matching rowids joined with ``docs`` (one statement per
facet, with the other facet's filter). Snippets: FTS5 ``snippet()``, which shows the
stored (stemmed) words.
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

import snowballstemmer

from benchmarks.engine import (TOP, Built, Outcome, active_filters, directory_size, facet_passes, fold,
                               prefix_text, records)
from benchmarks.queries import BenchQuery
from indexer.search.query import And, FieldMatch, Fuzzy, Not, Or, Phrase, Prefix, Word, parse_query

WORD = re.compile(r"\w+")
TEXT_COLUMNS = "{title text}"
COLUMNS = {"group": "d.grp", "year": "d.year"}
SCHEMA = """
CREATE TABLE docs(rowid INTEGER PRIMARY KEY, id TEXT, title TEXT, grp TEXT, year INTEGER);
CREATE VIRTUAL TABLE fts USING fts5(title, text, source, tokenize = 'unicode61');
INSERT INTO fts(fts, rank) VALUES('rank', 'bm25(2.0, 1.0, 0.0)');
"""


class Stemmer:
    """Snowball German over ``\\w+`` words, with a cache of word -> stem."""

    def __init__(self):
        self.stemmer = snowballstemmer.stemmer("german")
        self.cache: dict[str, str] = {}

    def words(self, text: str) -> list[str]:
        cache, out = self.cache, []
        for word in WORD.findall(text.lower()):
            stem = cache.get(word)
            if stem is None:
                stem = cache[word] = self.stemmer.stemWord(word)
            out.append(stem)
        return out

    def text(self, text: str) -> str:
        return " ".join(self.words(text))


def phrase(words: list[str]) -> str:
    return '"' + " ".join(words) + '"'


class FtsQuery:
    """The product's query tree in FTS5 syntax, words stemmed."""

    def __init__(self, stemmer: Stemmer):
        self.stemmer = stemmer

    def render(self, node) -> str:
        if isinstance(node, (Word, Fuzzy, Phrase)):
            return f"{TEXT_COLUMNS} : {phrase(self.stemmer.words(node.text))}"
        if isinstance(node, Prefix):
            return f'{TEXT_COLUMNS} : "{prefix_text(node.text)}"*'
        if isinstance(node, FieldMatch):
            words = self.stemmer.words(node.value) if node.field == "title" else WORD.findall(fold(node.value))
            return f"{node.field} : {phrase(words)}"
        if isinstance(node, Or):
            return "(" + " OR ".join(self.render(i) for i in node.items) + ")"
        if isinstance(node, And):
            text = "(" + " AND ".join(self.render(i) for i in node.items if not isinstance(i, Not)) + ")"
            for item in (i for i in node.items if isinstance(i, Not)):
                text = f"({text} NOT {self.render(item.item)})"
            return text
        raise ValueError(f"not translatable for FTS5: {node!r}")


class SqliteEngine:
    name = "sqlite"

    def __init__(self):
        self.db: sqlite3.Connection | None = None
        self.stemmer = Stemmer()

    def build(self, corpus: Path, directory: Path) -> Built:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "fts.sqlite"
        path.unlink(missing_ok=True)
        started = time.perf_counter()
        db = sqlite3.connect(path)
        db.executescript(SCHEMA)
        count = 0
        with db:
            for rowid, record in enumerate(records(corpus), start=1):
                self.insert(db, rowid, record)
                count = rowid
        db.executescript("CREATE INDEX docs_grp ON docs(grp); CREATE INDEX docs_year ON docs(year);"
                         "INSERT INTO fts(fts) VALUES('optimize');")
        db.close()
        seconds = time.perf_counter() - started
        self.db = sqlite3.connect(path, check_same_thread=False)
        return Built(count, seconds, directory_size(path))

    def open(self, directory: Path) -> None:
        self.db = sqlite3.connect(directory / "fts.sqlite", check_same_thread=False)

    def insert(self, db, rowid: int, record: dict) -> None:
        db.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
                   (rowid, record["id"], record["title"], record["group"], record["year"]))
        db.execute("INSERT INTO fts(rowid, title, text, source) VALUES (?, ?, ?, ?)",
                   (rowid, self.stemmer.text(record["title"]), self.stemmer.text(record["text"]),
                    fold(record["source"])))

    @staticmethod
    def where(filters: tuple) -> tuple[str, list]:
        clauses = "".join(f" AND {COLUMNS[name]} = ?" for name, _ in filters)
        return clauses, [value for _, value in filters]

    def search(self, query: BenchQuery, facets: bool) -> Outcome:
        match = FtsQuery(self.stemmer).render(parse_query(query.text))
        filters = active_filters(query)
        extra, params = self.where(filters)
        join = "FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ?" + extra
        rows = self.db.execute(
            f"SELECT d.id, d.title, snippet(fts, 1, '<mark>', '</mark>', '…', 24) {join} ORDER BY rank LIMIT {TOP}",
            [match, *params]).fetchall()
        total = self.db.execute(f"SELECT count(*) {join}" if filters else "SELECT count(*) FROM fts WHERE fts MATCH ?",
                                [match, *params]).fetchone()[0]
        counted = {}
        for pass_filters, names in (facet_passes(query) if facets else {}).items():
            for name in names:
                counted[name] = self.count(match, pass_filters, name)
        return Outcome(total, [tuple(r) for r in rows], counted)

    def count(self, match: str, filters: tuple, name: str) -> dict[str, int]:
        extra, params = self.where(filters)
        column = COLUMNS[name]
        limit = f" ORDER BY n DESC LIMIT {TOP}" if name == "group" else ""
        rows = self.db.execute(
            f"SELECT {column}, count(*) AS n FROM fts JOIN docs d ON d.rowid = fts.rowid "
            f"WHERE fts MATCH ?{extra} GROUP BY {column}{limit}", [match, *params]).fetchall()
        return {str(value): n for value, n in rows}

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
