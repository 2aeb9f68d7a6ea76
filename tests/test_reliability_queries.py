"""No query breaks the product: results or a clear query error, never a crash or a hang.

Hostile strings (see ``reliability.queries``) go to the search service, the ``search``
command (exit 0, or 2 with ``Fehler:``) and the web API (200 or 400). Each query must
answer within ``QUERY_BOUND`` seconds of CPU time of the calling thread; wall time is also
bounded (``WALL_BOUND``) to catch waits, but more loosely, because the test machines are
shared and a busy neighbour stretches wall time without the query doing more work.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from indexer.index.writer import BuildOptions, build
from indexer.cli import search_command
from indexer.errors import EmptyQueryError, QuerySyntaxError, SearchError
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService
from reliability.corpus import write_corpus
from reliability.queries import hostile_queries, web_parameters, web_safe
from search_web import create_app
from search_web.handlers import status_of

QUERY_BOUND = 2.0  # CPU seconds a single query may take, hostile or not
WALL_BOUND = 10.0  # wall seconds: a hang or a lock wait, not a slow neighbour


def fuzz(examples: int) -> settings:
    """Hypothesis settings for a fuzz run: no per-example deadline (``QUERY_BOUND`` applies)."""
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
KNOWN_NASTY = [
    "-" * 999 + "x", "+-" * 499 + "x", "NOT " * 249 + "x", "NICHT " * 160 + "x", "(" * 17 + "x" + ")" * 17,
    " ".join(["Kennung*"] * 64), " OR ".join(["Me*"] * 64), " ".join(f"w{i}~2" for i in range(60)),
    "x" * 10_000, '"' * 999, "(" * 999, ")" * 999, "date:[0001-01-01 TO 9999-12-31]", "9" * 999,
    "a" * 999 + "~", "\x00" * 500, "\udcff\udcfe", "foo:bar", "date:2024-13", "AND OR NOT", "UND ODER NICHT",
]
fuzzed = {"service": 0, "cli": 0, "web": 0, "web parameters": 0, "document ids": 0}


@pytest.fixture(scope="module")
def fuzz_index(tmp_path_factory, documents_dir):
    """The literal test articles plus 300 generated ones, without entities (fast to build)."""
    path = tmp_path_factory.mktemp("fuzz-index")
    extra = tmp_path_factory.mktemp("fuzz-docs") / "generated.jsonl"
    write_corpus(extra, 300)
    report = build([documents_dir, extra], path, BuildOptions(entities=False))
    assert report.skipped == 0, report.problems
    return path


@pytest.fixture(scope="module")
def fuzz_service(fuzz_index):
    service = SearchService(fuzz_index)
    yield service
    service.close()


@pytest.fixture(scope="module")
def fuzz_client(fuzz_index):
    app = create_app({"SEARCH_INDEX": str(fuzz_index)})  # not TESTING: the production error path
    yield app.test_client()
    app.extensions["search"].close()


@pytest.fixture(scope="module", autouse=True)
def count_report():
    yield
    print(f"\nqueries fuzzed: {fuzzed} (total {sum(fuzzed.values())})")


def timed(call, *args, **kwargs):
    """``call(...)`` and a check that it stayed within the bounds (the test client and the
    CLI runner answer in the calling thread, so its CPU time is the query's)."""
    started, cpu = time.perf_counter(), time.thread_time()
    result = call(*args, **kwargs)
    return result, (time.perf_counter() - started, time.thread_time() - cpu)


def assert_bounded(query: str, elapsed: tuple[float, float]) -> None:
    wall, cpu = elapsed
    assert cpu < QUERY_BOUND and wall < WALL_BOUND, f"{query[:200]!r} took {cpu:.2f} s CPU, {wall:.2f} s wall"


def search_service(service: SearchService, query: str) -> None:
    fuzzed["service"] += 1
    outcome, elapsed = timed(answer_or_error, service, query)
    if isinstance(outcome, SearchError):
        assert status_of(outcome) == 400 and outcome.message and "\n" not in outcome.message, repr(outcome)
    assert_bounded(query, elapsed)


def answer_or_error(service: SearchService, query: str):
    try:
        return service.search(SearchRequest(query=query))
    except SearchError as error:
        return error


def search_cli(index, query: str) -> None:
    fuzzed["cli"] += 1
    runner = CliRunner()
    query = web_safe(query)  # CliRunner's output is strict UTF-8; argv bytes: test_cli_argv_that_is_not_utf8
    result, elapsed = timed(runner.invoke, search_command, ["--index", str(index), "--json", "--", query])
    assert result.exit_code in (0, 2), (query[:200], result.exit_code, result.output[-500:], result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    if result.exit_code == 2:
        assert "Fehler:" in result.output and "Traceback" not in result.output
    assert_bounded(query, elapsed)


def search_web(client, query: str) -> None:
    fuzzed["web"] += 1
    response, elapsed = timed(client.get, "/api/search", query_string={"q": web_safe(query)})
    assert response.status_code in (200, 400), (query[:200], response.status_code, response.data[:300])
    body = response.get_json()
    assert ("error" in body and body["error"]) if response.status_code == 400 else "total" in body
    assert_bounded(query, elapsed)


@pytest.mark.parametrize("query", KNOWN_NASTY, ids=range(len(KNOWN_NASTY)))
def test_known_nasty_queries(fuzz_service, fuzz_index, fuzz_client, query):
    search_service(fuzz_service, query)
    search_cli(fuzz_index, query)
    search_web(fuzz_client, query)


def test_long_sign_and_not_runs_fold_instead_of_recursing(fuzz_service):
    """999 leading minus signs once raised RecursionError; an even number of negations cancels."""
    odd = fuzz_service.search(SearchRequest(query="-" * 985 + "Kennung")).total
    even = fuzz_service.search(SearchRequest(query="-" * 984 + "Meldung")).total
    assert odd == fuzz_service.search(SearchRequest(query="NOT Kennung")).total
    assert even == fuzz_service.search(SearchRequest(query="Meldung")).total > 0
    assert fuzz_service.search(SearchRequest(query="NOT " * 247 + "Kennung")).total == odd


def test_too_many_expanding_words_is_a_query_error(fuzz_service):
    with pytest.raises(QuerySyntaxError, match="Platzhalter"):
        fuzz_service.search(SearchRequest(query=" ".join(["Kennung*"] * 9)))
    assert fuzz_service.search(SearchRequest(query=" OR ".join(["Kennung*"] * 8))).total > 0


@pytest.mark.parametrize("raw", [b"Meldung \xff", b"\xff\xfe", b"Kennung\xc3", b"\xed\xa0\x80*", b"Meldung \x7f"])
@pytest.mark.parametrize("json_output", [True, False])
def test_cli_argv_that_is_not_utf8(fuzz_index, raw, json_output):
    """Bytes from a shell arrive as lone surrogates (surrogateescape); the real process prints them."""
    argv = [os.fsencode(sys.executable), b"-c", b"from indexer.cli import search_command; search_command()",
            raw, b"--index", os.fsencode(str(fuzz_index))] + ([b"--json"] if json_output else [])
    done = subprocess.run(argv, capture_output=True, timeout=120)
    assert done.returncode in (0, 2), done.stderr[-1000:]
    assert b"Traceback" not in done.stderr


@fuzz(400)
@given(query=hostile_queries())
@example(query="(Nordkorea OR -Putin) AND NOT (title:x OR date:[2024 TO *])")
def test_service_fuzz(fuzz_service, query):
    search_service(fuzz_service, query)


@fuzz(120)
@given(query=hostile_queries())
def test_cli_fuzz(fuzz_index, query):
    search_cli(fuzz_index, query)


@fuzz(200)
@given(query=hostile_queries())
def test_web_api_fuzz(fuzz_client, query):
    search_web(fuzz_client, query)


@fuzz(150)
@given(params=web_parameters(), path=st.sampled_from(("/", "/api/search")))
def test_web_parameters_fuzz(fuzz_client, params, path):
    fuzzed["web parameters"] += 1
    response, elapsed = timed(fuzz_client.get, path, query_string=params)
    assert response.status_code in (200, 400), (params, response.status_code, response.data[:300])
    assert b"Traceback" not in response.data
    assert_bounded(repr(params), elapsed)


@fuzz(150)
@given(doc_id=hostile_queries().map(web_safe), api=st.booleans())
def test_document_ids_fuzz(fuzz_client, doc_id, api):
    fuzzed["document ids"] += 1
    path = ("/api/documents/" if api else "/documents/") + quote(doc_id, safe="")
    response, elapsed = timed(fuzz_client.get, path)
    assert response.status_code in (200, 308, 400, 404), (doc_id[:200], response.status_code, response.data[:300])
    assert b"Traceback" not in response.data
    assert_bounded(doc_id, elapsed)


@pytest.mark.slow
@fuzz(2000)
@given(query=hostile_queries())
def test_service_fuzz_long(fuzz_service, query):
    search_service(fuzz_service, query)


@pytest.mark.slow
@fuzz(400)
@given(query=hostile_queries())
def test_web_api_fuzz_long(fuzz_client, query):
    search_web(fuzz_client, query)


@pytest.mark.parametrize("query", ['SOURCE:" \udcff " ', 'source:"\ud800x"', "Kennung \udcff"])
def test_lone_surrogates_in_field_values(fuzz_service, query):
    """Found by the fuzzer: an unencodable character in a field value reached Whoosh's term encoding."""
    assert fuzz_service.search(SearchRequest(query=query)).total == (query.startswith("Kennung") and
                                                                     fuzz_service.search(SearchRequest(query="Kennung")).total)


def test_a_lone_surrogate_alone_is_an_empty_query(fuzz_service):
    with pytest.raises(EmptyQueryError):
        fuzz_service.search(SearchRequest(query="title:\udcff"))
