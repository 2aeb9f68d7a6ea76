"""Decoded postings of an index snapshot: each term's document numbers and weights, and its
positions as sorted ``doc << 32 | position`` keys. A segment with a postings file
(``indexer.index.postfiles``) gives them as slices read from that file; any other is read from
Whoosh a block at a time (``indexer.index.blocks``), with the same numbers. A bounded cache
shared by the snapshot's searches keeps the positions, and what the evaluator makes of the
postings (each term's scores, unions of terms)."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from indexer.index.blocks import raw_matcher, read_term
from indexer.index.postfiles import PostingsFile


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
    """A reader's postings and positions over all its segments, through ``cache``; from the
    segments' postings files where ``files`` (by segment id) has one."""

    def __init__(self, reader, cache: PostingsCache, files: dict[str, PostingsFile] | None = None):
        self.reader = reader
        self.cache = cache
        self.files = files or {}

    def read_postings(self, field: str, text) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, term weights) over all segments (not cached: the evaluator
        caches the scores made of them, with the same numbers)."""
        all_ids, all_weights = [], []
        for leaf, offset, mapped in self.segments(field):
            if mapped is not None:
                ids, weights = mapped.postings(as_bytes(text))
            elif (matcher := raw_matcher(leaf, field, text)) is not None:
                ids, weights, _ = read_term(matcher)
            else:
                continue
            if len(ids):
                all_ids.append(ids + offset)
                all_weights.append(weights)
        if not all_ids:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        return np.concatenate(all_ids).astype(np.int32), np.concatenate(all_weights).astype(np.float32)

    def segments(self, field: str):
        """(leaf reader, document number offset, the field in the segment's postings file or None)."""
        for leaf, offset in self.reader.leaf_readers():
            mapped = self.files.get(leaf.segment().segment_id())
            yield leaf, offset, mapped.fields.get(field) if mapped is not None else None

    def prefixed(self, field: str, prefix: str, limit: int) -> list[tuple[str, int]] | None:
        """The first ``limit`` terms of ``field`` starting with ``prefix`` over all segments, in
        order, with their document frequencies, as Whoosh's ``iter_prefix`` gives them; None
        when a segment has no postings file (Whoosh's lexicon then)."""
        mapped = [field_file for _, _, field_file in self.segments(field)]
        if not mapped or any(field_file is None for field_file in mapped):
            return None
        merged: dict[bytes, int] = {}
        for field_file in mapped:
            for term, count in field_file.prefixed(as_bytes(prefix), limit):
                merged[term] = merged.get(term, 0) + count
        return [(term.decode("utf-8"), merged[term]) for term in sorted(merged)[:limit]]

    def positions(self, field: str, text) -> np.ndarray:
        """Sorted, distinct ``doc << 32 | position`` keys of the term, cached per snapshot.

        Distinct: a word and its compound part may share a position (``Bundestag``, ``Bund``).
        """
        return self.cache.get(("positions", field, text), lambda: (self.read_positions(field, text),))[0]

    def read_positions(self, field: str, text) -> np.ndarray:
        """Each segment's keys are sorted and distinct, and the segments follow each other."""
        chunks = [np.zeros(0, dtype=np.int64)]
        for leaf, offset, mapped in self.segments(field):
            if mapped is not None:
                chunks.append(mapped.position_keys(as_bytes(text), offset))
            elif (matcher := raw_matcher(leaf, field, text)) is not None:
                chunks.append(read_term(matcher, with_positions=True)[2] + (offset << 32))
        return np.concatenate(chunks)


def as_bytes(text) -> bytes:
    """A text field's term as the index stores it."""
    return text if isinstance(text, bytes) else text.encode("utf-8")
