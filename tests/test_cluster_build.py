"""Builds through a real Dask scheduler and two workers (separate processes on 127.0.0.1)
come out as a local build does: the same ids in the same order, the same stored fields and
facet values, the same top 10 with the same scores; also when a worker is SIGKILLed in the
middle of the build. Faults are one line each and leave the live index untouched.

Documents: the first 240 speeches of the demo corpus (as plain JSONL, so that the cluster
reads it in byte ranges), the seed article, the literal test articles and a file with a
bad record.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, SEED_ARTICLE, SEEDS
from indexer.cli import index_command
from indexer.errors import ClusterError, DocumentError
from indexer.index import store
from indexer.index.columns import FacetStore
from indexer.index.writer import BuildOptions, add, build, entities_available
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService

distributed = pytest.importorskip("distributed")
from indexer.index import cluster  # noqa: E402  (needs distributed)
from reliability.dask_cluster import DaskProcesses  # noqa: E402

pytestmark = pytest.mark.slow

SPEECHES = 240
PARTITION_BYTES = 150_000  # the speeches file (about 1 MB) in several byte ranges
QUERIES = ("Nordkorea", "Bundeswehr Mali", "Russland Sanktionen", "Afghanistan", "NATO", "Ukraine Waffen",
           "Putin", "Frieden", "China", "Menschenrechte", "Klimaschutz", '"Vereinten Nationen"')


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cluster-documents")
    with gzip.open(SEEDS / "demo_bundestag_foreign_policy.jsonl.gz", "rt", encoding="utf-8") as f:
        speeches = [line for line, _ in zip(f, range(SPEECHES))]
    (path / "speeches.jsonl").write_text("".join(speeches), encoding="utf-8")
    (path / SEED_ARTICLE.name).write_bytes(SEED_ARTICLE.read_bytes())
    (path / "articles.jsonl").write_bytes((FIXTURES / "articles.jsonl").read_bytes())
    good = {"id": "x-1", "title": "Nachtrag", "text": "Berlin. Der Bundestag berät über den Einsatz in Mali."}
    (path / "zz-bad.jsonl").write_text(json.dumps(good, ensure_ascii=False) + "\n{kaputt\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local_build(tmp_path_factory, documents):
    """The reference: (index, report) of a build by one process with one writer."""
    path = tmp_path_factory.mktemp("local-index")
    return path, build([documents], path, BuildOptions(workers=1, entities=entities_available()))


@pytest.fixture(scope="module")
def local_index(local_build) -> Path:
    return local_build[0]


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """(address, processes): a scheduler and two workers, killed when the module ends."""
    processes = DaskProcesses(tmp_path_factory.mktemp("dask"))
    try:
        address = processes.scheduler()
        for name in ("w1", "w2"):
            processes.worker(address, name)
        processes.wait_for_workers(address, 2)
        yield address, processes
    finally:
        processes.stop()


@pytest.fixture
def own_cluster(tmp_path):
    """A scheduler and two workers for one test that kills one of them."""
    processes = DaskProcesses(tmp_path)
    try:
        address = processes.scheduler()
        workers = [processes.worker(address, name) for name in ("k1", "k2")]
        processes.wait_for_workers(address, 2)
        yield address, processes, workers
    finally:
        processes.stop()


def options(**kwargs) -> BuildOptions:
    return BuildOptions(entities=entities_available(), **kwargs)


def index_state(index: Path) -> dict:
    """What a reader sees: stored fields in document order, the facet arrays, facet counts, top 10 with scores."""
    _, ix = store.open_current(index)
    with ix.searcher() as searcher:
        stored = [searcher.stored_fields(number) for number in range(searcher.doc_count_all())]
        columns = FacetStore.from_reader(searcher.reader())
    arrays = {"alive": columns.alive.tolist(), "days": columns.days.tolist(),
              "lengths": {name: values.tolist() for name, values in columns.lengths.items()},
              "fields": {name: (f.spellings, f.docs.tolist(), f.ords.tolist()) for name, f in columns.fields.items()}}
    with SearchService(index) as service:
        everything = service.search(SearchRequest(query=""))
        facets = {facet.name: [(v.value, v.count) for v in facet.values] for facet in everything.facets}
        tops = {query: [(hit.id, round(hit.score, 9)) for hit in service.search(SearchRequest(query=query)).hits]
                for query in QUERIES}
    return {"stored": stored, "columns": arrays, "facets": facets, "tops": tops}


def assert_same_index(got: Path, want: Path) -> None:
    got_state, want_state = index_state(got), index_state(want)
    assert [d["id"] for d in got_state["stored"]] == [d["id"] for d in want_state["stored"]]
    assert got_state["stored"] == want_state["stored"]
    assert got_state["columns"] == want_state["columns"]  # the facet arrays readers load (FacetStore)
    assert got_state["facets"] == want_state["facets"]
    assert got_state["tops"] == want_state["tops"]


def report_view(report) -> tuple:
    return report.read, report.indexed, report.updated, report.unchanged, report.skipped, report.problems


def test_cluster_build_equals_local_build(dask_cluster, documents, local_build, tmp_path):
    address, _ = dask_cluster
    local_index, want = local_build
    report = cluster.run("build", [documents], tmp_path / "index", options(), address, PARTITION_BYTES)
    assert report_view(report) == report_view(want)
    assert report.problems == [(f"{documents / 'zz-bad.jsonl'}:2", report.problems[0][1])]
    assert {"read", "write", "reduce" if entities_available() else "select", "commit"} <= set(report.timings)
    assert_same_index(tmp_path / "index", local_index)
    _, ix = store.open_current(tmp_path / "index")
    assert len(ix._segments()) > 2  # one segment per partition, none rewritten


def test_local_build_on_two_cores_equals_one_writer(documents, local_index, tmp_path):
    build([documents], tmp_path / "index", options(workers=2))
    assert_same_index(tmp_path / "index", local_index)
    _, ix = store.open_current(tmp_path / "index")
    assert len(ix._segments()) == 2  # one per process


def test_cli_build_and_add_through_the_cluster(dask_cluster, documents, local_build, tmp_path):
    address, _ = dask_cluster
    local_index, local_report = local_build
    index = tmp_path / "index"
    done = CliRunner().invoke(index_command, ["build", str(documents), "--index", str(index), "--cluster", address,
                                              "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["indexed"] == local_report.indexed
    assert_same_index(index, local_index)
    more = tmp_path / "more"
    more.mkdir()
    changed = {"id": "x-1", "title": "Nachtrag", "text": "Berlin. Der Bundestag verlängert den Einsatz in Mali."}
    new = {"id": "x-2", "title": "Neu", "text": "Brüssel. Die NATO berät über Nordkorea und Russland."}
    (more / "more.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (changed, new)),
                                     encoding="utf-8")
    local = tmp_path / "local"
    shutil.copytree(local_index, local)
    want = add([more], local, options())
    done = CliRunner().invoke(index_command, ["add", str(more), "--index", str(index), "--cluster", address, "--json"])
    assert done.exit_code == 0, done.output
    got = json.loads(done.stdout)
    counts = (got["indexed"], got["updated"], got["unchanged"])
    assert counts == (want.indexed, want.updated, want.unchanged) == (1, 1, 0)
    by_id = {d["id"]: d for d in index_state(index)["stored"]}
    assert by_id == {d["id"]: d for d in index_state(local)["stored"]}


def test_worker_killed_in_the_middle_of_a_build(own_cluster, documents, local_index, tmp_path):
    address, processes, workers = own_cluster

    class KillOnFirstProgress:
        killed = False

        def start(self, total):
            pass

        def advance(self, n):
            if not self.killed:
                self.killed = True
                processes.kill(workers[0])

    progress = KillOnFirstProgress()
    cluster.run("build", [documents], tmp_path / "index", options(progress=progress), address, PARTITION_BYTES)
    assert progress.killed and workers[0].poll() is not None
    assert_same_index(tmp_path / "index", local_index)


def test_bad_record_stops_the_build_without_a_commit(dask_cluster, documents, local_index, tmp_path):
    address, _ = dask_cluster
    index = tmp_path / "index"
    shutil.copytree(local_index, index)
    live = store.current_generation(index)
    with pytest.raises(DocumentError) as local_error:
        build([documents], tmp_path / "local", options(on_error="stop"))
    with pytest.raises(DocumentError) as cluster_error:
        cluster.run("build", [documents], index, options(on_error="stop"), address, PARTITION_BYTES)
    assert cluster_error.value.message == local_error.value.message == f"{documents / 'zz-bad.jsonl'}:2: " \
                                                                       f"{local_error.value.reason}"
    assert store.current_generation(index) == live
    assert_same_index(index, local_index)


def test_lost_scheduler_is_one_line_and_the_live_index_stays(own_cluster, documents, local_index, tmp_path):
    address, processes, _ = own_cluster
    index = tmp_path / "index"
    shutil.copytree(local_index, index)
    live = store.current_generation(index)

    class KillScheduler:
        def start(self, total):
            processes.kill(processes.processes[0])

        def advance(self, n):
            pass

    with pytest.raises(ClusterError) as error:
        cluster.run("build", [documents], index, options(progress=KillScheduler()), address, PARTITION_BYTES)
    assert "Verbindung zum Dask-Scheduler" in error.value.message and "\n" not in error.value.message
    assert store.current_generation(index) == live
    assert_same_index(index, local_index)


def run_cli(*args) -> tuple[int, list[str]]:
    done = CliRunner().invoke(index_command, list(args))
    return done.exit_code, done.output.strip().splitlines()


def test_no_scheduler_at_the_address(documents, tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1)
    code, lines = run_cli("build", str(documents), "--index", str(tmp_path / "index"), "--cluster", "tcp://127.0.0.1:9")
    assert code == 2
    assert lines[0].startswith("Fehler: Kein Dask-Scheduler unter tcp://127.0.0.1:9 erreichbar")
    assert lines[1].startswith("Hinweis: Einen Scheduler starten (dask scheduler)") and len(lines) == 2
    assert not (tmp_path / "index").exists()


@pytest.fixture
def processes(tmp_path):
    """Dask processes of one test, killed when it ends whatever happens."""
    started = DaskProcesses(tmp_path)
    yield started
    started.stop()


def one_worker_cluster(processes: DaskProcesses, **worker) -> str:
    address = processes.scheduler()
    processes.worker(address, "odd", **worker)
    processes.wait_for_workers(address, 1)
    return address


def test_worker_without_the_package(documents, tmp_path, processes):
    fake = tmp_path / "fake"
    fake.mkdir()
    # the worker's Python cannot import ``indexer`` however the package is installed (an
    # editable install finds submodules through its own finder, whatever PYTHONPATH says)
    (fake / "sitecustomize.py").write_text(
        "import sys\n"
        "class NoPackage:\n"
        "    @staticmethod\n"
        "    def find_spec(name, path=None, target=None):\n"
        "        if name == 'indexer' or name.startswith('indexer.'):\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, NoPackage)\n")
    address = one_worker_cluster(processes, env={"PYTHONPATH": str(fake)})
    code, lines = run_cli("build", str(documents), "--index", str(tmp_path / "index"), "--cluster", address)
    assert code == 2
    assert lines[0].startswith("Fehler: 1 von 1 Workern fehlt das Paket german-news-search")
    assert lines[1].startswith("Hinweis: Auf jedem Worker-Rechner dieselbe Version installieren: pip install")
    assert not (tmp_path / "index").exists()


def test_worker_without_the_model(documents, tmp_path, processes):
    if not entities_available():
        pytest.skip("NER model not shipped in indexer/data/ner_model")
    copy = tmp_path / "copy"
    shutil.copytree(Path(cluster.__file__).parents[1], copy / "indexer", ignore=shutil.ignore_patterns("ner_model"))
    address = one_worker_cluster(processes, env={"PYTHONPATH": str(copy)})
    code, lines = run_cli("build", str(documents), "--index", str(tmp_path / "index"), "--cluster", address)
    assert code == 2
    assert lines[0].startswith("Fehler: Worker tcp://127.0.0.1:") and lines[0].endswith("fehlt das NER-Modell.")
    assert lines[1] == "Hinweis: Das Paket mit indexer/data/ner_model installieren oder mit --no-entities bauen."


def test_worker_that_cannot_write_the_generation(documents, tmp_path, processes):
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        pytest.skip("needs unshare and mount (Linux) to give a worker its own view of the disk")
    index = tmp_path / "index"
    index.mkdir()
    # the worker sees an empty tmpfs where the index is: storage that is not shared
    hide = ["unshare", "-m", "sh", "-c", f'mount -t tmpfs none "{index}" && exec "$0" "$@"']
    address = one_worker_cluster(processes, prefix=hide)
    code, lines = run_cli("build", str(documents), "--index", str(index), "--cluster", address, "--no-entities")
    assert code == 2, lines
    assert lines[0].startswith("Fehler: Worker tcp://127.0.0.1:")
    assert f"kann nicht in {index.resolve()}/gen-" in lines[0]
    assert lines[1].startswith("Hinweis: Das Index-Verzeichnis muss auf einem Speicher liegen, den alle Worker")
    assert store.current_generation(index) is None
