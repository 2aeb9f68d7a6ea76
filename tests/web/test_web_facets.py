"""Facet semantics through the web layer: OR within a facet, AND across, disjunctive counts.

Expected numbers are computed from the hits themselves (every hit carries its entities),
so the tests hold for any ranking and any analyser change.
"""

from __future__ import annotations

from collections import Counter

import pytest


def search(client, **params) -> dict:
    response = client.get("/api/search", query_string={"size": 100, **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def facet(data: dict, name: str) -> dict[str, tuple[int, bool]]:
    values = next(f for f in data["facets"] if f["name"] == name)["values"]
    return {v["value"]: (v["count"], v["selected"]) for v in values}


def counts(data: dict, name: str) -> dict[str, int]:
    return {value: count for value, (count, _) in facet(data, name).items()}


def tally(hits: list[dict], key: str) -> Counter:
    return Counter(value for hit in hits for value in hit[key])


@pytest.fixture()
def nordkorea(client) -> dict:
    return search(client, q="Nordkorea", more=["person", "country", "org"])


def test_counts_without_selection_match_the_hits(nordkorea):
    assert nordkorea["total"] == len(nordkorea["hits"]) > 5
    assert counts(nordkorea, "country") == dict(tally(nordkorea["hits"], "countries"))
    assert counts(nordkorea, "person") == dict(tally(nordkorea["hits"], "persons"))
    assert counts(nordkorea, "organisation") == dict(tally(nordkorea["hits"], "organisations"))
    assert not any(selected for _, selected in facet(nordkorea, "country").values())


def test_one_country_narrows_hits_to_its_count(client, nordkorea):
    data = search(client, q="Nordkorea", country="Russland")
    assert data["total"] == counts(nordkorea, "country")["Russland"]
    assert all("Russland" in hit["countries"] for hit in data["hits"])
    assert facet(data, "country")["Russland"] == (data["total"], True)


def test_selecting_a_country_keeps_the_other_countries_counts(client, nordkorea):
    data = search(client, q="Nordkorea", country="Russland", more="country")
    assert counts(data, "country") == counts(nordkorea, "country")  # disjunctive: own filter ignored
    assert facet(data, "country")["Japan"] == (counts(nordkorea, "country")["Japan"], False)


def test_other_facets_are_counted_over_the_filtered_hits(client):
    data = search(client, q="Nordkorea", country="Russland", more=["person", "org"])
    assert counts(data, "person") == dict(tally(data["hits"], "persons"))
    assert counts(data, "organisation") == dict(tally(data["hits"], "organisations"))


def test_two_values_of_one_facet_are_or(client, nordkorea):
    data = search(client, q="Nordkorea", country=["Russland", "Japan"])
    expected = {h["id"] for h in nordkorea["hits"] if {"Russland", "Japan"} & set(h["countries"])}
    assert {h["id"] for h in data["hits"]} == expected
    assert data["total"] > max(counts(nordkorea, "country")["Russland"], counts(nordkorea, "country")["Japan"])
    selected = {value for value, (_, on) in facet(data, "country").items() if on}
    assert selected == {"Russland", "Japan"}


def test_values_of_different_facets_are_and(client, nordkorea):
    data = search(client, q="Nordkorea", country="Russland", person="Kim Jong Un")
    expected = {h["id"] for h in nordkorea["hits"] if "Russland" in h["countries"] and "Kim Jong Un" in h["persons"]}
    assert {h["id"] for h in data["hits"]} == expected and expected
    # the person facet is counted with the country filter, the country facet with the person filter
    assert facet(data, "person")["Kim Jong Un"] == (counts(search(client, q="Nordkorea", country="Russland"), "person")["Kim Jong Un"], True)
    assert counts(data, "country")["Russland"] == len(expected)


def test_org_parameter_filters_organisations(client):
    data = search(client, org="Europäische Union")
    assert data["total"] == 2
    assert all("Europäische Union" in h["organisations"] for h in data["hits"])
    assert data["filters"] == {"org": ["Europäische Union"]}


def test_selected_value_without_matches_still_shows_as_selected(client):
    data = search(client, q="Raketentests", country="Mali")
    assert data["total"] == 0
    assert facet(data, "country")["Mali"] == (0, True)


def test_dates_and_facets_combine(client, nordkorea):
    data = search(client, q="Nordkorea", **{"from": "2024-01-01", "to": "2024-12-31"})
    assert all(h["date"].startswith("2024") for h in data["hits"])
    assert counts(data, "country") == dict(tally(data["hits"], "countries"))
    years = {v["value"]: v["count"] for v in next(f for f in data["facets"] if f["name"] == "year")["values"]}
    assert years == dict(Counter(h["date"][:4] for h in nordkorea["hits"] if h["date"]))  # date facet ignores its own filter
    months = next(f for f in data["facets"] if f["name"] == "month")
    assert sum(v["count"] for v in months["values"]) == data["total"]


def test_facet_filter_box_narrows_values_and_keeps_selection(client):
    data = search(client, country_find="kor", country="Japan")
    assert set(counts(data, "country")) == {"Nordkorea", "Südkorea", "Japan"}


def test_html_checkboxes_match_api_counts(client):
    data = search(client, q="Nordkorea", country="Russland")
    html = client.get("/?q=Nordkorea&country=Russland").get_data(as_text=True)
    for value, count in counts(data, "country").items():
        assert f'<span class="value">{value}</span> <span class="count">{count}</span>' in html
