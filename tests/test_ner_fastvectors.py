"""The floret vector cache used at inference gives exactly spaCy's vectors."""

import numpy
import pytest

from indexer.entities.ner.evaluate import MODEL_DIR

TEXTS = [
    "Der russische Präsident Wladimir Putin hat in Brüssel mit der NATO verhandelt.",
    "Berlin. NATO-Generalsekretär Mark Rutte berichtet über die Ukraine.",
    "Die Deutsche Bahn meldet Verspätungen zwischen Hamburg - Altona und Kiel.",
    "",
]


def _vectors(nlp, texts):
    docs = [nlp.make_doc(text) for text in texts]
    keys = numpy.concatenate([doc.to_array("ORTH") for doc in docs if len(doc)])
    return keys, nlp.vocab.vectors


@pytest.mark.parametrize("max_words", [100_000, 12])
def test_cached_vectors_equal_spacy_floret(plain_nlp, max_words):
    from indexer.entities.ner.fastvectors import CachedFloretVectors

    keys, vectors = _vectors(plain_nlp, TEXTS)
    if getattr(vectors, "mode", None) != "floret":
        pytest.skip("model has no floret vectors")
    cached = CachedFloretVectors(vectors, max_words=max_words)
    expected = vectors.get_batch(keys)
    for _ in range(3):  # first call fills the cache (or restarts it), later calls reuse it
        for start in range(0, len(keys), 7):
            assert numpy.array_equal(cached.get_batch(keys[start : start + 7]), expected[start : start + 7])


def test_cached_model_predicts_the_same(plain_nlp):
    from indexer.entities.ner.evaluate import load_model

    cached = load_model(MODEL_DIR)
    texts = TEXTS * 3
    ents = [[(e.start, e.end, e.label_) for e in doc.ents] for doc in plain_nlp.pipe(texts)]
    assert ents == [[(e.start, e.end, e.label_) for e in doc.ents] for doc in cached.pipe(texts)]
