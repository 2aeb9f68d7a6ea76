"""What a search offers beyond its hits: a spelling correction, and partial hits.

A query that finds fewer than ``SUGGEST_BELOW`` documents without filters gets a correction
when that finds more (``indexer.search.spelling``); at 0 the service runs it at once.
When all words find less than a page, partial hits follow the hits (ranked on from the
total): documents that lack one or more of the plain words (``Hit.missing_words``), not
counted in the total, the facets or the timeline (choice: ``indexer.search.words.partial_docs``).
"""

from __future__ import annotations

import contextlib
from dataclasses import replace

import numpy as np

from indexer.errors import EmptyQueryError, QuerySyntaxError
from indexer.search import words as word_modes
from indexer.search.query import Word, parse_query
from indexer.search.ranking import RankingConfig
from indexer.search.results import Hit, SearchRequest
from indexer.search.ordering import date_key
from indexer.search.facets import filter_masks
from indexer.search.matchset import Match
from indexer.search.service import compile_query, evaluate, match, read_hit
from indexer.search.snapshot import Lease
from indexer.search.spelling import suggest

SUGGEST_BELOW = 3  # offer "did you mean" when a query finds fewer documents than this (without filters)


def suggestion_for(lease: Lease, request: SearchRequest, node, strict: int, config: RankingConfig) -> str | None:
    """The corrected query when the query finds few documents (``strict``: before any fallback)
    and the correction, searched the same way, finds more."""
    if strict >= SUGGEST_BELOW:  # without filters: a misspelling, not a narrow filter, finds little
        return None

    def corrected() -> str | None:
        return suggest(lease.searcher, node, request.query, strict,
                       lambda text: count_matches(lease, text, config, request.words))

    # kept with the snapshot's postings: looking a word up in Whoosh's lexicon within two
    # edits reads its terms from disk (80 ms at 100k documents), a typo users repeat costs it once
    return lease.postings.get(("suggestion", request.query, request.words, strict), corrected, size=lambda _: 1)


def count_matches(lease: Lease, text: str, config: RankingConfig, words: str | None) -> int:
    """Documents the query ``text`` matches in mode ``words``, before any fallback (0 if it does not parse)."""
    try:
        return match(lease, parse_query(text), config, words).strict
    except QuerySyntaxError:
        return 0


def partial_hits(lease: Lease, request: SearchRequest, node, found: Match, total: int, config: RankingConfig,
                 mentions=None) -> list[Hit]:
    """All words found less than a page (``total`` hits): the page goes on with documents that have most of them."""
    room = request.page_size - total
    words = word_modes.plain_words(node)
    if found.words != "all" or request.page != 1 or room <= 0 or not 2 <= len(words) <= word_modes.MAX_PARTIAL_WORDS:
        return []
    masks = {}
    for word in words:
        with contextlib.suppress(EmptyQueryError):  # a stopword is no missing word
            masks[word] = evaluate(lease, compile_query(lease, Word(word), config)).mask
    allowed = np.logical_and.reduce([lease.facets.alive, *filter_masks(lease.facets, request).values()])
    anyword = evaluate(lease, compile_query(lease, node, config, "or"))
    by_date = request.sort != "relevance"
    key = date_key(lease.facets.days, request.sort == "date_asc") if by_date else anyword.scores
    docs = word_modes.partial_docs(masks, allowed, key, room)
    return [replace(read_hit(lease, anyword.compiled, docnum, float(anyword.scores[docnum]), position, mentions),
                    missing_words=missing)
            for position, (docnum, missing) in enumerate(docs, start=total + 1)]
