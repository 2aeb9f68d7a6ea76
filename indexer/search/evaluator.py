"""Vectorised evaluation of a Whoosh query: one pass gives every match and its BM25F score.

Whoosh scores matching documents one at a time through nested Python matchers; a common
word at 100k documents costs hundreds of milliseconds, and the service needed a second
pass for the facet mask. Here each term's postings are read block by block into numpy
arrays and scored with the searcher's own BM25F formula (same IDF, average and per-document
field lengths, boosts), and ``Or``/``And``/``DisMax``/``AndMaybe``/``AndNot`` combine dense
arrays. Exact phrases intersect the words' decoded positions (as ``doc << 32 | position``
keys, cached per term like the postings). Any other query type (sloppy phrases, ranges, ...)
is evaluated by Whoosh's own matcher for that subtree, so the result equals Whoosh's (a test
checks it against ``searcher.search``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import pickle
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh import formats
from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F

from indexer.index.columns import NO_DAY


@dataclass
class Matches:
    """Documents a query matches (``mask``) and their scores (0 where not matched)."""

    mask: np.ndarray
    scores: np.ndarray


class PostingsCache:
    """Decoded postings and positions of recently used terms, and prefix expansions, for one
    index snapshot; least recently used entries go first, bounded by the array entries held."""

    def __init__(self, max_postings: int = 4_000_000):
        self.max_postings = max_postings
        self.held = 0
        self.entries: OrderedDict = OrderedDict()
        self.sizes: dict = {}  # key -> the size it was counted with
        self.lock = threading.Lock()

    def get(self, key, load, size=None):
        """``load()`` once per key while it stays cached; its size is ``size(value)``, by default
        the length of its first array."""
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


class Evaluator:
    def __init__(self, searcher, alive: np.ndarray, lengths: dict[str, np.ndarray], cache: PostingsCache | None = None,
                 days: np.ndarray | None = None):
        self.cache = cache or PostingsCache(0)
        self.days = days  # each document's day (ordinal, NO_DAY if undated): date ranges as a mask
        self.searcher = searcher
        self.reader = searcher.reader()
        self.alive = alive
        self.deleted = not alive.all()
        self.size = len(alive)
        self.lengths = lengths
        self.weighting = searcher.weighting

    def evaluate(self, query: wq.Query) -> Matches:
        """Matches of ``query`` (normalised as Whoosh would) among the live documents."""
        matches = self.visit(query.normalize())
        if self.deleted:
            matches.mask &= self.alive
            matches.scores *= matches.mask
        return matches

    def visit(self, q: wq.Query) -> Matches:
        kind = type(q)
        if q is wq.NullQuery:
            return self.nothing()
        if kind is wq.Term:
            return self.term(q.fieldname, q.text, q.boost)
        if kind is wq.DisjunctionMax:
            return self.union(q.subqueries, q.boost, max_of=True)
        if isinstance(q, wq.Or) and not q.minmatch and q.scale is None:
            return self.union(q.subqueries, q.boost)
        if kind is wq.And:
            return self.intersection(q.subqueries, q.boost)
        if kind is wq.AndMaybe:
            optional = self.term_parts(q.b)
            if optional is not None:
                return self.add_where(self.visit(q.a), optional, q.boost)
            return self.and_maybe(self.visit(q.a), self.visit(q.b), q.boost)
        if kind is wq.AndNot:
            return self.and_not(self.visit(q.a), self.visit(q.b), q.boost)
        if kind is wq.DateRange and self.days is not None and whole_days(q):
            return self.date_range(q.startdate, q.enddate, q.boost)
        if kind is wq.Phrase and q.slop == 1 and self.has_positions(q.fieldname):
            return self.phrase(q.fieldname, q.words, q.boost)
        return self.by_whoosh(q)

    # --- leaves -------------------------------------------------------------------------

    def nothing(self) -> Matches:
        return Matches(np.zeros(self.size, dtype=bool), np.zeros(self.size))

    def term(self, field: str, text, boost: float) -> Matches:
        matches = self.nothing()
        ids, scores = self.sparse_term(field, text, boost)
        matches.mask[ids] = True
        matches.scores[ids] = scores
        return matches

    def sparse_term(self, field: str, text, boost: float) -> tuple[np.ndarray, np.ndarray]:
        """(distinct document numbers, their scores) of one term; the scores are cached with
        the postings (the snapshot's weighting, lengths and idf do not change)."""
        ids, scores = self.cache.get(("scores", field, text), lambda: self.scored_postings(field, text))
        return ids, (scores * boost if boost != 1 else scores)

    def scored_postings(self, field: str, text) -> tuple[np.ndarray, np.ndarray]:
        ids, weights = self.postings(field, text)
        if not len(ids):
            return ids, np.zeros(0)
        return ids, self.term_scores(field, text, ids, weights)

    def term_scores(self, field: str, text, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """The searcher's scorer for this term, as arrays (BM25F or plain weight)."""
        if not isinstance(self.weighting, BM25F):
            raise TypeError("vectorised scoring needs a BM25F weighting")
        weights = weights.astype(float)  # term frequencies: small integers, exact in float32
        if not self.searcher.schema[field].scorable:
            return weights
        b = self.weighting._field_B.get(field, self.weighting.B)
        k1 = self.weighting.K1
        idf = self.searcher.idf(field, text)
        avgfl = self.searcher.avg_field_length(field) or 1
        lengths = self.lengths[field][ids] if field in self.lengths else np.ones(len(ids))
        return idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl)))

    def postings(self, field: str, text) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, term weights) over all segments, cached per snapshot."""
        return self.cache.get((field, text), lambda: self.read_postings(field, text))

    def read_postings(self, field: str, text) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, term weights) over all segments, read a block at a time."""
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

    def has_positions(self, field: str) -> bool:
        return field in self.searcher.schema and type(self.searcher.schema[field].format) is formats.Positions

    def phrase(self, field: str, words, boost: float) -> Matches:
        """Documents with the words at consecutive positions, scored as Whoosh scores a phrase:
        the sum of its words' scores in the document."""
        result = self.intersection([wq.Term(field, w) for w in words], 1.0)
        if not result.mask.any():
            return result
        keys = None
        for i, word in enumerate(words):
            shifted = self.positions(field, word) - i  # the phrase's start, if word i is at its place
            shifted = shifted[result.mask[shifted >> 32]]
            keys = shifted if keys is None else np.intersect1d(keys, shifted, assume_unique=True)
        result.mask[:] = False
        result.mask[keys >> 32] = True
        return zeroed(result, boost)

    def positions(self, field: str, text) -> np.ndarray:
        """Sorted, distinct ``doc << 32 | position`` keys of the term, cached per snapshot.

        Distinct: a word and its compound part may share a position (``Bundestag``, ``Bund``).
        """
        return self.cache.get(("positions", field, text), lambda: (self.read_positions(field, text),))[0]

    def read_positions(self, field: str, text) -> np.ndarray:
        chunks = [np.zeros(0, dtype=np.int64)]
        for matcher, offset in self.leaf_matchers(field, text):
            while matcher.is_active():
                matcher._read_ids()
                matcher._read_values()
                chunks.append(position_keys(np.asarray(matcher._ids, dtype=np.int64) + offset, matcher._values))
                matcher._next_block()
        return distinct(np.concatenate(chunks))

    def by_whoosh(self, q: wq.Query) -> Matches:
        """Any other query, through Whoosh's own matcher (same scores by construction)."""
        matches = self.nothing()
        matcher = q.matcher(self.searcher, self.searcher.context())
        ids, scores = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            scores.append(matcher.score())
            matcher.next()
        if ids:
            index = np.array(ids, dtype=np.int64)
            matches.mask[index] = True
            matches.scores[index] = scores
        return matches

    def date_range(self, start: dt.datetime | None, end: dt.datetime | None, boost: float) -> Matches:
        """``date:2023``: the documents whose day lies in the range, each scoring ``boost`` (a
        constant-score range, as Whoosh scores it), from the day column instead of Whoosh's
        union of numeric range terms (130 ms for a year at 100k documents)."""
        low = start.toordinal() if start else NO_DAY + 1
        mask = self.days >= low
        if end:
            mask &= self.days <= end.toordinal()
        return Matches(mask, mask * float(boost))

    # --- combinations -------------------------------------------------------------------

    def union(self, subqueries, boost: float, max_of: bool = False) -> Matches:
        """Sum (or maximum) of the parts' scores; term parts are added sparsely, without a dense
        array each, and a sum of terms (a prefix brings up to 64) in one ``bincount``."""
        result = self.nothing()
        if not max_of and all(type(sub) is wq.Term for sub in subqueries):
            return self.term_sum(result, [self.sparse_term(s.fieldname, s.text, s.boost) for s in subqueries], boost)
        for sub in subqueries:
            if type(sub) is wq.Term:
                ids, scores = self.sparse_term(sub.fieldname, sub.text, sub.boost)
                result.mask[ids] = True
                result.scores[ids] = np.maximum(result.scores[ids], scores) if max_of else result.scores[ids] + scores
                continue
            part = self.visit(sub)
            result.mask |= part.mask
            result.scores = np.maximum(result.scores, part.scores) if max_of else result.scores + part.scores
        if boost != 1:
            result.scores *= boost
        return result

    def term_sum(self, result: Matches, parts: list[tuple[np.ndarray, np.ndarray]], boost: float) -> Matches:
        """The terms' scores summed per document (in the terms' order, as adding one after the other)."""
        if parts:
            ids = np.concatenate([ids for ids, _ in parts])
            result.mask[ids] = True
            result.scores = np.bincount(ids, weights=np.concatenate([scores for _, scores in parts]),
                                        minlength=self.size)
        if boost != 1:
            result.scores *= boost
        return result

    def intersection(self, subqueries, boost: float) -> Matches:
        positive = [s for s in subqueries if not isinstance(s, wq.Not)]
        negative = [s.query for s in subqueries if isinstance(s, wq.Not)]
        if not positive:
            return self.by_whoosh(wq.And(subqueries, boost=boost))
        result = self.visit(positive[0])
        for sub in positive[1:]:
            part = self.visit(sub)
            result.mask &= part.mask
            result.scores += part.scores
        for sub in negative:  # Whoosh scores each NOT clause as a match of weight 1: so do we
            result.mask &= ~self.visit(sub).mask
            result.scores += 1.0
        return zeroed(result, boost)

    def term_parts(self, q: wq.Query) -> list[tuple[np.ndarray, np.ndarray]] | None:
        """A term, or a plain ``Or`` of terms, as each term's (ids, scores): what an optional
        clause adds without a dense array; ``None`` for anything else."""
        if type(q) is wq.Term:
            return [self.sparse_term(q.fieldname, q.text, q.boost)]
        if type(q) is wq.Or and not q.minmatch and q.scale is None and all(type(s) is wq.Term for s in q.subqueries):
            return [self.sparse_term(s.fieldname, s.text, s.boost * q.boost) for s in q.subqueries]
        return None

    def add_where(self, required: Matches, parts: list[tuple[np.ndarray, np.ndarray]], boost: float) -> Matches:
        """``AndMaybe`` with term parts: each part's scores added where ``required`` matches
        (every ``Matches`` scores 0 where it does not match, so nothing else changes)."""
        for ids, scores in parts:
            kept = required.mask[ids]
            required.scores[ids[kept]] += scores[kept]
        if boost != 1:
            required.scores *= boost
        return required

    def and_maybe(self, required: Matches, optional: Matches, boost: float) -> Matches:
        both = required.mask & optional.mask
        required.scores[both] += optional.scores[both]
        return zeroed(required, boost)

    def and_not(self, positive: Matches, negative: Matches, boost: float) -> Matches:
        positive.mask &= ~negative.mask
        return zeroed(positive, boost)


def read_blocks(matcher) -> tuple[np.ndarray, np.ndarray]:
    """All (ids, weights) of a leaf posting matcher, decoding whole blocks."""
    ids, weights = [], []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        ids.append(np.asarray(matcher._ids, dtype=np.int64))
        block_weights = matcher._weights
        weights.append(np.ones(len(ids[-1])) if block_weights is None else np.asarray(block_weights, dtype=float))
        matcher._next_block()
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(ids), np.concatenate(weights)


def position_keys(ids: np.ndarray, values) -> np.ndarray:
    """``doc << 32 | position`` for one block of a ``Positions`` field.

    Each value is Whoosh's encoding: a 4-byte count, then a pickled list of position deltas.
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
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if len(keys) else keys


def zeroed(matches: Matches, boost: float) -> Matches:
    """Scores times ``boost`` where matched, 0 elsewhere, in place (a dense array of the
    whole index costs a pass: no ``np.where`` copies, no multiplication by 1)."""
    matches.scores *= matches.mask
    if boost != 1:
        matches.scores *= boost
    return matches


def whole_days(q) -> bool:
    """A constant-score range over the ``date`` field from the start of a day to the end of
    one (what the query compiler makes), so that the day column answers it exactly."""
    return (q.fieldname == "date" and q.constantscore and not q.startexcl and not q.endexcl
            and (q.startdate is None or q.startdate.time() == dt.time.min)
            and (q.enddate is None or q.enddate.time() == dt.time.max))
