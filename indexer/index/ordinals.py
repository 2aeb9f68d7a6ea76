"""One facet field's values and entries, and how to count them over a set of documents.

``FieldOrdinals`` holds a field's distinct values (spellings that fold alike merged) and
its (document, value ordinal) entries sorted by document; ``Layout`` places the entries
per document, so that a count reads only the hits' own entries, looks each hit's value up
(one value per document) or subtracts the others from the totals. ``FacetStore``
(``indexer.index.columns``) holds one per facet field of an index reader.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer.text.folding import fold

#: a facet reads only its hits' entries (through each document's offsets) when the hits are
#: fewer than the documents / this, else it weighs every entry by the mask (measured at 100k
#: documents, 94k person entries: 16 vs 107 us at 300 hits, 255 vs 336 at 10k, 634 vs 246 at 30k)
DENSE_SHARE = 4


@dataclass
class FieldOrdinals:
    """One facet field: its distinct values and (document, value ordinal) pairs."""

    values: list[str]  # as shown: the most frequent of a value's spellings
    docs: np.ndarray  # document numbers
    ords: np.ndarray  # value ordinals, same length as docs
    lookup: dict[str, list[int]] | None = None  # folded value (indexer.text.folding) -> ordinals; see by_key
    spellings: list[list[str]] | None = None  # per value: the terms in the index (default: the value)
    keys: list[str] | None = None  # per value: its folding key, when saved with the arrays

    def __post_init__(self):
        self.spellings = self.spellings or [[value] for value in self.values]
        self.docs = np.asarray(self.docs, dtype=np.intp)  # native index type: no conversion per count
        self.ords = np.asarray(self.ords, dtype=np.intp)
        self._words: dict[str, set[int]] | None = None
        self._layout: Layout | None = None  # see layout()
        self._by_value: tuple[np.ndarray, np.ndarray] | None = None  # see by_value()
        self._ranks: np.ndarray | None = None  # see ranks()

    def ranks(self) -> np.ndarray:
        """Each value's place in the order of the values (ties in counts go by value): an
        integer key, so that ordering counts never compares strings (built on first use)."""
        if self._ranks is None:
            ranks = np.empty(len(self.values), dtype=np.int64)
            ranks[np.argsort(np.array(self.values, dtype=object), kind="stable")] = np.arange(len(self.values))
            self._ranks = ranks
        return self._ranks

    def by_key(self) -> dict[str, list[int]]:
        """Folded value -> ordinals, built on first use (from the saved keys, else by folding
        each value): opening an index does not fold tens of thousands of names that a search
        without a filter never looks up."""
        if self.lookup is None:
            self.lookup = lookup_of(self.values, self.keys)
        return self.lookup

    def word_index(self) -> dict[str, set[int]]:
        """Each word of the values' folded keys -> ordinals of the values with it (built on first use)."""
        if self._words is None:
            index: dict[str, set[int]] = {}
            for value_key, ordinals in self.by_key().items():
                for word in set(value_key.split()):
                    index.setdefault(word, set()).update(ordinals)
            self._words = index
        return self._words

    def with_words(self, words: set[str]) -> list[int]:
        """Ordinals of the values whose normalised key has all ``words``."""
        index = self.word_index()
        return sorted(set.intersection(*(index.get(word, set()) for word in words)))

    def containing(self, parts: set[str]) -> list[int]:
        """Ordinals of the values each of whose ``parts`` is inside one of their words, among all
        values: ``{"kor"}`` -> Nordkorea, Südkorea; ``{"jong", "kim"}`` -> Kim Jong Un."""
        index = self.word_index()
        found = None
        for part in parts:
            ordinals = set().union(*(ords for word, ords in index.items() if part in word))
            found = ordinals if found is None else found & ordinals
        return sorted(found or ())

    def counts(self, mask: np.ndarray, hits: np.ndarray | None = None) -> np.ndarray:
        """Documents per value among the masked ones; ``hits``: the masked documents' numbers,
        if the caller has them (``counted``)."""
        return self.counted(len(mask), mask, hits)

    def counted(self, size: int, mask: np.ndarray | None, hits: np.ndarray | None = None) -> np.ndarray:
        """Documents per value among ``size`` documents, of those in ``mask`` or ``hits`` (their
        numbers, ascending; one or both). A field with one value per document looks each hit's
        value up; otherwise fewer hits than a quarter of the documents read their own entries
        (``docs`` is sorted), more than three quarters subtract the others' counts from the
        totals, and the rest weigh every entry by the mask (made from ``hits`` if not given)."""
        layout = self.layout(size)
        if layout.value_of is not None:
            return np.bincount(layout.value_of[mask if hits is None else hits], minlength=len(self.values) + 1)[:-1]
        count = len(hits) if hits is not None else int(np.count_nonzero(mask))
        if count * DENSE_SHARE < size:
            return self.entry_counts(layout.starts, np.flatnonzero(mask) if hits is None else hits)
        if mask is None:
            mask = np.zeros(size, dtype=bool)
            mask[hits] = True
        if count * DENSE_SHARE > size * (DENSE_SHARE - 1):
            return layout.totals - self.entry_counts(layout.starts, np.flatnonzero(~mask))
        return np.bincount(self.ords, weights=mask[self.docs], minlength=len(self.values)).astype(np.int64)

    def entry_counts(self, starts: np.ndarray, hits: np.ndarray) -> np.ndarray:
        """Counts over the entries of ``hits`` only, found through each document's first entry."""
        return entry_counts(starts, self.ords, hits, len(self.values))

    def layout(self, size: int) -> "Layout":
        """How the entries sit among ``size`` documents (computed once per size)."""
        layout = self._layout
        if layout is None or len(layout.starts) != size + 1:
            layout = Layout.of(self.docs, self.ords, size, len(self.values))
            self._layout = layout  # one assignment: a thread sees the old layout or the new one
        return layout

    def mask_of(self, ordinals: list[int], size: int) -> np.ndarray:
        """The documents with any of the values: each value's documents read from the entries
        in value order (no pass over every entry)."""
        mask = np.zeros(size, dtype=bool)
        docs, starts = self.by_value()
        for ordinal in ordinals:
            mask[docs[starts[ordinal]:starts[ordinal + 1]]] = True
        return mask

    def by_value(self) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers in value order, where each value's run starts), built on first use."""
        if self._by_value is None:
            starts = np.zeros(len(self.values) + 1, dtype=np.intp)
            np.cumsum(np.bincount(self.ords, minlength=len(self.values)), out=starts[1:])
            self._by_value = (self.docs[np.argsort(self.ords, kind="stable")], starts)
        return self._by_value


@dataclass
class Layout:
    """A facet field's entries among the documents: per document number (and one past the
    last) the index of its first entry; each value's count over all documents; and, when no
    document has two values, each document's value (the number of values where it has none)."""

    starts: np.ndarray
    totals: np.ndarray
    value_of: np.ndarray | None

    @classmethod
    def of(cls, docs: np.ndarray, ords: np.ndarray, size: int, values: int) -> "Layout":
        per_document = np.bincount(docs, minlength=size)[:size]
        starts = starts_of(per_document)
        value_of = None
        if not len(per_document) or per_document.max() <= 1:
            value_of = np.full(size, values, dtype=np.intp)
            value_of[docs] = ords
        return cls(starts, np.bincount(ords, minlength=values), value_of)



@dataclass
class JointLayout:
    """Several facet fields' entries in one run per document (``starts`` as in ``Layout``),
    each field's value ordinals shifted past the previous fields' (``offsets``): counting all
    the fields over a few hits finds each hit once and reads its entries of every field
    together. One layout per field found each hit once per field, in arrays of the archive's
    size: a cache miss per hit and field, the cost that grew with the archive (at 100k
    documents, the three entity facets over 1,768 hits with cold caches: 1.47 ms field by
    field, 0.88 ms together)."""

    names: tuple[str, ...]
    starts: np.ndarray
    ords: np.ndarray
    offsets: list[int]

    @classmethod
    def of(cls, names: tuple[str, ...], fields: list[FieldOrdinals], size: int) -> "JointLayout":
        offsets = [0]
        for field in fields:
            offsets.append(offsets[-1] + len(field.values))
        docs = np.concatenate([field.docs for field in fields])
        ords = np.concatenate([field.ords + offset for field, offset in zip(fields, offsets)])
        order = np.argsort(docs, kind="stable")
        starts = starts_of(np.bincount(docs, minlength=size)[:size])
        return cls(names, starts, ords[order].astype(np.int32), offsets)

    def counted(self, hits: np.ndarray) -> list[np.ndarray]:
        """Each field's documents per value among ``hits`` (ascending document numbers), in
        the order of ``names``."""
        counts = entry_counts(self.starts, self.ords, hits, self.offsets[-1])
        return [counts[start:end] for start, end in zip(self.offsets, self.offsets[1:])]


def starts_of(per_document: np.ndarray) -> np.ndarray:
    """Where each document's entries start, and one past the last: entries sorted by
    document, ``per_document`` of them for each."""
    starts = np.zeros(len(per_document) + 1, dtype=np.intp)
    np.cumsum(per_document, out=starts[1:])
    return starts


def entry_counts(starts: np.ndarray, ords: np.ndarray, hits: np.ndarray, width: int) -> np.ndarray:
    """Documents per value (``width`` values) over the entries of ``hits`` only, found through
    each document's first entry (``starts``)."""
    first, sizes = starts[hits], starts[hits + 1] - starts[hits]
    entries = np.repeat(first - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
    return np.bincount(ords[entries], minlength=width)


def merged(terms: list[str], docs: np.ndarray, ords: np.ndarray) -> FieldOrdinals:
    """One ordinal per folding key: its spellings most frequent first, each document once."""
    frequency = np.bincount(ords, minlength=len(terms))
    groups: dict[str, list[int]] = {}
    for ordinal in sorted(range(len(terms)), key=lambda o: (-frequency[o], o)):
        groups.setdefault(fold(terms[ordinal]), []).append(ordinal)
    spellings = sorted(([terms[o] for o in group] for group in groups.values()), key=lambda group: group[0])
    number = {term: i for i, group in enumerate(spellings) for term in group}
    group_of = np.array([number[term] for term in terms], dtype=np.int64)
    width = max(1, len(spellings))
    pairs = np.unique(docs.astype(np.int64) * width + group_of[ords])  # (document, value) once each
    values = [group[0] for group in spellings]
    return FieldOrdinals(values, pairs // width, pairs % width, lookup_of(values), spellings)


def lookup_of(values: list[str], keys: list[str] | None = None) -> dict[str, list[int]]:
    """Comparison form -> ordinals of the values that have it; ``keys``: the values' folded forms, if known."""
    lookup: dict[str, list[int]] = {}
    for ordinal, key in enumerate(keys if keys is not None else map(fold, values)):
        lookup.setdefault(key, []).append(ordinal)
    return lookup
