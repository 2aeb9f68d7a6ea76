"""Caching every chunk of the tokenizer gives exactly spaCy's tokens and entities."""

import gzip
import itertools
import json

import pytest

from indexer.entities.ner.evaluate import MODEL_DIR

from conftest import SEEDS

TEXTS = [
    "Berlin. NATO-Generalsekretär Mark Rutte berichtet über die Ukraine.\nDr. Müller (SPD) sagte z.B.: "
    "„Wir sind 100.000 Soldaten!“ – Nord-Stream-2, U.S.A., 2,5 %, (Hamburg - Altona), Kiel?!",
    "Sehr geehrte Frau Präsidentin! Liebe Kolleginnen und Kollegen!\n\nDie Bundeswehr bleibt in Mali.",
    "",
    "   \n  ",
]


def seed_texts(count: int) -> list[str]:
    with gzip.open(SEEDS / "demo_bundestag_foreign_policy.jsonl.gz", "rt", encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in itertools.islice(lines, count)]


def tokens(doc) -> list[tuple]:
    return [(t.text, t.whitespace_, t.idx, t.norm_, t.shape_) for t in doc]


@pytest.mark.parametrize("max_chunks", [300_000, 50])
def test_cached_chunks_give_spacys_tokens(plain_nlp, max_chunks):
    from indexer.entities.ner.fasttokens import ChunkCachingTokenizer

    texts = TEXTS + seed_texts(30)
    expected = [tokens(plain_nlp.tokenizer(text)) for text in texts]
    cached = ChunkCachingTokenizer(plain_nlp.tokenizer, max_chunks)
    for _ in range(2):  # the first pass fills the cache, the second reads it
        assert [tokens(cached(text)) for text in texts] == expected


def test_cached_chunks_predict_the_same_entities(plain_nlp):
    from indexer.entities.extraction import load_model
    from indexer.entities.ner.fasttokens import ChunkCachingTokenizer

    cached = load_model(MODEL_DIR)
    assert isinstance(cached.tokenizer, ChunkCachingTokenizer)
    texts = (TEXTS + seed_texts(20)) * 2
    ents = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in plain_nlp.pipe(texts)]
    assert [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in cached.pipe(texts)] == ents
