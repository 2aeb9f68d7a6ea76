"""Snippet choice: how many per hit, which sentences, how long, where they are cut.

Over ``tests/fixtures/snippets.jsonl`` and a speech of 4,000 words assembled from the
literal paragraphs of ``tests/fixtures/long_speech.json`` (``snippet_documents_dir`` in
conftest.py). Snippets are read from the hits of ``SearchService.search`` (plain ``text`` with the ``marks`` of the matches).
"""

from __future__ import annotations

import json
from pathlib import Path


from indexer.search.results import SearchRequest

SPEECH = json.loads((Path(__file__).parent / "fixtures" / "long_speech.json").read_text(encoding="utf-8"))

MAX_SNIPPETS = 3
#: about 240 characters, cut at word boundaries, plus "… " and " …"
MAX_CHARS = 280
ELLIPSIS = "…"


def hit(service, query: str, doc_id: str):
    page = service.search(SearchRequest(query=query, page_size=20))
    return next(h for h in page.hits if h.id == doc_id)


def snippet_texts(service, query: str, doc_id: str) -> list[str]:
    return [s.text for s in hit(service, query, doc_id).snippets]


def marked(snippet) -> list[str]:
    """The marked words of a snippet, in order."""
    return [piece for piece, is_mark in snippet.pieces() if is_mark]


def bare(text: str) -> str:
    """The snippet without its ellipses: a verbatim piece of the document."""
    return text.removeprefix(f"{ELLIPSIS} ").removesuffix(f" {ELLIPSIS}")


def test_a_short_text_gives_its_one_matching_sentence(snippet_service):
    (snippet,) = hit(snippet_service, "Anleger", "sn-short").snippets
    assert snippet.text == "Der Hafen bekommt einen neuen Anleger für Fähren."
    assert marked(snippet) == ["Anleger"] and ELLIPSIS not in snippet.text


def test_at_most_three_snippets_in_text_order(snippet_service):
    """Five sentences match once each: the first three are shown, in the order of the text."""
    snippets = hit(snippet_service, "Windkraft", "sn-many").snippets
    assert len(snippets) == MAX_SNIPPETS
    assert [s.text for s in snippets] == ["Die Windkraft wächst an der Küste.",
                                          "Landwirte verpachten Flächen für die Windkraft.",
                                          "Gegner der Windkraft sammeln Unterschriften."]
    assert all(marked(s) == ["Windkraft"] for s in snippets)


def test_a_sentence_with_more_query_words_is_chosen(snippet_service):
    texts = snippet_texts(snippet_service, "Bahn Brücken", "sn-best")
    assert "Zwischen Erfurt und Weimar fahren Busse statt der Bahn, weil Brücken saniert werden." in texts
    assert "Pendler müssen umsteigen." not in texts and "Die Bauarbeiten dauern bis Mai." not in texts
    best = next(s for s in hit(snippet_service, "Bahn Brücken", "sn-best").snippets if "Brücken" in s.text)
    assert marked(best) == ["Bahn", "Brücken"]


def test_a_long_sentence_is_cut_around_the_match_with_ellipses(snippet_service, snippet_documents_dir):
    body = snippet_service.document("sn-sentence").body
    (snippet,) = hit(snippet_service, "Leuchtturmwärter", "sn-sentence").snippets
    assert len(body) > 2 * MAX_CHARS
    assert snippet.text.startswith(f"{ELLIPSIS} ") and snippet.text.endswith(f" {ELLIPSIS}")
    assert len(snippet.text) <= MAX_CHARS
    assert marked(snippet) == ["Leuchtturmwärter"]
    piece = bare(snippet.text)
    start = body.index(piece)
    assert body[start - 1].isspace() and body[start + len(piece)].isspace()  # whole words at both cuts
    match = snippet.text.index("Leuchtturmwärter")
    assert 20 < match < len(snippet.text) - 40  # context on both sides


def test_every_snippet_is_bounded(snippet_service):
    for query in ("Windkraft", "Bahn Brücken", "Leuchtturmwärter", "Sachsen", "Grönland", "Botschaften", "Hafen"):
        page = snippet_service.search(SearchRequest(query=query, page_size=20))
        assert page.hits, query
        for h in page.hits:
            assert 1 <= len(h.snippets) <= MAX_SNIPPETS, (query, h.id)
            for snippet in h.snippets:
                assert len(snippet.text) <= MAX_CHARS, (query, h.id, snippet.text)
                assert marked(snippet), (query, h.id, snippet.text)


def test_a_long_speech_gets_the_snippet_around_the_match(snippet_service):
    body = snippet_service.document("sn-speech").body
    assert len(body.split()) >= SPEECH["words"] and body.count("Grönland") == 1
    assert body.index("Grönland") > len(body) * 2 // 3
    (snippet,) = hit(snippet_service, "Grönland", "sn-speech").snippets
    assert snippet.text == SPEECH["match"]
    assert marked(snippet) == ["Grönland"]
    assert "Frau Präsidentin" not in snippet.text


def test_without_a_match_in_the_text_the_lead_is_shown(snippet_service):
    """``Kurzmeldung`` is only in the title."""
    (snippet,) = hit(snippet_service, "Kurzmeldung", "sn-short").snippets
    assert snippet.text == "Kiel. Der Hafen bekommt einen neuen Anleger für Fähren."
    assert snippet.marks == ()


def test_a_repeated_sentence_is_one_snippet(snippet_service):
    texts = snippet_texts(snippet_service, "Botschaften", "sn-speech")
    assert len(texts) == len(set(texts))


DATES_SENTENCES = {
    "Belarus": "Der Krieg begann am 24. Februar 2022 mit einem Angriff über Belarus.",
    "Kursk": "Rund 12.000 Soldaten aus Nordkorea kämpfen z. B. in der Region Kursk bzw. nahe der Grenze.",
    "Rubel": "Dr. Weber vom Institut in St. Petersburg schätzt die Kosten auf 600.000 Rubel pro Tag.",
    "Köln": "Am 3. Oktober spielt der 1. FC Köln gegen eine Auswahl aus Kiew.",
}


def test_a_snippet_is_the_whole_sentence_around_dates_numbers_and_abbreviations(snippet_service):
    """Issue 13: the old splitter cut after every full stop, so ``Belarus`` showed as
    ``Februar 2022 mit einem Angriff über Belarus.`` and ``Rubel`` as ``Petersburg schätzt …``."""
    for query, sentence in DATES_SENTENCES.items():
        (snippet,) = hit(snippet_service, query, "sn-dates").snippets
        assert snippet.text == sentence, query
        assert marked(snippet) == [query]
