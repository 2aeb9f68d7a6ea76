"""Evaluate a spaCy NER model on a shared-format JSONL file, and time it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from .data import Sentence, read_jsonl
from .score import DEFAULT_TYPES, Scores, score_tag_sequences
from indexer.settings import DATA_DIR

MODEL_DIR = DATA_DIR / "ner_model"


def load_model(path: Path = MODEL_DIR) -> Language:
    """Load the NER pipeline from a directory (offline, no downloads).

    Registers the lexicon component first and caches floret word vectors
    (same predictions, faster; see ``fastvectors.py``).
    """
    import spacy

    from . import lexicon  # noqa: F401  (registers the news_ner_lexicon factory)
    from .fastvectors import cache_floret_vectors

    return cache_floret_vectors(spacy.load(path))


def doc_tags(doc: Doc) -> list[str]:
    """BIO2 tags of a Doc's predicted entities."""
    return [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_iob_ in ("B", "I") else "O" for t in doc]


def predict(nlp: Language, sentences: Sequence[Sentence], batch_size: int = 256) -> list[list[str]]:
    """Predicted BIO2 tags for pre-tokenised sentences (gold tokenisation)."""
    docs = (Doc(nlp.vocab, words=s.tokens) for s in sentences)
    return [doc_tags(doc) for doc in nlp.pipe(docs, batch_size=batch_size)]


def evaluate_sentences(
    nlp: Language, sentences: Sequence[Sentence], types: Sequence[str] = DEFAULT_TYPES
) -> Scores:
    """Exact-span scores of ``nlp`` on gold sentences (MISC is ignored)."""
    sentences = [s for s in sentences if s.tokens]
    predicted = predict(nlp, sentences)
    return score_tag_sequences(zip((s.tags for s in sentences), predicted), types)


def evaluate_file(path: Path, model: Path = MODEL_DIR) -> Scores:
    """Load ``model`` and score it on a shared-format JSONL file."""
    return evaluate_sentences(load_model(model), list(read_jsonl(path)))


def words_per_second(nlp: Language, texts: Iterable[str], n_process: int = 1) -> tuple[float, float]:
    """Throughput of the full pipeline (tokenizer included) on raw texts.

    Returns ``(wall, cpu)`` words/s: ``cpu`` uses this process's CPU time, so
    it is robust to other load on the machine but only meaningful for
    ``n_process=1``.
    """
    texts = list(texts)
    words = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for doc in nlp.pipe(texts, batch_size=256, n_process=n_process):
        words += len(doc)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return words / wall, words / cpu


def _worker_speed(args: tuple[str, list[str]]) -> tuple[int, float]:
    """Load the model in a worker process, then time it on its share of texts."""
    model, texts = args
    nlp = load_model(Path(model))
    list(nlp.pipe(texts[:50]))  # warm up
    start = time.perf_counter()
    words = sum(len(doc) for doc in nlp.pipe(texts, batch_size=256))
    return words, time.perf_counter() - start


def parallel_words_per_second(model: Path, texts: Sequence[str], processes: int = 2) -> float:
    """Combined words/s of ``processes`` independent workers (model loading excluded)."""
    from multiprocessing import get_context

    shares = [(str(model), list(texts[i::processes])) for i in range(processes)]
    with get_context("spawn").Pool(processes) as pool:
        results = pool.map(_worker_speed, shares)
    return sum(w for w, _ in results) / max(t for _, t in results)


def speed_texts(sentences: Sequence[Sentence], min_words: int = 200_000) -> list[str]:
    """Raw texts from sentences, repeated until they hold ``min_words`` words."""
    texts = [" ".join(s.tokens) for s in sentences if s.tokens]
    total = sum(len(s.tokens) for s in sentences) or 1
    return texts * max(1, -(-min_words // total))
