"""The order of hits as arrays: by score or by date, newest or oldest first, undated last.

Pure numpy over a snapshot's columns (``lease.facets.days``) and a match's scores; the service,
the export and the partial hits take their top documents from here.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from indexer.index.columns import NO_DAY
from indexer.search.results import SearchRequest

UNDATED_LAST = dt.date.max.toordinal() + 1  # oldest first: below every day's key


def by_date(request: SearchRequest, node) -> bool:
    return request.sort != "relevance" or node is None


def top_documents(lease, request: SearchRequest, node, numbers: np.ndarray, scores: np.ndarray,
                  limit: int) -> np.ndarray:
    """Where among ``numbers`` (document numbers, ascending) the first ``limit`` hits stand,
    by score (``scores``, one per number) or date (without recency); ``lease`` is the
    search's snapshot lease."""
    if by_date(request, node):
        key = date_key(lease.facets.days[numbers], request.sort == "date_asc")
    else:
        key = scores
    return top_order(key, limit)


def date_key(days: np.ndarray, oldest_first: bool) -> np.ndarray:
    """A key whose largest values come first: newest (or oldest) first, undated (``NO_DAY``) last."""
    if not oldest_first:
        return days
    return np.where(days > NO_DAY, -days, -UNDATED_LAST)


def top_order(key: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the ``limit`` largest keys, largest first, ties in position order."""
    if len(key) > limit * 4:
        threshold = np.partition(key, len(key) - limit)[len(key) - limit]
        positions = np.flatnonzero(key >= threshold)
    else:
        positions = np.arange(len(key))
    order = np.lexsort((positions, -key[positions]))
    return positions[order][:limit]
