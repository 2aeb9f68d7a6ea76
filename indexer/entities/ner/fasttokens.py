"""Faster tokenizing: every whitespace-separated chunk is tokenized once, then reused.

spaCy's tokenizer cuts a text at whitespace into chunks and splits each chunk at its
prefixes, suffixes and infixes with three large regular expressions (the German suffix
pattern alone costs 6-10 µs per chunk). It caches a chunk's tokens, but

- at most ``max_cache_size`` chunks (10,000 by default: a few hundred news documents), and
- only until the first special case of a text (a newline, ``Dr.``, ``z.B.``): from there on
  nothing of that text is cached (spaCy's ``has_special`` flag stays set for the text).

So most chunks of a long text were split by the regular expressions again and again.
:func:`cache_chunks` wraps the tokenizer: a chunk not seen before is first tokenized on its
own, which puts it into spaCy's own cache (a chunk is tokenized without looking at its
neighbours, so its tokens are the same there as in the text), and the cache may hold
``MAX_CHUNKS``. Then the text is tokenized by spaCy as before, now from the cache. The Doc,
and therefore the entities, are exactly the same (``tests/test_ner_fasttokens.py``).

Only for inference, like ``fastvectors``: loaders call :func:`cache_chunks` after loading.
"""

from __future__ import annotations

from typing import Any

MAX_CHUNKS = 300_000  # chunks cached (about 100 bytes each with the set below)


class ChunkCachingTokenizer:
    """A spaCy ``Tokenizer`` whose chunks are all cached once seen; everything else is delegated."""

    def __init__(self, tokenizer: Any, max_chunks: int = MAX_CHUNKS):
        self.__dict__["_inner"] = tokenizer
        self.__dict__["_seen"] = set()
        self.__dict__["_max_chunks"] = max_chunks
        tokenizer.max_cache_size = max(tokenizer.max_cache_size, max_chunks)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._inner, name, value)

    def __call__(self, text: str):
        seen, tokenizer = self._seen, self._inner
        if len(seen) < self._max_chunks:
            new = set(text.split()).difference(seen)
            for chunk in new:
                tokenizer(chunk)  # fills spaCy's cache (unless the chunk holds a special case)
            seen.update(new)
        return tokenizer(text)

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)


def cache_chunks(nlp, max_chunks: int = MAX_CHUNKS):
    """Wrap ``nlp``'s tokenizer in :class:`ChunkCachingTokenizer` (once)."""
    if not isinstance(nlp.tokenizer, ChunkCachingTokenizer):
        nlp.tokenizer = ChunkCachingTokenizer(nlp.tokenizer, max_chunks)
    return nlp
