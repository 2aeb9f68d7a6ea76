"""Exports: the service's generator of all hits, the CSV and JSON Lines writers, ``search --format``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import types

import pytest
from click.testing import CliRunner

from indexer.cli import search_command
from indexer.errors import BadRequestError, QuerySyntaxError
from indexer.export import BOM, HEADER, csv_cell, export_chunks
from indexer.index.writer import BuildOptions, add
from indexer.search import export as export_module
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService

HAUSHALT_BY_DATE = ["ex-4", "ex-2", "ex-1", "ex-3", "ex-5"]  # newest first, undated last


def csv_rows(data: bytes, delimiter: str = ";") -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM):], newline=""), delimiter=delimiter))


# --- the service ----------------------------------------------------------------------


def test_export_is_a_generator_of_all_hits_in_the_search_order(export_service):
    rows = export_service.export(SearchRequest(query="Haushalt", sort="date", page=2, page_size=1))
    assert isinstance(rows, types.GeneratorType)
    hits = list(rows)
    assert [hit.id for hit in hits] == HAUSHALT_BY_DATE  # every page, not page 2
    assert [hit.rank for hit in hits] == [1, 2, 3, 4, 5]
    assert hits[0].speaker == "Christian Lindner" and hits[1].speaker == "Erika Mustermann"  # speaker or author


@pytest.mark.parametrize("request_", [
    SearchRequest(query="Haushalt", date_from=dt.date(2024, 1, 1)),
    SearchRequest(query="Haushalt", recency_boost=True),
    SearchRequest(query="Haushalt", sort="date_asc"),
])
def test_export_follows_filters_and_order_like_the_search(export_service, request_):
    page = export_service.search(request_)
    exported = list(export_service.export(request_))
    assert [hit.id for hit in exported] == [hit.id for hit in page.hits]
    assert [hit.score for hit in exported] == [hit.score for hit in page.hits]


def test_export_rows_are_bounded_by_limit_and_setting(export_service, monkeypatch):
    request = SearchRequest(query="Haushalt", sort="date")
    assert [hit.id for hit in export_service.export(request, limit=2)] == HAUSHALT_BY_DATE[:2]
    monkeypatch.setenv("NEWS_SEARCH_EXPORT_MAX_ROWS", "3")
    assert len(list(export_service.export(request))) == 3
    for limit in (0, 4):
        with pytest.raises(BadRequestError, match="außerhalb von 1 bis 3"):
            export_service.export(request, limit=limit)


@pytest.mark.parametrize("request_, error", [
    (SearchRequest(query="Haushalt)"), QuerySyntaxError),  # a stray bracket (an unclosed quote is read as closed)
    (SearchRequest(query="der die das"), QuerySyntaxError),  # stopwords only: found when compiling
    (SearchRequest(query="Haushalt", sort="title"), BadRequestError),
])
def test_a_bad_request_raises_before_the_first_row(export_service, request_, error):
    with pytest.raises(error):
        export_service.export(request_)  # not on iteration: the web app has sent nothing yet


def test_an_export_reads_its_snapshot_while_an_add_commits(tmp_path, export_documents_dir, monkeypatch):
    monkeypatch.setattr(export_module, "BATCH", 2)
    index = tmp_path / "index"
    add([export_documents_dir], index, BuildOptions(entities=False))
    newer = tmp_path / "newer.jsonl"
    newer.write_text(json.dumps({"id": "ex-7", "title": "Haushalt beschlossen", "text": "Der Haushalt ist beschlossen.",
                                 "date": "2025-12-01"}, ensure_ascii=False) + "\n", encoding="utf-8")
    with SearchService(index) as service:
        rows = service.export(SearchRequest(query="Haushalt", sort="date"))
        first = next(rows)
        add([newer], index, BuildOptions(entities=False))  # a commit between two batches
        assert [first.id, *(hit.id for hit in rows)] == HAUSHALT_BY_DATE  # the pinned snapshot, in order
        assert [hit.id for hit in service.export(SearchRequest(query="Haushalt", sort="date"), 1)] == ["ex-7"]


def test_an_abandoned_export_releases_its_snapshot(export_index_dir):
    service = SearchService(export_index_dir)
    rows = service.export(SearchRequest(query="Haushalt"))
    snapshot = service._live
    rows.close()
    service.close()
    assert snapshot._closed  # the retired snapshot closed when the export's generator did


# --- the writers ----------------------------------------------------------------------


@pytest.mark.parametrize("text, safe", [
    ("=SUMME(A1)", "'=SUMME(A1)"), ("+49 30", "'+49 30"), ("-10 Prozent", "'-10 Prozent"),
    ("@Nordblick", "'@Nordblick"), ("\tTab", "'\tTab"), ("\rCR", "'\rCR"),
    ("Haushalt = Plan", "Haushalt = Plan"), ("2024-03-05", "2024-03-05"), ("", ""),
])
def test_formula_looking_cells_are_defused(text, safe):
    assert csv_cell(text) == safe


def test_csv_has_bom_header_and_defused_cells(export_service):
    data = "".join(export_chunks(export_service.export(SearchRequest(query="Haushalt", sort="date")), "csv")).encode()
    rows = csv_rows(data)
    assert tuple(rows[0]) == HEADER
    records = {row[0]: dict(zip(HEADER, row)) for row in rows[1:]}
    assert list(records) == HAUSHALT_BY_DATE
    assert records["ex-1"]["title"] == "'=SUMME(A1:A9) im Haushaltsausschuss"
    assert records["ex-2"]["title"].startswith("'+49") and records["ex-3"]["title"].startswith("'-10")
    assert records["ex-3"]["source"] == "'@Nordblick"
    assert records["ex-1"]["date"] == "2024-03-05" and records["ex-5"]["date"] == ""
    assert "," in records["ex-1"]["score"] and "." not in records["ex-1"]["score"]  # ;-CSV: decimal comma
    assert all(len(row) == len(HEADER) for row in rows)  # "; " in lists and quotes in text are quoted


def test_csv_with_comma(export_service):
    data = "".join(export_chunks(export_service.export(SearchRequest(query="Haushalt")), "csv", "comma")).encode()
    rows = csv_rows(data, ",")
    assert tuple(rows[0]) == HEADER and len(rows) == 6
    assert all("," not in dict(zip(HEADER, row))["score"] for row in rows[1:])


def test_jsonl_keeps_values(export_service):
    text = "".join(export_chunks(export_service.export(SearchRequest(query="Haushalt", sort="date")), "jsonl"))
    records = [json.loads(line) for line in text.splitlines()]
    assert [tuple(record) for record in records] == [HEADER] * 5
    assert records[2]["title"] == "=SUMME(A1:A9) im Haushaltsausschuss"  # not a spreadsheet: as it is
    assert records[4]["date"] is None and isinstance(records[0]["score"], float)
    assert records[0]["persons"] == [] and "Haushalt" in records[0]["snippet"]
    assert (records[0]["speaker"], records[0]["party"]) == ("Christian Lindner", "FDP")


# --- search --format ------------------------------------------------------------------


def run(*args, **env):
    return CliRunner().invoke(search_command, [str(a) for a in args], env={k: str(v) for k, v in env.items()})


def test_cli_format_csv_prints_the_whole_result_set(export_index_dir):
    result = run("Haushalt", "--sort", "date", "--limit", "2", "--format", "csv", "--index", export_index_dir)
    assert result.exit_code == 0, result.output
    rows = csv_rows(result.stdout_bytes)
    assert tuple(rows[0]) == HEADER and [row[0] for row in rows[1:]] == HAUSHALT_BY_DATE


def test_cli_format_jsonl_sep_and_rows(export_index_dir):
    result = run("Haushalt", "--sort", "date", "--format", "jsonl", "--rows", "2", "--index", export_index_dir)
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == HAUSHALT_BY_DATE[:2]
    result = run("Haushalt", "--format", "csv", "--sep", "comma", "--index", export_index_dir)
    assert tuple(csv_rows(result.stdout_bytes, ",")[0]) == HEADER


@pytest.mark.parametrize("args, message", [
    (["--format", "xml"], "Invalid value for '--format'"),
    (["--format", "csv", "--sep", "tab"], "Invalid value for '--sep'"),
    (["--format", "csv", "--json"], "--json und --format schließen sich aus"),
    (["--format", "csv", "--rows", "0"], "Invalid value for '--rows'"),
])
def test_cli_bad_format_options_are_usage_errors(export_index_dir, args, message):
    result = run("Haushalt", *args, "--index", export_index_dir)
    assert result.exit_code == 2 and message in result.stderr and result.stdout == ""


def test_cli_bad_query_or_too_many_rows_prints_no_half_file(export_index_dir):
    result = run("Haushalt)", "--format", "csv", "--index", export_index_dir)
    assert result.exit_code == 2 and result.stdout == "" and result.stderr.startswith("Fehler: ")
    result = run("Haushalt", "--format", "csv", "--rows", "4", "--index", export_index_dir,
                 NEWS_SEARCH_EXPORT_MAX_ROWS=3)
    assert result.exit_code == 2 and result.stdout == ""
    assert "Fehler: Zeilenzahl 4 außerhalb von 1 bis 3." in result.stderr and "Hinweis:" in result.stderr
