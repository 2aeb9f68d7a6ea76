"""The facet registry is the vocabulary: every entry shows up everywhere a facet does.

A new entry in ``indexer.facets.ENTITY_FACETS`` or ``METADATA_FACETS`` is checked here as
a CLI option, a URL parameter that filters, a label and a chip on the page, an API facet,
an index field, a query-language field and an attribute of hits and documents, without
touching this file.
"""

from __future__ import annotations

import html
from dataclasses import fields

import pytest

from indexer.cli import search_command
from indexer.facets import (DATE_BOUNDS, ENTITY_FACETS, FACETS, LABELS, METADATA, METADATA_FACETS, MONTH_NAMES,
                            by_name, by_param, by_query_name)
from indexer.index.schema import FIELD_NAMES, build_schema
from indexer.ingest.documents import Article
from indexer.search.results import FACET_FIELDS, DocumentView, Hit
from indexer.text.folding import fold

EVERY_FACET = pytest.mark.parametrize("facet", FACETS, ids=lambda f: f.name)


def hit_values(hit: dict, facet) -> set[str]:
    """A JSON hit's values of ``facet``, folded: a list for entities, one string for metadata."""
    found = hit[facet.attribute]
    return {fold(v) for v in ([found] if isinstance(found, str) else found) if v}


def first_value(client, facet) -> tuple[str, int]:
    """The most frequent value of ``facet`` over all documents, and its count."""
    data = client.get("/api/search").get_json()
    values = next(f for f in data["facets"] if f["name"] == facet.name)["values"]
    assert values, f"the web fixtures have no {facet.name} values"
    return values[0]["value"], values[0]["count"]


@EVERY_FACET
def test_every_facet_is_a_cli_option_with_its_help(facet):
    options = {opt: param for param in search_command.params for opt in param.opts}
    option = options[facet.option]
    assert option.multiple and option.name == facet.name and option.help == facet.help


def test_the_date_bounds_are_cli_options():
    options = {opt for param in search_command.params for opt in param.opts}
    assert {bound.option for bound in DATE_BOUNDS} <= options


@EVERY_FACET
def test_every_facet_is_an_index_field_and_a_query_field(facet):
    assert facet.field in build_schema().names()
    assert facet.name in FACET_FIELDS  # the service accepts it as a filter
    assert all(FIELD_NAMES[name] == facet.field and by_query_name(name) is facet for name in facet.query_names)


@EVERY_FACET
def test_every_facet_url_parameter_filters(client, facet):
    value, count = first_value(client, facet)
    data = client.get("/api/search", query_string={facet.param: value}).get_json()
    assert data["total"] == count and data["filters"] == {facet.param: [value]}
    assert data["hits"] and all(fold(value) in hit_values(hit, facet) for hit in data["hits"])


@EVERY_FACET
def test_every_facet_has_its_label_and_chip_on_the_page(client, facet):
    value, _ = first_value(client, facet)
    page = html.unescape(client.get("/", query_string={facet.param: value}).get_data(as_text=True))
    assert f"<legend>{facet.label}</legend>" in page
    assert f"{facet.singular}: {value}" in page  # the chip
    assert f'name="{facet.find_param}"' in page or f'name="{facet.param}"' in page


@EVERY_FACET
def test_every_facet_is_in_the_api_with_param_and_label(client, facet):
    data = client.get("/api/search").get_json()
    entry = next(f for f in data["facets"] if f["name"] == facet.name)
    assert (entry["param"], entry["label"]) == (facet.param, facet.label)


@EVERY_FACET
def test_the_query_language_finds_what_the_filter_finds(client, facet):
    value, count = first_value(client, facet)
    data = client.get("/api/search", query_string={"q": f'{facet.param}:"{value}"'}).get_json()
    assert data["total"] == count


@EVERY_FACET
def test_lookups_agree(facet):
    assert by_name(facet.name) is by_param(facet.param) is facet
    assert LABELS[facet.name] == facet.label


@EVERY_FACET
def test_every_facet_is_an_attribute_of_hits_and_documents(facet):
    kind = "str" if facet.origin == METADATA else "list[str]"  # results.py's annotations, as strings
    for cls in (Hit, DocumentView):
        assert {f.name: f.type for f in fields(cls)}[facet.attribute] == kind


@pytest.mark.parametrize("facet", METADATA_FACETS, ids=lambda f: f.name)
def test_every_metadata_facet_is_read_from_the_input_record(facet):
    assert hasattr(Article(title="T", body="Text"), facet.attribute)


def test_the_registry_is_entities_then_metadata_without_duplicates():
    assert FACETS == ENTITY_FACETS + METADATA_FACETS
    assert {f.origin for f in ENTITY_FACETS} == {"entities"} and {f.origin for f in METADATA_FACETS} == {METADATA}
    for key in ("name", "param", "label", "singular", "attribute"):
        assert len({getattr(f, key) for f in FACETS}) == len(FACETS), key


def test_month_names_are_german():
    assert len(MONTH_NAMES) == 12 and MONTH_NAMES[2] == "März"


@pytest.mark.parametrize("typed, found", [("SUED", ["Südkorea"]), ("rußland", ["Russland"]), ("ukraine", ["Ukraine"])])
def test_the_filter_box_uses_the_folding_key(client, typed, found):
    data = client.get("/api/search", query_string={"country_find": typed}).get_json()
    values = next(f for f in data["facets"] if f["name"] == "country")["values"]
    assert [v["value"] for v in values] == found


def test_a_selected_value_in_another_spelling_is_the_stored_one(client):
    data = client.get("/api/search", query_string={"country": "RUSSLAND"}).get_json()
    values = {v["value"]: v["selected"] for f in data["facets"] if f["name"] == "country" for v in f["values"]}
    assert values["Russland"] is True and "RUSSLAND" not in values
