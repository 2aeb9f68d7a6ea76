"""One folding key for comparing values (facet lookup, selected values, filter box), and the
finer spelling key that decides at indexing that two spellings are one name.

Every pair that folded together under one of the earlier comparison keys still does: the
facet lookup's (lowercase + German normalisation) and the filter box's (casefold, accents
off). Names keep their key (ä -> ae, accents off, hyphens as spaces).
"""

from __future__ import annotations

import pytest

from indexer.entities.persons import fold_name
from indexer.text.folding import fold, normalize_german, spelling_key


@pytest.mark.parametrize("value, other", [
    ("Südkorea", "sudkorea"), ("Südkorea", "SUEDKOREA"), ("Brüssel", "Bruessel"), ("Brüssel", "BRUSSEL"),
    ("Straße", "Strasse"), ("STRASSE", "straße"), ("Schröder", "Schroeder"), ("Müller", "Mueller"),
    ("Strauß", "Strauss"), ("Erdoğan", "Erdogan"), ("Traoré", "TRAORE"), ("Çelik", "celik"),
    ("NATO", "Nato"), ("Mark  Rutte", "mark rutte"), ("Österreich", "Oesterreich"), ("Ärzte", "aerzte"),
    ("Südkorea", "Su\u0308dkorea"),  # decomposed umlaut (a URL typed on macOS)
])
def test_spellings_fold_together(value, other):
    assert fold(value) == fold(other)


@pytest.mark.parametrize("value, other", [
    ("Selenskyj", "Selenskij"), ("Mali", "Malta"), ("Korea", "Korsika"), ("Hans-Dietrich", "Hans Dietrich"),
    ("Quelle", "Qulle"), ("Feuer", "Feur"),
])
def test_different_words_stay_apart(value, other):
    assert fold(value) != fold(other)


@pytest.mark.parametrize("value, key", [
    ("Südkorea", "sudkorea"), ("Straße", "strasse"), ("Erdoğan", "erdogan"), ("  Wladimir   Putin ", "wladimir putin"),
    ("Europäische Union", "europaische union"), ("Quelle", "quelle"),
])
def test_keys(value, key):
    assert fold(value) == key


def test_the_key_is_the_analysers_normalisation_on_plain_words():
    for word in ("brüssel", "straße", "schroeder", "quelle", "feuer", "nordkorea"):
        assert fold(word) == normalize_german(word)


def test_names_fold_with_hyphens_as_spaces():
    assert fold_name("Hans-Dietrich Genscher") == fold_name("Hans Dietrich Genscher") == "hans dietrich genscher"
    assert fold_name("Schröder") == spelling_key("Schroeder") == "schroeder"


@pytest.mark.parametrize("name, other", [
    ("Kühn", "Kuhn"), ("Förster", "Forster"), ("Brückner", "Bruckner"), ("UEFA", "UFA"), ("Zürich", "Zurich"),
])
def test_distinct_names_keep_apart_but_a_typed_value_finds_both(name, other):
    assert fold_name(name) != fold_name(other)
    assert fold(name) == fold(other)


@pytest.mark.parametrize("name", [
    "Schröder", "Schroeder", "Strauß", "Erdoğan", "Noël", "Europäer", "Müller-Westernhagen", "Björn Höcke",
    "Traoré", "Zoë", "Michael Kühnert", "Bundesländer",
])
def test_names_the_spelling_key_joins_fold_alike(name):
    assert fold(spelling_key(name)) == fold(name)


def test_a_selected_value_matches_its_stored_spelling(service):
    from indexer.search.results import SearchRequest

    page = service.search(SearchRequest(filters={"country": ("russland",)}))
    values = {v.value: v.selected for v in page.facet("country").values}
    assert values.get("Russland") is True and "russland" not in values
