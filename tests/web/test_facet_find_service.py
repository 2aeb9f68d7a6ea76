"""The facet filter box in the service: ``SearchRequest.facet_find`` searches all values of a
facet (over the web index with its literal entities), and ``SearchService.facet`` answers one
facet without the hits."""

from __future__ import annotations

import pytest

from indexer.errors import BadRequestError
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService


@pytest.fixture(scope="module")
def web_service(web_index_dir):
    with SearchService(web_index_dir) as service:
        yield service


def values(facet) -> dict[str, tuple[int, bool]]:
    return {v.value: (v.count, v.selected) for v in facet.values}


def test_the_filter_box_finds_a_value_far_below_the_shown_ones(web_service):
    top = web_service.search(SearchRequest(facet_limit=2)).facet("country")
    assert "Polen" not in values(top) and top.total_values > 10
    found = web_service.search(SearchRequest(facet_limit=2, facet_find={"country": "pol"})).facet("country")
    assert values(found) == {"Polen": (1, False)} and found.total_values == 1


def test_matches_are_counted_and_cut_to_the_limit(web_service):
    found = web_service.search(SearchRequest(facet_limit=1, facet_find={"country": "KOREA"})).facet("country")
    assert found.total_values == 2 and values(found) == {"Nordkorea": (9, False)}


def test_a_selected_value_stays_when_it_does_not_match(web_service):
    request = SearchRequest(filters={"country": ("Japan",)}, facet_find={"country": "süd"})
    assert values(web_service.search(request).facet("country")) == {"Südkorea": (3, False), "Japan": (2, True)}


def test_no_match_is_an_empty_facet(web_service):
    facet = web_service.search(SearchRequest(facet_find={"person": "Atlantis"})).facet("person")
    assert facet.values == [] and facet.total_values == 0


def test_one_facet_without_hits_equals_the_facet_of_the_page(web_service):
    request = SearchRequest(query="Nordkorea", filters={"country": ("Russland",)}, facet_find={"person": "w"})
    facet = web_service.facet(request, "person")
    assert facet == web_service.search(request).facet("person")
    assert set(values(facet)) == {"Wladimir Putin", "Wolodymyr Selenskyj"}


def test_an_unknown_facet_is_a_bad_request(web_service):
    with pytest.raises(BadRequestError):
        web_service.facet(SearchRequest(), "genre")
    with pytest.raises(BadRequestError):
        web_service.search(SearchRequest(facet_find={"genre": "Krimi"}))
