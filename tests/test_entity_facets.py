"""Entities end to end: the shipped model -> normalised facets in the index -> CLI filters."""

import json

import pytest
from click.testing import CliRunner

from pathlib import Path

SEED_ARTICLE = Path(__file__).parent.parent / "seeds" / "000_923481393c34947e.txt"
from indexer.index.writer import entities_available
from indexer.cli import search_command

pytestmark = pytest.mark.skipif(not entities_available(), reason="NER model not shipped in indexer/data/ner_model yet")
SEED_ID = SEED_ARTICLE.stem


def search_json(index_dir, *args):
    result = CliRunner().invoke(search_command, [*args, "--json", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def facet_counts(data, name):
    facet = next(f for f in data["facets"] if f["name"] == name)
    return {v["value"]: v["count"] for v in facet["values"]}


def test_seed_article_facets_in_the_index(service):
    doc = service.document(SEED_ID)
    assert set(doc.persons) == {"Mark Rutte", "Wladimir Putin", "Wolodymyr Selenskyj"}
    assert set(doc.countries) == {"Russland", "Ukraine", "Nordkorea", "Südkorea", "Deutschland"}
    assert set(doc.organisations) == {"NATO"}


def test_hits_carry_their_entities(index_dir):
    data = search_json(index_dir, "Nordkorea")
    seed = next(h for h in data["hits"] if h["id"] == SEED_ID)
    assert "Wladimir Putin" in seed["persons"] and "Nordkorea" in seed["countries"] and seed["organisations"] == ["NATO"]


BROAD = "Soldaten OR Ukraine OR Südkorea"  # five documents whose entities differ
BROAD_HITS = {SEED_ID, "nk-1", "uk-1", "bw-1", "sk-1"}


@pytest.mark.parametrize("filters, expected", [
    ((("--person", "Wladimir Putin"),), {SEED_ID, "nk-1"}),
    ((("--person", "putin"),), {SEED_ID, "nk-1"}),  # a surname, lower case
    ((("--person", "Selenskyj"),), {SEED_ID, "uk-1"}),
    ((("--person", "Boris Pistorius"),), {"bw-1"}),
    ((("--country", "Russland"),), {SEED_ID, "nk-1", "uk-1"}),
    ((("--country", "RU"),), {SEED_ID, "nk-1", "uk-1"}),  # ISO code
    ((("--country", "Südkorea"),), {SEED_ID, "sk-1"}),
    ((("--country", "Mali"),), {"bw-1"}),
    ((("--org", "NATO"),), {SEED_ID, "nk-1"}),
    ((("--org", "Bundeswehr"),), {"bw-1"}),
    ((("--country", "Mali"), ("--country", "Südkorea")), {"bw-1", SEED_ID, "sk-1"}),  # one facet: OR
    ((("--person", "Putin"), ("--country", "Ukraine")), {SEED_ID}),  # two facets: AND
    ((("--org", "Bundeswehr"), ("--country", "Russland")), set()),
])
def test_cli_filters_by_entity(index_dir, filters, expected):
    assert {h["id"] for h in search_json(index_dir, BROAD)["hits"]} == BROAD_HITS
    args = [item for pair in filters for item in pair]
    data = search_json(index_dir, BROAD, *args)
    assert {h["id"] for h in data["hits"]} == expected
    assert data["total"] == len(expected)


def test_facet_counts_agree_with_filtered_totals(index_dir):
    unfiltered = search_json(index_dir, "Korea OR Soldat OR Ukraine")
    for name, option in (("country", "--country"), ("person", "--person"), ("organisation", "--org")):
        for value, count in facet_counts(unfiltered, name).items():
            assert search_json(index_dir, "Korea OR Soldat OR Ukraine", option, value)["total"] == count, (name, value)


def test_disjunctive_country_counts(index_dir):
    one = search_json(index_dir, "Korea OR Soldat OR Ukraine", "--country", "Russland")
    both = search_json(index_dir, "Korea OR Soldat OR Ukraine", "--country", "Russland", "--country", "Südkorea")
    unfiltered = search_json(index_dir, "Korea OR Soldat OR Ukraine")
    assert facet_counts(one, "country") == facet_counts(unfiltered, "country")  # own filter not applied
    assert both["total"] >= one["total"]
