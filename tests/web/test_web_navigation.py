"""Navigation on the pages and in the JSON API (issue 13): date sort both ways, the timeline's
gaps, the facet filter box over all values (/api/facets/<param>), the phone drawer's markup and
the skip link, German numbers (Flask test client)."""

from __future__ import annotations

import re

import pytest

import search_web.params
import search_web.present
from indexer.text.numbers import german_number


def page_text(response) -> str:
    assert response.status_code == 200, response.data[:500]
    return response.get_data(as_text=True)


def hit_ids(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/documents/([^"?]+)', html)


def api(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_oldest_first_puts_undated_last_and_says_so(client):
    html = page_text(client.get("/?sort=date_asc&size=100"))
    assert "Artikel, älteste zuerst (2 ohne Datum)" in re.sub(r"<[^>]+>", "", html)
    dates = [d for d in re.findall(r'<span class="date">([^<]+)</span>', html)]
    assert dates[-2:] == ["ohne Datum", "ohne Datum"]
    days = [tuple(reversed(d.split("."))) for d in dates[:-2]]
    assert days == sorted(days)
    assert '<strong aria-current="true">älteste zuerst</strong>' in html
    assert 'href="/?sort=date&amp;size=100">neueste zuerst</a>' in html


def test_count_line_keeps_a_space_before_the_undated_count(client):
    html = page_text(client.get("/"))
    assert 'Artikel, neueste zuerst <span class="undated">(2 ohne Datum)</span>' in html
    text = " ".join(re.sub(r"<[^>]+>", "", html).split())
    assert "Artikel, neueste zuerst (2 ohne Datum)" in text


def test_query_sorted_oldest_first_through_the_api(client):
    newest = api(client, "/api/search?q=Nordkorea&sort=date&size=100")
    oldest = api(client, "/api/search?q=Nordkorea&sort=date_asc&size=100")
    dated = [h["date"] for h in newest["hits"] if h["date"]]
    assert [h["date"] for h in oldest["hits"]] == sorted(dated) + [None] * newest["undated"]
    assert oldest["sort"] == "date_asc" and oldest["links"]["self"].endswith("sort=date_asc&size=100")


def test_year_gaps_are_zero_in_the_api_and_empty_rows_on_the_page(client):
    data = api(client, "/api/search?country=Japan")  # w-nk-8 (2022) and w-nk-2 (2024)
    years = next(f for f in data["facets"] if f["name"] == "year")
    assert [(v["value"], v["count"]) for v in years["values"]] == [("2022", 1), ("2023", 0), ("2024", 1)]
    assert years["total_values"] == 2
    html = page_text(client.get("/?country=Japan"))
    assert '<li class="gap"><span class="row" role="img" aria-label="2023: 0 Artikel">' in html
    assert 'href="/?country=Japan&amp;from=2023-01-01' not in html  # an empty year links nowhere


def test_month_gaps_show_between_the_first_and_the_last_month(client):
    html = page_text(client.get("/?from=2024-01-01&to=2024-12-31"))
    months = html.split('class="histogram months"')[1].split("</ul>")[0]
    empty = re.findall(r'<li class="gap"><span class="row" role="img" aria-label="(\w+): 0 Artikel">', months)
    assert empty == ["März", "April", "Juli", "August"]
    assert months.count("<li") == 11  # Februar to Dezember


def test_facet_endpoint_searches_all_values_and_renders_the_list(client):
    page = page_text(client.get("/"))
    assert 'value="Polen"' not in page  # not among the ten countries shown
    data = api(client, "/api/facets/country?country_find=pol")
    assert [(v["value"], v["count"]) for v in data["values"]] == [("Polen", 1)]
    assert data["total_values"] == 1 and not data["no_match"] and data["find"] == "pol"
    assert 'name="country" value="Polen"' in data["html"] and "<script" not in data["html"]
    assert data["links"]["html"] == "/?country_find=pol"


def test_facet_endpoint_takes_the_page_state(client):
    data = api(client, "/api/facets/person?q=Nordkorea&country=Russland&person_find=w")
    assert {v["value"] for v in data["values"]} == {"Wladimir Putin", "Wolodymyr Selenskyj"}
    assert data["links"]["self"] == "/api/facets/person?q=Nordkorea&country=Russland&person_find=w"


def test_facet_endpoint_says_when_nothing_matches(client):
    data = api(client, "/api/facets/org?org_find=Atlantis")
    assert data["no_match"] and data["values"] == []
    assert "„Atlantis“: keine Übereinstimmung" in data["html"]


@pytest.mark.parametrize("url, status", [("/api/facets/genre", 404), ("/api/facets/country?page=x", 400),
                                         ("/api/facets/country?country_find=" + "x" * 101, 400)])
def test_facet_endpoint_errors(client, url, status):
    response = client.get(url)
    assert response.status_code == status and response.get_json()["error"]


def test_without_script_the_filter_form_searches_all_values(client):
    html = page_text(client.get("/?q=&country_find=pol"))
    assert re.findall(r'name="country" value="([^"]+)"', html) == ["Polen"]
    assert 'name="country_find" value="pol"' in html
    assert 'data-facet-url="/api/facets/country"' in html


def test_the_expanded_list_says_it_shows_only_the_first(client, monkeypatch):
    monkeypatch.setattr(search_web.params, "MORE_LIMIT", 5)
    monkeypatch.setattr(search_web.present, "MORE_LIMIT", 5)
    html = page_text(client.get("/?more=country"))
    assert len(re.findall(r'name="country" value=', html)) == 5
    assert "Die ersten 5 von 12; das Suchfeld findet alle." in html
    found = page_text(client.get("/?country_find=a"))
    assert re.search(r"Die ersten 5 von \d+ Übereinstimmungen\.", found)


def test_the_drawer_button_skip_link_and_close_link(client):
    html = page_text(client.get("/?q=Nordkorea&country=Russland&person=Wladimir+Putin"))
    assert '<a class="skip" href="#main">Zum Inhalt springen</a>' in html
    assert '<a class="skip" href="#filter">Zu den Filtern</a>' in html
    assert '<a class="filter-toggle" id="filter-toggle" href="#filter" aria-controls="filter">Filter (2)</a>' in html
    assert html.index('id="filter-toggle"') < html.index('<ol class="hits"')  # at the top of the results
    assert '<aside class="facets" id="filter" aria-label="Filter" tabindex="-1">' in html
    assert '<a class="drawer-close" href="#results">Schließen</a>' in html
    assert "Zu den Filtern" not in page_text(client.get("/documents/nk-1"))


def test_one_number_format_for_pages_and_cli():
    from indexer import cli
    from search_web import create_app

    assert create_app.__globals__["german_number"] is german_number  # the template filter "zahl"
    assert cli.zahl is german_number


def test_big_counts_are_grouped_on_the_page(app):
    from flask import render_template

    from indexer.search.results import Facet, FacetValue, SearchPage, SearchRequest
    from search_web.params import SearchState
    from search_web.views import search_context

    page = SearchPage(SearchRequest(query="x"), 12345, [], [
        Facet("country", "Länder", [FacetValue("Russland", "Russland", 1200)], 1500),
        Facet("year", "Jahr", [FacetValue("2024", "2024", 12345)], 1)], None, 1, 10, 1235, 0.0, undated=1001)
    with app.test_request_context("/?q=x&sort=date"):
        html = render_template("search.html", **search_context(SearchState(query="x", sort="date"), page, "/"))
    text = " ".join(re.sub(r"<[^>]+>", "", html).split())
    assert "12.345 Treffer für „x“, neueste zuerst (1.001 ohne Datum)" in text
    assert '<span class="count">1.200</span>' in html and "alle 1.500 anzeigen" in html
    assert 'aria-label="2024: 12.345 Artikel"' in html
