"""Entity and date fields of the query language, end to end over ``tests/fixtures/query_fields.jsonl``.

Each query must return exactly the articles that carry the value, no others. The
entities come from the shipped NER model; what it finds in these five articles:

* qf-1: Emmanuel Macron, Olaf Scholz; Frankreich; NATO; mentions 3. Oktober 2025
* qf-2: Donald Tusk, Olaf Scholz; Polen; Europäische Union; mentions 2019
* qf-3: Emmanuel Macron, Giorgia Meloni; Frankreich, Italien; Vereinten Nationen; no date
* qf-4: Pedro Sánchez; Spanien; mentions 16.11.2023
* qf-5: no person; Belgien, Ukraine; NATO; mentions 2025
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from indexer.cli import search_command
from indexer.search.results import SearchRequest

ALL = {"qf-1", "qf-2", "qf-3", "qf-4", "qf-5"}


def ids(service, query: str) -> set[str]:
    page = service.search(SearchRequest(query=query, page_size=50))
    assert page.total == len(page.hits)
    return {hit.id for hit in page.hits}


def test_the_model_found_what_the_table_says(field_service):
    """The premise of the tests below; if the model changes, fix the table first."""
    found = {i: field_service.document(i) for i in sorted(ALL)}
    assert {i: set(d.persons) for i, d in found.items()} == {
        "qf-1": {"Emmanuel Macron", "Olaf Scholz"}, "qf-2": {"Donald Tusk", "Olaf Scholz"},
        "qf-3": {"Emmanuel Macron", "Giorgia Meloni"}, "qf-4": {"Pedro Sánchez"}, "qf-5": set()}
    assert {i: set(d.countries) for i, d in found.items()} == {
        "qf-1": {"Frankreich"}, "qf-2": {"Polen"}, "qf-3": {"Frankreich", "Italien"}, "qf-4": {"Spanien"},
        "qf-5": {"Belgien", "Ukraine"}}
    assert found["qf-1"].organisations == ["NATO"] and found["qf-5"].organisations == ["NATO"]


@pytest.mark.parametrize("query, expected", [
    ('person:"Olaf Scholz"', {"qf-1", "qf-2"}),
    ("person:Scholz", {"qf-1", "qf-2"}),  # a surname finds the full name
    ("person:scholz", {"qf-1", "qf-2"}),
    ('person:"emmanuel macron"', {"qf-1", "qf-3"}),
    ("person:Macron", {"qf-1", "qf-3"}),
    ("person:Tusk", {"qf-2"}),
    ("person:Meloni", {"qf-3"}),
    ("person:Sánchez", {"qf-4"}),
    ('person:"Donald Trump"', set()),
    ("person:Merz", set()),
])
def test_person(field_service, query, expected):
    assert ids(field_service, query) == expected


@pytest.mark.parametrize("query, expected", [
    ("country:Frankreich", {"qf-1", "qf-3"}),
    ("country:frankreich", {"qf-1", "qf-3"}),
    ("country:FR", {"qf-1", "qf-3"}),  # ISO code
    ("country:fr", {"qf-1", "qf-3"}),
    ("country:Polen", {"qf-2"}),
    ("country:PL", {"qf-2"}),
    ("country:Italien", {"qf-3"}),
    ("country:IT", {"qf-3"}),
    ("country:ES", {"qf-4"}),
    ("country:Ukraine", {"qf-5"}),
    ("country:UA", {"qf-5"}),
    ("country:RU", set()),
    ("country:Russland", set()),
])
def test_country(field_service, query, expected):
    assert ids(field_service, query) == expected


@pytest.mark.parametrize("query, expected", [
    ("org:NATO", {"qf-1", "qf-5"}),
    ("org:nato", {"qf-1", "qf-5"}),
    ('org:"Europäische Union"', {"qf-2"}),
    ('org:"europaische union"', {"qf-2"}),  # umlaut-insensitive
    ("org:Bundeswehr", set()),
])
def test_org(field_service, query, expected):
    assert ids(field_service, query) == expected


@pytest.mark.parametrize("query, expected", [
    ("mentioned:2025", {"qf-1", "qf-5"}),  # "3. Oktober 2025" and "für 2025"
    ("mentioned:2025-10", {"qf-1"}),
    ("mentioned:2025-10-03", {"qf-1"}),
    ("mentioned:2019", {"qf-2"}),  # "im Jahr 2019"
    ("mentioned:2023-11-16", {"qf-4"}),  # "am 16.11.2023"
    ("mentioned:2023", {"qf-4"}),  # not qf-3, published in 2023 but mentioning no date
    ("mentioned:2024", set()),  # qf-2 and qf-5 were published in 2024 but do not mention it
    ("mentioned:2025-10-04", set()),
])
def test_mentioned(field_service, query, expected):
    assert ids(field_service, query) == expected


def test_mentioned_is_not_the_publication_date(field_service):
    assert ids(field_service, "date:2025") == {"qf-1"}
    assert ids(field_service, "mentioned:2025") == {"qf-1", "qf-5"}


def test_mentioned_german_date_form(field_service):
    assert ids(field_service, "mentioned:03.10.2025") == {"qf-1"}


@pytest.mark.parametrize("query, expected", [
    ("person:Scholz country:FR", {"qf-1"}),
    ("person:Scholz OR person:Meloni", {"qf-1", "qf-2", "qf-3"}),
    ("person:Macron NOT country:Italien", {"qf-1"}),
    ("person:Macron NICHT country:IT", {"qf-1"}),
    ("org:NATO mentioned:2025-10", {"qf-1"}),
    ("country:Frankreich Gipfeltreffen", {"qf-1"}),
    ("Grenze NOT person:Tusk", {"qf-3"}),
])
def test_fields_combine_with_words_and_operators(field_service, query, expected):
    assert ids(field_service, query) == expected


@pytest.mark.parametrize("query, expected", [("person:Macron -country:IT", {"qf-1"}),
                                             ("Grenze -person:Tusk", {"qf-3"})])
def test_leading_minus_excludes_a_field(field_service, query, expected):
    assert ids(field_service, query) == expected


def test_person_without_accent(field_service):
    assert ids(field_service, "person:Sanchez") == {"qf-4"}


def test_fields_through_the_cli(field_index_dir):
    result = CliRunner().invoke(search_command, ["country:RU OR country:PL", "--json", "--index", str(field_index_dir)])
    assert result.exit_code == 0, result.output
    assert {h["id"] for h in json.loads(result.output)["hits"]} == {"qf-2"}
