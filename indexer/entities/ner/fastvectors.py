"""Faster inference with floret vectors: cache each word's vector once computed.

spaCy's floret lookup (``Vectors.get_batch``) recomputes the character n-grams
and their MurmurHash rows of every distinct word in every batch, in Python.
That was about a quarter of the model's run time.  News text repeats its words,
so :func:`cache_floret_vectors` wraps the table in :class:`CachedFloretVectors`,
which computes a word's vector once (with spaCy's own code) and then reuses it.
The vectors, and therefore the predictions, are exactly the same.

Only for inference: the model folder is unchanged and ``spacy.load`` works
without this module; loaders call :func:`cache_floret_vectors` after loading.
"""

from __future__ import annotations

from typing import Any

import numpy

DEFAULT_MAX_WORDS = 100_000  # distinct words kept (64 dims: 25 MB), then the cache restarts


class CachedFloretVectors:
    """A spaCy floret ``Vectors`` table whose ``get_batch`` caches per word key.

    Everything else is delegated to the wrapped table.  ``StaticVectors`` uses
    any object with ``get_batch`` that is not a ``Vectors`` instance this way.
    """

    def __init__(self, vectors: Any, max_words: int = DEFAULT_MAX_WORDS):
        self.__dict__["_inner"] = vectors
        self.__dict__["_max_words"] = max_words
        self.__dict__["_rows"] = {}  # word key (ORTH hash) -> row in _table
        self.__dict__["_table"] = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._inner, name, value)  # e.g. Vocab sets .strings

    def __len__(self) -> int:
        return len(self._inner)

    def get_batch(self, keys):
        """Vectors for word keys (``Doc.to_array(ORTH)``), one row per key."""
        keys = keys.tolist() if hasattr(keys, "tolist") else list(keys)
        distinct = list(dict.fromkeys(keys))
        if len(distinct) > self._max_words:  # too many to cache: spaCy's own lookup
            return self._inner.get_batch(keys)
        if self._table is None:
            width = self._inner.shape[1]
            self.__dict__["_table"] = numpy.zeros((self._max_words, width), dtype="float32")
        rows = self._rows
        missing = [key for key in distinct if key not in rows]
        if missing and len(rows) + len(missing) > self._max_words:
            rows.clear()  # full: start over (keeps memory bounded)
            missing = distinct
        if missing:
            start = len(rows)
            self._table[start : start + len(missing)] = self._inner.get_batch(missing)
            for i, key in enumerate(missing, start):
                rows[key] = i
        return self._table[[rows[key] for key in keys]]


def cache_floret_vectors(nlp, max_words: int = DEFAULT_MAX_WORDS):
    """Wrap ``nlp``'s floret vectors in :class:`CachedFloretVectors` (no-op otherwise)."""
    vectors = nlp.vocab.vectors
    if getattr(vectors, "mode", None) == "floret" and not isinstance(vectors, CachedFloretVectors):
        nlp.vocab.vectors = CachedFloretVectors(vectors, max_words)
    return nlp
