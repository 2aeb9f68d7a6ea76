"""Decoded postings of an index snapshot: each term's document numbers and weights, and its
positions as sorted ``doc << 32 | position`` keys, read from Whoosh's segments a block at a
time into numpy arrays. A bounded cache shared by the snapshot's searches keeps the
positions, and what the evaluator makes of the postings (each term's scores, unions of
terms)."""

from __future__ import annotations

import itertools
import pickle
import threading
from collections import OrderedDict

import numpy as np
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from indexer.search import docsets


class PostingsCache:
    """Scores and positions of recently used terms, unions of terms, and prefix expansions, for one
    index snapshot; least recently used entries go first, bounded by the array entries held."""

    def __init__(self, max_postings: int = 4_000_000):
        self.max_postings = max_postings
        self.held = 0
        self.entries: OrderedDict = OrderedDict()
        self.sizes: dict = {}  # key -> the size it was counted with
        self.lock = threading.Lock()

    def get(self, key, load, size=None):
        """``load()`` once per key while it stays cached; its size is ``size(value)``, by default
        the length of its first array. A value larger than a quarter of the bound is not kept."""
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        value = load()
        held = size(value) if size else len(value[0])
        with self.lock:
            if key not in self.entries and held <= self.max_postings // 4:
                self.entries[key] = value
                self.sizes[key] = held
                self.held += held
                while self.held > self.max_postings:
                    evicted, _ = self.entries.popitem(last=False)
                    self.held -= self.sizes.pop(evicted)
        return value


class Postings:
    """A reader's postings and positions over all its segments, through ``cache``."""

    def __init__(self, reader, cache: PostingsCache):
        self.reader = reader
        self.cache = cache

    def read_postings(self, field: str, text) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, term weights) over all segments, read a block at a time (not
        cached: the evaluator caches the scores made of them, with the same numbers)."""
        all_ids, all_weights = [], []
        for matcher, offset in self.leaf_matchers(field, text):
            ids, weights = read_blocks(matcher)
            all_ids.append(ids + offset)
            all_weights.append(weights)
        if not all_ids:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        return np.concatenate(all_ids).astype(np.int32), np.concatenate(all_weights).astype(np.float32)

    def leaf_matchers(self, field: str, text):
        """(raw posting matcher, document number offset) of each segment that has the term."""
        for leaf, offset in self.reader.leaf_readers():
            try:
                matcher = leaf.postings(field, text)
            except TermNotFound:
                continue
            while isinstance(matcher, FilterMatcher):  # deletions: the live mask handles them
                matcher = matcher.child
            yield matcher, offset

    def positions(self, field: str, text) -> np.ndarray:
        """Sorted, distinct ``doc << 32 | position`` keys of the term, cached per snapshot.

        Distinct: a word and its compound part may share a position (``Bundestag``, ``Bund``).
        """
        return self.cache.get(("positions", field, text), lambda: (self.read_positions(field, text),))[0]

    def read_positions(self, field: str, text) -> np.ndarray:
        chunks = [np.zeros(0, dtype=np.int64)]
        for matcher, offset in self.leaf_matchers(field, text):
            while matcher.is_active():
                ids, _, values = block(matcher)
                chunks.append(position_keys(ids + offset, values))
                matcher._next_block()
        return distinct(np.concatenate(chunks))


def read_blocks(matcher) -> tuple[np.ndarray, np.ndarray]:
    """All (ids, weights) of a leaf posting matcher, decoding whole blocks."""
    ids, weights = [], []
    while matcher.is_active():
        block_ids, block_weights, _ = block(matcher)
        ids.append(block_ids)
        weights.append(block_weights)
        matcher._next_block()
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(ids), np.concatenate(weights)


def block(matcher) -> tuple[np.ndarray, np.ndarray, tuple]:
    """The current block of a leaf posting matcher: document numbers, weights and values.

    Whoosh's codec stores a block as one pickled tuple: the numbers as deltas, the weights
    (None when all are 1, one float when all are equal), the values. Its reader sums the
    deltas in a Python generator; numpy sums them here (half the time; the unpickling of the
    block stays the larger part of a first read)."""
    if matcher._data is None:
        matcher._read_data()
    deltas, weights, _ = matcher._data
    ids = np.cumsum(np.array(deltas, dtype=np.int64))
    if weights is None or isinstance(weights, float):
        weights = np.full(len(ids), 1.0 if weights is None else weights, dtype=np.float32)
    matcher._read_values()  # Whoosh's split of fixed-size values (for positions: the tuple as stored)
    return ids, np.asarray(weights, dtype=float), matcher._values


def position_keys(ids: np.ndarray, values) -> np.ndarray:
    """``doc << 32 | position`` for one block of a ``Positions`` field.

    Each value is Whoosh's encoding: a 4-byte count, then a pickled list of position deltas.
    (Joining a block's lists into one pickle saved only 12 % of this: the time is in making
    the ints.)
    """
    deltas = [pickle.loads(v[4:] if v.endswith(b".") else v[4:] + b".") for v in values]
    counts = np.fromiter(map(len, deltas), dtype=np.int64, count=len(deltas))
    flat = np.fromiter(itertools.chain.from_iterable(deltas), dtype=np.int64, count=int(counts.sum()))
    running = np.concatenate(([0], np.cumsum(flat)))
    starts = np.cumsum(counts) - counts  # each posting's first delta in ``flat``
    positions = running[1:] - np.repeat(running[starts], counts)
    return (np.repeat(ids, counts) << 32) | positions


def distinct(keys: np.ndarray) -> np.ndarray:
    """``np.unique`` of an integer array by one sort (``np.unique`` imports ``numpy.ma`` on its first call:
    10-25 ms of a process's first phrase search)."""
    keys.sort()
    return docsets.distinct(keys)
