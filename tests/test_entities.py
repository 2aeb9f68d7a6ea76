"""Entity extraction: spaCy wiring (with a tiny rule-based pipeline), the corpus pass,
and the seed article with the real shipped model."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from indexer.entities.extraction import (
    DEFAULT_MODEL, DocumentEntities, EntityExtractor, Mention, ModelNotFound, document_entities,
    merge_corpus_persons,
)
from indexer.errors import SearchError

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED_ARTICLE = SEEDS / "000_923481393c34947e.txt"
DEMO_CORPUS = SEEDS / "demo_bundestag_foreign_policy.jsonl.gz"
real_model = pytest.mark.skipif(
    not (DEFAULT_MODEL / "config.cfg").is_file(),
    reason=f"shipped NER model not yet at {DEFAULT_MODEL} (trained by the NER work stream)",
)


def seed_text() -> str:
    """The seed article's body: its lines without the trailing block of related links."""
    lines = SEED_ARTICLE.read_text(encoding="utf-8").splitlines()
    while lines and (lines[-1].startswith("- ") or not lines[-1].strip()):
        lines.pop()
    return "\n".join(lines)


@pytest.fixture(scope="module")
def rule_model(tmp_path_factory) -> Path:
    """A blank German pipeline whose entity_ruler tags a few names, saved like the real model."""
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("de")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "PER", "pattern": "Mark Rutte"}, {"label": "PER", "pattern": "Rutte"},
        {"label": "PER", "pattern": "Putin"}, {"label": "PER", "pattern": "Wladimir Putin"},
        {"label": "PER", "pattern": "Nizza"}, {"label": "LOC", "pattern": "Brüssel"},
        {"label": "LOC", "pattern": "Kursk"}, {"label": "ORG", "pattern": "NATO"},
        {"label": "ORG", "pattern": "Nato"}, {"label": "ORG", "pattern": "Russland"},
    ])
    path = tmp_path_factory.mktemp("rule_model")
    nlp.to_disk(path)
    return path


def test_missing_model_is_a_search_error(tmp_path):
    with pytest.raises(ModelNotFound) as caught:
        EntityExtractor(tmp_path / "no_model")
    assert isinstance(caught.value, SearchError)
    assert "no_model" in caught.value.message and caught.value.hint


def test_extract_yields_one_result_per_text_in_order(rule_model):
    texts = [
        "Berlin. Die NATO tagt in Brüssel. Putin schweigt; Wladimir Putin droht.",
        "",
        "Nizza lachte am 28.10.2024.",
        "Truppen in der Region Kursk, sagte Mark Rutte. Die Nato und Russland ...",
    ]
    found = list(EntityExtractor(rule_model, batch_size=2).extract(iter(texts)))
    assert found == [
        DocumentEntities(("Wladimir Putin",), (("Deutschland", "DE"),), ("NATO",), ()),   # Brüssel: a seat
        DocumentEntities(),
        DocumentEntities((), (), (), ("2024-10-28", "2024-10", "2024")),   # Nizza as PER: no country
        DocumentEntities(("Mark Rutte",), (("Russland", "RU"),), ("NATO",), ()),
    ]


@pytest.mark.parametrize("mentions, countries", [
    ([Mention("LOC", "Nizza", 0)], (("Frankreich", "FR"),)),     # Nizza counts as a LOC ...
    ([Mention("PER", "Nizza", 0)], ()),                           # ... not as a person
    ([Mention("LOC", "Essen", 0)], ()),                           # common word, even as LOC
    ([Mention("MISC", "Nizza", 0)], ()),
])
def test_city_names_count_only_as_loc(mentions, countries):
    assert document_entities("Nizza sagte zu Essen nichts.", mentions).countries == countries


def test_org_mentions_that_are_countries_are_no_organisations():
    found = document_entities("Russland und die NATO", [Mention("ORG", "Russland", 0), Mention("ORG", "NATO", 17)])
    assert found.organisations == ("NATO",)
    assert found.countries == (("Russland", "RU"),)


def test_person_mentions_that_are_countries_are_no_persons():
    found = document_entities("Unterstützung Nordkoreas", [Mention("PER", "Nordkoreas", 14)])
    assert found.persons == ()
    assert found.countries == (("Nordkorea", "KP"),)


@pytest.mark.parametrize("mentions, persons", [
    (["Warschau", "Washington"], ()),                              # one-word places tagged PER
    (["George Washington", "Washington"], ("George Washington",)),  # ... unless a surname here
    (["Nizza"], ()),
    (["Kramp-Karrenbauer"], ("Annegret Kramp-Karrenbauer",)),       # a minister: the catalogue names her
])
def test_one_word_place_names_are_no_persons(mentions, persons):
    found = document_entities("Text", [Mention("PER", mention, 0) for mention in mentions])
    assert found.persons == persons


@pytest.mark.parametrize("mention", ["Russlands Krieg", "Nordkorea Russland", "Russlands Präsident"])
def test_org_mentions_starting_with_a_country_are_dropped(mention):
    assert document_entities(mention, [Mention("ORG", mention, 0)]).organisations == ()


@pytest.mark.parametrize("mention", ["Russlands Krieg", "Nordkorea Russland", "Russlands Präsident", "Nordkoreas"])
def test_person_mentions_starting_with_a_country_are_dropped(mention):
    assert document_entities(mention, [Mention("PER", mention, 0)]).persons == ()


def test_possessive_of_a_person_is_no_organisation():
    mentions = [Mention("PER", "Wladimir Putin", 0), Mention("ORG", "Putins Krieg", 20), Mention("ORG", "NATO", 40)]
    found = document_entities("Wladimir Putin ... Putins Krieg ... NATO", mentions)
    assert (found.persons, found.organisations) == (("Wladimir Putin",), ("NATO",))


def test_merge_corpus_persons():
    documents = [
        DocumentEntities(persons=("Wladimir Putin",)),
        DocumentEntities(persons=("Putin", "Clinton", "Wladimir Putin")),
        DocumentEntities(persons=("Bill Clinton",)),
        DocumentEntities(persons=("Hillary Clinton", "Franz Josef Strauss")),
        DocumentEntities(persons=("Franz Josef Strauß",)),
    ]
    merged = merge_corpus_persons(documents)
    assert [d.persons for d in merged] == [
        ("Wladimir Putin",),
        ("Wladimir Putin", "Clinton"),
        ("Bill Clinton",),
        ("Hillary Clinton", "Franz Josef Strauß"),
        ("Franz Josef Strauß",),
    ]


def test_corpus_pass_relabels_by_majority_and_unifies_spellings():
    documents = [
        DocumentEntities(persons=("Wolodymyr Selenskyj",), organisations=("Europäischen Union",)),
        DocumentEntities(persons=("Wolodymyr Selenskyj", "Vereinten Nationen")),
        DocumentEntities(organisations=("Wolodymyr Selenskyj", "Europäische Union", "NATO")),
        DocumentEntities(organisations=("Vereinten Nationen",)),
        DocumentEntities(organisations=("Vereinten Nationen",)),
    ]
    merged = merge_corpus_persons(documents)
    assert merged[0] == DocumentEntities(persons=("Wolodymyr Selenskyj",), organisations=("Europäische Union",))
    assert merged[1] == DocumentEntities(persons=("Wolodymyr Selenskyj",), organisations=("Vereinten Nationen",))
    assert merged[2] == DocumentEntities(persons=("Wolodymyr Selenskyj",), organisations=("Europäische Union", "NATO"))
    assert merged[3] == DocumentEntities(organisations=("Vereinten Nationen",))


@real_model
def test_seed_article_facets_with_shipped_model():
    (found,) = EntityExtractor().extract([seed_text()])
    assert set(found.persons) == {"Mark Rutte", "Wladimir Putin", "Wolodymyr Selenskyj"}
    assert {name for name, _ in found.countries} == {
        "Russland", "Ukraine", "Nordkorea", "Südkorea", "Deutschland",   # not Belgien: Brüssel is the NATO's seat
    }
    assert set(found.organisations) == {"NATO"}
    assert found.mentioned_dates == ()


@real_model
def test_seed_article_through_the_reader():
    """The build passes title + body (``Article.entity_text``): same facets, dateline on line 2."""
    from indexer.ingest.readers import read_paths

    (article,) = [a for a in read_paths([SEED_ARTICLE]) if hasattr(a, "entity_text")]
    (found,) = EntityExtractor().extract([article.entity_text()])
    assert set(found.persons) == {"Mark Rutte", "Wladimir Putin", "Wolodymyr Selenskyj"}
    assert {code for _, code in found.countries} == {"RU", "UA", "KP", "KR", "DE"}
    assert found.organisations == ("NATO",)


@real_model
@pytest.mark.slow
def test_demo_corpus_gives_one_result_per_text_in_order():
    """300 speeches (several batches): one result each, in input order. Speed is measured by
    ``python -m benchmarks.throughput --demo-only`` (NER words/s on these texts), not here."""
    with gzip.open(DEMO_CORPUS, "rt", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle][:300]
    found = list(EntityExtractor().extract(texts))
    assert len(found) == len(texts)
    assert all(isinstance(f, DocumentEntities) for f in found)
    assert list(EntityExtractor().extract(texts[150:153])) == found[150:153]  # the same alone as in a batch
