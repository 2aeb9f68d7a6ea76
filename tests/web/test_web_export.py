"""/api/export: the search's result set as a streamed CSV or JSON Lines download, and its links."""

from __future__ import annotations

import csv
import io
import json
import re
import types
from urllib.parse import parse_qs, urlsplit

import pytest

from indexer.export import BOM, HEADER
from search_web import create_app

HAUSHALT_BY_DATE = ["ex-4", "ex-2", "ex-1", "ex-3", "ex-5"]


@pytest.fixture(scope="module")
def export_client(export_index_dir):
    app = create_app({"SEARCH_INDEX": str(export_index_dir), "TESTING": True})
    yield app.test_client()
    app.extensions["search"].close()


def csv_rows(data: bytes, delimiter: str = ";") -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM):], newline=""), delimiter=delimiter))


def test_csv_download_is_streamed_with_headers_and_bom(export_client):
    response = export_client.get("/api/export?q=Haushalt&sort=date&format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="suche.csv"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # the security headers as everywhere
    assert response.is_streamed
    assert response.data.startswith(BOM.encode("utf-8") + b"id;date;source;title;")
    rows = csv_rows(response.data)
    assert tuple(rows[0]) == HEADER and [row[0] for row in rows[1:]] == HAUSHALT_BY_DATE


def test_the_view_returns_a_generator_response(export_client):
    app = export_client.application
    with app.test_request_context("/api/export?q=Haushalt"):
        response = app.view_functions["api.export"]()
        assert response.is_streamed and isinstance(response.response, types.GeneratorType)
        assert next(response.response).startswith(BOM + "id;date;")  # written as it goes
        response.close()  # closes the generators: the service's snapshot is released


def test_csv_is_the_default_format_with_semicolons_and_comma_on_request(export_client):
    rows = csv_rows(export_client.get("/api/export?q=Haushalt").data)
    assert len(rows) == 6 and ";" in export_client.get("/api/export?q=Haushalt").data.decode().splitlines()[0]
    data = export_client.get("/api/export?q=Haushalt&format=csv&sep=comma").data
    assert tuple(csv_rows(data, ",")[0]) == HEADER
    assert data.decode("utf-8").splitlines()[0] == BOM + ",".join(HEADER)


def test_formula_looking_cells_are_defused(export_client):
    rows = csv_rows(export_client.get("/api/export?q=Haushalt&sort=date").data)
    records = {row[0]: dict(zip(HEADER, row)) for row in rows[1:]}
    assert records["ex-1"]["title"] == "'=SUMME(A1:A9) im Haushaltsausschuss"
    assert records["ex-2"]["title"] == "'+49 30 Hotline zum Haushalt geschaltet"
    assert records["ex-3"]["title"] == "'-10 Prozent: Haushalt der Stadt schrumpft"
    assert records["ex-3"]["source"] == "'@Nordblick"
    assert records["ex-1"]["speaker"] == "Annalena Baerbock" and records["ex-2"]["speaker"] == "Erika Mustermann"
    assert (records["ex-4"]["speaker"], records["ex-4"]["party"]) == ("Christian Lindner", "FDP")


def test_jsonl_download(export_client):
    response = export_client.get("/api/export?q=Haushalt&sort=date&format=jsonl")
    assert response.headers["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="suche.jsonl"'
    assert response.is_streamed
    records = [json.loads(line) for line in response.data.decode("utf-8").splitlines()]
    assert [r["id"] for r in records] == HAUSHALT_BY_DATE and tuple(records[0]) == HEADER


def test_rows_are_bounded_by_limit_and_the_setting(export_client, monkeypatch):
    assert len(csv_rows(export_client.get("/api/export?q=Haushalt&limit=2").data)) == 3  # header + 2
    monkeypatch.setenv("NEWS_SEARCH_EXPORT_MAX_ROWS", "3")
    assert [row[0] for row in csv_rows(export_client.get("/api/export?q=Haushalt&sort=date").data)[1:]] \
        == HAUSHALT_BY_DATE[:3]
    response = export_client.get("/api/export?q=Haushalt&limit=4")
    assert response.status_code == 400
    assert response.get_json() == {"error": "Zeilenzahl 4 außerhalb von 1 bis 3.",
                                   "hint": "Höchstens 3 Zeilen pro Export; Filter grenzen die Suche ein."}


def test_filters_dates_and_sort_apply_to_every_page(client):
    search = client.get("/api/search?q=Nordkorea&country=Russland&sort=date&size=2").get_json()
    rows = csv_rows(client.get("/api/export?q=Nordkorea&country=Russland&sort=date&size=2&page=2").data)
    assert len(rows) - 1 == search["total"] > 2  # all pages, whatever page and size say
    first = dict(zip(HEADER, rows[1]))
    assert first["id"] == search["hits"][0]["id"] and "Russland" in first["countries"].split("; ")
    dated = csv_rows(client.get("/api/export?q=Nordkorea&from=2024&to=2024").data)[1:]
    assert dated and all(dict(zip(HEADER, row))["date"].startswith("2024") for row in dated)


@pytest.mark.parametrize("query, message", [
    ("q=Haushalt%29", "Unerwartetes ')'."),
    ("q=Haushalt&format=xml", "Unbekanntes Format 'xml'."),
    ("q=Haushalt&format=csv&format=jsonl", "Parameter 'format' mehrfach angegeben."),
    ("q=Haushalt&sep=tab", "Unbekanntes Trennzeichen 'tab'."),
    ("q=Haushalt&limit=viele", "'limit' muss eine ganze Zahl sein, nicht 'viele'."),
    ("q=Haushalt&limit=0", "Zeilenzahl 0 außerhalb von 1 bis 10.000."),
    ("q=Haushalt&from=2024-13-01", "Ungültiges Datum '2024-13-01' in 'from'."),
    ("q=Haushalt&sort=titel", "Unbekannte Sortierung 'titel'."),
    ("q=Haushalt&land=Mali", "Unbekannter Parameter 'land'."),
])
def test_bad_input_is_a_400_with_a_hint_and_no_file(export_client, query, message):
    response = export_client.get(f"/api/export?{query}")
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert "Content-Disposition" not in response.headers
    data = response.get_json()
    assert data["error"] == message and "hint" in data


def test_search_page_links_the_export_and_feed_with_its_filters(client):
    html = client.get("/?q=Nordkorea&country=Russland&sort=date&page=2&size=5&more=person").data.decode()
    links = re.findall(r'<a href="(/api/export\?[^"]+)" download>(CSV|JSON Lines)</a>', html)
    assert [label for _, label in links] == ["CSV", "JSON Lines"]
    query = parse_qs(urlsplit(links[0][0].replace("&amp;", "&")).query)
    assert query == {"q": ["Nordkorea"], "country": ["Russland"], "sort": ["date"], "format": ["csv"]}
    assert '<link rel="alternate" type="application/atom+xml" title="Feed: Nordkorea" ' \
           'href="/feed?q=Nordkorea&amp;country=Russland">' in html
    assert '<a class="feed" href="/feed?q=Nordkorea&amp;country=Russland"' in html


def test_no_export_link_without_hits(client):
    html = client.get("/?q=Bananenrepublik").data.decode()
    assert "/api/export" not in html and 'class="feed"' in html  # a feed can wait for the first hit
