"""A fresh ``search`` process loads only what its search needs (issue 16: the demo index's
``search "Nordkorea"`` in under 0.5 s; ``benchmarks/startup.py`` and ``benchmarks/cold.py`` time it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.entities.catalogue import catalogue_entries, entries_named, load_catalogue
from indexer.index.columns import CACHE_PREFIX, FacetStore
from indexer.index.ordinals import lookup_of
from indexer.index.store import current_generation
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService
from indexer.text import compounds
from indexer.text.compounds import dictionary
from indexer.text.folding import fold

ROOT = Path(__file__).resolve().parent.parent
#: runs ``search`` in this process and reports what it loaded
SEARCH_AND_REPORT = """
import json, sys
from indexer.cli import search_command
search_command.main(sys.argv[1:], standalone_mode=False)
catalogue = sys.modules.get("indexer.entities.catalogue")
loaded = catalogue.load_catalogue.cache_info().currsize if catalogue else 0
print(json.dumps({"modules": sorted(sys.modules), "catalogue": loaded}))
"""
NOT_FOR_SEARCH = ("spacy", "thinc", "flask", "waitress", "indexer.index.writer", "indexer.entities.extraction",
                  "indexer.entities.catalogue", "indexer.entities.countries", "indexer.ingest.readers",
                  "multiprocessing")


def search_process(*args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SEARCH_AND_REPORT, *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_search_process_loads_neither_the_writer_nor_spacy_nor_the_web_app(index_dir):
    report = search_process("Nordkorea", "--index", str(index_dir))
    assert [name for name in NOT_FOR_SEARCH if name in report["modules"]] == []


def test_marking_an_organisation_reads_its_entry_not_the_whole_catalogue(index_dir, service):
    organisations = service.search(SearchRequest(query="")).facet("organisation")
    if organisations is None or not organisations.values:
        pytest.skip("no organisations in the test index (built without the NER model)")
    report = search_process(f'organisation:"{organisations.values[0].value}"', "--index", str(index_dir))
    assert report["catalogue"] == 0


def test_entries_named_are_the_catalogue_entries_of_that_name():
    catalogue = load_catalogue()
    for entry in catalogue_entries():
        expected = tuple(e for e in catalogue.lookup(entry.type, entry.name) if e.name == entry.name)
        assert entries_named(entry.type, entry.name) == expected
    assert entries_named("person", "Niemand Unbekannt") == ()


def test_facet_values_are_folded_on_first_lookup_from_the_saved_keys(index_dir):
    cache = next(current_generation(index_dir).glob(f"{CACHE_PREFIX}*.npz"))
    store = FacetStore.load(cache)
    assert all(field.lookup is None for field in store.fields.values())  # nothing folded at open
    for field in store.fields.values():
        assert field.keys == [fold(value) for value in field.values]
        assert field.by_key() == lookup_of(field.values)


def test_warming_fills_what_a_first_search_would(index_dir):
    """``search-web`` warms at start; the CLI does not (its one search loads what it needs)."""
    with SearchService(index_dir) as service:
        service.warm()
        with service.pinned() as snapshot:
            assert all(field.lookup is not None for field in snapshot.facets.fields.values())
    assert dictionary().built is not None


def test_the_dictionary_searched_in_its_lines_answers_like_its_tables(monkeypatch):
    """A search splits its few words by binary search in the file's sorted lines, a build by
    the tables built from them: the same frequencies, nouns and splits."""
    text = "\n".join(compounds.dictionary().lines)
    lexicon = compounds.Lexicon(text)  # a fresh one: nothing built yet
    monkeypatch.setattr(compounds, "dictionary", lambda: lexicon)
    assert lexicon.lines == sorted(lexicon.lines)  # as tools/build_compounds.py writes them
    freqs, nouns = compounds.Lexicon(text).build()
    searched_freqs, searched_nouns = lexicon.searched
    words = list(freqs)[::7]
    for word in words + [w + "x" for w in words[::5]] + ["", "zzzzzz"]:
        assert searched_freqs.get(word, 0) == freqs.get(word, 0)
        assert (word in searched_nouns) == (word in nouns)
    lines = (ROOT / "tests/fixtures/articles.jsonl").read_text(encoding="utf-8").splitlines()
    articles = " ".join(json.loads(line)["text"] for line in lines)
    long_words = sorted({w.lower() for w in articles.split() if len(w) >= compounds.MIN_WORD_LENGTH and w.isalpha()})
    searched = {w: compounds.best_split(w) for w in long_words[:compounds.SEARCHED_WORDS]}
    assert lexicon.built is None
    lexicon.build()
    assert {w: compounds.best_split(w) for w in searched} == searched
    assert searched["kampfeinsatz"] == ("kampf", "einsatz")
