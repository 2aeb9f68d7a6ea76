"""Search and document pages, one test per page state (Flask test client)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest


def page_text(response) -> str:
    assert response.status_code == 200, response.data[:500]
    return response.get_data(as_text=True)


def hit_ids(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/documents/([^"?]+)', html)


def hit_dates(html: str) -> list[str]:
    return re.findall(r'<span class="date">([^<]+)</span>', html)


def links(html: str, css_class: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(rf'class="{css_class}" href="([^"]+)"', html)]


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_browse_without_query_lists_everything_newest_first(client):
    html = page_text(client.get("/"))
    assert '<html lang="de">' in html
    assert "Artikel, neueste zuerst" in html
    days = [tuple(reversed(d.split("."))) for d in hit_dates(html) if d != "ohne Datum"]
    assert days == sorted(days, reverse=True)
    assert "Relevanz" not in html  # no relevance without a query


def test_query_keeps_query_and_shows_ranked_highlighted_hits(client):
    html = page_text(client.get("/?q=Nordkorea"))
    assert 'id="q" name="q" value="Nordkorea"' in html
    assert "Treffer</strong>" not in html and re.search(r"<strong>\d+</strong> Treffer für „Nordkorea“", html)
    assert "<mark>Nordkorea</mark>" in html
    assert '<ol class="hits" start="1">' in html
    assert "/documents/w-nk-4?q=Nordkorea" in html


def test_hit_links_to_original_only_when_there_is_one(client):
    html = page_text(client.get("/?q=Raketentests"))
    assert "sk-1" in hit_ids(html)
    assert 'href="https://example.org' not in html.split("sk-1")[1].split("</li>")[0]
    html = page_text(client.get("/?q=Kursk&sort=date"))
    assert 'class="original" href="https://example.org/nk-1"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_sort_by_date_orders_hits_and_marks_current_sort(client):
    html = page_text(client.get("/?q=Nordkorea&sort=date"))
    days = [tuple(reversed(d.split("."))) for d in hit_dates(html) if d != "ohne Datum"]
    assert days == sorted(days, reverse=True)
    assert '<strong aria-current="true">neueste zuerst</strong>' in html
    assert 'href="/?q=Nordkorea">Relevanz</a>' in html
    assert 'href="/?q=Nordkorea&amp;sort=date_asc">älteste zuerst</a>' in html


def test_pagination_has_stable_urls(client):
    first = page_text(client.get("/?q=Nordkorea&size=3"))
    assert links(first, "next") == ["/?q=Nordkorea&size=3&page=2"]
    assert not links(first, "prev")
    second = page_text(client.get("/?q=Nordkorea&size=3&page=2"))
    assert '<ol class="hits" start="4">' in second
    assert links(second, "prev") == ["/?q=Nordkorea&size=3"]
    assert hit_ids(second) == hit_ids(page_text(client.get("/?q=Nordkorea&size=3&page=2")))
    assert not set(hit_ids(first)) & set(hit_ids(second))
    assert '<span aria-current="page">2</span>' in second


def test_page_after_the_last_offers_the_first(client):
    html = page_text(client.get("/?q=Nordkorea&size=5&page=40"))
    assert "keine Treffer mehr" in html
    assert 'href="/?q=Nordkorea&amp;size=5">Zur ersten Seite' in html


def test_did_you_mean_links_to_the_suggestion_keeping_filters(client):
    html = page_text(client.get("/?q=Nordkroea&country=Russland&autocorrect=0"))
    assert "Meinten Sie" in html
    assert 'href="/?q=Nordkorea&amp;country=Russland">Nordkorea</a>' in html


def test_notice_when_and_falls_back_to_or(client):
    html = page_text(client.get("/?q=Nordkorea+Banane"))
    assert 'class="notice"' in html and "einige" in html


def test_empty_result_with_filters_suggests_removing_them(client):
    html = page_text(client.get("/?q=Nordkorea&country=Mali"))
    assert "Keine Treffer für „Nordkorea“" in html
    assert "ohne Filter gibt es <strong>10</strong> Treffer" in html
    assert 'href="/?q=Nordkorea">alle Filter entfernen</a>' in html
    assert 'aria-label="Filter entfernen: Land: Mali"' in html


def test_empty_result_without_filters_gives_tips(client):
    html = page_text(client.get("/?q=Zyxwvutsr"))
    assert "Keine Treffer" in html and "Rechtschreibung" in html
    assert "ohne Filter" not in html


def test_chips_remove_one_filter_each(client):
    html = page_text(client.get("/?q=Nordkorea&country=Russland&person=Wladimir+Putin&from=2024"))
    chips = dict(re.findall(r'<li><a href="([^"]+)" aria-label="Filter entfernen: ([^"]+)"', html))
    by_label = {label: url.replace("&amp;", "&") for url, label in chips.items()}
    assert set(by_label) == {"Land: Russland", "Erwähnte Person: Wladimir Putin", "Zeitraum: 01.01.2024 – …"}
    assert query_of(by_label["Land: Russland"]) == {"q": ["Nordkorea"], "person": ["Wladimir Putin"], "from": ["2024-01-01"]}
    assert "country" in query_of(by_label["Zeitraum: 01.01.2024 – …"])
    assert "Alle Filter entfernen" in html


def test_year_histogram_drills_down_to_months(client):
    html = page_text(client.get("/?q=Nordkorea"))
    assert 'href="/?q=Nordkorea&amp;from=2024-01-01&amp;to=2024-12-31"' in html
    assert re.search(r'class="bar w20"', html)  # the tallest year fills the track
    year = page_text(client.get("/?q=Nordkorea&from=2024-01-01&to=2024-12-31"))
    assert "Monat 2024" in year and "Zeitraum: 2024" in year
    assert '<li class="selected"><a href="/?q=Nordkorea" aria-label="2024: 5 Artikel, ausgewählt – entfernen"' in year
    assert 'href="/?q=Nordkorea&amp;from=2024-10-01&amp;to=2024-10-31"' in year
    month = page_text(client.get("/?q=Nordkorea&from=2024-10-01&to=2024-10-31"))
    assert "Zeitraum: Oktober 2024" in month and "nk-1" in hit_ids(month)
    assert '<li class="selected"><a href="/?q=Nordkorea&amp;from=2024-01-01&amp;to=2024-12-31"' in month


def test_date_range_form_keeps_values(client):
    html = page_text(client.get("/?from=2023-03-01&to=2024-06-30"))
    assert 'name="from" value="2023-03-01"' in html and 'name="to" value="2024-06-30"' in html
    assert "Zeitraum: 01.03.2023 – 30.06.2024" in html
    assert "Monat" not in html  # months only within one year


@pytest.mark.parametrize("url, undated", [("/?q=Polizei", 1),  # vk-1 only
                                           ("/?q=Polizei+OR+Nordkorea", 2),  # vk-1 and the seed article
                                           ("/", 2)])
def test_undated_documents_are_counted(client, url, undated):
    html = page_text(client.get(url))
    assert f'<span class="undated">({undated} ohne Datum)</span>' in html
    assert f'<p class="undated">ohne Datum: {undated}</p>' in html
    assert client.get(url.replace("/", "/api/search", 1)).get_json()["undated"] == undated


def test_no_undated_count_when_every_hit_has_a_date(client):
    html = page_text(client.get("/?q=Mali"))
    assert hit_ids(html) == ["bw-1"]
    assert "ohne Datum" not in html
    assert client.get("/api/search?q=Mali").get_json()["undated"] == 0


def test_facet_checkboxes_have_labels_and_keep_state(client):
    html = page_text(client.get("/?q=Nordkorea&country=Russland"))
    box = re.search(r'<input type="checkbox" id="(f-country-\d+)" name="country" value="Russland" checked>', html)
    assert box and f'<label for="{box[1]}">' in html
    assert '<input type="hidden" name="q" value="Nordkorea">' in html
    assert '<fieldset class="facet" id="facet-person">' in html and "<legend>Erwähnte Personen</legend>" in html


def test_facet_more_link_and_filter_box(client):
    html = page_text(client.get("/?size=1"))
    assert len(re.findall(r'name="country" value=', html)) == 10
    assert 'href="/?size=1&amp;more=country">alle 12 anzeigen</a>' in html
    expanded = page_text(client.get("/?size=1&more=country"))
    assert len(re.findall(r'name="country" value=', expanded)) == 12
    assert 'href="/?size=1">weniger anzeigen</a>' in expanded
    assert '<input type="hidden" name="more" value="country">' in expanded
    found = page_text(client.get("/?country_find=korea"))
    values = re.findall(r'name="country" value="([^"]+)"', found)
    assert values == ["Nordkorea", "Südkorea"]
    assert 'name="country_find" value="korea"' in found
    folded = page_text(client.get("/?country_find=SUD"))
    assert re.findall(r'name="country" value="([^"]+)"', folded) == ["Südkorea"]
    none = page_text(client.get("/?country_find=Atlantis"))
    assert "„Atlantis“: keine Übereinstimmung" in none


def test_search_box_carries_filters_along(client):
    html = page_text(client.get("/?q=Nordkorea&country=Japan&sort=date"))
    form = html.split('role="search"')[1].split("</form>")[0]
    assert '<input type="hidden" name="country" value="Japan">' in form
    assert '<input type="hidden" name="sort" value="date">' in form


def test_document_page_highlights_query_and_links_entities(client):
    html = page_text(client.get("/documents/nk-1?q=Nordkorea"))
    assert "<h1>Nordkoreanische Soldaten in Kursk</h1>" in html
    assert '<mark id="treffer-1">Nordkorea</mark>' in html  # numbered for the jump links
    assert 'href="/?country=Russland"' in html and 'href="/?person=Wladimir+Putin"' in html
    assert 'href="/?org=NATO"' in html
    assert 'href="/?q=Nordkorea">← Zurück zur Suche nach „Nordkorea“' in html
    assert 'class="original" href="https://example.org/nk-1"' in html


def test_document_page_without_query(client):
    html = page_text(client.get("/documents/bw-1"))
    assert "<mark>" not in html and "Bundeswehr" in html
    assert "Originalartikel" not in html


def test_unknown_document_is_a_friendly_404(client):
    response = client.get("/documents/gibt-es-nicht")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Nicht gefunden" in html and "Dokument-ID" in html


@pytest.mark.parametrize("url", ["/?q=Sicherheitsl%C3%BCcke", "/documents/es-1", "/?q=Sonderzeichen"])
def test_script_title_and_html_body_show_as_text(client, url):
    html = page_text(client.get(url))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<b>HTML</b>" not in html


def test_query_is_escaped_everywhere(client):
    html = client.get('/?q=%22%3E%3Cimg+src%3Dx%3E').get_data(as_text=True)
    assert "<img src=x>" not in html


def test_api_and_page_agree_on_totals(client):
    data = client.get("/api/search?q=Nordkorea&country=Russland").get_json()
    html = page_text(client.get("/?q=Nordkorea&country=Russland"))
    assert f"<strong>{data['total']}</strong> Treffer" in html
