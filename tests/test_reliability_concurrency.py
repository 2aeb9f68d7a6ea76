"""Readers and writers at the same time.

While ``search-index add`` commits batch after batch (subprocesses, one commit per run)
and a full rebuild switches generations, the service and the web app answer a steady
stream of queries without a single error, and every total they report is one of the
committed totals: never half a batch. A second writer is turned away with "wird gerade
geschrieben" (exit code 2). Open file handles stay bounded over 10,000 queries and over
repeated rebuilds.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from indexer.index import store
from indexer.index.writer import BuildOptions, add, build
from indexer.errors import EmptyQueryError
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService
from reliability.corpus import write_corpus
from reliability.processes import fd_count, run_index
from search_web import create_app

BASE, BATCH, BATCHES = 100, 100, 4
QUERIES = ["Meldung", "Sanktionen Russland", "Kennung*", '"Europäische Union"', "Bundeswehr OR Mali",
           "Meldung -Brüssel", "date:2024-03", "Nordkroea~", "title:Meldung", "der"]
CHEAP_QUERIES = [q for q in QUERIES if q[-1] not in "*~"]


@pytest.fixture(scope="module")
def batches(tmp_path_factory):
    directory = tmp_path_factory.mktemp("batches")
    write_corpus(directory / "base.jsonl", BASE)
    for i in range(BATCHES):
        write_corpus(directory / f"batch{i}.jsonl", BATCH, start=BASE + i * BATCH)
    return directory


class Reader(threading.Thread):
    """Queries until told to stop; records every total and every error."""

    def __init__(self, ask, stop: threading.Event):
        super().__init__(daemon=True)
        self.ask, self.stop = ask, stop
        self.totals: list[int] = []
        self.errors: list[str] = []

    def run(self):
        while not self.stop.is_set():
            try:
                self.totals.append(self.ask())
            except Exception as error:  # noqa: BLE001 - any error is a finding
                self.errors.append(repr(error))


def service_reader(service: SearchService):
    return lambda: service.search(SearchRequest(query="Meldung", page_size=3)).total


def web_reader(client):
    def ask():
        response = client.get("/api/search?q=Meldung&size=3")
        assert response.status_code == 200, response.data[:300]
        return response.get_json()["total"]
    return ask


def write_all(batches, index, outcomes: list) -> None:
    """The writer side: BATCHES adds in a row, then a full rebuild of everything."""
    for i in range(BATCHES):
        outcomes.append(run_index("add", batches / f"batch{i}.jsonl", index=index))
    outcomes.append(run_index("build", batches, index=index))


@pytest.mark.slow
def test_readers_see_only_committed_states_while_writers_commit(batches, tmp_path):
    index = tmp_path / "index"
    build([batches / "base.jsonl"], index, BuildOptions(entities=False))
    service = SearchService(index)
    app = create_app({"SEARCH_INDEX": str(index)})
    stop, outcomes = threading.Event(), []
    readers = [Reader(service_reader(service), stop), Reader(service_reader(service), stop),
               Reader(web_reader(app.test_client()), stop)]
    for reader in readers:
        reader.start()
    write_all(batches, index, outcomes)
    stop.set()
    for reader in readers:
        reader.join(timeout=60)
    committed = {BASE + i * BATCH for i in range(BATCHES + 1)}
    assert all(done.returncode == 0 for done in outcomes), [d.stderr[-500:] for d in outcomes]
    for reader in readers:
        assert reader.errors == [], reader.errors[:5]
        assert set(reader.totals) <= committed, sorted(set(reader.totals) - committed)
        assert reader.totals == sorted(reader.totals), "a reader went back to an older state"
    assert max(readers[0].totals) == BASE + BATCHES * BATCH
    print(f"\nqueries during writes: {sum(len(r.totals) for r in readers)}, "
          f"states seen: {sorted(set(t for r in readers for t in r.totals))}")
    service.close()
    app.extensions["search"].close()


HOLD_LOCK = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from indexer.index.store import write_lock
    with write_lock(Path(sys.argv[1])):
        print("locked", flush=True)
        sys.stdin.readline()
""")


def test_a_second_writer_is_turned_away(batches, tmp_path):
    index = tmp_path / "index"
    build([batches / "base.jsonl"], index, BuildOptions(entities=False))
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(index)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        for action in ("add", "build"):
            done = run_index(action, batches / "batch0.jsonl", index=index)
            assert done.returncode == 2, done.stderr
            assert "wird gerade geschrieben" in done.stderr and "Traceback" not in done.stderr
    finally:
        holder.communicate("\n", timeout=30)
    assert run_index("add", batches / "batch0.jsonl", index=index).returncode == 0


def ask_round(service: SearchService, queries=tuple(QUERIES)) -> int:
    for query in queries:
        try:
            service.search(SearchRequest(query=query, page_size=5))
        except EmptyQueryError:
            pass
    return len(queries)


@pytest.mark.slow
def test_file_handles_stay_bounded_over_10000_queries(batches, tmp_path):
    index = tmp_path / "index"
    build([batches / "base.jsonl"], index, BuildOptions(entities=False))
    service = SearchService(index)
    ask_round(service)
    before, asked = fd_count(), 0
    while asked < 10_000:
        asked += ask_round(service, CHEAP_QUERIES)
    after = fd_count()
    service.close()
    assert after <= before + 2, (before, after)


def test_file_handles_stay_bounded_over_rebuilds_and_adds(batches, tmp_path):
    """Old searchers are closed when the service reopens; the count wobbles (Whoosh files
    are released when their readers are collected) but does not grow with every rebuild."""
    index = tmp_path / "index"
    build([batches / "base.jsonl"], index, BuildOptions(entities=False))
    service = SearchService(index)
    ask_round(service)
    before, counts = fd_count(), []
    for i in range(2 * BATCHES):
        build([batches / "base.jsonl", batches / f"batch{i % BATCHES}.jsonl"], index, BuildOptions(entities=False))
        ask_round(service)
        assert service.search(SearchRequest(query="Meldung")).total == BASE + BATCH
        add([batches / f"batch{(i + 1) % BATCHES}.jsonl"], index, BuildOptions(entities=False))
        ask_round(service)
        assert service.search(SearchRequest(query="Meldung")).total == BASE + 2 * BATCH
        counts.append(fd_count())
    service.close()
    assert max(counts) <= before + 8, (before, counts)  # 16 reopenings: a leak would pass this
    assert len([p for p in index.iterdir() if p.name.startswith(store.GENERATION_PREFIX)]) == 1


@pytest.mark.slow
def test_load_benchmark_runs_and_prints_its_figures(batches, tmp_path):
    """``benchmarks/load.py`` against the real server, briefly: figures printed, no errors."""
    index = tmp_path / "index"
    build([batches], index, BuildOptions(entities=False))
    done = subprocess.run([sys.executable, "-m", "benchmarks.load", "--index", str(index), "--duration", "3",
                           "--clients", "2", "--json"], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout)
    assert figures["requests"] > 0 and figures["errors"] == 0, figures
    assert figures["rss_start_mb"] > 0 and figures["p95_ms"] >= figures["p50_ms"]


# --- one service, many threads ------------------------------------------------------------

THREAD_REQUESTS = [SearchRequest(query=q, page_size=5) for q in CHEAP_QUERIES if q != "der"] + [
    SearchRequest(query="Kennung*", page_size=5), SearchRequest(query="Nordkroea~", page_size=5),
    SearchRequest(query="Meldung", page=2, page_size=5, sort="date"), SearchRequest(query=""),
    SearchRequest(query="Meldung", filters={"country": ("Russland",)}, date_from=dt.date(2024, 1, 1)),
]


def answer(service: SearchService, request: SearchRequest):
    return replace(service.search(request), took_ms=0.0)


def test_threads_searching_together_get_the_serial_answers(batches, tmp_path):
    index = tmp_path / "index"
    build([batches], index, BuildOptions(entities=False))
    with SearchService(index, parallel=None) as service:
        serial = [answer(service, r) for r in THREAD_REQUESTS]
        work = [i for _ in range(6) for i in range(len(THREAD_REQUESTS))]
        random.Random(11).shuffle(work)
        with ThreadPoolExecutor(max_workers=8) as pool:
            together = list(pool.map(lambda i: (i, answer(service, THREAD_REQUESTS[i])), work))
    assert all(page == serial[i] for i, page in together)


def blocking(monkeypatch, step: str, hold):
    """Wraps the service's pipeline step ``step`` so that each call first runs ``hold(lease)``."""
    from indexer.search import service as service_module

    original = getattr(service_module, step)

    def held(lease, *args, **kwargs):
        hold(lease)
        return original(lease, *args, **kwargs)

    monkeypatch.setattr(service_module, step, held)


def test_searches_on_one_snapshot_run_side_by_side(index_dir, monkeypatch):
    """With ``parallel=2`` two searches meet inside ``match`` at the same time: no lock serialises them."""
    meeting = threading.Barrier(2, timeout=20)
    blocking(monkeypatch, "match", lambda lease: meeting.wait())
    with SearchService(index_dir, parallel=2) as service, ThreadPoolExecutor(max_workers=2) as pool:
        totals = list(pool.map(lambda q: service.search(SearchRequest(query=q)).total, ["Soldaten", "Nordkorea"]))
    assert all(totals) and not meeting.broken


def test_by_default_one_search_computes_at_a_time_under_the_gil(index_dir, monkeypatch):
    """``PARALLEL`` is 1 where the GIL is on: the second search starts when the first is done."""
    from indexer.search import service as service_module

    assert service_module.PARALLEL == (1 if getattr(sys, "_is_gil_enabled", lambda: True)() else None)
    inside, most = [0], [0]
    guard = threading.Lock()

    def hold(lease):
        with guard:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.05)
        with guard:
            inside[0] -= 1

    blocking(monkeypatch, "match", hold)
    with SearchService(index_dir, parallel=1) as service, ThreadPoolExecutor(max_workers=4) as pool:
        totals = list(pool.map(lambda q: service.search(SearchRequest(query=q)).total, ["Soldaten", "Nordkorea"] * 3))
    assert all(totals) and most[0] == 1


def test_old_snapshot_closes_when_its_last_search_ends(batches, tmp_path, monkeypatch):
    index = tmp_path / "index"
    build([batches / "base.jsonl"], index, BuildOptions(entities=False))
    service = SearchService(index, parallel=None)  # the slow search must not hold up the others
    entered, release, leases = threading.Event(), threading.Event(), []

    def hold(lease):
        if not leases:  # only the first search waits
            leases.append(lease)
            entered.set()
            assert release.wait(30)

    blocking(monkeypatch, "match", hold)
    with ThreadPoolExecutor(max_workers=1) as pool:
        slow = pool.submit(lambda: service.search(SearchRequest(query="Meldung")).total)
        assert entered.wait(30)
        build([batches / "base.jsonl", batches / "batch0.jsonl"], index, BuildOptions(entities=False))
        assert service.search(SearchRequest(query="Meldung")).total == BASE + BATCH  # the new generation
        old = leases[0].searcher
        assert not old.is_closed  # the slow search still reads the old one
        service.close()
        assert not old.is_closed
        release.set()
        assert slow.result(timeout=30) == BASE  # answered from the snapshot it started on
    assert old.is_closed


def test_threads_search_while_adds_and_a_rebuild_commit(batches, tmp_path):
    """Six threads on one service while two batches are added and the index is rebuilt in
    this process: no errors, only committed totals, no thread ever back to an older state, and
    the replaced snapshots closed (file handles bounded)."""
    index = tmp_path / "index"
    build([batches / "base.jsonl"], index, BuildOptions(entities=False))
    service = SearchService(index, parallel=None)  # searches really side by side
    ask_round(service)
    before = fd_count()
    stop = threading.Event()
    readers = [Reader(service_reader(service), stop) for _ in range(6)]
    for reader in readers:
        reader.start()
    parts = [batches / "base.jsonl", batches / "batch0.jsonl", batches / "batch1.jsonl"]
    for part in parts[1:]:
        add([part], index, BuildOptions(entities=False))
    build(parts, index, BuildOptions(entities=False))
    time.sleep(0.5)
    stop.set()
    for reader in readers:
        reader.join(timeout=60)
    for reader in readers:
        assert reader.errors == [], reader.errors[:5]
        assert set(reader.totals) <= {BASE, BASE + BATCH, BASE + 2 * BATCH}, sorted(set(reader.totals))
        assert reader.totals == sorted(reader.totals), "a reader went back to an older state"
    assert readers[0].totals[-1] == BASE + 2 * BATCH
    assert service.search(SearchRequest(query="Meldung")).total == BASE + 2 * BATCH
    assert fd_count() <= before + 8 * 6, (before, fd_count())  # six pooled searchers at most, old ones closed
    service.close()


def test_stemming_in_many_threads_gives_the_serial_stems():
    """A Snowball stemmer object is not thread-safe: each thread has its own."""
    from indexer.text.analyser import stem_word

    words = ["soldaten", "sanktionen", "bundeswehreinsatzes", "verhandlungen", "selenskyjs", "häuser"] * 300
    serial = [stem_word.__wrapped__(w) for w in words]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(stem_word.__wrapped__, words)) == serial
