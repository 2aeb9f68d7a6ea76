"""The German analyser, as a table of real German cases."""

import pickle

import pytest

from indexer.text.analyser import analyze, analyze_exact, normalize_german, stem_word, word_parts
from indexer.text.compounds import split_compound
from indexer.index.schema import build_schema


@pytest.mark.parametrize("query, document", [
    ("Soldaten", "Soldat"),
    ("Soldat", "Soldaten"),
    ("Brussel", "Brüssel"),
    ("Brüssel", "Brussel"),
    ("Selenskyjs", "Selenskyj"),
    ("Putins", "Putin"),
    ("Strasse", "Straße"),
    ("Straße", "Strasse"),
    ("Korea", "Nordkorea"),
    ("Einsatz", "Kampfeinsatz"),
    ("Bündnis", "Verteidigungsbündnis"),
    ("Schroeder", "Schröder"),
    ("Krieg", "Ukraine-Krieg"),
    ("Stream", "Nord-Stream-2"),
    ("Einsätze", "Kampfeinsätze"),
])
def test_query_finds_document_word(query, document):
    assert set(analyze(query)) & set(analyze(document, mode="index"))


@pytest.mark.parametrize("query, document", [
    ("Nordkorea", "Südkorea"),  # queries are not split, so Nordkorea does not find Südkorea
    ("Russ", "Russland"),  # a frequent whole word is not split into rare parts
    ("Land", "Deutschland"),
    ("Feuer", "Fur"),
])
def test_query_does_not_find(query, document):
    assert not set(analyze(query)) & set(analyze(document, mode="index"))


@pytest.mark.parametrize("word, parts", [
    ("kampfeinsatz", ["kampf", "einsatz"]),
    ("verteidigungsbundnis", ["verteidigung", "bundnis"]),
    ("nordkorea", ["nord", "korea"]),
    ("ukraine", []),
    ("prasident", []),
    ("russland", []),
    ("haus", []),
    ("selenskyj", []),
])
def test_compound_splitting(word, parts):
    assert split_compound(word)[:2] == parts


def test_nested_compounds_yield_all_parts():
    parts = split_compound("bundesverteidigungsministerium")
    assert {"verteidigungsministerium", "ministerium"} <= set(parts)


@pytest.mark.parametrize("text, expected", [
    ("brüssel", "brussel"), ("straße", "strasse"), ("schroeder", "schroder"),
    ("quelle", "quelle"), ("feuer", "feuer"), ("frauen", "frauen"), ("mädchen", "madchen"),
])
def test_normalisation_like_lucene(text, expected):
    assert normalize_german(text) == expected


@pytest.mark.parametrize("text, tokens", [
    ("Nord-Stream-2", ["nord-stream-2"]),
    ("G7-Gipfel", ["g7-gipfel"]),
    ("100.000 Soldaten", ["100.000", "soldat"]),
    ("Berlin. Der Bundestag", ["berlin", "bundestag"]),
])
def test_tokenizer_keeps_digits_and_hyphens(text, tokens):
    assert analyze(text) == tokens


def test_hyphen_parts_only_at_index_time():
    assert analyze("Nord-Stream-2", mode="index") == ["nord-stream-2", "nord", "stream", "2"]
    assert word_parts("ukraine-krieg") == ["ukraine", "krieg"]


def test_stopwords_vanish():
    assert analyze("der die das und über") == []


def test_stem_is_snowball_german():
    assert stem_word("häuser") == stem_word("hauser")
    assert stem_word("soldaten") == "soldat"


def test_exact_field_is_unstemmed():
    assert analyze_exact("Messer Brüssel") == ["messer", "brussel"]


def test_schema_with_analyser_pickles():
    schema = build_schema()
    assert pickle.loads(pickle.dumps(schema)).names() == schema.names()


@pytest.mark.parametrize("word", ["nordkoreanische", "nordkoreanischer", "militarische", "wirtschaftlichen"])
def test_adjectives_are_not_split_into_nouns(word):
    assert split_compound(word) == []
