"""Entity pages in the web app: ``/entities/<facet>/<name>``, ``/api/entities/<facet>/<name>``, the
404s with the closest names, odd names in URLs, and the links from the search and document pages.

Over the ten literal articles of ``entity_index_dir`` (tests/conftest.py), whose entities are given.
"""

from __future__ import annotations

import html as html_module
import re
from urllib.parse import unquote

import pytest

from search_web import create_app

ODD = [("organisation", "Bündnis 90/Die Grünen"), ("country", "Côte d'Ivoire"),
       ("organisation", 'Stiftung "Neue Wege"')]


@pytest.fixture(scope="module")
def entity_app(entity_index_dir):
    app = create_app({"SEARCH_INDEX": str(entity_index_dir), "TESTING": True})
    yield app
    app.extensions["search"].close()


@pytest.fixture()
def web(entity_app):
    return entity_app.test_client()


def url(app, facet: str, name: str, endpoint: str = "entities.page") -> str:
    with app.test_request_context():
        from flask import url_for
        return url_for(endpoint, facet=facet, name=name)


def text(response) -> str:
    return response.get_data(as_text=True)


def href(raw: str) -> str:
    """An href attribute's URL, readable: ``/?person=Wladimir Putin&country=Russland``."""
    return unquote(raw.replace("&amp;", "&").replace("+", " "))


def test_page_shows_count_timeline_related_and_hits(web):
    response = web.get("/entities/person/Wladimir%20Putin")
    assert response.status_code == 200
    html = text(response)
    assert "<h1>Wladimir Putin</h1>" in html and "<strong>5</strong> Dokumente" in html
    assert re.findall(r'aria-label="(\d{4}): (\d+) Artikel"', html) == [("2022", "2"), ("2023", "1"), ("2024", "2")]
    rows = re.findall(r'<tr>\s*<td><a class="related-page" href="([^"]+)">([^<]+)</a></td>\s*<td[^>]*>(\d+)</td>\s*'
                      r'<td class="num">([^<]+)</td>\s*<td><a class="together" href="([^"]+)"', html)
    countries = [(name, count, lift) for _, name, count, lift, _ in rows if name in ("Russland", "China", "Deutschland")]
    assert countries == [("Russland", "4", "×2,0"), ("China", "3", "×2,0"), ("Deutschland", "5", "×1,0")]
    russland = next(row for row in rows if row[1] == "Russland")
    assert russland[0] == "/entities/country/Russland"
    assert href(russland[4]) == "/?person=Wladimir Putin&country=Russland"
    assert html.count('class="hit"') == 5 and 'href="/?person=Wladimir+Putin"' in html


def test_together_in_one_facet_goes_into_the_query(web):
    html = text(web.get("/entities/person/Wladimir%20Putin"))
    xi = re.search(r'>Xi Jinping</a>.*?class="together" href="([^"]+)"', html, re.DOTALL)[1]
    assert href(xi) == '/?q=person:"Xi Jinping"&person=Wladimir Putin'
    response = web.get(xi.replace("&amp;", "&"))
    assert "<strong>3</strong> Treffer" in text(response)


def test_narrowed_like_the_search(web):
    html = text(web.get("/entities/person/Wladimir%20Putin?q=Sanktionen&from=2024"))
    assert "<strong>0</strong> Dokumente von 1 in der Eingrenzung" in html
    html = text(web.get("/entities/person/Wladimir%20Putin?q=Sanktionen"))
    assert "<strong>2</strong> Dokumente von 3 in der Eingrenzung" in html and "Suche: Sanktionen" in html
    assert "<mark>" in html
    assert web.get("/entities/person/Wladimir%20Putin?from=2024-13-01").status_code == 400
    assert web.get("/entities/person/Wladimir%20Putin?colour=red").status_code == 400
    assert web.get('/api/entities/person/Wladimir%20Putin?q=%29').status_code == 400   # a stray bracket


def test_api_twin(web):
    data = web.get("/api/entities/person/Wladimir%20Putin?q=Sanktionen").get_json()
    assert (data["facet"], data["value"], data["total"], data["scope"], data["min_count"]) == \
        ("person", "Wladimir Putin", 2, 3, 3)
    assert [v["count"] for v in data["timeline"]["year"]] == [2]  # 2022 only: both Sanktionen articles
    full = web.get("/api/entities/person/Wladimir%20Putin").get_json()
    assert [(v["value"], v["count"]) for v in full["timeline"]["year"]] == [("2022", 2), ("2023", 1), ("2024", 2)]
    countries = next(f for f in full["related"] if f["name"] == "country")["values"]
    assert [(v["value"], v["count"], v["documents"], v["lift"]) for v in countries] == \
        [("Russland", 4, 4, 2.0), ("China", 3, 3, 2.0), ("Deutschland", 5, 10, 1.0)]
    assert countries[0]["url"] == "/entities/country/Russland" and countries[0]["api_url"] == "/api/entities/country/Russland"
    assert {hit["id"] for hit in data["hits"]} == {"ep-1", "ep-2"}
    assert data["links"]["html"] == "/entities/person/Wladimir%20Putin?q=Sanktionen"


@pytest.mark.parametrize("path", ["/entities/person/Putn", "/api/entities/person/Putn"])
def test_unknown_name_is_a_404_with_the_closest_names(web, path):
    response = web.get(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        data = response.get_json()
        assert data["suggestions"][0] == {"value": "Wladimir Putin", "url": "/entities/person/Wladimir%20Putin",
                                          "api_url": "/api/entities/person/Wladimir%20Putin"}
    else:
        assert 'Meinten Sie:' in text(response) and 'href="/entities/person/Wladimir%20Putin"' in text(response)


@pytest.mark.parametrize("path", ["/entities/ort/Berlin", "/api/entities/ort/Berlin", "/entities/person/", "/entities/"])
def test_unknown_facet_is_a_404(web, path):
    assert web.get(path).status_code == 404


def test_another_spelling_redirects_to_the_one_url(web):
    response = web.get("/entities/org/nato?q=NATO")
    assert response.status_code == 302 and response.headers["Location"] == "/entities/organisation/NATO?q=NATO"
    assert web.get("/entities/person/putin").headers["Location"] == "/entities/person/Wladimir%20Putin"


@pytest.mark.parametrize("facet, name", ODD)
def test_odd_names_round_trip(entity_app, web, facet, name):
    page = url(entity_app, facet, name)
    response = web.get(page)
    assert response.status_code == 200, page
    html = text(response)
    assert f"<h1>{escape(name)}</h1>" in html
    data = web.get(url(entity_app, facet, name, "entities.api")).get_json()
    assert data["value"] == name and data["links"]["html"] == page


def escape(value: str) -> str:
    from markupsafe import escape as markup
    return str(markup(value))


def test_search_page_links_facet_values_and_chips(entity_app, web):
    for facet, name in ODD[:2]:
        assert f'href="{escape(url(entity_app, facet, name))}"' in text(web.get("/")), name
    html = text(web.get("/?org=B%C3%BCndnis+90/Die+Gr%C3%BCnen"))
    chip = re.search(r'aria-label="Filter entfernen: Organisation: [^"]+">.*?</a><a class="entity-page" href="([^"]+)"',
                     html, re.DOTALL)[1]
    assert chip == url(entity_app, *ODD[0])
    assert 'name="org" value="Bündnis 90/Die Grünen" checked' in html  # the filter itself still works


def test_document_page_links_each_entity(entity_app, web):
    html = text(web.get("/documents/ep-7?q=Scholz"))
    pages = [html_module.unescape(page) for page in re.findall(r'class="entity-page" href="([^"]+)"', html)]
    assert pages == [url(entity_app, "person", "Olaf Scholz"), url(entity_app, "country", "Deutschland"),
                     url(entity_app, *ODD[1]), url(entity_app, *ODD[0])]
    assert 'title="Zur Suche hinzufügen: Olaf Scholz"' in html  # the filter links stay
    for page in pages:
        assert web.get(page).status_code == 200, page


def test_screenshot_option_builds_the_entity_url(entity_app):
    """``python -m tools.screenshot --entity …`` (never run here) shows the page url_for links to."""
    from tools.screenshot import ENTITY_SCREENSHOT, SCREENSHOT, parse_args

    args = parse_args(["--entity", "organisation:Bündnis 90/Die Grünen"])
    assert (args.page, args.out) == (url(entity_app, *ODD[0]), ENTITY_SCREENSHOT)
    assert parse_args([]).out == SCREENSHOT


@pytest.mark.parametrize("name", ["Wladimir Putin", "Bündnis 90/Die Grünen", "AT&T", "Café „Zum Löwen“", "100 %?#",
                                  "O'Neill", "a+b=c;d@e", "/führend"])
@pytest.mark.parametrize("endpoint", ["entities.page", "entities.api"])
def test_entity_links_equal_what_url_for_builds(entity_app, name, endpoint):
    """``entity_url`` builds one prefix per request and quotes the name as werkzeug's path converter does."""
    from flask import url_for

    from search_web.entities import entity_url

    with entity_app.test_request_context("/"):
        for facet, param in (("person", "person"), ("organisation", "org")):
            assert entity_url(param, name, endpoint=endpoint) == url_for(endpoint, facet=facet, name=name)


@pytest.mark.parametrize("doc_id", ["000_923481393c34947e", "rede/2024/17 §3", "a b?c#d%e", "Ä&ö+ü=ß", "x/../y"])
@pytest.mark.parametrize("endpoint", ["web.document", "api.document"])
def test_document_links_equal_what_url_for_builds(entity_app, doc_id, endpoint):
    from flask import url_for

    from search_web.urls import document_url

    with entity_app.test_request_context("/"):
        assert document_url(doc_id, endpoint) == url_for(endpoint, doc_id=doc_id)


def test_plain_data_of_a_page_equals_asdict(entity_app):
    """``to_jsonable`` of the result dataclasses is what ``asdict`` and a conversion gave."""
    import dataclasses
    import datetime as dt

    from indexer.search.results import SearchRequest, to_jsonable

    page = entity_app.extensions["search"].search(SearchRequest(query="Russland"))

    def old_way(value):
        if isinstance(value, dict):
            return {k: old_way(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [old_way(v) for v in value]
        return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value

    assert page.hits
    assert to_jsonable(page) == old_way(dataclasses.asdict(page))
