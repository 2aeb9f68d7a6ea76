"""Whoosh's postings decoded into numpy arrays, a block at a time: the one place that knows
how the ``whoosh3`` codec lays a term's postings out. The search reads a segment this way
when it has no postings file; the writer derives the postings files this way
(``indexer.index.postfiles``), so both give the same numbers."""

from __future__ import annotations

import itertools
import pickle

import numpy as np
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound


def raw_matcher(leaf, field: str, text):
    """The segment's posting matcher of the term, deleted documents included (the live
    mask handles them), or None when the segment lacks the term."""
    try:
        matcher = leaf.postings(field, text)
    except TermNotFound:
        return None
    while isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    return matcher


def read_term(matcher, with_positions: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """All of a leaf posting matcher's (ids, weights) in one pass over its blocks, and for a
    ``Positions`` field (``with_positions``) its sorted, distinct ``doc << 32 | position``
    keys (distinct: a word and its compound part may share a position), else None."""
    ids, weights, keys = [np.zeros(0, dtype=np.int64)], [np.zeros(0)], [np.zeros(0, dtype=np.int64)]
    while matcher.is_active():
        block_ids, block_weights, values = block(matcher)
        ids.append(block_ids)
        weights.append(block_weights)
        if with_positions:
            keys.append(position_keys(block_ids, values))
        matcher._next_block()
    found = distinct_sorted(np.concatenate(keys)) if with_positions else None
    return np.concatenate(ids), np.concatenate(weights), found


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


def distinct_sorted(keys: np.ndarray) -> np.ndarray:
    """The distinct values of ``keys``, sorted in place by one sort (``np.unique`` imports
    ``numpy.ma`` on its first call: 10-25 ms of a process's first phrase search)."""
    keys.sort()
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if len(keys) else keys
