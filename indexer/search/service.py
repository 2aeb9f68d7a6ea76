"""The search service: the only reader of the index. Requests in, plain dataclasses out.

    service = SearchService("index")
    page = service.search(SearchRequest(query="Nordkorea", filters={"country": ("Russland",)}))

Facet counts are disjunctive: each facet is counted with every other filter applied but
not its own, so selecting a second country does not collapse the country list.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from whoosh import query as wq

from indexer.search import ranking

from indexer.index import store
from indexer.errors import BadRequestError, DocumentNotFound
from indexer.facets import ENTITY_FACETS
from indexer.search.evaluator import Evaluator, PostingsCache
from indexer.index.columns import FacetStore
from indexer.search.query import parse_query
from indexer.search.results import (FACET_FIELDS, SORTS, DocumentView, Hit, IndexStats, SearchPage, SearchRequest)
from indexer.index.schema import split_values, to_date
from indexer.settings import setting
from indexer.search.snippets import highlight_paragraphs, make_snippets
from indexer.search.spelling import suggest
from indexer.search.facets import build_facets
from indexer.search.compiler import Compiled, QueryCompiler, is_plain_words

SUGGEST_BELOW = 3  # offer "did you mean" when a query finds fewer hits than this


@dataclass
class _Snapshot:
    """One open view of the index: generation, searcher, facet arrays."""

    generation: Path
    index: object
    searcher: object
    facets: FacetStore
    postings: PostingsCache = field(default_factory=PostingsCache)


class SearchService:
    def __init__(self, index_dir: str | Path):
        self.index_dir = Path(index_dir)
        self._lock = threading.RLock()
        self._snapshot: _Snapshot | None = None

    # --- index access -------------------------------------------------------------------

    def snapshot(self) -> _Snapshot:
        """The current view, reopened when a rebuild switched generations or an add committed."""
        with self._lock:
            generation = store.current_generation(self.index_dir)
            snap = self._snapshot
            if snap is not None and snap.generation == generation and snap.searcher.up_to_date():
                return snap
            generation, ix = store.open_current(self.index_dir)
            searcher = ix.searcher(weighting=ranking.weighting())
            facets = FacetStore.cached(searcher.reader(), generation, searcher.reader().generation())
            self._snapshot = _Snapshot(generation, ix, searcher, facets)
            if snap is not None:
                snap.searcher.close()
            return self._snapshot

    def close(self) -> None:
        """Closes the open index files (``with SearchService(...) as service`` does it too)."""
        with self._lock:
            if self._snapshot is not None:
                self._snapshot.searcher.close()
                self._snapshot = None

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
        node = parse_query(request.query)
        with self._lock:
            snap = self.snapshot()
            run = _Run(snap, request, node)
            page = run.execute()
        return replace(page, took_ms=round((time.perf_counter() - started) * 1000, 2))

    def document(self, doc_id: str, query: str = "") -> DocumentView:
        node = parse_query(query) if query.strip() else None
        with self._lock:
            snap = self.snapshot()
            stored = snap.searcher.document(id=doc_id)
            if stored is None:
                raise DocumentNotFound(f"Kein Dokument mit der ID {doc_id[:80]!r}.")
            stems, words = _Run(snap, SearchRequest(query=query), node).highlight_terms() if node else (set(), set())
        return DocumentView(
            id=stored["id"], title=stored.get("title", ""), date=to_date(stored.get("date")),
            source=stored.get("source", ""), url=stored.get("url", ""), body=stored.get("body", ""),
            body_html=highlight_paragraphs(stored.get("body", ""), stems, words),
            **entity_lists(stored), meta=stored.get("meta") or {},
        )

    def stats(self) -> IndexStats:
        with self._lock:
            snap = self.snapshot()
            reader = snap.searcher.reader()
            days = snap.facets.days[snap.facets.alive]
            dated = days[days > 0]
            info = store.read_build_info(snap.generation)
            return IndexStats(
                documents=reader.doc_count(), terms=sum(1 for _ in reader.all_terms()),
                size_bytes=store.directory_size(snap.generation),
                date_min=_ordinal_date(dated.min()) if len(dated) else None,
                date_max=_ordinal_date(dated.max()) if len(dated) else None,
                undated=int(len(days) - len(dated)), last_build=info.get("at", ""), path=str(self.index_dir),
            )


class _Run:
    """One search against one snapshot."""

    def __init__(self, snap: _Snapshot, request: SearchRequest, node):
        self.snap, self.request, self.node = snap, request, node
        self.facets = snap.facets
        self.notice = ""

    def compiled(self, mode: str = "and") -> Compiled:
        reader = self.snap.searcher.reader()
        return QueryCompiler(reader, self.facets.resolve, mode, self.snap.postings).compile(self.node)

    def highlight_terms(self) -> tuple[set[str], set[str]]:
        compiled = self.compiled()
        return compiled.stems, compiled.words

    def execute(self) -> SearchPage:
        compiled, base = self.match()
        filters = self.filter_masks()
        hits_mask = base.copy()
        for mask in filters.values():
            hits_mask &= mask
        total = int(hits_mask.sum())
        hits = self.rank(compiled, hits_mask, total)
        facets = build_facets(self.facets, self.request, base, filters)
        undated = int(np.count_nonzero(self.facets.years[hits_mask] == 0))
        found = int(base.sum())  # without filters: a misspelling, not a narrow filter, finds little
        suggestion = suggest(self.snap.searcher, self.node, found) if found < SUGGEST_BELOW else None
        size = self.request.page_size
        return SearchPage(
            request=self.request, total=total, hits=hits, facets=facets, suggestion=suggestion,
            page=self.request.page, page_size=size, pages=max(1, math.ceil(total / size)), took_ms=0.0,
            undated=undated, notice=self.notice,
        )

    def match(self):
        """(compiled query, mask of matching documents); scores go to ``self.scores``.

        A question matches documents with some of its words; other plain words are ANDed and
        fall back to OR when AND finds nothing (see ``indexer.search.ranking``).
        """
        if self.node is None:
            self.scores = np.zeros(self.facets.size)
            return Compiled(wq.Every()), self.facets.everything()
        if ranking.is_question(self.node):
            compiled = self.compiled("question")
            base = self.evaluate(compiled)
            self.notice = ranking.QUESTION_NOTICE if base.any() else ""
            return compiled, base
        compiled = self.compiled()
        base = self.evaluate(compiled)
        if not base.any() and is_plain_words(self.node):
            compiled = self.compiled("or")
            base = self.evaluate(compiled)
            if base.any():
                self.notice = "Kein Dokument enthält alle Wörter; gezeigt werden Dokumente mit einigen davon."
        return compiled, base

    def evaluate(self, compiled: Compiled) -> np.ndarray:
        """One vectorised pass: the matching documents' mask, their scores kept for ranking."""
        evaluator = Evaluator(self.snap.searcher, self.facets.alive, self.facets.lengths, self.snap.postings)
        matches = evaluator.evaluate(compiled.ranked)
        self.scores = matches.scores
        return matches.mask

    def filter_masks(self) -> dict[str, np.ndarray]:
        masks = {name: self.facets.filter_mask(name, values) for name, values in self.request.filters.items() if values}
        if self.request.date_from or self.request.date_to:
            masks["date"] = self.facets.date_mask(self.request.date_from, self.request.date_to)
        return masks

    def rank(self, compiled, hits_mask: np.ndarray, total: int) -> list[Hit]:
        """The requested page of hits, by score (ties: index order) or by date, newest first."""
        request = self.request
        first = (request.page - 1) * request.page_size
        if first >= total:
            return []
        by_date = request.sort == "date" or self.node is None
        recency = request.recency_boost and not by_date
        limit = max(first + request.page_size, ranking.RECENCY_WINDOW) if recency else first + request.page_size
        candidates = np.flatnonzero(hits_mask)
        key = self.facets.days[candidates] if by_date else self.scores[candidates]
        top = candidates[top_order(key, limit)]
        scored = [(int(d), float(self.scores[d])) for d in top]
        if recency:
            newest = int(self.facets.days[self.facets.alive].max(initial=0))
            scored = ranking.recency_rescore(scored, self.facets.days, newest)
        hits = []
        for rank, (docnum, score) in enumerate(scored[first:first + request.page_size], start=first + 1):
            stored = self.snap.searcher.stored_fields(docnum)
            snippets = make_snippets(stored.get("body", ""), compiled.stems, compiled.words)
            hits.append(make_hit(stored, score, snippets, rank))
        return hits


def top_order(key: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the ``limit`` largest keys, largest first, ties in position order."""
    if len(key) > limit * 4:
        threshold = np.partition(key, len(key) - limit)[len(key) - limit]
        positions = np.flatnonzero(key >= threshold)
    else:
        positions = np.arange(len(key))
    order = np.lexsort((positions, -key[positions]))
    return positions[order][:limit]


def check_request(request: SearchRequest) -> None:
    """Bounds and names of a request; ``BadRequestError`` with a hint when off."""
    max_size, max_depth = setting("max_page_size"), setting("max_depth")
    if request.page < 1:
        raise BadRequestError(f"Seite {request.page} gibt es nicht.", "Seiten beginnen bei 1.")
    if not 1 <= request.page_size <= max_size:
        raise BadRequestError(f"Seitengröße {request.page_size} außerhalb von 1 bis {max_size}.")
    if request.page * request.page_size > max_depth:
        raise BadRequestError(f"Zu weit geblättert: höchstens die ersten {max_depth} Treffer.",
                              "Die Suche mit Filtern eingrenzen.")
    if request.sort not in SORTS:
        raise BadRequestError(f"Unbekannte Sortierung {request.sort!r}.", f"Möglich: {', '.join(SORTS)}.")
    unknown = set(request.filters) - set(FACET_FIELDS)
    if unknown:
        raise BadRequestError(f"Unbekannter Filter {sorted(unknown)[0]!r}.", f"Möglich: {', '.join(FACET_FIELDS)}.")
    if request.date_from and request.date_to and request.date_from > request.date_to:
        raise BadRequestError("Das Von-Datum liegt nach dem Bis-Datum.", "Die Datumsgrenzen tauschen.")


def _ordinal_date(day) -> dt.date:
    return dt.date.fromordinal(int(day))


def make_hit(stored: dict, score: float, snippets, rank: int) -> Hit:
    return Hit(
        id=stored["id"], title=stored.get("title", ""), date=to_date(stored.get("date")),
        source=stored.get("source", ""), url=stored.get("url", ""), score=round(float(score), 4),
        snippets=snippets, **entity_lists(stored), rank=rank,
    )


def entity_lists(stored: dict) -> dict[str, list[str]]:
    """``{"persons": [...], "countries": [...], "organisations": [...]}`` of a stored document."""
    return {facet.attribute: split_values(stored.get(facet.field)) for facet in ENTITY_FACETS}
