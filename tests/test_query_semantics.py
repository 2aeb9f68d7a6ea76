"""Query semantics (issue 13): all words or any, partial hits, lenient quotes and brackets, date order.

Over the root fixture index (``service``): nk-1 (Nordkorea, Soldaten, Kursk), bw-1 (Bundeswehr,
Soldaten, Mali, Pistorius), the seed article (Nordkorea, Soldaten, Kursk) and a few others.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from click.testing import CliRunner

from indexer.cli import search_command
from indexer.errors import BadRequestError, DateOrderError
from indexer.search import ranking
from indexer.search.results import SearchRequest
from indexer.search.service import OR_NOTICE
from indexer.search.words import partial_docs

SEED_ID = "000_923481393c34947e"


def search(service, query: str, **options):
    return service.search(SearchRequest(query=query, **options))


def ids(hits) -> set[str]:
    return {hit.id for hit in hits}


# --- all words or any -------------------------------------------------------------------


def test_a_keyword_list_is_all_words_and_can_be_switched_to_any(service):
    default, anyword = search(service, "Bundeswehr Soldaten Mali"), search(service, "Bundeswehr Soldaten Mali", words="any")
    assert (ids(default.hits), default.words, default.notice) == ({"bw-1"}, "all", "")
    assert ids(anyword.hits) == {"bw-1", "nk-1", SEED_ID} and anyword.words == "any"
    assert anyword.hits[0].id == "bw-1"  # the most words first


def test_a_question_is_any_word_and_can_be_switched_to_all(service):
    question = "Wo sind Soldaten der Bundeswehr?"
    default, allwords = search(service, question), search(service, question, words="all")
    assert default.words == "any" and default.notice == ranking.QUESTION_NOTICE
    assert ids(default.hits) == {"bw-1", "nk-1", SEED_ID}
    assert ids(allwords.hits) == {"bw-1"} and allwords.words == "all"  # the question word is no required word


@pytest.mark.parametrize("query", ["Nordkorea", "Nordkorea OR Mali", "Nordkorea -Mali", "person:Putin Soldaten"])
def test_no_choice_without_two_plain_words(service, query):
    assert search(service, query).words == "" and search(service, query, words="any").words == ""


def test_all_words_finding_nothing_falls_back_to_any_with_its_notice(service):
    page = search(service, "Soldaten Mali Kursk")
    assert page.total == 3 and page.notice == OR_NOTICE and page.words == "any" and page.partial_hits == []


def test_words_must_be_all_or_any(service):
    with pytest.raises(BadRequestError, match="Wortverknüpfung"):
        search(service, "Nordkorea Soldaten", words="some")


# --- partial hits -------------------------------------------------------------------------


def test_few_all_word_hits_go_on_with_documents_that_lack_a_word(service):
    page = search(service, "Soldaten Pistorius")
    assert ids(page.hits) == {"bw-1"} and page.total == 1
    assert {(hit.id, tuple(hit.missing_words)) for hit in page.partial_hits} == {
        ("nk-1", ("Pistorius",)), (SEED_ID, ("Pistorius",))}
    assert [hit.rank for hit in page.partial_hits] == [2, 3]
    assert all(hit.snippets for hit in page.partial_hits)


def test_partial_hits_leave_total_facets_and_timeline_to_the_all_word_set(service):
    page = search(service, "Soldaten Pistorius")
    years = page.facet("year")
    assert sum(v.count for v in years.values) + page.undated == page.total == 1
    for facet in page.facets:
        assert all(v.count <= page.total for v in facet.values), facet.name


def test_explicit_all_words_finding_nothing_shows_partial_hits_instead_of_the_fallback(service):
    page = search(service, "Soldaten Mali Kursk", words="all")
    assert page.total == 0 and page.notice == "" and page.words == "all"
    assert {(hit.id, tuple(hit.missing_words)) for hit in page.partial_hits} == {
        ("bw-1", ("Kursk",)), ("nk-1", ("Mali",)), (SEED_ID, ("Mali",))}


def test_partial_hits_keep_the_filters_and_need_half_the_words(service):
    assert search(service, "Soldaten Pistorius", date_from=dt.date(2030, 1, 1)).partial_hits == []
    assert search(service, "Nordkorea Soldaten Kursk").partial_hits == []  # bw-1 has one word of three


def test_no_partial_hits_beyond_the_first_page_or_for_a_full_page(service):
    assert search(service, "Soldaten Pistorius", page_size=1).partial_hits == []
    assert search(service, "Soldaten Pistorius", words="any").partial_hits == []


def test_partial_docs_order_most_words_then_key():
    masks = {"a": np.array([1, 1, 0, 1, 0], bool), "b": np.array([1, 0, 1, 1, 0], bool),
             "c": np.array([0, 1, 1, 0, 1], bool)}
    key = np.array([5.0, 1.0, 9.0, 2.0, 8.0])
    assert partial_docs(masks, np.ones(5, bool), key, 10) == [(2, ["a"]), (0, ["c"]), (3, ["c"]), (1, ["b"])]
    assert partial_docs(masks, np.array([1, 1, 0, 1, 1], bool), key, 1) == [(0, ["c"])]


# --- lenient reading ----------------------------------------------------------------------


@pytest.mark.parametrize("query, read_as, found", [
    ('"Bundeswehr beendet', '"Bundeswehr beendet"', {"bw-1"}),
    ("(Nordkorea OR Selenskyj", "(Nordkorea OR Selenskyj)", {"nk-1", "uk-1", SEED_ID}),
    ('(Pistorius OR "Bundeswehr beendet', '(Pistorius OR "Bundeswehr beendet")', {"bw-1"}),
    ('person:"Boris Pistorius', 'person:"Boris Pistorius"', None),
])
def test_an_unclosed_quote_or_bracket_is_read_as_closed_with_a_notice(service, query, read_as, found):
    page = search(service, query)
    assert page.query_notice.endswith(f"gesucht wurde: {read_as}") and "nicht geschlossen" in page.query_notice
    if found is not None:
        assert ids(page.hits) == found


def test_a_closed_query_has_no_notice(service):
    assert search(service, '"Bundeswehr beendet"').query_notice == ""


def test_unclosed_on_the_command_line_is_a_line_not_an_error(index_dir):
    result = CliRunner().invoke(search_command, ['"Bundeswehr beendet', "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert 'Anführungszeichen nicht geschlossen; gesucht wurde: "Bundeswehr beendet"' in result.output


# --- dates and the command line -----------------------------------------------------------


def test_a_from_date_after_the_to_date_is_a_date_order_error(service):
    with pytest.raises(DateOrderError) as info:
        search(service, "Nordkorea", date_from=dt.date(2025, 1, 1), date_to=dt.date(2024, 12, 31))
    assert (info.value.start, info.value.end) == (dt.date(2025, 1, 1), dt.date(2024, 12, 31))


def test_the_command_line_hints_the_swapped_range_as_typed(index_dir):
    result = CliRunner().invoke(search_command, ["Nordkorea", "--from", "2025", "--to", "2024-06",
                                                 "--index", str(index_dir)])
    assert result.exit_code == 2
    assert result.output.splitlines() == ["Fehler: Das Von-Datum (01.01.2025) liegt nach dem Bis-Datum (30.06.2024).",
                                          "Hinweis: Die Grenzen tauschen: --from 2024-06 --to 2025"]


def test_the_command_line_switches_words_and_shows_partial_hits(index_dir):
    run = CliRunner().invoke
    question = run(search_command, ["Wo sind Soldaten der Bundeswehr?", "--index", str(index_dir)]).output
    assert "Gesucht: beliebige Wörter (umschalten: --words all)" in question
    partial = run(search_command, ["Soldaten", "Pistorius", "--index", str(index_dir)]).output
    assert "--- Weitere Treffer mit einigen der Wörter ---" in partial and "   Es fehlt: Pistorius" in partial
    assert "Gesucht:" not in partial  # all words, as by default: no switch to mention
    data = run(search_command, ["Soldaten", "Pistorius", "--json", "--index", str(index_dir)]).output
    assert '"missing_words": [\n' in data and '"partial_hits": [' in data
