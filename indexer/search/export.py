"""All hits of a search in its order, as a generator of ``Hit`` read in batches (for exports).

    rows = service.export(SearchRequest(query="Nordkorea", sort="date"), limit=5000)
    for hit in rows: ...

The order (document numbers and scores, a few bytes per hit) is computed at once; the hits'
stored fields and snippets are read ``BATCH`` at a time, each batch under a computing slot
and a searcher of its own, so a slow reader of the rows (a download) holds no slot while it
reads, and memory does not grow with the number of rows. The snapshot stays pinned from
the first batch to the last, so document numbers stay valid while an ``add`` commits.
"""

from __future__ import annotations

from typing import Iterator

import numpy as np

from indexer.errors import BadRequestError
from indexer.search.query import parse_query
from indexer.search.ordering import top_documents
from indexer.search.results import Hit, SearchRequest
from indexer.settings import setting
from indexer.text.numbers import german_number

BATCH = 50  # hits read under one computing slot: ~0.15 s with snippets of a 4-word query, so searches interleave


def export_hits(service, request: SearchRequest, limit: int | None = None) -> Iterator[Hit]:
    """The generator of ``SearchService.export``: checked and ordered before it is returned
    (a bad query or parameter raises here, not after the first row)."""
    from indexer.search.service import check_request

    limit = check_limit(limit)
    check_request(request)
    node = parse_query(request.query)
    rows = _rows(service, request, node, limit)
    next(rows)  # runs up to the first yield: pins the snapshot, compiles and orders
    return rows


def check_limit(limit: int | None) -> int:
    """``limit`` or the ``export_max_rows`` setting; ``BadRequestError`` outside 1 to that setting."""
    most = setting("export_max_rows")
    if limit is None:
        return most
    if not 1 <= limit <= most:
        raise BadRequestError(f"Zeilenzahl {limit} außerhalb von 1 bis {german_number(most)}.",
                              f"Höchstens {german_number(most)} Zeilen pro Export; Filter grenzen die Suche ein.")
    return limit


def _rows(service, request: SearchRequest, node, limit: int):
    from indexer.search import service as steps

    with service.pinned() as snap:
        with service.leased(snap) as lease:
            found = steps.match(lease, node, service.ranking)
            numbers, scores = steps.scopes_of(lease, request, found).hits()
            docnums, scores = order(lease, request, node, numbers, scores, limit, service.ranking)
            mentions = steps.entity_mentions(lease, found.compiled, request.filters)
        yield None  # ready: export_hits returns the generator from here
        for start in range(0, len(docnums), BATCH):
            with service.leased(snap) as lease:
                batch = [steps.read_hit(lease, found.compiled, int(docnums[i]), float(scores[i]), i + 1, mentions)
                         for i in range(start, min(start + BATCH, len(docnums)))]
            yield from batch


def order(lease, request: SearchRequest, node, numbers: np.ndarray, scores: np.ndarray, limit: int, config):
    """Document numbers and scores of the first ``limit`` of the hits ``numbers`` (scored
    ``scores``), as two arrays (16 bytes a row)."""
    from indexer.search import service as steps

    if request.recency_boost:
        scored = steps.ordered(lease, request, node, numbers, scores, limit, config)
        return np.array([d for d, _ in scored], dtype=np.int64), np.array([s for _, s in scored])
    top = top_documents(lease, request, node, numbers, scores, limit)
    return numbers[top], scores[top]
