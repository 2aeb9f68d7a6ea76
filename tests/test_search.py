"""The search service: query language, malformed input, snippets, sorting, paging, suggestions."""

import datetime as dt

import pytest

from indexer.errors import BadRequestError, EmptyQueryError, QuerySyntaxError
from indexer.search.results import SearchRequest
from indexer.search.snippets import fragment

SEED_ID = "000_923481393c34947e"


def ids(service, query, **kwargs):
    return {h.id for h in service.search(SearchRequest(query=query, page_size=50, **kwargs)).hits}


@pytest.mark.parametrize("query, expected", [
    ("Nordkorea", {"nk-1", SEED_ID}),
    ("Korea", {"nk-1", SEED_ID, "sk-1"}),
    ("Soldat", {"nk-1", "bw-1", SEED_ID}),
    ("Selenskyjs", {"uk-1", SEED_ID}),
    ("Brussel", {"nk-1", "es-1", SEED_ID}),
    ("Einsatz", {"bw-1", SEED_ID}),
    ("Straße", {"vk-1"}),
    ("Nordkorea Kursk", {"nk-1", SEED_ID}),
    ("Nordkorea UND Brüssel", {"nk-1", SEED_ID}),
    ("Südkorea ODER Mali", {"sk-1", "bw-1", SEED_ID}),
    ("Südkorea OR Mali", {"sk-1", "bw-1", SEED_ID}),
    ("Nordkorea -Rutte", set()),
    ("Soldaten NICHT Nordkorea", {"bw-1"}),
    ("Soldaten NOT Nordkorea", {"bw-1"}),
    ('"russische Soldaten"', {SEED_ID}),
    ('"Soldaten russische"', set()),
    ("Verteidigungs*", {SEED_ID, "sk-1", "bw-1"}),
    ("Messer*", {"vk-1"}),
    ("Messer", {"vk-1"}),
    ("Nordkroea~", {"nk-1", SEED_ID}),
    ("(Südkorea OR Mali) Soldaten", {"bw-1", SEED_ID}),
    ("source:testpost Korea", {"nk-1", "sk-1"}),
    ("date:2024", {"nk-1", "uk-1"}),
    ("date:2024-10", {"nk-1"}),
    ("date:[2023-01-01 TO 2023-12-31]", {"bw-1", "sk-1"}),
    ("date:28.10.2024", {"nk-1"}),
    ("title:Bundeswehr", {"bw-1"}),
])
def test_query_language(service, query, expected):
    assert ids(service, query) == expected


@pytest.mark.parametrize("query, message", [
    ("AND OR", "Operator"),
    ("(", "endet mitten"),
    ("Nordkorea)", "Unerwartetes"),
    ("***", "Präfix zu kurz"),
    ("*korea", "Platzhalter nur am Wortende"),
    ("Nordkorea AND", "endet mitten"),
    ("x" * 10_000, "zu lang"),
    ("persn:Putin", "Unbekanntes Feld"),
    ("date:2024-13", "Ungültiges Datum"),
    ("date:[2024 bis]", "Datumsbereich"),
    ("person:", "ohne Wert"),
    (" ".join(["Wort"] * 70), "Zu viele"),
    ("(" * 40 + "a" + ")" * 40, "geschachtelt"),
])
def test_malformed_queries_say_what_is_wrong(service, query, message):
    with pytest.raises(QuerySyntaxError, match=message) as info:
        service.search(SearchRequest(query=query))
    assert info.value.hint and "\n" not in info.value.message


@pytest.mark.parametrize("query, words", [
    ("Arbeiter*innen", "Arbeiterinnen"), ("Bürger:innen", "Bürgerinnen"), ("Superman: Dawn", "Superman Dawn"),
    ("Wer ist Burch?", "Wer ist Burch?"),
])
def test_natural_text_is_not_query_syntax(query, words):
    from indexer.search.query import Word, parse_query

    node = parse_query(query)
    found = [node] if isinstance(node, Word) else list(node.items)
    assert " ".join(w.text for w in found) == words


def test_field_typo_gets_a_hint(service):
    with pytest.raises(QuerySyntaxError) as info:
        service.search(SearchRequest(query="contry:Russland"))
    assert "country:Russland" in info.value.hint


def test_stopword_only_query_says_so(service):
    with pytest.raises(EmptyQueryError, match="Stoppwörter"):
        service.search(SearchRequest(query="der die und"))


def test_empty_query_browses_newest_first(service):
    page = service.search(SearchRequest(query="", page_size=3))
    assert page.total == 7
    assert [h.date for h in page.hits] == sorted([h.date for h in page.hits], reverse=True)


@pytest.mark.parametrize("kwargs", [
    {"page": 0}, {"page": -1}, {"page_size": 0}, {"page_size": 10_000}, {"page": 500, "page_size": 100},
    {"sort": "random"}, {"filters": {"colour": ("rot",)}},
    {"date_from": dt.date(2025, 1, 1), "date_to": dt.date(2024, 1, 1)},
])
def test_bad_requests(service, kwargs):
    with pytest.raises(BadRequestError):
        service.search(SearchRequest(query="Korea", **kwargs))


def test_snippets_mark_stemmed_normalised_and_compound_matches(service):
    page = service.search(SearchRequest(query="Korea Soldat"))
    seed = next(h for h in page.hits if h.id == SEED_ID)
    marked = {m.lower() for s in seed.snippets for m in marked_words(s)}
    assert {"nordkoreas", "soldaten"} <= marked or {"nordkorea", "soldaten"} <= marked
    assert all("Australien" not in s.text for s in seed.snippets)


def test_snippet_for_nordkorea_highlights_it(service):
    page = service.search(SearchRequest(query="Nordkorea"))
    seed = next(h for h in page.hits if h.id == SEED_ID)
    assert any("Nordkorea" in marked_words(s) for s in seed.snippets)


def test_snippets_are_plain_text_with_marks(service):
    page = service.search(SearchRequest(query="Sicherheitspolitik"))
    (hit,) = page.hits
    snippet = hit.snippets[0]
    assert "<b>HTML</b>" in snippet.text and "&" in snippet.text  # plain data: the edges escape it
    assert marked_words(snippet) == ["Sicherheitspolitik"]
    assert hit.title.startswith("<script>")


def test_snippet_marks_count_the_leading_ellipsis():
    text = "Er sagte, Soldaten aus Nordkorea kämpfen."
    snippet = fragment(text, 10, len(text), [(23, 32)])
    assert snippet.text == "… Soldaten aus Nordkorea kämpfen." and marked_words(snippet) == ["Nordkorea"]
    assert snippet.pieces() == [("… Soldaten aus ", False), ("Nordkorea", True), (" kämpfen.", False)]


def test_prefix_highlights_unstemmed_words(service):
    (hit,) = service.search(SearchRequest(query="Messer*")).hits
    assert "Messer" in marked_words(hit.snippets[0])


def test_sort_by_date_and_paging(service):
    request = dict(query="Korea OR Soldat OR Ukraine", sort="date", page_size=2)
    first = service.search(SearchRequest(**request))
    second = service.search(SearchRequest(page=2, **request))
    dates = [h.date for h in first.hits + second.hits]
    assert dates == sorted(dates, reverse=True)
    assert first.pages == 3 and [h.rank for h in second.hits] == [3, 4]
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}


def test_page_past_the_end_is_empty(service):
    page = service.search(SearchRequest(query="Korea", page=5, page_size=10))
    assert page.hits == [] and page.total == 3


def test_did_you_mean(service):
    page = service.search(SearchRequest(query="Nordkroea", autocorrect=False))
    assert page.total == 0 and page.suggestion == "Nordkorea"


def test_a_query_that_finds_nothing_runs_its_correction(service):
    page = service.search(SearchRequest(query="Nordkroea"))
    assert page.corrected_query == "Nordkorea" and page.request.query == "Nordkroea"
    assert page.total == service.search(SearchRequest(query="Nordkorea")).total > 0 and page.suggestion is None


def test_no_suggestion_when_query_finds_enough(service):
    assert service.search(SearchRequest(query="Nordkorea")).suggestion is None


def test_long_question_falls_back_to_or(service):
    page = service.search(SearchRequest(query="Warum schickt Nordkorea Soldaten nach Mali?"))
    assert page.total > 0 and page.notice


def test_date_filter_and_year_facet(service):
    page = service.search(SearchRequest(query="Korea OR Soldat OR Ukraine OR Straße",
                                        date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31)))
    assert {h.id for h in page.hits} == {"nk-1", "uk-1"}
    years = {v.value: v.count for v in page.facet("year").values}
    assert years == {"2023": 2, "2024": 2}  # the date facet ignores its own filter
    months = {v.label: v.count for v in page.facet("month").values}
    assert months == {"Juni": 1, "Juli": 0, "August": 0, "September": 0, "Oktober": 1}  # the gaps as 0


def test_undated_documents_are_counted_not_dated(service):
    page = service.search(SearchRequest(query="Straße OR Nordkorea"))
    assert page.undated == 2
    assert next(h for h in page.hits if h.id == "vk-1").date is None


def test_document_view_highlights_query(service):
    doc = service.document(SEED_ID, query="Korea")
    body = [w for p in doc.paragraphs for w in marked_words(p)]
    assert "Nordkorea" in body and "Australien" not in body
    assert "\n".join(p.text for p in doc.paragraphs) == "\n".join(line for line in doc.body.split("\n") if line.strip())


def test_no_whoosh_object_escapes(service):
    page = service.search(SearchRequest(query="Nordkorea"))
    assert "whoosh" not in repr(page.to_dict())


def marked_words(snippet) -> list[str]:
    return [snippet.text[start:end] for start, end in snippet.marks]
