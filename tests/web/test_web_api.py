"""JSON API: /api/search and /api/documents/<id>."""

from __future__ import annotations

from indexer import errors
from search_web.handlers import status_of


def test_search_returns_hits_total_facets_suggestion_and_paging(client):
    response = client.get("/api/search?q=Nordkorea&size=3&page=2")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert {"query", "total", "page", "pages", "page_size", "hits", "facets", "suggestion", "links"} <= set(data)
    assert (data["page"], data["page_size"], data["pages"]) == (2, 3, -(-data["total"] // 3))
    assert [hit["rank"] for hit in data["hits"]] == [4, 5, 6]
    assert data["links"]["next"] == "/api/search?q=Nordkorea&size=3&page=3"
    assert data["links"]["prev"] == "/api/search?q=Nordkorea&size=3"
    assert data["links"]["html"] == "/?q=Nordkorea&size=3&page=2"
    assert [f["name"] for f in data["facets"]] == ["person", "country", "organisation", "speaker", "party", "source", "year"]


def test_hits_carry_snippets_dates_and_links(client):
    hit = client.get("/api/search?q=Kursk&sort=date").get_json()["hits"][0]
    assert hit["id"] == "w-nk-5" and hit["date"] == "2024-12-02"
    snippet = hit["snippets"][0]
    assert "<mark>Kursk</mark>" in snippet["html"]  # the README promises html to API clients
    assert [snippet["text"][start:end] for start, end in snippet["marks"]] == ["Kursk"]
    assert hit["document_url"] == "/documents/w-nk-5?q=Kursk&sort=date"  # the whole search, for the back link
    assert hit["api_url"] == "/api/documents/w-nk-5?q=Kursk&sort=date"


def test_facet_values_report_selected_state(client):
    data = client.get("/api/search?country=Japan").get_json()
    country = next(f for f in data["facets"] if f["name"] == "country")
    assert country["param"] == "country"
    assert {v["value"]: v["selected"] for v in country["values"]}["Japan"] is True
    assert data["filters"] == {"country": ["Japan"]}


def test_suggestion_for_a_typo(client):
    data = client.get("/api/search?q=Nordkroea&autocorrect=0").get_json()
    assert data["total"] == 0 and data["suggestion"] == "Nordkorea" and data["corrected_query"] is None


def test_umlauts_are_not_escaped_in_json(client):
    body = client.get("/api/search?q=S%C3%BCdkorea").get_data(as_text=True)
    assert "Südkorea" in body


def test_document_json(client):
    data = client.get("/api/documents/nk-1?q=Soldaten").get_json()
    assert data["id"] == "nk-1" and data["date"] == "2024-10-28"
    assert "<mark>Soldaten</mark>" in data["body_html"]
    assert any(p["marks"] for p in data["paragraphs"]) and data["body"].startswith(data["paragraphs"][0]["text"])
    assert data["countries"] == ["Nordkorea", "Russland"]


def test_unknown_document_is_json_404(client):
    response = client.get("/api/documents/nope")
    assert response.status_code == 404
    assert set(response.get_json()) == {"error", "hint"}


def test_errors_are_json_with_hint(client):
    for url in ("/api/search?page=abc", "/api/search?from=2024-13-01", "/api/search?q=(", "/api/search?sort=x"):
        response = client.get(url)
        assert response.status_code == 400, url
        data = response.get_json()
        assert data["error"] and data["hint"], url


def test_unknown_api_route_is_json_404(client):
    response = client.get("/api/nothing")
    assert response.status_code == 404 and response.get_json()["error"]


def test_post_is_json_405(client):
    response = client.post("/api/search?q=Nordkorea")
    assert response.status_code == 405
    assert response.get_json()["error"]
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}


def test_statuses_live_at_the_edge_not_in_the_domain():
    assert not any(hasattr(cls, "status") for cls in vars(errors).values() if isinstance(cls, type))
    assert status_of(errors.EmptyQueryError("Nur Stoppwörter.")) == 400
    assert status_of(errors.IndexLockedError("Gesperrt.")) == 409
    assert status_of(errors.SearchError("Unbekannt.")) == 500
