"""Ranking configuration, in one place: BM25 parameters, field weights, questions, recency.

    weighting()                   the searcher's scoring model (BM25, Lucene-style IDF)
    is_question(node)             a plain-words query asked as a question
    recency_rescore(hits, days)   optional date boost for relevance sort

Values come from measurements on MLQA-de dev (see benchmarks/README.md, "Ranking quality").
There is no global setting: a ``RankingConfig`` is passed down from the service
(``SearchService(index, ranking=RankingConfig(k1=0.9))``); every function takes one and
defaults to ``DEFAULT``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from whoosh import scoring

from indexer.text.analyser import normalize_german
from indexer.search.query import And, Phrase, Word

#: German question words; dropped from questions (not stopwords: ``wer``/``wann`` stay searchable)
QUESTION_WORDS_RAW = """
wer wen wem wessen was wann wo woher wohin warum wieso weshalb weswegen wie welche welcher
welches welchem welchen womit wofür wodurch worüber wovon wozu worauf woraus worin wogegen
wonach worum inwiefern inwieweit wieviel wieviele
"""
QUESTION_WORDS = frozenset(normalize_german(w) for w in QUESTION_WORDS_RAW.split())
QUESTION_NOTICE = "Als Frage gesucht: Dokumente mit den meisten Wörtern der Frage zuerst."
RECENCY_WINDOW = 100  # with recency_boost, the best this many by relevance are re-ordered by date


@dataclass(frozen=True)
class RankingConfig:
    k1: float = 1.2  # BM25 term-frequency saturation
    b: float = 0.5  # BM25 length normalisation (Xapian's default too; 0.75 is 0.005 lower on MLQA)
    lucene_idf: bool = True  # log(1 + (N - df + .5) / (df + .5)) instead of Whoosh's log(N / (df + 1)) + 1
    title_weight: float = 0.5  # title match relative to body; per term the better field counts (dismax)
    title_dismax: bool = True  # per term the better of title and body counts; False: both are added
    parts_weight: float = 0.5  # query-time compound parts (Prinzenpaar -> prinz, paar), optional clauses
    exact_weight: float = 0.15  # unstemmed word form matched in the ``exact`` field, optional clause
    lowercase_weight: float = 0.7  # a query word typed lowercase (verb, adjective) vs capitalised (noun, name)
    answer_type_weight: float = 0.6  # the word after a question word (welchem *Jahr*, wie *heißt*)
    questions: bool = True  # False: questions are plain words like any other (AND, OR if AND finds nothing)
    recency_weight: float = 0.5  # with recency_boost: a document of the newest day scores x (1 + weight)
    recency_half_life_days: float = 30.0  # ... one this many days older gets half that extra

    def __post_init__(self):
        if min(self.lowercase_weight, self.answer_type_weight, self.recency_half_life_days) <= 0:
            raise ValueError("ranking weights must be positive (Whoosh cannot skip on a zero boost)")


DEFAULT = RankingConfig()


class LuceneIdfBM25F(scoring.BM25F):
    """Whoosh's BM25F with the IDF of Lucene/Robertson-Sparck Jones: rarer words weigh more."""

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        df = parent.doc_frequency(fieldname, text)
        n = parent.doc_count_all()
        return math.log(1 + (n - df + 0.5) / (df + 0.5))


def weighting(config: RankingConfig = DEFAULT) -> scoring.WeightingModel:
    model = LuceneIdfBM25F if config.lucene_idf else scoring.BM25F
    return model(B=config.b, K1=config.k1)


def is_question(node, config: RankingConfig = DEFAULT) -> bool:
    """Plain words (and quoted phrases) only, asked as a question: ``?`` at the end or a
    question word first. Operators make it no question, and so does length alone: a keyword
    list (``Nordkorea Russland Soldaten Kursk``) keeps all its words.

    ``Wer baute den Kölner Dom`` is a question; ``Kölner Dom`` and ``Dom OR Kirche`` are not."""
    if not config.questions or not isinstance(node, And) or not all(isinstance(i, (Word, Phrase)) for i in node.items):
        return False
    words = [i.text for i in node.items if isinstance(i, Word)]
    if not words:
        return False
    first = normalize_german(words[0].lower())
    return words[-1].endswith("?") or first in QUESTION_WORDS


def is_question_word(word: str) -> bool:
    return normalize_german(word.lower().strip("?!.,;")) in QUESTION_WORDS


def answer_type_factors(words: list[str], config: RankingConfig = DEFAULT) -> list[float]:
    """Per word of a question: ``answer_type_weight`` for the word right after a question word
    (it names what is asked, ``In welchem Jahr``, ``Wie heißt``, and is rarely in the answer), else 1."""
    after = [False] + [is_question_word(w) for w in words[:-1]]
    return [config.answer_type_weight if a and not is_question_word(w) else 1.0 for w, a in zip(words, after)]


def word_weight(word: str, config: RankingConfig = DEFAULT) -> float:
    """German capitalises nouns and names, the words that carry a question's topic:
    a word typed in lowercase (``gebaut``, ``japanischen``) weighs ``lowercase_weight``."""
    return config.lowercase_weight if word[:1].islower() else 1.0


def recency_factor(day: int, newest: int, config: RankingConfig = DEFAULT) -> float:
    """``1 + weight * 0.5 ** (age / half-life)``, age in days before the newest document; 1 undated."""
    if day <= 0 or newest <= 0:
        return 1.0
    age = max(0, newest - day)
    return 1.0 + config.recency_weight * 0.5 ** (age / config.recency_half_life_days)


def recency_rescore(scored: list[tuple[int, float]], days, newest: int,
                    config: RankingConfig = DEFAULT) -> list[tuple[int, float]]:
    """(docnum, score) pairs re-sorted by score x recency factor; ties keep their order."""
    boosted = [(docnum, score * recency_factor(int(days[docnum]), newest, config)) for docnum, score in scored]
    order = sorted(range(len(boosted)), key=lambda i: -boosted[i][1])
    return [boosted[i] for i in order]
