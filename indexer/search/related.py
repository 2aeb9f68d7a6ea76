"""Entities that appear together, from the facet ordinal arrays (no loop over documents).

Among the documents in scope (the query, filters and dates of the page), ``related`` counts
for every value of a facet the documents it shares with the entity (one ``np.bincount`` over
the facet's (document, value) pairs, masked by the entity's documents) and ranks the values
by lift: how many times more often they appear with the entity than chance would give,

    lift = both * scope / (entity * value)

so that a value found in nearly every document (``Deutschland``) scores about 1 and does
not top every list. A value needs ``min_count`` shared documents to be ranked (a value seen
once, with the entity, would otherwise have the highest lift of all).

    >>> lift(both=6, scope=100, entity=10, value=12)
    5.0
"""

from __future__ import annotations

import difflib

import numpy as np

from indexer.index.ordinals import FieldOrdinals
from indexer.search.results import RelatedValue
from indexer.text.folding import fold

SUGGESTIONS = 5  # closest values offered for an unknown name
WORD_CUTOFF = 0.7  # difflib ratio a word of a value needs to count as close to a typed word


def lift(both, scope, entity, value):
    """Observed over expected co-occurrence (arrays or numbers)."""
    return both * scope / np.maximum(entity * value, 1)


def related(field: FieldOrdinals, scope: np.ndarray, mentioned: np.ndarray, min_count: int, limit: int,
            exclude: list[int] = ()) -> list[RelatedValue]:
    """The values of ``field`` most over-represented in the ``mentioned`` documents (a subset of
    ``scope``): lift first, then the shared count, then the value; ``exclude``: the entity itself."""
    both = field.counts(mentioned)
    candidates = np.flatnonzero(both >= max(1, min_count))
    candidates = candidates[~np.isin(candidates, list(exclude))]
    if not len(candidates):
        return []
    value = field.counts(scope)[candidates]
    scores = lift(both[candidates], int(np.count_nonzero(scope)), int(np.count_nonzero(mentioned)), value)
    order = np.lexsort((field.ranks()[candidates], -both[candidates], -scores))[:limit]
    return [RelatedValue(field.values[o], int(both[o]), int(value[i]), round(float(scores[i]), 2))
            for o, i in ((candidates[i], i) for i in order)]


def closest(field: FieldOrdinals, typed: str, limit: int = SUGGESTIONS) -> list[str]:
    """Values a mistyped or partial name may mean, by the folded words of the values:
    ``Putn`` -> ``Wladimir Putin``; ``kor`` -> Nordkorea, Südkorea. Closest first, then the
    most frequent."""
    words = fold(typed).split()
    if not words:
        return []
    index = field.word_index()
    score: dict[int, float] = {}
    for word in words:
        for known in difflib.get_close_matches(word, index, n=20, cutoff=WORD_CUTOFF) + \
                [k for k in index if len(word) >= 3 and word in k]:
            similarity = 1.0 if word in known else difflib.SequenceMatcher(None, word, known).ratio()
            for ordinal in index[known]:
                score[ordinal] = score.get(ordinal, 0.0) + similarity
    frequency = np.bincount(field.ords, minlength=len(field.values))
    best = sorted(score, key=lambda o: (-score[o], -frequency[o], field.values[o]))
    return [field.values[o] for o in best[:limit]]
