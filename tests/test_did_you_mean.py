"""Did-you-mean beyond one typo: two typos in one word, two misspelled words in one query.

Over the root fixture index (``service``). A suggestion must be the corrected query, written
as the documents write it, and must itself find the documents the user meant; a query that
finds nothing runs it at once (``autocorrect``), and ``autocorrect=False`` searches as typed.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from indexer.cli import search_command
from indexer.search.results import SearchRequest

SEED_ID = "000_923481393c34947e"  # the seed article in seeds/


def suggestion_and_its_hits(service, query: str) -> tuple[str | None, set[str]]:
    """The suggestion for ``query`` searched as typed, and the hits of the page that runs it at once."""
    typed = service.search(SearchRequest(query=query, autocorrect=False))
    assert typed.total == 0 and typed.corrected_query is None
    corrected = service.search(SearchRequest(query=query))
    assert corrected.corrected_query == typed.suggestion and corrected.request.query == query
    return typed.suggestion, {h.id for h in corrected.hits}


@pytest.mark.parametrize("query, suggestion, found", [
    ("Nortkora", "Nordkorea", {"nk-1", SEED_ID}),  # d -> t, e missing
    ("Raketntest", "Raketentests", {"sk-1"}),  # two letters missing
    ("Selenskji", "Selenskyj", {"uk-1", SEED_ID}),  # "yj" typed as "ji"
    ("Pistorus", "Pistorius", {"bw-1"}),
    ("nortkora", "Nordkorea", {"nk-1", SEED_ID}),  # written as the documents write it, not as typed
])
def test_two_typos_in_one_word(service, query, suggestion, found):
    assert suggestion_and_its_hits(service, query) == (suggestion, found)


@pytest.mark.parametrize("query, suggestion, found", [
    ("Rusland Ukrane", "Russland Ukraine", {"uk-1", SEED_ID}),
    ("Bundesweher Kampfeinsaz", "Bundeswehr Kampfeinsatz", {"bw-1"}),
    ("Verteidigungsministr Pistorious", "Verteidigungsminister Pistorius", {"bw-1"}),
])
def test_two_misspelled_words(service, query, suggestion, found):
    assert suggestion_and_its_hits(service, query) == (suggestion, found)


def test_a_correction_keeps_the_rest_of_the_query(service):
    page = service.search(SearchRequest(query="Nortkora NOT Pistorius", autocorrect=False))
    assert page.suggestion == "Nordkorea NOT Pistorius"


def test_two_misspelled_words_on_the_command_line(index_dir):
    result = CliRunner().invoke(search_command, ["Rusland Ukrane", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 Treffer für »Russland Ukraine«")
    assert "Stattdessen suchen nach »Rusland Ukrane«: --no-autocorrect" in result.output
    typed = CliRunner().invoke(search_command, ["Rusland Ukrane", "--no-autocorrect", "--index", str(index_dir)])
    assert typed.output.startswith("0 Treffer") and "Meinten Sie: Russland Ukraine" in typed.output


def test_no_suggestion_for_a_word_too_far_off(service):
    assert service.search(SearchRequest(query="Nrodkroea")).suggestion is None  # four letters wrong


@pytest.mark.parametrize("query, suggestion", [("Kampfeinstz Mali", "Kampfeinsatz Mali"),
                                               ("Nordkroea Soldaten", "Nordkorea Soldaten")])
def test_one_misspelled_word_next_to_a_correct_one(service, query, suggestion):
    """No document has all words, the any-word fallback finds some: the typo is still corrected
    (compared with the all-word count), and the correction runs instead of the fallback."""
    typed = service.search(SearchRequest(query=query, autocorrect=False))
    assert typed.suggestion == suggestion and typed.notice  # the fallback, with its notice
    corrected = service.search(SearchRequest(query=query))
    assert corrected.corrected_query == suggestion and corrected.total and not corrected.notice


@pytest.mark.parametrize("word, maxdist, prefix", [
    ("nortkora", 2, 1), ("rusland", 2, 1), ("nato", 1, 0), ("ab", 2, 0), ("pistorus", 2, 1),
])
def test_index_words_within_some_edits_are_whooshs(index_dir, word, maxdist, prefix):
    """``words_within`` (length first, then the edit distance) yields exactly Whoosh's ``terms_within``."""
    from whoosh import index as whoosh_index

    from indexer.index.store import current_generation
    from indexer.search.spelling import words_within

    with whoosh_index.open_dir(str(current_generation(index_dir))).reader() as reader:
        expected = list(reader.terms_within("exact", word, maxdist, prefix=prefix))
        assert list(words_within(reader, "exact", word, maxdist, prefix)) == expected
        assert expected or word == "ab"


def test_a_word_far_longer_than_any_index_word_is_compared_with_none(service, monkeypatch):
    """A hostile word of hundreds of digits: no edit distance is computed, neither for the
    did-you-mean nor for a fuzzy search (each took milliseconds in Python, for every index
    word with its first letter: seconds per query)."""
    from whoosh import reading
    from whoosh.support import levenshtein

    compared = []
    counting = lambda *args, **kwargs: compared.append(args) or 99  # noqa: E731
    monkeypatch.setattr(levenshtein, "distance", counting)
    monkeypatch.setattr(reading, "distance", counting)   # Whoosh's own terms_within
    long_word = "Kennung" + "9706" * 100
    for query in (long_word, long_word + "~"):
        assert service.search(SearchRequest(query=query)).total == 0
    assert compared == []
