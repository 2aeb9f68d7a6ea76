"""Query semantics on the page and in the API (issue 13): the words switch, partial hits,
the correction run at once, lenient quotes, swapped dates, facet values as typed (Flask test client)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest


def page_text(response) -> str:
    assert response.status_code == 200, response.data[:500]
    return response.get_data(as_text=True)


def link(html: str, label: str) -> str:
    """The href of the link labelled ``label``."""
    found = re.search(rf'<a href="([^"]+)"[^>]*>{re.escape(label)}</a>', html)
    assert found, label
    return found[1].replace("&amp;", "&")


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def hit_ids(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/documents/([^"?]+)', html)


def total(html: str) -> int:
    return int(re.search(r"<strong>([\d.]+)</strong> Treffer", html)[1].replace(".", ""))


QUESTION = "Wo sind Soldaten der Bundeswehr?"


def test_a_question_says_so_with_a_switch_to_all_words(client):
    html = page_text(client.get("/", query_string={"q": QUESTION}))
    assert "Als Frage gesucht" in html
    assert '<strong aria-current="true">beliebige Wörter</strong>' in html
    to_all = link(html, "alle Wörter")
    assert query_of(to_all) == {"q": [QUESTION], "words": ["all"]}
    allwords = page_text(client.get(to_all))
    assert '<strong aria-current="true">alle Wörter</strong>' in allwords and "Als Frage gesucht" not in allwords
    assert query_of(link(allwords, "beliebige Wörter")) == {"q": [QUESTION], "words": ["any"]}
    assert 0 < total(allwords) < total(html)


def test_a_keyword_list_shows_no_switch_until_chosen(client):
    html = page_text(client.get("/?q=Bundeswehr+Soldaten+Mali"))
    assert 'class="words"' not in html
    anyword = page_text(client.get("/?q=Bundeswehr+Soldaten+Mali&words=any"))
    assert '<strong aria-current="true">beliebige Wörter</strong>' in anyword
    assert '<input type="hidden" name="words" value="any">' in anyword  # the filter form keeps the choice
    assert "words=any" in link(anyword, "neueste zuerst")  # so do sorting and paging


def test_the_any_word_fallback_offers_the_switch_back(client):
    html = page_text(client.get("/?q=Soldaten+Mali+Kursk"))
    assert "Kein Dokument enthält alle Wörter" in html
    allwords = page_text(client.get(link(html, "alle Wörter")))
    assert "Keine Treffer für" in allwords and "Weitere Treffer mit einigen der Wörter" in allwords


def test_partial_hits_below_a_divider_say_which_word_they_lack(client):
    html = page_text(client.get("/?q=Soldaten+Pistorius"))
    main, partial = html.split('<section class="partial"')
    assert '<h2 id="partial-title">Weitere Treffer mit einigen der Wörter</h2>' in partial
    assert "Es fehlt" not in main and partial.count('<p class="missing">Es fehlt: <s>Pistorius</s></p>') >= 2
    assert not set(hit_ids(main)) & set(hit_ids(partial))
    assert total(main) == len(hit_ids(main))


def test_the_api_has_partial_hits_and_the_words_links(client):
    data = client.get("/api/search?q=Soldaten+Pistorius").get_json()
    assert data["words"] == "all" and data["total"] == len(data["hits"])
    assert data["partial_hits"] and all(hit["missing_words"] in (["Soldaten"], ["Pistorius"]) for hit in data["partial_hits"])
    question = client.get("/api/search", query_string={"q": QUESTION}).get_json()
    assert question["words"] == "any" and query_of(question["links"]["words"]["all"])["words"] == ["all"]


def test_zero_hits_run_the_correction_with_a_link_to_the_query_as_typed(client):
    html = page_text(client.get("/?q=Nordkroea&country=Russland"))
    assert re.search(r"Ergebnisse für <strong>Nordkorea</strong>\. Stattdessen suchen nach <a href=\"[^\"]+\">Nordkroea</a>",
                     html)
    assert query_of(link(html, "Nordkroea")) == {"q": ["Nordkroea"], "country": ["Russland"], "autocorrect": ["0"]}
    assert "Treffer für „Nordkorea“" in html and hit_ids(html)
    assert "q=Nordkorea" in link(html, "neueste zuerst")  # the page goes on with the correction
    typed = page_text(client.get(link(html, "Nordkroea")))
    assert "Keine Treffer für „Nordkroea“" in typed and "Meinten Sie" in typed and "Stattdessen" not in typed
    data = client.get("/api/search?q=Nordkroea").get_json()
    assert data["corrected_query"] == "Nordkorea" and data["total"] and "autocorrect=0" in data["links"]["as_typed"]


def test_zero_hits_under_filters_do_not_blame_them_when_the_query_alone_finds_nothing(client):
    html = page_text(client.get("/?q=Zyxwvutsr&country=Russland"))
    assert "Filter schließen alle Artikel aus" not in html
    assert "Auch ohne Filter findet die Suche nichts." in html and "Rechtschreibung" in html
    narrow = page_text(client.get("/?q=Nordkorea&country=Mali"))
    assert "Filter schließen alle Artikel aus" in narrow and "Auch ohne Filter" not in narrow


@pytest.mark.parametrize("query, read_as", [('"Bundeswehr beendet', '&#34;Bundeswehr beendet&#34;'),
                                            ("(Nordkorea OR Selenskyj", "(Nordkorea OR Selenskyj)")])
def test_an_unclosed_quote_or_bracket_is_a_notice_not_a_400(client, query, read_as):
    html = page_text(client.get("/", query_string={"q": query}))
    assert f"nicht geschlossen; gesucht wurde: {read_as}</p>" in html and hit_ids(html)
    data = client.get("/api/search", query_string={"q": query}).get_json()
    assert "nicht geschlossen" in data["query_notice"] and data["total"]


def test_a_from_date_after_the_to_date_offers_the_swapped_range(client):
    response = client.get("/?q=Nordkorea&from=2025&to=2024-06")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    swapped = link(html, "Zeitraum tauschen: von 2024-06 bis 2025")
    assert query_of(swapped) == {"q": ["Nordkorea"], "from": ["2024-06"], "to": ["2025"]}
    assert client.get(swapped).status_code == 200
    data = client.get("/api/search?q=Nordkorea&from=2025&to=2024").get_json()
    assert query_of(data["fix"]) == {"q": ["Nordkorea"], "from": ["2024"], "to": ["2025"]}


@pytest.mark.parametrize("params", ["words=some", "autocorrect=nein", "words=all&words=any"])
def test_bad_word_parameters_are_a_400(client, params):
    assert client.get(f"/?q=a+b&{params}").status_code == 400


def test_a_facet_parameter_is_matched_like_a_facet_value(client):
    html = page_text(client.get("/?q=Nordkorea&country=russland"))
    chips = re.findall(r'aria-label="Filter entfernen: ([^"]+)"', html)
    assert [chip.lower() for chip in chips] == ["land: russland"]
    ticked = re.findall(r'<input type="checkbox" [^>]*name="country" value="([^"]+)" checked>', html)
    assert ticked == ["Russland"]
    assert hit_ids(html) and hit_ids(html) == hit_ids(page_text(client.get("/?q=Nordkorea&country=Russland")))
