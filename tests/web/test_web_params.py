"""URL parameters <-> SearchState: strict parsing and stable, round-tripping URLs."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from indexer.errors import BadRequestError
from search_web.params import SearchState, parse_day, parse_state
from indexer.text.folding import fold
from search_web.present import date_span

VALUES = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=20)


@st.composite
def states(draw) -> SearchState:
    start = draw(st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))
    return SearchState(
        query=draw(st.sampled_from(["", "Nordkorea", '"Auswärtiges Amt"', "Rente ODER Pflege", "a&b=c"])),
        filters={p: tuple(dict.fromkeys(draw(st.lists(VALUES, max_size=3))))
                 for p in draw(st.sets(st.sampled_from(["person", "country", "org"])))},
        date_from=start, date_to=draw(st.none() | st.dates(start or dt.date(1990, 1, 1), dt.date(2031, 1, 1))),
        sort=draw(st.sampled_from(["relevance", "date"])), page=draw(st.integers(1, 50)),
        size=draw(st.integers(1, 100)), more=frozenset(draw(st.sets(st.sampled_from(["person", "country", "org"])))),
        find={p: draw(VALUES) for p in draw(st.sets(st.sampled_from(["person", "country", "org"])))},
        words=draw(st.sampled_from([None, "all", "any"])), autocorrect=draw(st.booleans()),
    )


def normal(state: SearchState) -> SearchState:
    """Empty filter lists mean no filter."""
    return SearchState(**{**state.__dict__, "filters": {p: v for p, v in state.filters.items() if v}})


@given(states())
def test_urls_round_trip(state):
    assert parse_state(MultiDict(state.pairs())) == normal(state)


def test_defaults_are_left_out_of_urls():
    assert SearchState().query_string() == ""
    assert SearchState(query="Nordkorea", page=2).query_string() == "?q=Nordkorea&page=2"


def test_changing_a_filter_goes_back_to_page_one():
    state = SearchState(query="x", page=3)
    assert state.with_value("country", "Japan").page == 1
    assert state.without_value("country", "Japan").page == 1
    assert state.sorted_by("date").page == 1
    assert state.at_page(4).page == 4


def test_adding_a_selected_value_twice_keeps_one():
    state = SearchState().with_value("country", "Japan").with_value("country", "Japan")
    assert state.filters == {"country": ("Japan",)}


def test_org_maps_to_the_organisation_facet():
    request = parse_state(MultiDict([("org", "NATO"), ("person", "")])).to_request()
    assert request.filters == {"organisation": ("NATO",)}


@pytest.mark.parametrize("raw, last, expected", [
    ("2024-10-28", False, dt.date(2024, 10, 28)), ("2024", False, dt.date(2024, 1, 1)),
    ("2024", True, dt.date(2024, 12, 31)), ("2024-02", True, dt.date(2024, 2, 29)),
    ("2023-02", False, dt.date(2023, 2, 1)), (" 2024-1-5 ", False, dt.date(2024, 1, 5)), ("", False, None),
])
def test_days(raw, last, expected):
    assert parse_day(raw, "from", last) == expected


@pytest.mark.parametrize("raw", ["2024-13-01", "2024-02-30", "24-01-01", "0000", "heute", "2024-10-28T10:00", "２０２４"])
def test_bad_days(raw):
    with pytest.raises(BadRequestError) as info:
        parse_day(raw, "from")
    assert "JJJJ-MM-TT" in info.value.hint


def test_date_spans_read_naturally():
    assert date_span(dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == "2024"
    assert date_span(dt.date(2024, 2, 1), dt.date(2024, 2, 29)) == "Februar 2024"
    assert date_span(dt.date(2024, 2, 3), None) == "03.02.2024 – …"


def test_fold_ignores_case_and_accents():
    assert fold("Südkorea") == fold("SUDKOREA") == "sudkorea"
