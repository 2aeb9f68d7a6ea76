"""/feed: the Atom feed of a search (checked with feedparser), and new documents appearing in it."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest

from indexer.index.writer import BuildOptions, add, build
from search_web import create_app

ENTRIES = 50


def parsed(response):
    assert response.status_code == 200, response.data[:500]
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")  # well-formed XML
    assert feed.version == "atom10"
    return feed


def test_feed_is_valid_atom_with_title_self_link_and_entries(client):
    feed = parsed(client.get("/feed?q=Nordkorea&country=Russland"))
    assert feed.feed.title == "Suche: „Nordkorea“ · Land: Russland"
    assert feed.feed.id == "tag:localhost,2026:suche?q=Nordkorea&country=Russland"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["self"] == "http://localhost/feed?q=Nordkorea&country=Russland"
    assert links["alternate"] == "http://localhost/?q=Nordkorea&country=Russland"
    search = client.get("/api/search?q=Nordkorea&country=Russland&sort=date&size=50").get_json()
    assert [entry.id for entry in feed.entries] == [f"tag:localhost,2026:dokument/{hit['id']}" for hit in search["hits"]]
    assert feed.feed.updated == feed.entries[0].updated == f"{search['hits'][0]['date']}T00:00:00Z"
    for entry, hit in zip(feed.entries, search["hits"]):
        assert entry.title == hit["title"] and entry.summary == hit["snippets"][0]["text"]
        assert entry.link == f"http://localhost/documents/{hit['id']}?q=Nordkorea&country=Russland"
        assert entry.updated_parsed is not None


def test_feed_is_newest_first_whatever_the_sort(client):
    dates = [entry.updated for entry in parsed(client.get("/feed?q=Nordkorea&sort=date_asc")).entries]
    assert len(dates) > 3 and dates == sorted(dates, reverse=True)


def test_feed_without_query_lists_all_articles(client):
    feed = parsed(client.get("/feed"))
    assert feed.feed.title == "Suche: alle Artikel" and feed.entries


@pytest.mark.parametrize("query, message", [
    ("q=Nordkorea%29", "Fehler: Unerwartetes ')'.\nHinweis: "),
    ("q=Nordkorea&from=2024-13-01", "Fehler: Ungültiges Datum '2024-13-01' in 'from'.\n"),
    ("q=Nordkorea&sort=titel", "Fehler: Unbekannte Sortierung 'titel'.\nHinweis: "),
    ("q=Nordkorea&format=csv", "Fehler: Unbekannter Parameter 'format'.\nHinweis: "),
])
def test_bad_input_is_a_plain_text_400_with_a_hint(client, query, message):
    response = client.get(f"/feed?{query}")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.data.decode("utf-8").startswith(message)


def article(number: int, day: str) -> dict:
    return {"id": f"fd-{number}", "title": f"Haushaltsmeldung {number}", "date": day, "source": "Testpost",
            "text": f"Berlin. Meldung {number} zum Haushalt: der Ausschuss tagt erneut."}


def write_articles(path, articles) -> None:
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")


@pytest.fixture()
def feed_index(tmp_path):
    """55 dated Haushalt articles, one a day from 1 March 2024, without entity recognition."""
    documents = tmp_path / "documents.jsonl"
    write_articles(documents, [article(n, f"2024-03-{n:02d}" if n <= 31 else f"2024-04-{n - 31:02d}")
                               for n in range(1, 56)])
    index = tmp_path / "index"
    build([documents], index, BuildOptions(entities=False))
    return index


@pytest.fixture()
def feed_client(feed_index):
    app = create_app({"SEARCH_INDEX": str(feed_index), "TESTING": True})
    yield app.test_client()
    app.extensions["search"].close()


def test_feed_has_the_fifty_newest(feed_client):
    feed = parsed(feed_client.get("/feed?q=Haushalt"))
    assert len(feed.entries) == ENTRIES
    assert feed.entries[0].id.endswith("/fd-55") and feed.entries[-1].id.endswith("/fd-6")


def test_an_added_document_appears_in_the_feed(feed_client, feed_index, tmp_path):
    before = parsed(feed_client.get("/feed?q=Haushalt"))
    newer = tmp_path / "newer.jsonl"
    write_articles(newer, [article(99, "2024-05-02")])
    report = add([newer], feed_index, BuildOptions(entities=False))  # what search-index add does
    assert report.indexed == 1
    after = parsed(feed_client.get("/feed?q=Haushalt"))
    assert after.entries[0].id == "tag:localhost,2026:dokument/fd-99" and after.entries[0].title == "Haushaltsmeldung 99"
    assert [e.id for e in after.entries[1:]] == [e.id for e in before.entries[:-1]]  # the same ids as before
    assert after.feed.updated == "2024-05-02T00:00:00Z" != before.feed.updated
    assert parse_qs(urlsplit(after.entries[0].link).query) == {"q": ["Haushalt"]}


def test_feed_ids_use_the_feed_authority_setting(feed_client, monkeypatch):
    monkeypatch.setenv("NEWS_SEARCH_FEED_AUTHORITY", "zeitung.example")
    feed = parsed(feed_client.get("/feed?q=Haushalt"))
    assert feed.entries[0].id == "tag:zeitung.example,2026:dokument/fd-55"
