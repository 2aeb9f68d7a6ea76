"""Did-you-mean: corrects query words against the words of the index (``Nordkroea`` -> ``Nordkorea``).

A correction is written as the documents write the word (its most frequent original form:
``afganistan`` -> ``Afghanistan``), and put in place of the typo in the query as typed, so
the other words, operators and fields stay as they were.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator

from indexer.text.analyser import STOPWORDS, analyze_exact
from indexer.search.query import Node, positive_words
from indexer.search.snippets import match_spans

MAX_WORDS = 6
MAX_CANDIDATES = 5  # index words within two edits tried per query word, nearest and most frequent first
RARE_DOCS, RARE_SHARE = 3, 0.001  # a known word in at most this many documents (or share) may be a typo
FORM_SAMPLE = 5  # documents read for the original form of a correction


def suggest(searcher, node: Node | None, query: str, total: int, count: Callable[[str], int]) -> str | None:
    """``query`` with its misspelled words corrected, when that finds more than ``total``
    documents (``count`` runs a query string the way the page's query ran). Words the index
    does not know are corrected first; words it knows only when that was not enough."""
    words = positive_words(node)[:MAX_WORDS]
    if not words:
        return None
    candidate = query
    for known in (False, True):
        for word in words:
            better = correct(searcher, word, known)
            if better is not None:
                candidate = replace_word(candidate, word, original_form(searcher, better, word))
        if candidate != query and count(candidate) > total:
            return candidate
    return None


def correct(searcher, word: str, known: bool = True) -> str | None:
    """The index word (``exact`` field, folded) meant by ``word``, or None when it looks right;
    a word the index knows only when ``known`` and it is rare (a typo some documents share), and
    then for one three times as frequent."""
    normalised = analyze_exact(word)
    if len(normalised) != 1 or normalised[0] in STOPWORDS or len(normalised[0]) < 4:
        return None
    text, reader = normalised[0], searcher.reader()
    frequency = reader.doc_frequency("exact", text)
    if frequency and not (known and frequency <= max(RARE_DOCS, reader.doc_count() * RARE_SHARE)):
        return None
    near = list(words_within(reader, "exact", text, 2, prefix=1))
    ranked = sorted((distance(text, t), -reader.doc_frequency("exact", t), t) for t in near if t != text)
    return next((t for _, df, t in ranked[:MAX_CANDIDATES] if -df > frequency * 3), None)


def words_within(reader, field: str, word: str, maxdist: int, prefix: int = 0) -> Iterator[str]:
    """The index words within ``maxdist`` edits of ``word`` that share its first ``prefix``
    letters, in lexicon order: Whoosh's ``terms_within``, with the edit distance computed only
    for words whose length is within reach (a hostile word of 400 digits was compared with
    every word of the lexicon in pure Python: seconds of CPU for one query)."""
    from whoosh.support import levenshtein

    shortest, longest = len(word) - maxdist, len(word) + maxdist
    for raw in reader.expand_prefix(field, word[:prefix]):
        term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if shortest <= len(term) <= longest and levenshtein.distance(term, word, limit=maxdist) <= maxdist:
            yield term


def distance(a: str, b: str) -> int:
    """Edits from ``a`` to ``b`` (insert, delete, replace, swap two neighbours): the nearer correction
    comes first (``malli`` -> ``mali``, not the more frequent ``mal``).

    >>> distance("malli", "mali"), distance("malli", "mal"), distance("slenesky", "selensky")
    (1, 2, 2)
    """
    previous, current = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if before and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[-1]


def original_form(searcher, term: str, typed: str) -> str:
    """``term`` as the documents write it most often (``russland`` -> ``Russland``); without an
    occurrence, in the case of what the user typed."""
    forms: Counter[str] = Counter()
    for docnum in itertools.islice(searcher.reader().postings("exact", term).all_ids(), FORM_SAMPLE):
        stored = searcher.stored_fields(docnum)
        for text in (stored.get("title", ""), stored.get("body", "")):
            forms.update(text[start:end] for start, end in match_spans(text, set(), {term}))
    if forms:
        return forms.most_common(1)[0][0]
    return term[:1].upper() + term[1:] if typed[:1].isupper() else term


def replace_word(query: str, word: str, correction: str) -> str:
    """``query`` with its first whole ``word`` replaced; ``word`` may have lost a ``-``/``+`` sign."""
    pattern = re.compile(rf"(?<![\w]){re.escape(word)}(?![\w])")
    return pattern.sub(lambda _: correction, query, count=1)
