"""Navigation in the service: oldest/newest first with undated documents last, the timeline
with its gaps, and the one German number format (issue 13)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from indexer.index.ordinals import FieldOrdinals, lookup_of
from indexer.search.facets import MAX_YEAR_SPAN, with_gaps
from indexer.search.results import SORTS, SearchRequest
from indexer.text.numbers import german_number

D = dt.date


def dates(service, **request) -> list[str | None]:
    page = service.search(SearchRequest(page_size=50, **request))
    return [h.date.isoformat() if h.date else None for h in page.hits]


@pytest.mark.parametrize("query", ["", "Berlin OR Seoul OR Hamburg OR Kiew OR Nordkorea OR Union"])
def test_oldest_and_newest_first_keep_undated_documents_last(service, query):
    newest, oldest = dates(service, query=query, sort="date"), dates(service, query=query, sort="date_asc")
    dated = [d for d in newest if d]
    assert len(dated) >= 4 and None in newest  # the seed article and vk-1 have no date
    assert newest == sorted(dated, reverse=True) + [None] * (len(newest) - len(dated))
    assert oldest == sorted(dated) + [None] * (len(oldest) - len(dated))


def test_date_asc_is_a_sort_of_the_service():
    assert SORTS == ("relevance", "date", "date_asc")


def year_values(page) -> list[tuple[str, int]]:
    return [(v.value, v.count) for v in page.facet("year").values]


def test_year_facet_fills_the_gap_with_zero(service):
    page = service.search(SearchRequest(query="Raketentests OR Sicherheitslücke"))  # sk-1 (2023), es-1 (2025)
    assert year_values(page) == [("2023", 1), ("2024", 0), ("2025", 1)]
    assert page.facet("year").total_values == 2  # years with documents


def test_month_facet_fills_the_months_between_first_and_last(service):
    page = service.search(SearchRequest(date_from=D(2024, 1, 1), date_to=D(2024, 12, 31)))
    months = [(v.label, v.count) for v in page.facet("month").values]
    assert months == [("Juni", 1), ("Juli", 0), ("August", 0), ("September", 0), ("Oktober", 1)]
    assert page.facet("month").total_values == 2


def test_a_selected_empty_month_still_shows_and_spans_the_gap(service):
    page = service.search(SearchRequest(date_from=D(2024, 3, 1), date_to=D(2024, 3, 31)))
    months = [(v.label, v.count, v.selected) for v in page.facet("month").values]
    assert months[0] == ("März", 0, True) and months[-1] == ("Oktober", 1, False) and len(months) == 8


def test_gaps_are_filled_only_within_a_sane_span():
    assert with_gaps({2019, 2022}, MAX_YEAR_SPAN) == [2019, 2020, 2021, 2022]
    assert with_gaps({1, 2024}, MAX_YEAR_SPAN) == [1, 2024]  # a stray date: no 2,000 empty bars
    assert with_gaps(set(), 12) == []


def test_value_word_search_finds_parts_of_words_among_all_values():
    values = [f"Person {i:04d}" for i in range(5000)] + ["Kim Jong Un", "Nordkorea", "Südkorea", "Hans-Dietrich Genscher"]
    docs = np.arange(len(values))
    field = FieldOrdinals(values, docs, docs.copy(), lookup_of(values))
    found = lambda *parts: [values[o] for o in field.containing(set(parts))]  # noqa: E731
    assert found("kor") == ["Nordkorea", "Südkorea"]
    assert found("jong", "kim") == ["Kim Jong Un"]
    assert found("dietrich") == ["Hans-Dietrich Genscher"]
    assert found("4999") == ["Person 4999"]  # the last of 5,000 values, not only a top few
    assert found("atlantis") == [] and found("kim", "atlantis") == []


@pytest.mark.parametrize("value, decimals, text", [
    (0, 0, "0"), (7, 0, "7"), (999, 0, "999"), (1200, 0, "1.200"), (12345, 0, "12.345"), (1234567, 0, "1.234.567"),
    (-1200, 0, "-1.200"), (1.53, 1, "1,5"), (1234.5, 1, "1.234,5"), (12.7, 0, "13"),
])
def test_german_number(value, decimals, text):
    assert german_number(value, decimals) == text


def test_cli_sorts_oldest_first_and_says_so(index_dir):
    import json

    from click.testing import CliRunner

    from indexer.cli import search_command

    run = lambda *args: CliRunner().invoke(search_command, [*args, "--index", str(index_dir)])  # noqa: E731
    data = json.loads(run("--sort", "date_asc", "--json").output)
    assert [h["date"] for h in data["hits"]] == ["2023-03-02", "2023-12-15", "2024-06-12", "2024-10-28", "2025-01-20",
                                                None, None]
    first = run("--sort", "date_asc").output.splitlines()[0]
    assert first.startswith("7 Treffer für »«") and first.endswith(", älteste zuerst (2 ohne Datum)")
    assert "date_asc" in run("--help").output


def test_cli_groups_big_numbers():
    from indexer.cli import format_page
    from indexer.search.results import Facet, FacetValue, SearchPage

    page = SearchPage(SearchRequest(query="Nordkorea", sort="date"), 12345, [],
                      [Facet("country", "Länder", [FacetValue("Russland", "Russland", 1200)], 1)],
                      None, 2, 10, 1235, 1530.4, undated=1001)
    lines = format_page(page, color=False).splitlines()
    assert lines[0] == ("12.345 Treffer für »Nordkorea« (1.530 ms), Seite 2 von 1.235, neueste zuerst "
                        "(1.001 ohne Datum)")
    assert "Länder: Russland (1.200)" in lines and "ohne Datum: 1.001" in lines
