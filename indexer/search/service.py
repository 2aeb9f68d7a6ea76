"""The search service: the only reader of the index. Requests in, plain dataclasses out.

    service = SearchService("index")
    page = service.search(SearchRequest(query="Nordkorea", filters={"country": ("Russland",)}))

Facet counts are disjunctive: each facet is counted with every other filter applied but
not its own, so selecting a second country does not collapse the country list.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import numpy as np
from whoosh import query as wq

from indexer.errors import BadRequestError, DateOrderError, DocumentNotFound
from indexer.facets import ENTITY_FACETS, ENTITY_FIELDS, METADATA_FACETS
from indexer.index import store
from indexer.index.schema import split_values, to_date
from indexer.search import ranking
from indexer.search import words as word_modes
from indexer.search.compiler import Compiled, QueryCompiler
from indexer.search.evaluator import Evaluator
from indexer.search.facets import Scopes, build_facets, filter_flags, filter_masks, undated_among, value_facet, without
from indexer.search.matchset import Match
from indexer.search.mentions import mention_pattern
from indexer.search.query import parse_query, read_query
from indexer.search.ranking import RankingConfig
from indexer.search.ordering import by_date, top_documents
from indexer.search.results import (FACET_FIELDS, SORTS, WORDS, DocumentView, EntityPage, Facet, Hit, IndexStats,
                                    SearchPage, SearchRequest, byline)
from indexer.search.snapshot import Lease, Snapshot
from indexer.search.snippets import highlight_paragraphs, make_snippets
from indexer.settings import setting
from indexer.text.numbers import german_number

OR_NOTICE = word_modes.OR_NOTICE
#: searches that compute at the same time in one process. A search is CPU-bound Python: under
#: the GIL, two at once share one core and thrash it (demo index, 4 waitress threads: 43
#: requests/s and p95 769 ms running side by side, against 88/s and 146 ms one at a time), so
#: one at a time where the GIL is on, unbounded on a free-threaded build. More cores: more
#: processes (``search-web --workers``).
PARALLEL = 1 if getattr(sys, "_is_gil_enabled", lambda: True)() else None


class SearchService:
    """Thread-safe: a lock is held only to take the current snapshot, and each search reads
    with a searcher of its own, so searches can run side by side; ``parallel`` bounds how many
    compute at once (``PARALLEL``: one under the GIL; None: no bound).

    ``ranking`` configures scoring for this service alone (``RankingConfig(k1=0.9)``).
    """

    def __init__(self, index_dir: str | Path, ranking: RankingConfig = ranking.DEFAULT,
                 parallel: int | None = PARALLEL):
        self.index_dir = Path(index_dir)
        self.ranking = ranking
        self._lock = threading.Lock()
        self._live: Snapshot | None = None
        self._slots = threading.BoundedSemaphore(parallel) if parallel else contextlib.nullcontext()

    # --- index access -------------------------------------------------------------------

    def check(self) -> None:
        """Opens the index now: ``IndexNotFound`` or ``IndexFormatError`` (with a hint) if it is not usable."""
        with self._reading():
            pass

    def warm(self) -> None:
        """Opens the index and fills now what a process's first searches would fill: the compound
        dictionary, the entity facets' value lookups. For a server at start (``search-web``); the
        CLI does not call it, its one search loads what it needs."""
        from indexer.text.compounds import dictionary

        with self._reading() as lease:
            lease.facets.warm()
        dictionary().build()

    def _snapshot(self) -> Snapshot:
        """The current view, reopened when a rebuild switched generations or an add committed
        (``self._lock`` held). The one it replaces closes when its last search ends."""
        generation = store.current_generation(self.index_dir)
        live = self._live
        if live is not None and live.is_current(generation):
            return live
        self._live = Snapshot.open(self.index_dir, ranking.weighting(self.ranking))
        if live is not None:
            live.retire()
        return self._live

    @contextlib.contextmanager
    def _reading(self):
        """A lease on the current snapshot for one search: its own searcher, the shared arrays."""
        with self._slots, self.pinned() as snap, snap.lease() as lease:
            yield lease

    @contextlib.contextmanager
    def pinned(self):
        """The current snapshot, kept open until the ``with`` ends even if a rebuild or an add
        replaces it: for a read in steps (``export``), each step in ``leased(snapshot)``."""
        with self._lock:
            snap = self._snapshot()
            snap.enter()
        try:
            yield snap
        finally:
            snap.leave()

    @contextlib.contextmanager
    def leased(self, snap: Snapshot):
        """One step of a read on a pinned snapshot: a computing slot and a searcher of its own."""
        with self._slots, snap.lease() as lease:
            yield lease

    def close(self) -> None:
        """Closes the open index files once running searches end (``with SearchService(...)`` too)."""
        with self._lock:
            live, self._live = self._live, None
        if live is not None:
            live.retire()

    def __enter__(self) -> "SearchService":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:  # a service dropped without close() still releases its files
        if hasattr(self, "_lock"):
            self.close()

    # --- search -------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchPage:
        started = time.perf_counter()
        check_request(request)
        node, notice = read_query(request.query)
        with self._reading() as lease:
            page = execute(lease, request, node, self.ranking)
        return replace(page, query_notice=notice, took_ms=round((time.perf_counter() - started) * 1000, 2))

    def facet(self, request: SearchRequest, name: str) -> Facet:
        """One entity facet of the page ``request`` asks for, without the hits: the values for
        the facet's filter box (``request.facet_find``), searched among all its values."""
        check_request(request)
        if name not in FACET_FIELDS:
            raise BadRequestError(f"Unbekannte Facette {name[:40]!r}.", f"Möglich: {', '.join(FACET_FIELDS)}.")
        node = parse_query(request.query)
        with self._reading() as lease:
            found = match(lease, node, self.ranking, request.words)
            filters = filter_masks(lease.facets, request)
            return value_facet(lease.facets, name, request, without(filters, name, found.mask))

    def export(self, request: SearchRequest, limit: int | None = None) -> Iterator[Hit]:
        """All hits of ``request`` in its order (not one page), at most ``limit`` (default and
        bound: the ``export_max_rows`` setting), read in batches: memory stays flat however
        many rows. A bad request raises here, before the first hit (``indexer.search.export``)."""
        from indexer.search.export import export_hits

        return export_hits(self, request, limit)

    def entity(self, facet: str, value: str, request: SearchRequest = SearchRequest(),
               min_count: int | None = None) -> EntityPage:
        """One facet value's page among the documents ``request`` selects (``indexer.search.entity``):
        count, timeline, related values (``min_count`` shared documents; default: the setting
        ``related_min_count``), top hits. ``EntityNotFound`` with the closest values when unknown."""
        from indexer.search.entity import entity_page  # builds on this module's steps

        started = time.perf_counter()
        check_request(request)
        node = parse_query(request.query)
        count = setting("related_min_count") if min_count is None else min_count
        with self._reading() as lease:
            page = entity_page(lease, request, node, facet, value, self.ranking, count)
        return replace(page, took_ms=round((time.perf_counter() - started) * 1000, 2))

    def document(self, doc_id: str, query: str = "", filters: dict[str, tuple[str, ...]] | None = None) -> DocumentView:
        """One document with the query's words and the entities of the query and ``filters`` marked."""
        node = parse_query(query) if query.strip() else None
        with self._reading() as lease:
            stored = lease.searcher.document(id=doc_id)
            if stored is None:
                raise DocumentNotFound(f"Kein Dokument mit der ID {doc_id[:80]!r}.")
            compiled = compile_query(lease, node, self.ranking) if node is not None else Compiled(wq.NullQuery)
            mentions = entity_mentions(lease, compiled, filters or {})
        return DocumentView(
            id=stored["id"], title=stored.get("title", ""), date=to_date(stored.get("date")),
            url=stored.get("url", ""), body=stored.get("body", ""),
            paragraphs=highlight_paragraphs(stored.get("body", ""), compiled.stems, compiled.words, mentions),
            **facet_values(stored), meta=stored.get("meta") or {},
        )

    def stats(self) -> IndexStats:
        with self._reading() as lease:
            reader = lease.searcher.reader()
            days = lease.facets.days[lease.facets.alive]
            dated = days[days > 0]
            info = store.read_build_info(lease.generation)
            return IndexStats(
                documents=reader.doc_count(), terms=sum(1 for _ in reader.all_terms()),
                size_bytes=store.directory_size(lease.generation),
                date_min=_ordinal_date(dated.min()) if len(dated) else None,
                date_max=_ordinal_date(dated.max()) if len(dated) else None,
                undated=int(len(days) - len(dated)), last_build=info.get("at", ""), path=str(self.index_dir),
            )


# --- one search: pure steps on one lease, each returning what the next one needs -------


def execute(lease: Lease, request: SearchRequest, node, config: RankingConfig) -> SearchPage:
    """The page ``request`` asks for; a query that finds nothing runs its spelling correction instead."""
    from indexer.search.fallbacks import partial_hits, suggestion_for  # they search through this module

    found = match(lease, node, config, request.words)
    suggestion = suggestion_for(lease, request, node, found.strict, config)
    if suggestion and found.strict == 0 and request.autocorrect:
        node = parse_query(suggestion)
        found = match(lease, node, config, request.words)
        page = build_page(lease, replace(request, query=suggestion), node, found, config, partial_hits)
        return replace(page, request=request, corrected_query=suggestion)
    return replace(build_page(lease, request, node, found, config, partial_hits), suggestion=suggestion)


def build_page(lease: Lease, request: SearchRequest, node, found: Match, config: RankingConfig, partial) -> SearchPage:
    """Filter, rank, facets and (``partial``) the documents with most of the words of what ``node`` matched."""
    scopes = scopes_of(lease, request, found)
    numbers, scores = scopes.hits()  # once: the ranking and the facets share them
    total = len(numbers)
    mentions = entity_mentions(lease, found.compiled, request.filters)
    hits = rank(lease, request, node, found.compiled, numbers, scores, config, mentions)
    facets = build_facets(lease.facets, request, scopes)
    undated = undated_among(lease.facets, numbers)
    size = request.page_size
    return SearchPage(
        request=request, total=total, hits=hits, facets=facets, suggestion=None,
        page=request.page, page_size=size, pages=max(1, math.ceil(total / size)), took_ms=0.0,
        undated=undated, notice=found.notice, words=found.words, unfiltered=len(found.ids),
        partial_hits=partial(lease, request, node, found, total, config, mentions),
    )


def scopes_of(lease: Lease, request: SearchRequest, found: Match) -> Scopes:
    """The hits and each facet's documents: what ``found`` matches, narrowed by the filters."""
    dense = found.dense[0] if found.dense is not None else None
    return Scopes(found.ids, found.ranked, filter_flags(lease.facets, request, found.ids), dense)


def compile_query(lease: Lease, node, config: RankingConfig, mode: str = "and") -> Compiled:
    return QueryCompiler(lease.searcher.reader(), lease.facets.resolve, mode, lease.postings, config,
                         lease.files).compile(node)


def entity_mentions(lease: Lease, compiled: Compiled, filters: dict[str, tuple[str, ...]]):
    """The pattern of the searched entities' mentions (query fields and filters), or None.

    ``person:Scholz`` and ``filters={"person": ("Scholz",)}`` both mark ``Olaf Scholz``'s mentions.
    """
    entities = set(compiled.entities)
    for name, values in filters.items():
        if name in ENTITY_FIELDS:
            entities.update((name, stored) for value in values for stored in lease.facets.resolve(name, value))
    return mention_pattern(tuple(sorted(entities))) if entities else None


def match(lease: Lease, node, config: RankingConfig, words: str | None = None) -> Match:
    """The documents ``node`` matches and their scores.

    A question matches documents with some of its words; other plain words are ANDed and
    fall back to OR when AND finds nothing (``Nordkorea Bananen``: either word, with a notice).
    ``words`` ("all" or "any") overrides both for plain words.
    """
    if node is None:
        everything, size = lease.facets.everything(), lease.facets.size  # the whole archive: dense from the start
        ids = np.flatnonzero(everything)
        return Match(Compiled(wq.Every()), ids, np.zeros(len(ids)), size, strict=len(ids),
                     dense=(everything, np.zeros(size)))
    mode = word_modes.compile_mode(node, words, config)
    found = evaluate(lease, compile_query(lease, node, config, mode))
    choice = word_modes.words_of(mode) if word_modes.has_choice(node, config) else ""
    found = replace(found, words=choice, strict=len(found.ids))
    if mode == "question" and words is None and found.strict:
        return replace(found, notice=ranking.QUESTION_NOTICE)
    if found.strict or mode != "and" or words is not None or choice != "all":
        return found
    anyword = evaluate(lease, compile_query(lease, node, config, "or"))
    return replace(anyword, notice=OR_NOTICE, words="any") if len(anyword.ids) else found


def evaluate(lease: Lease, compiled: Compiled) -> Match:
    """One vectorised pass: the matching documents' mask and their scores."""
    facets = lease.facets
    evaluator = Evaluator(lease.searcher, facets.alive, facets.lengths, lease.postings, facets.days,
                          files=lease.files)
    ids, scores, dense = evaluator.matching(compiled.ranked)
    return Match(compiled, ids, scores, facets.size,
                 dense=(dense.mask, dense.scores) if dense is not None else None)


def rank(lease: Lease, request: SearchRequest, node, compiled: Compiled, numbers: np.ndarray, scores: np.ndarray,
         config: RankingConfig, mentions=None) -> list[Hit]:
    """The requested page of hits, by score (ties: index order) or by date, newest or oldest
    first (undated documents last either way); ``numbers``: the hits' document numbers,
    ascending, ``scores`` theirs."""
    first = (request.page - 1) * request.page_size
    if first >= len(numbers):
        return []
    scored = ordered(lease, request, node, numbers, scores, first + request.page_size, config)
    hits = []
    for position, (docnum, score) in enumerate(scored[first:first + request.page_size], start=first + 1):
        hits.append(read_hit(lease, compiled, docnum, score, position, mentions))
    return hits


def ordered(lease: Lease, request: SearchRequest, node, numbers: np.ndarray, scores: np.ndarray, limit: int,
            config: RankingConfig) -> list[tuple[int, float]]:
    """The first ``limit`` of the documents ``numbers`` (scored ``scores``) in the request's
    order as (document number, score)."""
    recency = request.recency_boost and not by_date(request, node)
    top = top_documents(lease, request, node, numbers, scores,
                        max(limit, ranking.RECENCY_WINDOW) if recency else limit)
    scored = [(int(numbers[i]), float(scores[i])) for i in top]
    if recency:
        scored = ranking.recency_rescore(scored, lease.facets.days, lease.facets.newest_day(), config)
    return scored[:limit]


def read_hit(lease: Lease, compiled: Compiled, docnum: int, score: float, position: int, mentions=None) -> Hit:
    """One hit from its stored fields, with its snippets."""
    stored = lease.searcher.stored_fields(docnum)
    snippets = make_snippets(stored.get("body", ""), compiled.stems, compiled.words, mentions=mentions)
    return make_hit(stored, score, snippets, position)


def check_request(request: SearchRequest) -> None:
    """Bounds and names of a request; ``BadRequestError`` with a hint when off."""
    max_size, max_depth = setting("max_page_size"), setting("max_depth")
    if request.page < 1:
        raise BadRequestError(f"Seite {request.page} gibt es nicht.", "Seiten beginnen bei 1.")
    if not 1 <= request.page_size <= max_size:
        raise BadRequestError(f"Seitengröße {request.page_size} außerhalb von 1 bis {max_size}.")
    if request.page * request.page_size > max_depth:
        raise BadRequestError(f"Zu weit geblättert: höchstens die ersten {german_number(max_depth)} Treffer.",
                              "Die Suche mit Filtern eingrenzen.")
    if request.sort not in SORTS:
        raise BadRequestError(f"Unbekannte Sortierung {request.sort!r}.", f"Möglich: {', '.join(SORTS)}.")
    unknown = (set(request.filters) | set(request.facet_find)) - set(FACET_FIELDS)
    if unknown:
        raise BadRequestError(f"Unbekannter Filter {sorted(unknown)[0]!r}.", f"Möglich: {', '.join(FACET_FIELDS)}.")
    if request.words not in (None, *WORDS):
        raise BadRequestError(f"Unbekannte Wortverknüpfung {request.words!r}.", f"Möglich: {', '.join(WORDS)}.")
    if request.date_from and request.date_to and request.date_from > request.date_to:
        raise DateOrderError(request.date_from, request.date_to)


def _ordinal_date(day) -> dt.date:
    return dt.date.fromordinal(int(day))


def make_hit(stored: dict, score: float, snippets, rank: int) -> Hit:
    return Hit(
        id=stored["id"], title=stored.get("title", ""), date=to_date(stored.get("date")),
        url=stored.get("url", ""), score=round(float(score), 4), snippets=snippets, **facet_values(stored), rank=rank,
    )


def facet_values(stored: dict) -> dict:
    """A stored document's facet values by attribute, and its byline: lists for the entity
    facets (``"persons": [...]``), one string for each metadata facet (``"party": "SPD"``, "" if none)."""
    values: dict = {facet.attribute: split_values(stored.get(facet.field)) for facet in ENTITY_FACETS}
    values.update({facet.attribute: stored.get(facet.field, "") for facet in METADATA_FACETS})
    return {**values, "byline": byline(values["speaker"], values["party"])}
