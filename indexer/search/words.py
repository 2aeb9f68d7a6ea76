"""All words or any word: how the plain words of a query combine, and the partial hits.

    Nordkorea Soldaten Kursk          all words (any word, with a notice, when no document has all)
    Wie viele Soldaten hat Mali?      a question: any word, the most and rarest words first
    words="any" / words="all"         the user's switch ("alle Wörter / beliebige Wörter")

When all words find fewer documents than a page, the page goes on with *partial hits*:
the documents with most (at least half) of the words, most words first, each with the words
it lacks. They do not count in the total, the facets or the timeline.
"""

from __future__ import annotations

import math

import numpy as np

from indexer.search import ranking
from indexer.search.compiler import is_plain_words
from indexer.search.query import Node, Word
from indexer.search.ranking import RankingConfig

OR_NOTICE = "Kein Dokument enthält alle Wörter; gezeigt werden Dokumente mit einigen davon."
MAX_PARTIAL_WORDS = 10  # a longer keyword list gets no partial hits (one pass per word)


def has_choice(node: Node | None, config: RankingConfig) -> bool:
    """Two or more plain words (a question may also hold phrases): all or any of them can be searched."""
    return is_plain_words(node) or ranking.is_question(node, config)


def compile_mode(node: Node | None, words: str | None, config: RankingConfig) -> str:
    """The compiler's mode for ``words`` (None: a question is any-word, everything else all-word)."""
    question = ranking.is_question(node, config)
    if words is None or not has_choice(node, config):
        return "question" if question else "and"
    if words == "any":
        return "question" if question else "or"
    return "question_all" if question else "and"


def words_of(mode: str) -> str:
    """``"any"`` for the any-word modes, else ``"all"``."""
    return "any" if mode in ("question", "or") else "all"


def plain_words(node: Node | None) -> list[str]:
    """The words of a plain-words query, each once, as typed but without trailing punctuation
    and question words: the words a partial hit may lack (``Wo ist Kursk?`` -> ``["ist", "Kursk"]``)."""
    if not is_plain_words(node):
        return []
    words = (item.text.rstrip("?!.,;:") for item in node.items if isinstance(item, Word))
    return list(dict.fromkeys(w for w in words if w and not ranking.is_question_word(w)))


def partial_docs(word_masks: dict[str, np.ndarray], allowed: np.ndarray, key: np.ndarray,
                 room: int) -> list[tuple[int, list[str]]]:
    """Up to ``room`` (docnum, missing words) among ``allowed`` documents that lack some words
    but have at least half of them: most words first, then by ``key`` (score or day), largest first.

    >>> masks = {"Mali": np.array([1, 1, 0, 1], bool), "Einsatz": np.array([1, 0, 1, 0], bool)}
    >>> partial_docs(masks, np.ones(4, bool), np.array([0.0, 2.0, 1.0, 3.0]), 2)
    [(3, ['Einsatz']), (1, ['Einsatz'])]
    """
    if len(word_masks) < 2 or room <= 0:
        return []
    counts = np.sum(list(word_masks.values()), axis=0)
    need = math.ceil(len(word_masks) / 2)
    candidates = np.flatnonzero(allowed & (counts >= need) & (counts < len(word_masks)))
    order = np.lexsort((candidates, -key[candidates], -counts[candidates]))[:room]
    chosen = candidates[order]
    return [(int(d), [w for w, mask in word_masks.items() if not mask[d]]) for d in chosen]
