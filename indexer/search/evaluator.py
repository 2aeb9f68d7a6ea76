"""Vectorised evaluation of a Whoosh query: one pass gives every match and its BM25F score.

Whoosh scores matching documents one at a time through nested Python matchers; a common
word at 100k documents costs hundreds of milliseconds, and the service needed a second
pass for the facet mask. Here each term's postings are read block by block into numpy
arrays and scored with the searcher's own BM25F formula (same IDF, average and per-document
field lengths, boosts), and ``Or``/``And``/``DisMax``/``AndMaybe``/``AndNot`` combine the
arrays (``postings`` reads and caches them). A clause is kept sparse (sorted document numbers and their scores, ``docsets``) as
long as it matches few documents, so that a selective query costs its matches and not the
archive's size; large unions and date ranges are dense (a mask and a score for every
document), and ``evaluate`` returns the dense form. Exact phrases intersect the words'
decoded positions (as ``doc << 32 | position`` keys, cached per term like the postings),
read only for the documents that have all the words. Any other query type (sloppy phrases, ranges, ...)
is evaluated by Whoosh's own matcher for that subtree, so the result equals Whoosh's (a test
checks it against ``searcher.search``).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
from whoosh import formats
from whoosh import query as wq
from whoosh.scoring import BM25F

from indexer.index.columns import NO_DAY
from indexer.search import docsets
from indexer.search.docsets import Matches, boosted, zeroed
from indexer.search.postings import Postings, PostingsCache


class Evaluator:
    def __init__(self, searcher, alive: np.ndarray, lengths: dict[str, np.ndarray], cache: PostingsCache | None = None,
                 days: np.ndarray | None = None, sparse_limit: int | None = None, files: dict | None = None):
        self.cache = cache or PostingsCache(0)
        self.postings = Postings(searcher.reader(), self.cache, files)  # files: the segments' postings files
        self.days = days  # each document's day (ordinal, NO_DAY if undated): date ranges as a mask
        self.searcher = searcher
        self.alive = alive
        self.deleted = not alive.all()
        self.size = len(alive)
        self.lengths = lengths
        self.weighting = searcher.weighting
        # the largest union (in postings) kept sparse: beyond it one dense pass is cheaper than a sort
        self.sparse_limit = self.size // 8 if sparse_limit is None else sparse_limit

    def evaluate(self, query: wq.Query) -> Matches:
        """Matches of ``query`` (normalised as Whoosh would) among the live documents, dense."""
        ids, scores, dense = self.matching(query)
        return dense if dense is not None else self.dense(Matches.sparse(ids, scores))

    def matching(self, query: wq.Query) -> tuple[np.ndarray, np.ndarray, Matches | None]:
        """The live documents ``query`` matches, in order, their scores, and the dense form if
        the evaluation made one: a query that stayed sparse costs its matches, not two arrays
        of the archive's size (at 300k documents 0.4 to 0.7 ms a search)."""
        matches = self.visit(query.normalize())
        if matches.is_sparse:
            ids, scores = matches.ids.astype(np.intp), matches.scores  # int32 numbers index twice as slowly
            if self.deleted:
                live = self.alive[ids]
                ids, scores = ids[live], scores[live]
            return ids, scores, None
        if self.deleted:
            matches.mask &= self.alive
            matches.scores *= matches.mask
        ids = np.flatnonzero(matches.mask)
        return ids, matches.scores[ids], matches

    def dense(self, matches: Matches) -> Matches:
        if not matches.is_sparse:
            return matches
        dense = self.zeros()
        dense.mask[matches.ids] = True
        dense.scores[matches.ids] = matches.scores
        return dense

    def contains(self, matches: Matches, ids: np.ndarray) -> np.ndarray:
        """Whether ``matches`` holds each of the document numbers ``ids``."""
        return docsets.member(matches.ids, ids) if matches.is_sparse else matches.mask[ids]

    def scores_at(self, matches: Matches, ids: np.ndarray) -> np.ndarray:
        """The scores of ``matches`` at ``ids`` (0 where it does not match)."""
        if matches.is_sparse:
            return docsets.Lookup(ids, self.size).values(matches.ids, matches.scores)
        return matches.scores[ids]

    def visit(self, q: wq.Query) -> Matches:
        kind = type(q)
        if q is wq.NullQuery:
            return self.nothing()
        if kind is wq.Term:
            return self.term(q.fieldname, q.text, q.boost)
        if kind is wq.DisjunctionMax:
            return self.union(q.subqueries, q.boost, max_of=True)
        if is_union(q):
            return self.union(q.subqueries, q.boost)
        if kind is wq.And:
            return self.intersection(q.subqueries, q.boost)
        if kind is wq.AndMaybe:
            optional = self.terms_of(q.b)
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
        return Matches.sparse(docsets.EMPTY_IDS, docsets.EMPTY_SCORES)

    def zeros(self) -> Matches:
        """A dense match of no document, to fill."""
        return Matches(np.zeros(self.size, dtype=bool), np.zeros(self.size))

    def term(self, field: str, text, boost: float) -> Matches:
        return Matches.sparse(*self.sparse_term(field, text, boost))

    def sparse_term(self, field: str, text, boost: float) -> tuple[np.ndarray, np.ndarray]:
        """(distinct document numbers, their scores) of one term; the scores are cached with
        the postings (the snapshot's weighting, lengths and idf do not change)."""
        ids, scores = self.cache.get(("scores", field, text), lambda: self.scored_postings(field, text))
        return ids, (scores * boost if boost != 1 else scores)

    def scored_postings(self, field: str, text) -> tuple[np.ndarray, np.ndarray]:
        ids, weights = self.postings.read_postings(field, text)
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

    def has_positions(self, field: str) -> bool:
        return field in self.searcher.schema and type(self.searcher.schema[field].format) is formats.Positions

    def phrase(self, field: str, words, boost: float) -> Matches:
        """Documents with the words at consecutive positions, scored as Whoosh scores a phrase:
        the sum of its words' scores in the document. Only the positions in documents that
        have every word are intersected."""
        result = self.intersection([wq.Term(field, w) for w in words], 1.0)
        if not len(result.ids):
            return result
        keys = None
        for i, word in enumerate(words):
            shifted = docsets.of_documents(self.postings.positions(field, word), result.ids) - i  # the phrase's start
            keys = shifted if keys is None else shifted[docsets.member(keys, shifted)]
        found = docsets.member(docsets.distinct(keys >> 32), result.ids)
        return boosted(Matches.sparse(result.ids[found], result.scores[found]), boost)

    def by_whoosh(self, q: wq.Query) -> Matches:
        """Any other query, through Whoosh's own matcher (same scores by construction)."""
        matcher = q.matcher(self.searcher, self.searcher.context())
        ids, scores = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            scores.append(matcher.score())
            matcher.next()
        ids, scores = np.array(ids, dtype=np.int64), np.array(scores, dtype=float)
        order = np.argsort(ids, kind="stable")  # in order already: a matcher walks the documents
        return Matches.sparse(ids[order], scores[order])

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
        """Sum (or maximum) of the parts' scores. Sparse parts with few postings in all stay
        sparse; more are added to a dense array without one of their own, and a sum of sparse
        parts (a prefix brings up to 64 terms) in one ``bincount``. A sparse union of terms
        only (a word in its fields, a prefix's words) is cached like a term's scores; a dense
        one is not: an array of the archive's size would crowd many terms out of the cache."""
        if not all(type(sub) is wq.Term for sub in subqueries):
            return self.combined(subqueries, boost, max_of)
        key = ("union", max_of, tuple((sub.fieldname, sub.text, sub.boost) for sub in subqueries))
        found = self.cache.get(key, lambda: self.combined(subqueries, 1.0, max_of),
                               size=lambda m: len(m.ids) if m.is_sparse else math.inf)  # inf: not kept
        if found.is_sparse:
            return boosted(found, boost)
        if boost != 1:  # made for this use alone
            found.scores *= boost
        return found

    def combined(self, subqueries, boost: float, max_of: bool) -> Matches:
        parts = [self.visit(sub) for sub in subqueries]
        sparse = [(p.ids, p.scores) for p in parts if p.is_sparse]
        if len(sparse) == len(parts) and sum(len(ids) for ids, _ in sparse) <= self.sparse_limit:
            return boosted(Matches.sparse(*docsets.merged(sparse, max_of)), boost)
        if not max_of and len(sparse) == len(parts):
            return self.term_sum(self.zeros(), sparse, boost)
        if max_of:  # the order of a maximum does not matter: the largest part is written first, not compared
            parts.sort(key=lambda p: -len(p.ids if p.is_sparse else p.scores))
        result = self.first_of_union(parts[0], max_of)
        for part in parts[1:]:
            if part.is_sparse:
                ids, scores = part.ids, part.scores
                result.mask[ids] = True
                result.scores[ids] = np.maximum(result.scores[ids], scores) if max_of else result.scores[ids] + scores
                continue
            result.mask |= part.mask
            result.scores = np.maximum(result.scores, part.scores) if max_of else result.scores + part.scores
        if boost != 1:
            result.scores *= boost
        return result

    def first_of_union(self, part: Matches, max_of: bool) -> Matches:
        """A dense union's first part, as a dense array of zeros plus (or at least) the part: a
        dense part is taken as it is (it was made for this union), a sparse one written in."""
        if not part.is_sparse:
            if max_of:
                np.maximum(part.scores, 0.0, out=part.scores)
            return part
        result = self.zeros()
        result.mask[part.ids] = True
        result.scores[part.ids] = np.maximum(part.scores, 0.0) if max_of else part.scores
        return result

    def term_sum(self, result: Matches, parts: list[tuple[np.ndarray, np.ndarray]], boost: float) -> Matches:
        """The parts' scores summed per document (in the parts' order, as adding one after the other)."""
        ids = np.concatenate([ids for ids, _ in parts])
        result.mask[ids] = True
        result.scores = np.bincount(ids, weights=np.concatenate([scores for _, scores in parts]), minlength=self.size)
        if boost != 1:
            result.scores *= boost
        return result

    def intersection(self, subqueries, boost: float) -> Matches:
        """Documents of every positive clause and of no negative one, the positive clauses'
        scores added. The clause with the fewest postings comes first; while the result is
        sparse, a union of terms too large to stay sparse (``Polizei`` in ``Polizei Messer``
        at 300k documents: 88k postings) is looked up at its documents (``at``) instead of
        being made as arrays of the archive's size."""
        positive = [s for s in subqueries if not isinstance(s, wq.Not)]
        negative = [s.query for s in subqueries if isinstance(s, wq.Not)]
        if not positive:
            return self.by_whoosh(wq.And(subqueries, boost=boost))
        sized = sorted(((self.postings_of(sub, math.inf), sub) for sub in positive),
                       key=lambda pair: pair[0])  # stable: unknown sizes keep their order
        result = self.visit(sized[0][1])
        for size, sub in sized[1:]:
            if result.is_sparse and self.sparse_limit < size < math.inf:
                held, scores = self.at(sub, docsets.Lookup(result.ids, self.size))
                result = Matches.sparse(result.ids[held], result.scores[held] + scores[held])
                continue
            result = self.both(result, self.visit(sub))
        for sub in negative:  # Whoosh scores each NOT clause as a match of weight 1: so do we
            result = self.excluding(result, self.visit(sub))
            result.scores = result.scores + 1.0
        return boosted(result, boost)

    def postings_of(self, q: wq.Query, unknown: float) -> float:
        """How many postings a term or a union of terms reads; ``unknown`` for other queries."""
        if type(q) is wq.Term:
            return len(self.sparse_term(q.fieldname, q.text, 1.0)[0])
        if is_union(q):
            return sum(self.postings_of(sub, unknown) for sub in q.subqueries)
        return unknown

    def at(self, q: wq.Query, lookup: docsets.Lookup) -> tuple[np.ndarray, np.ndarray]:
        """Whether each of the lookup's documents matches ``q`` (a term or a union of terms)
        and its score there (0 where not), scored as ``visit`` scores it."""
        if type(q) is wq.Term:
            return self.term_at(q.fieldname, q.text, q.boost, lookup)
        parts = [self.at(sub, lookup) for sub in q.subqueries]
        held = np.logical_or.reduce([part[0] for part in parts])
        if type(q) is wq.DisjunctionMax:  # at least 0, as a maximum over a dense array of zeros
            scores = np.maximum(np.maximum.reduce([part[1] for part in parts]), 0.0)
        else:  # added in the parts' order, as a union adds them
            scores = parts[0][1]
            for part in parts[1:]:
                scores = scores + part[1]
        return held, (scores * q.boost if q.boost != 1 else scores)

    def term_at(self, field: str, text, boost: float, lookup: docsets.Lookup) -> tuple[np.ndarray, np.ndarray]:
        """Whether each of the lookup's documents has the term, and its score there (0 where
        not). The boost multiplies the scores found, not the term's: the same products, at
        the lookup's documents only (a boosted optional word at 300k documents multiplied
        49k scores to read 5k)."""
        held, scores = lookup.found(*self.sparse_term(field, text, 1.0))
        return held, (scores * boost if boost != 1 else scores)

    def both(self, a: Matches, b: Matches) -> Matches:
        """Documents in ``a`` and ``b``, the two scores added (zeroed where dense and unmatched
        by ``boosted``); sparse if either is."""
        if not a.is_sparse and not b.is_sparse:
            a.mask &= b.mask
            a.scores += b.scores
            return a
        if not a.is_sparse:
            a, b = b, a  # the sum does not depend on the order
        if not b.is_sparse:
            keep = b.mask[a.ids]
            ids = a.ids[keep]
            return Matches.sparse(ids, a.scores[keep] + b.scores[ids])
        in_a, in_b = docsets.common(a.ids, b.ids)
        return Matches.sparse(a.ids[in_a], a.scores[in_a] + b.scores[in_b])

    def excluding(self, positive: Matches, negative: Matches) -> Matches:
        if positive.is_sparse:
            keep = ~self.contains(negative, positive.ids)
            return Matches.sparse(positive.ids[keep], positive.scores[keep])
        if negative.is_sparse:
            positive.mask[negative.ids] = False
        else:
            positive.mask &= ~negative.mask
        return positive

    def terms_of(self, q: wq.Query) -> list[tuple[str, object, float]] | None:
        """A term, or a plain ``Or`` of terms, as each term's (field, text, boost): what an
        optional clause adds without a dense array; ``None`` for anything else."""
        if type(q) is wq.Term:
            return [(q.fieldname, q.text, q.boost)]
        if type(q) is wq.Or and not q.minmatch and q.scale is None and all(type(s) is wq.Term for s in q.subqueries):
            return [(s.fieldname, s.text, s.boost * q.boost) for s in q.subqueries]
        return None

    def add_where(self, required: Matches, terms: list[tuple[str, object, float]], boost: float) -> Matches:
        """``AndMaybe`` with term parts: each term's scores added where ``required`` matches
        (every ``Matches`` scores 0 where it does not match, so nothing else changes)."""
        if required.is_sparse:
            scores, lookup = required.scores, docsets.Lookup(required.ids, self.size)
            for field, text, weight in terms:
                scores = scores + self.term_at(field, text, weight, lookup)[1]
            return boosted(Matches.sparse(required.ids, scores), boost)
        for ids, scores in (self.sparse_term(*term) for term in terms):
            kept = required.mask[ids]
            required.scores[ids[kept]] += scores[kept]
        if boost != 1:
            required.scores *= boost
        return required

    def and_maybe(self, required: Matches, optional: Matches, boost: float) -> Matches:
        if required.is_sparse:
            return boosted(Matches.sparse(required.ids, required.scores + self.scores_at(optional, required.ids)), boost)
        optional = self.dense(optional)
        both = required.mask & optional.mask
        required.scores[both] += optional.scores[both]
        return zeroed(required, boost)

    def and_not(self, positive: Matches, negative: Matches, boost: float) -> Matches:
        return boosted(self.excluding(positive, negative), boost)


def is_union(q: wq.Query) -> bool:
    """Scored as the sum or the maximum of its parts (``Evaluator.union``)."""
    return type(q) is wq.DisjunctionMax or (isinstance(q, wq.Or) and not q.minmatch and q.scale is None)


def whole_days(q) -> bool:
    """A constant-score range over the ``date`` field from the start of a day to the end of
    one (what the query compiler makes), so that the day column answers it exactly."""
    return (q.fieldname == "date" and q.constantscore and not q.startexcl and not q.endexcl
            and (q.startdate is None or q.startdate.time() == dt.time.min)
            and (q.enddate is None or q.enddate.time() == dt.time.max))
