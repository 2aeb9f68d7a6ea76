"""Web security: headers on every response, no debug pages, no path traversal, read-only
methods, escaped output of hostile documents and queries, error pages without internals.

The app runs as in production (no TESTING flag) over an index of hostile documents:
script in titles and texts, ``javascript:`` links, an id that looks like a path.
"""

from __future__ import annotations

import http.client
import json
import threading
from urllib.parse import urlsplit

import pytest

from indexer.index.writer import BuildOptions, build
from search_web import create_app
from search_web.serve import make_server

HOSTILE = [
    {"id": "../../etc/passwd", "title": "Pfad als ID", "text": "Traversalprobe: eine ID wie ein Pfad."},
    {"id": "xss-1", "title": "<script>alert(1)</script>Skripttitel", "source": "<b>Quelle</b>",
     "text": "<img src=x onerror=alert(1)> Skriptprobe <script>alert(2)</script>", "url": "javascript:alert(1)"},
    {"id": "xss-2", "title": "Anführung", "text": "Attributprobe", "url": 'https://example.org/"><script>alert(3)</script>'},
    {"id": "a/b%2Fc", "title": "Schrägstrich", "text": "Schrägstrichprobe"},
]
EXAMPLE_PATHS = {"/": "/?q=Skriptprobe", "/documents/<path:doc_id>": "/documents/xss-1",
                 "/api/search": "/api/search?q=Skriptprobe", "/api/documents/<path:doc_id>": "/api/documents/xss-1",
                 "/api/facets/<param>": "/api/facets/person?person_find=Skript",
                 "/static/<path:filename>": "/static/style.css",
                 "/api/export": "/api/export?q=Skriptprobe", "/feed": "/feed?q=Skriptprobe",
                 "/entities/<facet>/<path:name>": "/entities/person/Skriptprobe",
                 "/api/entities/<facet>/<path:name>": "/api/entities/person/Skriptprobe"}
TRAVERSALS = ["/documents/..%2F..%2Fetc%2Fpasswd", "/api/documents/../../x", "/documents/%2e%2e/%2e%2e/etc/passwd",
              "/static/../search_web/__init__.py", "/static/%2e%2e/__init__.py", "/static/..%2F__init__.py",
              "/static//etc/passwd", "/static/%2Fetc%2Fpasswd", "/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
              "/documents/....//....//etc/passwd", "/static/..\\__init__.py", "/entities/person/..%2F..%2Fetc%2Fpasswd",
              "/api/entities/organisation/%2e%2e/%2e%2e/etc/passwd"]
LEAKS = ("Traceback", 'File "', "/work/", "site-packages", "werkzeug", "root:x:0:0", "def create_app", "Werkzeug Debugger")
REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory):
    documents = tmp_path_factory.mktemp("hostile-docs") / "hostile.jsonl"
    documents.write_text("".join(json.dumps(d) + "\n" for d in HOSTILE))
    index = tmp_path_factory.mktemp("hostile-index")
    report = build([documents], index, BuildOptions(entities=False))
    assert report.indexed == len(HOSTILE), report.problems
    return index


@pytest.fixture(scope="module")
def app(hostile_index):
    app = create_app({"SEARCH_INDEX": str(hostile_index)})  # production settings: no TESTING, no DEBUG
    yield app
    app.extensions["search"].close()


@pytest.fixture()
def client(app):
    return app.test_client()


def csp(response) -> dict[str, list[str]]:
    directives = {}
    for part in response.headers.get("Content-Security-Policy", "").split(";"):
        name, *values = part.split()
        directives[name.lower()] = values
    return directives


def assert_secure_headers(response, path: str) -> None:
    policy = csp(response)
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts, (path, policy)
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(scripts), (path, scripts)
    assert policy.get("frame-ancestors") == ["'none'"], path
    assert policy.get("object-src", policy.get("default-src")) in (["'none'"], ["'self'"]), path
    assert response.headers.get("X-Content-Type-Options") == "nosniff", path
    assert response.headers.get("Referrer-Policy") in REFERRER_POLICIES, path


def assert_no_leak(response, *secrets: str) -> None:
    body = response.get_data(as_text=True)
    for leak in (*LEAKS, *secrets):
        assert leak not in body, (leak, body[:500])


@pytest.mark.parametrize("method, path", [
    ("get", "/"), ("get", "/?q=Skriptprobe"), ("get", "/?page=abc"), ("get", "/documents/xss-1"),
    ("get", "/documents/fehlt"), ("get", "/api/search?q=%22"), ("get", "/api/documents/fehlt"),
    ("get", "/static/style.css"), ("get", "/static/search.js"), ("get", "/nirgends"), ("post", "/"),
    ("delete", "/api/search"), ("head", "/"),
])
def test_security_headers_on_every_kind_of_response(client, method, path):
    with getattr(client, method)(path) as response:
        assert_secure_headers(response, path)


def test_no_debug_mode_or_console(app, client):
    assert not app.debug and not app.testing and not app.config.get("PROPAGATE_EXCEPTIONS")
    for path in ("/console", "/?__debugger__=yes&cmd=resource&f=style.css", "/debug"):
        response = client.get(path)
        assert response.status_code in (400, 404), path
        assert_no_leak(response)


def test_unexpected_errors_reveal_nothing(app, client, monkeypatch, hostile_index):
    def explode(*args, **kwargs):
        raise RuntimeError(f"kaputt in {hostile_index}/geheim.py")

    monkeypatch.setattr(app.extensions["search"], "search", explode)
    monkeypatch.setattr(app.extensions["search"], "document", explode)
    for path in ("/?q=x", "/api/search?q=x", "/documents/xss-1", "/api/documents/xss-1"):
        response = client.get(path)
        assert response.status_code == 500, path
        assert_no_leak(response, "RuntimeError", "kaputt", str(hostile_index))
        assert_secure_headers(response, path)


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_traversal(client, path):
    response = client.get(path)
    assert_no_leak(response)
    assert_harmless(response.status_code, response.headers.get("Location"), response.get_data(as_text=True), path)


def assert_harmless(status: int, location: str | None, body: str, path: str) -> None:
    """404/400; 200 only for the document whose id merely looks like a path; a redirect
    (Werkzeug merges double slashes) only to a path on this same host."""
    if status == 200:
        assert "Traversalprobe" in body, path
    elif status in (301, 308):
        target = urlsplit(location or "")
        assert target.netloc.split(":")[0] in ("", "localhost", "127.0.0.1"), (path, location)
        assert target.path.startswith("/static/") and ".." not in target.path, (path, location)
    else:
        assert status in (400, 404), (path, status)


def test_only_get_and_head_on_every_route(app, client):
    for rule in app.url_map.iter_rules():
        assert rule.methods <= {"GET", "HEAD"}, (rule.rule, rule.methods)
        path = EXAMPLE_PATHS[rule.rule]
        for method in ("post", "put", "delete", "patch", "options"):
            with getattr(client, method)(path) as response:
                assert response.status_code == 405, (method, path)
                assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD"}
                assert_no_leak(response)


@pytest.mark.parametrize("path", ["/?q=Skriptprobe", "/documents/xss-1", "/?q=Attributprobe", "/documents/xss-2"])
def test_hostile_documents_are_shown_escaped(client, path):
    body = client.get(path).get_data(as_text=True)
    assert "<script>alert" not in body and "<img src=x" not in body and "<b>Quelle" not in body
    assert 'href="javascript:' not in body.replace(" ", "").lower()
    if "xss-1" in path or "Skript" in path:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;Skripttitel" in body


def test_api_returns_hostile_text_as_data_not_markup(client):
    data = client.get("/api/documents/xss-1").get_json()
    assert data["title"] == "<script>alert(1)</script>Skripttitel"  # JSON is data; escaping is the page's job
    assert "<img" not in data["body_html"] and "<script" not in data["body_html"]
    assert data["url"] == ""  # a javascript: link is not a link to an original


@pytest.mark.parametrize("query", ['<script>alert(1)</script>', '"><svg onload=alert(1)>', "'-alert(1)-'",
                                   "</title><script>alert(1)</script>", "javascript:alert(1)"])
def test_reflected_queries_are_escaped(client, query):
    for path in ("/", "/documents/xss-1"):
        body = client.get(path, query_string={"q": query}).get_data(as_text=True)
        assert "<script>alert" not in body and "<svg" not in body and 'href="javascript:' not in body


@pytest.fixture(scope="module")
def live(hostile_index):
    server = make_server(str(hostile_index), host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server.effective_port
    server.close()
    thread.join(timeout=10)


@pytest.mark.parametrize("path", TRAVERSALS + ["/static/../../../../etc/passwd", "/../../etc/passwd"])
def test_no_path_traversal_through_the_real_server(live, path):
    """Raw request lines, not normalised by any client library."""
    connection = http.client.HTTPConnection("127.0.0.1", live, timeout=10)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    assert "root:x:0:0" not in body and "def create_app" not in body and "Traceback" not in body
    assert_harmless(response.status, response.getheader("Location"), body, path)
