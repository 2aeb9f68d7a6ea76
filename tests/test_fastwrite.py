"""The fast segment writer writes the same bytes as Whoosh's own (``indexer.index.fastwrite``)."""

from __future__ import annotations

import filecmp
import gzip
import itertools
import json
import random
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from indexer.index.fastwrite import FastSegmentWriter, WordTerms, fast_fields
from indexer.index.schema import build_schema
from indexer.index.writer import document_fields
from indexer.ingest.documents import Article
from indexer.text.analyser import exact_analyzer, german_analyzer

from conftest import SEEDS

TRICKY = ("Die Nord-Stream-2-Pipeline, der NATO-Generalsekretär und die Bundesverteidigungsministerin "
          "sprachen über 100.000 Soldaten, 2,5 % und Erdoğans Verteidigungsbündnis; die Soldaten der "
          "Straße in Brüssel: Kampfeinsatz, Kampfeinsätze, Nordkoreas Raketen und wieder Nordkorea. "
          "Rock'n'Roll, Selenskyjs Rede, Ärzte-Verband, d’Alema, G7, über-über, Bürger:innen")


def whoosh_positions(analyzer, text: str) -> dict[str, list[int]]:
    """What ``Positions.word_values`` collects from the analyser: term -> positions, in order."""
    found: dict[str, list[int]] = {}
    for token in analyzer(text, positions=True, boosts=True, mode="index"):
        found.setdefault(token.text, []).append(token.pos)
    return found


@pytest.mark.parametrize("make", [german_analyzer, exact_analyzer])
def test_word_table_gives_the_analysers_terms_and_positions(make):
    words = WordTerms(make())
    for text in (TRICKY, TRICKY.upper(), TRICKY.lower(), "", "der die das", "Kampfeinsatz " * 3):
        got = words.positions(text)
        assert got == whoosh_positions(make(), text)
        assert list(got) == list(whoosh_positions(make(), text))  # the same order of terms


def test_word_table_on_real_text_with_a_small_table():
    """The seed speeches, analysed with a table that starts over every 500 words."""
    words = WordTerms(german_analyzer(), max_words=500)
    for text in seed_texts(40):
        assert words.positions(text) == whoosh_positions(german_analyzer(), text)


def test_fast_fields_are_the_text_fields_of_the_schema():
    assert sorted(fast_fields(build_schema())) == ["body", "exact", "title"]


def test_fast_writer_writes_the_same_files_as_whoosh(tmp_path):
    documents = list(seed_documents(300, 1500))  # common words in more documents than one block holds (128)
    written = {}
    for name, writer_class in (("whoosh", SegmentWriter), ("fast", FastSegmentWriter)):
        folder = tmp_path / name
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), build_schema())
        random.seed(15)  # the same segment id
        writer = writer_class(ix, limitmb=1, compound=False)  # 1 MB: the pool spills sorted runs to disk
        for fields in documents:
            writer.add_document(**fields)
        writer.commit()
        written[name] = folder
    names = sorted(p.name for p in written["whoosh"].iterdir())
    extra = sorted(set(p.name for p in written["fast"].iterdir()) - set(names))  # and the segment's postings file
    assert set(names) <= set(p.name for p in written["fast"].iterdir()) and [Path(e).suffix for e in extra] == [".npost"]
    assert len(names) > 5
    with whoosh_index.open_dir(str(written["fast"])).searcher() as searcher:
        assert max(searcher.doc_frequency("body", term) for term in ("bundesregierung", "deutschland", "herr")) > 128
    _, mismatch, errors = filecmp.cmpfiles(written["whoosh"], written["fast"], names, shallow=False)
    assert (mismatch, errors) == ([], [])


def seed_records(count: int) -> list[dict]:
    with gzip.open(SEEDS / "demo_bundestag_foreign_policy.jsonl.gz", "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in itertools.islice(lines, count)]


def seed_texts(count: int) -> list[str]:
    return [record["text"] for record in seed_records(count)] + [TRICKY]


def seed_documents(count: int, characters: int):
    """Seed speeches (their first ``characters``) as the build writes them, with literal facet values (no NER)."""
    facets = itertools.cycle([("Wladimir Putin,Olaf Scholz", "Russland,Deutschland", "RU,DE", "NATO", "2022-02-24"),
                              ("", "Mali", "ML", "Bundeswehr,Vereinte Nationen", "")])
    for record, (persons, countries, codes, organisations, dates) in zip(seed_records(count), facets):
        article = Article(title=record.get("title", ""), body=record["text"][:characters], id=record.get("id", ""),
                          speaker=record.get("speaker", ""), party=record.get("party", ""))
        fields = document_fields(article, None)
        fields.update(person=persons, country=countries, country_code=codes, organisation=organisations,
                      mentioned=dates)
        yield {name: value for name, value in fields.items() if value != ""}
