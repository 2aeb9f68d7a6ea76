"""Sets of documents as sorted arrays of distinct document numbers, each with a score: the
sparse side of the evaluator, and ``Matches``, a clause's result in either form.

A dense array per term or clause costs the archive's size: at 300k documents a phrase that
matches 150 of them spent most of its time allocating, scattering and multiplying arrays of
300k scores. On sorted arrays the same steps cost the matches: membership is a binary search,
an intersection searches the smaller set in the larger, a union is one stable sort of runs
that are already sorted (timsort merges them in linear time).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_SCORES = np.zeros(0)


def places(ids: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``wanted``: whether ``ids`` holds it, and where (an index into ``ids``,
    meaningless where it does not)."""
    if not len(ids):
        return np.zeros(len(wanted), dtype=bool), np.zeros(len(wanted), dtype=np.intp)
    at = np.searchsorted(ids, wanted)
    at[at == len(ids)] = len(ids) - 1
    return ids[at] == wanted, at


def marked(ids: np.ndarray, top: int) -> np.ndarray:
    """A flag per number up to ``top``, set for ``ids``."""
    marks = np.zeros(top + 1, dtype=bool)
    marks[ids] = True
    return marks


def by_marks(ids: np.ndarray, wanted: np.ndarray) -> int | None:
    """The largest number of both sets if a flag array beats binary searches for looking up
    ``wanted`` in ``ids`` (document numbers, and many of them), else None.

    Binary searches cost ``len(wanted)`` times about 16 scattered reads; flags cost a read
    and a write per element of either set and zeroing the flags."""
    if not len(ids) or not len(wanted) or min(ids[0], wanted[0]) < 0:  # a phrase's shifted keys may be
        return None
    top = int(max(ids[-1], wanted[-1]))
    return top if top < MARKS_UP_TO and len(wanted) * 16 > len(ids) + len(wanted) + top // 64 else None


MARKS_UP_TO = 1 << 28  # document numbers; never ``doc << 32 | position`` keys


def member(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Whether each of ``wanted`` (sorted) is in ``ids``."""
    top = by_marks(ids, wanted)
    return marked(ids, top)[wanted] if top is not None else places(ids, wanted)[0]


def common(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indexes into ``a`` and into ``b`` of the elements both hold, in ascending order."""
    if len(a) > len(b):
        in_b, in_a = common(b, a)
        return in_a, in_b
    top = by_marks(b, a)
    if top is not None:  # both sides' common elements, each in ascending order: they pair up
        return np.flatnonzero(marked(b, top)[a]), np.flatnonzero(marked(a, top)[b])
    found, at = places(b, a)
    return np.flatnonzero(found), at[found]


class Lookup:
    """The values of several sets at the same documents ``wanted`` (sorted), among ``size``:
    a set far larger than them is searched for each (binary searches), any other set's own
    documents are read against one flag per document of the index, set for ``wanted`` once
    for all the sets. Matching both ways with two flag arrays per set (``common``) cost an
    optional clause's four words at 300k documents 1.7 ms."""

    def __init__(self, wanted: np.ndarray, size: int):
        self.wanted, self.size = wanted, size
        self._marks: np.ndarray | None = None

    def values(self, ids: np.ndarray, values: np.ndarray) -> np.ndarray:
        """The value of each wanted document in the set ``ids`` (sorted), 0 where it has none."""
        return self.found(ids, values)[1]

    def found(self, ids: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Whether the set ``ids`` (sorted) holds each wanted document, and its value there (0 where not)."""
        held, out = np.zeros(len(self.wanted), dtype=bool), np.zeros(len(self.wanted))
        if not len(ids) or not len(self.wanted):
            return held, out
        if len(self.wanted) * np.log2(len(ids)) * SEARCH_SHARE < len(ids):
            held, at = places(ids, self.wanted)
            out[held] = values[at[held]]
            return held, out
        present = np.flatnonzero(self.marks().take(ids))  # ``take``: int32 numbers index twice as fast
        at = np.searchsorted(self.wanted, ids[present])
        held[at] = True
        out[at] = values[present]
        return held, out

    def marks(self) -> np.ndarray:
        if self._marks is None:
            self._marks = marked(self.wanted, self.size)
        return self._marks


#: a set is searched for the wanted documents when their binary searches (steps: wanted times
#: log2 of the set) are fewer than its size / this (measured at 300k documents, caches cold:
#: 500 wanted in 50k: 181 us searched, 273 read against flags; 5,000 in 50k: 414 against 230)
SEARCH_SHARE = 3


def merged(parts: list[tuple[np.ndarray, np.ndarray]], max_of: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The union of ``(ids, scores)`` sets: each document once, with the sum of its scores
    (added in the parts' order, as one part after the other) or their maximum (at least 0,
    as a maximum over a dense array of zeros)."""
    ids = np.concatenate([p[0] for p in parts]) if parts else EMPTY_IDS
    if not len(ids):
        return EMPTY_IDS, EMPTY_SCORES
    scores = np.concatenate([p[1] for p in parts])
    order = np.argsort(ids, kind="stable")  # runs already sorted: a merge, and the parts' order kept
    ids, scores = ids[order], scores[order]
    first = np.concatenate(([True], ids[1:] != ids[:-1]))
    if max_of:
        return ids[first], np.maximum(np.maximum.reduceat(scores, np.flatnonzero(first)), 0.0)
    return ids[first], np.bincount(np.cumsum(first) - 1, weights=scores)


def distinct(keys: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array."""
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if len(keys) else keys


def of_documents(keys: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """The ``doc << 32 | position`` keys (sorted) that belong to ``docs`` (sorted), in order:
    for a few documents, two binary searches each instead of a pass over all the keys."""
    if not len(keys) or not len(docs):
        return keys[:0]
    if len(docs) * 32 > len(keys) and keys[0] >= 0:
        owners = keys >> 32
        return keys[marked(docs, int(max(owners[-1], docs[-1])))[owners]]
    docs = docs.astype(np.int64)
    low = np.searchsorted(keys, docs << 32)
    counts = np.searchsorted(keys, (docs + 1) << 32) - low
    total = int(counts.sum())
    offsets = np.repeat(low - (np.cumsum(counts) - counts), counts)
    return keys[offsets + np.arange(total)]


@dataclass
class Matches:
    """Documents a query matches and their scores, in one of two forms. Dense: ``mask`` over
    all documents and ``scores`` one per document (0 where not matched). Sparse: ``ids``, the
    sorted distinct document numbers, and ``scores`` theirs (arrays that may be shared with
    the postings cache: never changed in place)."""

    mask: np.ndarray | None
    scores: np.ndarray
    ids: np.ndarray | None = None

    @classmethod
    def sparse(cls, ids: np.ndarray, scores: np.ndarray) -> Matches:
        return cls(None, scores, ids)

    @property
    def is_sparse(self) -> bool:
        return self.ids is not None


def boosted(matches: Matches, boost: float) -> Matches:
    """``zeroed`` for a dense match; a sparse one's scores times ``boost`` (a new array)."""
    if not matches.is_sparse:
        return zeroed(matches, boost)
    return Matches.sparse(matches.ids, matches.scores * boost) if boost != 1 else matches


def zeroed(matches: Matches, boost: float) -> Matches:
    """Scores times ``boost`` where matched, 0 elsewhere, in place (a dense array of the
    whole index costs a pass: no ``np.where`` copies, no multiplication by 1)."""
    matches.scores *= matches.mask
    if boost != 1:
        matches.scores *= boost
    return matches
