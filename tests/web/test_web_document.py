"""The document page: the whole search travels along (back link, entity links), the
searched entities are marked, and "n Treffer im Dokument" with jump links (Flask test client).

``nk-1``: "Berlin. Nordkorea hat nach Angaben der NATO Soldaten nach Russland geschickt.
Generalsekretär Mark Rutte sprach in Brüssel von einer gefährlichen Eskalation. Wladimir
Putin ist auf Hilfe angewiesen." (persons Mark Rutte, Wladimir Putin; countries Nordkorea,
Russland; organisation NATO, from tests/web/conftest.py).
"""

from __future__ import annotations

import html as htmllib
import re

import pytest

SEARCH = "q=Soldaten&country=Russland&sort=date&page=2"


def page_text(response) -> str:
    assert response.status_code == 200, response.data[:500]
    return response.get_data(as_text=True)


def href(html: str, pattern: str) -> list[str]:
    """The unescaped ``href`` of every ``<a>`` whose attributes before href match ``pattern``."""
    return [htmllib.unescape(h) for h in re.findall(rf'<a {pattern}href="([^"]*)"', html)]


def marks(html: str) -> list[tuple[str, str]]:
    """(id, text) of each mark of the document body."""
    body = html.split('<div class="body">')[1].split("</div>")[0]
    return re.findall(r'<mark id="([^"]+)">([^<]*)</mark>', body)


def entity_item(html: str, label: str) -> str:
    aside = html.split('<aside class="entities"')[1]
    return next(item for item in aside.split("<li")[1:] if f">{label}</a>" in item)


def test_a_hit_links_to_its_document_with_the_whole_search(client):
    html = page_text(client.get("/?" + SEARCH.replace("page=2", "size=1&page=2")))
    (link,) = re.findall(r'<h2><a href="(/documents/[^"]+)"', html)
    assert htmllib.unescape(link).endswith("?q=Soldaten&country=Russland&sort=date&size=1&page=2")


def test_the_back_link_keeps_query_filters_sort_and_page(client):
    html = page_text(client.get("/documents/nk-1?" + SEARCH))
    assert href(html, "") and href(html, "")[0] == "/?" + SEARCH  # the first link of the page is the back link
    assert "← Zurück zur Suche nach „Soldaten“" in html


def test_an_entity_link_adds_the_entity_to_the_search_and_a_small_link_searches_it_alone(client):
    html = page_text(client.get("/documents/nk-1?" + SEARCH))
    putin = entity_item(html, "Wladimir Putin")
    added, alone = href(putin, r'(?:class="alone" )?')
    assert added == "/?q=Soldaten&person=Wladimir+Putin&country=Russland&sort=date"  # a new filter: page 1
    assert alone == "/?person=Wladimir+Putin"
    assert 'aria-label="Nur nach Wladimir Putin suchen"' in putin


def test_an_entity_already_in_the_search_is_shown_selected(client):
    html = page_text(client.get("/documents/nk-1?" + SEARCH + "&person=putin"))
    assert entity_item(html, "Russland").startswith(' class="selected"')
    assert entity_item(html, "Wladimir Putin").startswith(' class="selected"')  # as the search resolves "putin"
    assert not entity_item(html, "Nordkorea").startswith(' class="selected"')
    assert href(entity_item(html, "Russland"), "")[0] == "/?q=Soldaten&person=putin&country=Russland&sort=date"


def test_without_a_search_an_entity_has_one_link_and_there_are_no_jumps(client):
    html = page_text(client.get("/documents/nk-1"))
    assert href(entity_item(html, "NATO"), "") == ["/?org=NATO"]
    assert 'class="alone"' not in html and "Treffer im Dokument" not in html and "<mark" not in html


def test_the_searched_entities_are_marked_on_the_document_page(client):
    html = page_text(client.get("/documents/nk-1?q=Soldaten&person=Putin&country=Russland"))
    assert marks(html) == [("treffer-1", "Soldaten"), ("treffer-2", "Russland"), ("treffer-3", "Wladimir Putin")]


def test_an_entity_in_the_query_is_marked_too(client):
    html = page_text(client.get("/documents/nk-1?q=org%3ANATO"))
    assert marks(html) == [("treffer-1", "NATO")]


def test_hit_count_and_jump_links_between_the_marks(client):
    html = page_text(client.get("/documents/nk-1?q=Soldaten&person=Putin&country=Russland"))
    nav = html.split('<nav class="hit-jumps"')[1].split("</nav>")[0]
    assert "<strong>3</strong> Treffer im Dokument" in nav
    assert href(nav, 'class="jump" ') == ["#treffer-3", "#treffer-1"]  # previous from the top: the last
    assert 'data-jump="-1"' in nav and 'data-jump="1"' in nav
    numbers = re.findall(r'<a href="(#treffer-\d+)" aria-label="Treffer (\d+)">', nav)
    assert numbers == [("#treffer-1", "1"), ("#treffer-2", "2"), ("#treffer-3", "3")]


def test_the_results_page_marks_a_ticked_entity_in_snippets(client):
    html = page_text(client.get("/?q=Soldaten&person=Wladimir+Putin"))
    assert "<mark>Wladimir Putin</mark>" in html and "<mark>Soldaten</mark>" in html


def test_the_document_api_marks_the_searched_entities(client):
    data = client.get("/api/documents/nk-1?person=Mark+Rutte").get_json()
    (paragraph,) = [p for p in data["paragraphs"] if p["marks"]]
    assert [paragraph["text"][s:e] for s, e in paragraph["marks"]] == ["Mark Rutte"]
    assert "<mark>Mark Rutte</mark>" in data["body_html"]


@pytest.mark.parametrize("query, message", [("page=abc", "page"), ("farbe=rot", "Unbekannter Parameter"),
                                            ("q=offen%29", "Unerwartetes")])
def test_bad_search_parameters_on_the_document_page_are_a_400(client, query, message):
    response = client.get("/documents/nk-1?" + query)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
