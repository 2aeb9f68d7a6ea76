"""Who spoke or wrote: the byline is a hit's title line, the headline a clamped subtitle, on
the search page, the document page and in the API; speaker, party and source filter."""

from __future__ import annotations

import html as markup
import re

from pathlib import Path

import pytest

import search_web
from indexer.facets import METADATA_FACETS

BAERBOCK = "Annalena Baerbock (BÜNDNIS 90/DIE GRÜNEN)"
AGENDA = "Tagesordnungspunkt 7: Beratung der Beschlussempfehlung"


def page_text(response) -> str:
    assert response.status_code == 200, response.data[:500]
    return markup.unescape(response.get_data(as_text=True))


def hit_blocks(html: str) -> dict[str, str]:
    """Each hit's ``<li class="hit">`` by document id."""
    blocks = re.findall(r'<li class="hit">(.*?)</li>', html, re.S)
    return {re.search(r'href="/documents/([^"?]+)', block)[1]: block for block in blocks}


def test_a_speech_shows_its_speaker_as_title_and_the_agenda_as_subtitle(client):
    block = hit_blocks(page_text(client.get("/", query_string={"q": "Sudan"})))["sp-1"]
    assert re.search(rf'<h2><a href="[^"]+">{re.escape(BAERBOCK)}</a></h2>\s*<p class="subtitle" title="{AGENDA}[^"]*">'
                     rf"{AGENDA}", block)
    assert block.index("subtitle") < block.index('class="date"') < block.index('class="source">Bundestag-WP20')


def test_an_article_without_speaker_keeps_its_headline_as_title(client):
    block = hit_blocks(page_text(client.get("/", query_string={"q": "Kursk"})))["nk-1"]
    assert "<h2><a" in block and ">Nordkoreanische Soldaten in Kursk</a></h2>" in block
    assert "subtitle" not in block


def test_an_author_without_party_is_the_title_alone(client):
    block = hit_blocks(page_text(client.get("/", query_string={"q": "Gastbeitrag"})))["sp-5"]
    assert ">Anna Muster</a></h2>" in block and "Gastbeitrag: Was humanitäre Hilfe leisten kann</p>" in block


def test_the_subtitle_is_clamped_to_two_lines_in_css():
    css = (Path(search_web.__file__).parent / "static" / "style.css").read_text(encoding="utf-8")
    rule = re.search(r"\.hit \.subtitle \{([^}]*)\}", css)[1]
    assert "-webkit-line-clamp: 2" in rule and "overflow: hidden" in rule


def test_the_document_page_has_the_byline_as_heading(client):
    html = page_text(client.get("/documents/sp-1"))
    assert f"<title>{BAERBOCK} – Nachrichtensuche</title>" in html
    assert re.search(rf'<h1>{re.escape(BAERBOCK)}</h1>\s*<p class="subtitle">{AGENDA}', html)
    article = page_text(client.get("/documents/nk-1"))
    assert "<h1>Nordkoreanische Soldaten in Kursk</h1>" in article and "subtitle" not in article


def test_the_api_has_speaker_party_and_byline(client):
    hits = {h["id"]: h for h in client.get("/api/search", query_string={"q": "Hilfe"}).get_json()["hits"]}
    assert (hits["sp-4"]["speaker"], hits["sp-4"]["party"], hits["sp-4"]["byline"]) == (
        "Gregor Gysi", "Die Linke", "Gregor Gysi (Die Linke)")
    assert (hits["nk-1"]["speaker"], hits["nk-1"]["party"], hits["nk-1"]["byline"]) == ("", "", "")
    doc = client.get("/api/documents/sp-1").get_json()
    assert (doc["speaker"], doc["party"], doc["byline"], doc["source"]) == (
        "Annalena Baerbock", "BÜNDNIS 90/DIE GRÜNEN", BAERBOCK, "Bundestag-WP20")


@pytest.mark.parametrize("params, expected", [
    ({"speaker": "Annalena Baerbock"}, {"sp-1"}),
    ({"party": "die linke"}, {"sp-3", "sp-4"}),
    ({"party": ["CDU/CSU", "BÜNDNIS 90/DIE GRÜNEN"]}, {"sp-1", "sp-2"}),
    ({"source": "bundestag-wp20", "party": "Die Linke"}, {"sp-3", "sp-4"}),
])
def test_metadata_parameters_filter(client, params, expected):
    data = client.get("/api/search", query_string={"q": "Hilfe", **params}).get_json()
    assert {hit["id"] for hit in data["hits"]} == expected


def test_metadata_facets_have_labels_chips_and_merged_spellings(client):
    html = page_text(client.get("/", query_string={"q": "Hilfe", "party": "Die Linke", "source": "Bundestag-WP20"}))
    for facet in METADATA_FACETS:
        assert f'<fieldset class="facet" id="facet-{facet.param}">' in html and f"<legend>{facet.label}</legend>" in html
    assert "Partei: Die Linke" in html and "Quelle: Bundestag-WP20" in html  # the chips
    party = re.search(r'<ul class="facet-values" id="values-party">(.*?)</ul>', html, re.S)[1]
    assert re.findall(r'<span class="value">([^<]+)</span>', party) == ["DIE LINKE", "BÜNDNIS 90/DIE GRÜNEN", "CDU/CSU"]
    assert 'value="DIE LINKE" checked' in party  # the selected spelling is the shown one


@pytest.mark.parametrize("params, hint", [({"more": "party"}, None), ({"party_find": "linke"}, None),
                                          ({"partei": "SPD"}, "party")])
def test_metadata_parameters_in_more_find_and_the_hint(client, params, hint):
    response = client.get("/api/search", query_string=params)
    if hint is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 400 and hint in response.get_json()["hint"]
