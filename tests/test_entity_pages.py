"""The entity page's data (``SearchService.entity``), the lift ranking and ``search --entity``,
on ten literal articles with given entities (``entity_index_dir`` in conftest.py)."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from click.testing import CliRunner

from indexer.cli import search_command
from indexer.errors import EntityNotFound
from indexer.facets import by_name
from indexer.index.ordinals import FieldOrdinals, lookup_of
from indexer.search.related import closest, lift, related
from indexer.search.results import SearchRequest


def related_of(page, facet: str) -> list[tuple[str, int, float]]:
    return [(v.value, v.count, v.lift) for v in next(f for f in page.related if f.name == facet).values]


def years(page) -> dict[str, int]:
    return {v.value: v.count for v in page.facet("year").values}


def test_counts_timeline_and_hits(entity_service):
    page = entity_service.entity("person", "Wladimir Putin")
    assert (page.value, page.facet_name, page.total, page.scope, page.undated) == ("Wladimir Putin", "person", 5, 10, 0)
    assert years(page) == {"2022": 2, "2023": 1, "2024": 2}
    assert {hit.id for hit in page.hits} == {f"ep-{i}" for i in range(1, 6)}
    assert [hit.date for hit in page.hits] == sorted((hit.date for hit in page.hits), reverse=True)  # newest first


def test_timeline_gaps(entity_service):
    assert years(entity_service.entity("person", "Olaf Scholz")) == {"2020": 1, "2021": 1, "2022": 0, "2023": 0,
                                                                    "2024": 1}


def test_related_ranked_by_lift_not_by_count(entity_service):
    """Deutschland is in all five of Putin's articles, but also in every other one: lift 1, last."""
    page = entity_service.entity("person", "Wladimir Putin")
    assert related_of(page, "country") == [("Russland", 4, 2.0), ("China", 3, 2.0), ("Deutschland", 5, 1.0)]
    assert related_of(page, "person") == [("Xi Jinping", 3, 2.0)]  # the entity itself is not related to itself
    assert related_of(page, "organisation") == []  # NATO and the Greens share one article each: below 3
    assert page.min_count == 3


def test_min_count(entity_service):
    page = entity_service.entity("person", "Wladimir Putin", min_count=1)
    nato = next(v for v in next(f for f in page.related if f.name == "organisation").values if v.value == "NATO")
    assert (nato.count, nato.documents, nato.lift) == (1, 3, round(1 * 10 / (5 * 3), 2))


def test_narrowed_by_query_and_dates(entity_service):
    by_query = entity_service.entity("person", "Wladimir Putin", SearchRequest(query="Sanktionen"))
    assert (by_query.total, by_query.scope) == (2, 3)
    assert {hit.id for hit in by_query.hits} == {"ep-1", "ep-2"}
    assert any(mark for hit in by_query.hits for snippet in hit.snippets for mark in snippet.marks)
    by_date = entity_service.entity("person", "Wladimir Putin", SearchRequest(date_from=dt.date(2024, 1, 1)))
    assert (by_date.total, by_date.scope) == (2, 3)  # ep-9 has no date: outside any date range
    assert years(by_date) == {"2022": 2, "2023": 1, "2024": 2}  # the timeline keeps the other years visible
    one_year = entity_service.entity("person", "Wladimir Putin",
                                     SearchRequest(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31)))
    assert {v.value: v.count for v in one_year.facet("month").values} == {"2024-01": 1, "2024-02": 1}


@pytest.mark.parametrize("typed", ["wladimir putin", "WLADIMIR  PUTIN", "Wladimir Putin", "putin"])
def test_names_compare_by_folding(entity_service, typed):
    assert entity_service.entity("person", typed).value == "Wladimir Putin"


@pytest.mark.parametrize("facet, typed, stored", [
    ("organisation", "Bündnis 90/Die Grünen", "Bündnis 90/Die Grünen"),
    ("organisation", "buendnis 90/die gruenen", "Bündnis 90/Die Grünen"),
    ("country", "cote d'ivoire", "Côte d'Ivoire"),
    ("org", 'Stiftung "Neue Wege"', 'Stiftung "Neue Wege"'),
])
def test_odd_names(entity_service, facet, typed, stored):
    assert entity_service.entity(facet, typed).value == stored


def test_unknown_name_offers_the_closest(entity_service):
    with pytest.raises(EntityNotFound) as raised:
        entity_service.entity("person", "Putn")
    assert raised.value.suggestions[0] == "Wladimir Putin"
    assert raised.value.facet == "person" and "Wladimir Putin" in raised.value.hint


def test_a_word_of_several_values_is_not_a_name(entity_service):
    with pytest.raises(EntityNotFound) as raised:  # no value has both words: the two closest are offered
        entity_service.entity("person", "Annalena Putin")
    assert set(raised.value.suggestions[:2]) == {"Annalena Baerbock", "Wladimir Putin"}


def test_unknown_facet(entity_service):
    with pytest.raises(EntityNotFound, match="Unbekannte Facette"):
        entity_service.entity("ort", "Berlin")


def test_related_on_arrays():
    """Four documents; value 0 in all of them, value 1 only with the entity (documents 0 and 1)."""
    field = FieldOrdinals(["alle", "selten"], np.array([0, 1, 2, 3, 0, 1]), np.array([0, 0, 0, 0, 1, 1]),
                          lookup_of(["alle", "selten"]))
    scope, mentioned = np.ones(4, dtype=bool), np.array([True, True, False, False])
    found = related(field, scope, mentioned, min_count=2, limit=5)
    assert [(v.value, v.count, v.documents, v.lift) for v in found] == [("selten", 2, 2, 2.0), ("alle", 2, 4, 1.0)]
    assert related(field, scope, mentioned, min_count=3, limit=5) == []
    assert lift(6, 100, 10, 12) == 5.0
    assert closest(field, "seltn") == ["selten"]


def test_cli_entity(entity_index_dir):
    result = CliRunner().invoke(search_command, ["--entity", "person:Wladimir Putin", "--index", str(entity_index_dir)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Wladimir Putin ({by_name('person').singular}): 5 Dokumente"
    assert "Jahr: 2022: 2 · 2023: 1 · 2024: 2" in lines
    assert "  Länder: Russland (4, ×2,0) · China (3, ×2,0) · Deutschland (5, ×1,0)" in lines
    assert "Top-Dokumente:" in lines and any("ep-5" in line for line in lines)


def test_cli_entity_narrowed_json_and_errors(entity_index_dir):
    index = str(entity_index_dir)
    result = CliRunner().invoke(search_command, ["--entity", "person:Putn", "--index", index])
    assert result.exit_code == 2 and "Hinweis: Meinten Sie: Wladimir Putin" in result.output
    result = CliRunner().invoke(search_command, ["Sanktionen", "--entity", "person:putin", "--json", "--index", index])
    data = json.loads(result.output)
    assert (data["value"], data["total"], data["scope"]) == ("Wladimir Putin", 2, 3)
    result = CliRunner().invoke(search_command, ["--entity", "person:putin", "--format", "csv", "--index", index])
    assert result.exit_code == 2 and "--entity und --format" in result.output
    for bad in ("Putin", "ort:Berlin"):
        result = CliRunner().invoke(search_command, ["--entity", bad, "--index", index])
        assert result.exit_code == 2 and result.output.startswith("Fehler: ")
