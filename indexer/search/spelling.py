"""Did-you-mean: corrects query words against the words of the index (``Nordkroea`` -> ``nordkorea``)."""

from __future__ import annotations

from whoosh import query as wq

from indexer.text.analyser import STOPWORDS, analyze, analyze_exact
from indexer.search.query import Node, positive_words

MAX_WORDS = 6


def suggest(searcher, node: Node | None, total: int) -> str | None:
    """A corrected query string when a correction finds more than ``total`` documents."""
    words = positive_words(node)[:MAX_WORDS]
    if not words:
        return None
    corrector = searcher.corrector("exact")
    changed, out = False, []
    for word in words:
        better = correct(searcher, corrector, word)
        changed |= better is not None
        out.append(better or word)
    if not changed:
        return None
    candidate = " ".join(out)
    return candidate if count_documents(searcher, candidate) > total else None


def correct(searcher, corrector, word: str) -> str | None:
    normalised = analyze_exact(word)
    if len(normalised) != 1 or normalised[0] in STOPWORDS or len(normalised[0]) < 4:
        return None
    text = normalised[0]
    known = searcher.reader().doc_frequency("exact", text)
    for candidate in corrector.suggest(text, limit=3, maxdist=2, prefix=1):
        if candidate != text and searcher.reader().doc_frequency("exact", candidate) > max(known, 0) * 3:
            return candidate
    return None


def count_documents(searcher, text: str) -> int:
    stems = [s for word in text.split() for s in analyze(word)]
    if not stems:
        return 0
    q = wq.And([wq.Or([wq.Term("title", s), wq.Term("body", s)]) for s in stems])
    return sum(1 for _ in searcher.docs_for_query(q))
