"""The one date parser: documents, the query language, the CLI and the web read dates alike."""

from __future__ import annotations

import datetime as dt

import pytest

from indexer.errors import BadRequestError, DateFormatError
from indexer.text.dates import day_span, iso_period, parse_bound, parse_day, parse_timestamp

D = dt.date


@pytest.mark.parametrize("text, day", [
    ("2024-10-28", D(2024, 10, 28)), ("28.10.2024", D(2024, 10, 28)), ("1.2.2024", D(2024, 2, 1)),
    (" 2024-1-5 ", D(2024, 1, 5)), ("29.02.2024", D(2024, 2, 29)),
])
def test_days(text, day):
    assert parse_day(text) == day


@pytest.mark.parametrize("text, message", [
    ("2024-13-01", "ungültiges Datum"), ("31.02.2024", "ungültiges Datum"), ("29.02.2023", "ungültiges Datum"),
    ("gestern", "Datumsformat"), ("28.10.24", "Datumsformat"), ("2024/10/28", "Datumsformat"),
    ("Oktober 2024", "Datumsformat"), ("２０２４-10-28", "Datumsformat"), ("2024-10-28T10:00", "Datumsformat"),
])
def test_bad_days_say_why_with_a_german_hint(text, message):
    with pytest.raises(DateFormatError, match=message) as info:
        parse_day(text)
    assert "JJJJ-MM-TT" in info.value.hint and "28.10.2024" in info.value.hint
    assert isinstance(info.value, BadRequestError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize("value, day", [
    ("2024-10-28T09:30:00+02:00", D(2024, 10, 28)), ("2024-10-28 09:30", D(2024, 10, 28)),
    ("2024-10-28T09:30:00Z", D(2024, 10, 28)), ("28.10.2024", D(2024, 10, 28)), ("", None), (None, None),
    (dt.datetime(2024, 10, 28, 9, 30), D(2024, 10, 28)),
])
def test_document_timestamps(value, day):
    assert parse_timestamp(value) == day


@pytest.mark.parametrize("text, span", [
    ("2024", (D(2024, 1, 1), D(2024, 12, 31))), ("2024-02", (D(2024, 2, 1), D(2024, 2, 29))),
    ("2023-2", (D(2023, 2, 1), D(2023, 2, 28))), ("28.10.2024", (D(2024, 10, 28), D(2024, 10, 28))),
])
def test_spans(text, span):
    assert day_span(text) == span


@pytest.mark.parametrize("text, last, day", [
    ("2024", False, D(2024, 1, 1)), ("2024", True, D(2024, 12, 31)), ("2024-10", True, D(2024, 10, 31)),
    ("28.10.2024", False, D(2024, 10, 28)), ("", True, None), ("  ", False, None),
])
def test_bounds(text, last, day):
    assert parse_bound(text, last) == day


@pytest.mark.parametrize("text, period", [("28.10.2024", "2024-10-28"), ("2024-1", "2024-01"), ("2025", "2025")])
def test_periods_as_mentioned_dates_are_indexed(text, period):
    assert iso_period(text) == period


def test_the_web_takes_german_dates_like_the_cli(client):
    data = client.get("/api/search", query_string={"from": "28.10.2024", "to": "31.12.2024"}).get_json()
    assert (data["date_from"], data["date_to"]) == ("2024-10-28", "2024-12-31")


def test_a_bad_web_date_is_a_400_with_the_hint(client):
    response = client.get("/api/search", query_string={"from": "31.02.2024"})
    assert response.status_code == 400 and "JJJJ-MM-TT" in response.get_json()["hint"]


def test_the_cli_takes_partial_dates_like_the_web(index_dir):
    import json

    from click.testing import CliRunner

    from indexer.cli import search_command

    result = CliRunner().invoke(search_command, ["--from", "2024", "--to", "31.10.2024", "--json", "--index",
                                                 str(index_dir)])
    data = json.loads(result.output)
    assert (data["request"]["date_from"], data["request"]["date_to"]) == ("2024-01-01", "2024-10-31")


def test_mentioned_takes_german_dates(service):
    from indexer.search.results import SearchRequest

    german = service.search(SearchRequest(query="mentioned:28.10.2024")).total
    assert german == service.search(SearchRequest(query="mentioned:2024-10-28")).total
