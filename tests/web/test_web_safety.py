"""Bad parameters give friendly 400s (never a 500), read-only methods, headers, no leaks."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.search.results import Snippet
from search_web import create_app
from search_web.marks import marked, paragraphs_html

BAD = [
    "page=-1", "page=0", "page=abc", "page=1.5", "page=99999999999999", "size=100000", "size=0", "size=x",
    "page=500&size=100", "nope=1", "more=foo", "from=2024-13-01", "to=2024-02-30", "from=gestern",
    "from=2025-01-01&to=2024-01-01", "sort=beliebt", "q=AND+OR", "q=(", "q=)", "q=a*",
    "q=" + "x" * 1200, "country=" + "y" * 300, "&".join(["country=c%d" % i for i in range(25)]), "q=a&q=b",
]
PATHS = ["/", "/api/search"]
SECURITY = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("params", BAD)
def test_bad_parameters_are_a_friendly_400(client, path, params):
    response = client.get(f"{path}?{params}")
    assert response.status_code == 400, (params, response.data[:300])
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "/work" not in body and "File \"" not in body
    if path == "/":
        assert "Ungültige Anfrage" in body and '<p class="hint">' in body
    else:
        assert response.get_json()["error"]


def test_error_page_keeps_the_query_in_the_box(client):
    body = client.get("/?q=Angriff+auf)").get_data(as_text=True)
    assert "Unerwartetes &#39;)&#39;." in body
    assert 'value="Angriff auf)"' in body


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch", "options"])
@pytest.mark.parametrize("path", ["/", "/api/search", "/documents/nk-1", "/api/documents/nk-1", "/static/style.css"])
def test_only_get_and_head(client, method, path):
    with getattr(client, method)(path) as response:
        assert response.status_code == 405
        assert "GET" in response.headers["Allow"] and "POST" not in response.headers["Allow"]


@pytest.mark.parametrize("path", ["/", "/api/search", "/documents/nk-1", "/static/style.css"])
def test_head_works(client, path):
    with client.head(path) as response:
        assert response.status_code == 200


@pytest.mark.parametrize("path", ["/?q=Nordkorea", "/api/search", "/documents/nk-1", "/documents/x", "/?page=x",
                                  "/static/search.js", "/nirgends"])
def test_security_headers_everywhere(client, path):
    with client.get(path) as response:
        for name, value in SECURITY.items():
            assert response.headers[name] == value, (path, name)


def test_static_files_have_proper_types(client):
    with client.get("/static/search.js") as script, client.get("/static/style.css") as style:
        assert script.mimetype in {"text/javascript", "application/javascript"}
        assert style.mimetype == "text/css"
    assert client.get("/static/../__init__.py").status_code == 404


def test_no_inline_script_or_style(client):
    for path in ("/?q=Nordkorea&country=Russland&from=2024&to=2024", "/documents/nk-1?q=Nordkorea", "/?page=x"):
        html = client.get(path).get_data(as_text=True)
        assert html.count("<script") == html.count('<script src="/static/search.js" defer></script>') == 1
        assert " style=" not in html and "<style" not in html and " on" + "click=" not in html


def test_unexpected_error_is_a_friendly_500_without_details(client, app, monkeypatch, caplog):
    def explode(request):
        raise RuntimeError("kaputt in /geheim/pfad.py")

    monkeypatch.setattr(app.extensions["search"], "search", explode)
    for path in ("/?q=Nordkorea", "/api/search?q=Nordkorea"):
        response = client.get(path)
        assert response.status_code == 500
        body = response.get_data(as_text=True)
        assert "geheim" not in body and "RuntimeError" not in body and "unerwarteter Fehler" in body
    assert "kaputt" in caplog.text


def test_missing_index_is_a_503_without_path(tmp_path):
    app = create_app({"SEARCH_INDEX": str(tmp_path / "fehlt"), "TESTING": True})
    response = app.test_client().get("/?q=Nordkorea")
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "nicht verfügbar" in body and str(tmp_path) not in body
    assert app.test_client().get("/api/search").get_json()["hint"]


def test_long_document_id_is_a_404(client):
    assert client.get("/documents/" + "x" * 500).status_code == 404


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=60), page=st.text(max_size=6), size=st.text(max_size=4),
       date=st.text(alphabet="0123456789-", max_size=12))
def test_fuzzed_parameters_never_500(app, q, page, size, date):
    client = app.test_client()
    params = {"q": q, "page": page, "size": size, "from": date}
    for path in PATHS:
        response = client.get(path, query_string=params)
        assert response.status_code in (200, 400), (params, response.data[:300])


def test_spacy_is_never_imported_by_the_web_process(web_index_dir):
    script = textwrap.dedent(f"""
        import sys
        from search_web import create_app
        client = create_app({{"SEARCH_INDEX": {str(web_index_dir)!r}}}).test_client()
        assert client.get("/?q=Nordkorea&country=Russland").status_code == 200
        assert client.get("/documents/nk-1?q=Nordkorea").status_code == 200
        assert client.get("/api/search?q=Putin").status_code == 200
        print("spacy" in sys.modules, any(m.startswith("spacy") for m in sys.modules))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("snippet, html", [
    (Snippet("Kim & <b>Nordkorea</b>", ((9, 18),)), "Kim &amp; &lt;b&gt;<mark>Nordkorea</mark>&lt;/b&gt;"),
    (Snippet("… <script>", ((2, 10),)), "… <mark>&lt;script&gt;</mark>"),
    (Snippet("ohne Treffer"), "ohne Treffer"),
])
def test_marks_are_the_only_markup(snippet, html):
    assert marked(snippet) == html
    assert paragraphs_html([snippet, snippet]) == f"<p>{html}</p>\n<p>{html}</p>"
