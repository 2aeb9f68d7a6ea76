"""Builds the index on a Dask cluster: ``search-index build DIR --cluster tcp://HOST:8786``.

The coordinator (this process) holds the index lock and plans partitions of the input
(``indexer.ingest.partitions``, a stat per file); everything that reads documents runs on
the workers, in tasks whose results stay there as Dask futures (lineage: a worker that
dies has its tasks rerun elsewhere):

1. ``read_task``: read and parse a partition (kept on the worker); ``summary_task``: its
   ids, hashes, positions and bad records (small, sent back).
2. The coordinator numbers the lines of byte ranges, reports bad records, drops
   duplicates and, for ``add``, unchanged documents: exactly the local build's rules.
3. ``recognise_task``: NER and document-level entity resolution of the kept documents
   (the model is loaded once per worker by ``EntityModel``); small results sent back.
4. Reduce on the coordinator: ``writer.corpus_entities`` (person, alias and label merges).
5. ``write_task``: each partition's documents as one Whoosh segment into the new
   generation directory, which must be on storage that every worker writes under the
   same path.
6. Commit: the lock holder lists the segments in the index's table of contents, in input
   order, without rewriting them (``indexer.index.segments``); the generation goes live.

Every check that can fail (scheduler address, workers without the package or the model,
a generation directory a worker cannot write) runs before any document is read. This
module imports ``distributed``; the CLI imports it only for ``--cluster``.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

import distributed
from distributed.diagnostics.plugin import WorkerPlugin

from indexer.errors import ClusterError, ClusterStorageError, DocumentError
from indexer.index import store
from indexer.index.segments import appending, can_write, write_segment
from indexer.index.writer import (NER_CHUNK, BuildOptions, BuildReport, classify, corpus_entities, document_fields,
                                  unique_articles, writing)
from indexer.ingest import partitions
from indexer.ingest.readers import Problem

CONNECT_SECONDS = 10
WORKERS_WAIT_SECONDS = 30
PARTITIONS_PER_WORKER = 4
PARTITION_BYTES = (256 << 10, 64 << 20)  # smallest and largest automatic partition
PROGRESS_EVERY = 32
INSTALL = "pip install 'german-news-search[cluster]'"
LOST = (OSError, TimeoutError, distributed.client.FutureCancelledError)


def run(action: str, paths, index_dir: Path, options: BuildOptions, address: str,
        partition_bytes: int | None = None) -> BuildReport:
    """``build`` or ``add`` through the scheduler at ``address`` (``local:N``: a local cluster of
    N worker processes); returns the report a local build would return."""
    started = time.monotonic()
    with connected(address) as client:
        workers = check_workers(client, options.entities)
        if action == "add" and store.current_generation(index_dir) is None:
            action = "build"
        job = ClusterBuild(client, address, options, workers)
        job.timings["connect"] = time.monotonic() - started
        return job.run(action, list(paths), index_dir, partition_bytes)


@contextlib.contextmanager
def connected(address: str):
    """A Dask client for ``address``; ``ClusterError`` with a hint when no scheduler answers."""
    cluster = None
    try:
        if address.startswith("local:"):
            cluster = distributed.LocalCluster(n_workers=local_workers(address), threads_per_worker=1, processes=True,
                                               dashboard_address=":0", silence_logs=logging.ERROR)
            client = distributed.Client(cluster)
        else:
            client = distributed.Client(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise ClusterError(f"Kein Dask-Scheduler unter {address} erreichbar ({type(exc).__name__}).",
                           "Einen Scheduler starten (dask scheduler) und die Adresse angeben: --cluster tcp://HOST:8786, "
                           "oder lokal: --cluster local:2") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def local_workers(address: str) -> int:
    count = address.removeprefix("local:")
    if not count.isdigit() or int(count) < 1:
        raise ClusterError(f"Ungültige Cluster-Angabe {address}.", "local:N mit N Worker-Prozessen, z. B. local:2")
    return int(count)


def check_workers(client, entities: bool) -> int:
    """The number of workers, each with this package (and the NER model when needed)."""
    try:
        client.wait_for_workers(1, timeout=WORKERS_WAIT_SECONDS)
    except TimeoutError:
        raise ClusterError("Der Dask-Scheduler hat keine Worker.",
                           "Worker starten: dask worker tcp://HOST:8786 --nworkers 1 --nthreads 1") from None
    def has_package() -> bool:  # nested: pickled by value, it runs where the package is missing
        import importlib.util

        try:
            return importlib.util.find_spec("indexer.index.cluster") is not None
        except ImportError:  # no ``indexer`` at all: finding a submodule imports its parents
            return False

    found = client.run(has_package)
    lacking = sorted(worker for worker, ok in found.items() if not ok)
    if lacking:
        raise ClusterError(f"{len(lacking)} von {len(found)} Workern fehlt das Paket german-news-search ({lacking[0]}).",
                           f"Auf jedem Worker-Rechner dieselbe Version installieren: {INSTALL}")
    probes = client.run(worker_probe)
    for worker, probe in sorted(probes.items()):
        if probe["format"] != store.INDEX_FORMAT:
            raise ClusterError(f"Worker {worker} schreibt Indexformat {probe['format']}, hier {store.INDEX_FORMAT}.",
                               f"Auf jedem Worker dieselbe Version installieren: {INSTALL}")
        if entities and not probe["model"]:
            raise ClusterError(f"Worker {worker} fehlt das NER-Modell.",
                               "Das Paket mit indexer/data/ner_model installieren oder mit --no-entities bauen.")
    return len(found)


def worker_probe() -> dict:
    from indexer.index.writer import entities_available

    return {"format": store.INDEX_FORMAT, "model": entities_available()}


def check_writable(client, generation: Path) -> None:
    reasons = {worker: reason for worker, reason in client.run(can_write, generation).items() if reason}
    if reasons:
        worker, reason = sorted(reasons.items())[0]
        raise ClusterStorageError(f"Worker {worker} kann nicht in {generation} schreiben: {reason}.")


class EntityModel(WorkerPlugin):
    """Loads the NER model once per worker, when the worker joins the build."""

    name = "search-entity-model"

    def setup(self, worker):
        from indexer.index.writer import _extract_chunk

        _extract_chunk([])


@dataclass(frozen=True)
class Stub:
    """What the coordinator needs of a read document (``writer.unique_articles`` and
    ``writer.classify`` take it for an ``Article``)."""

    id: str
    content_hash: str
    path: str
    line: int
    partition: int = 0
    position: int = 0

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


class ClusterBuild:
    """One build or add through a connected client (see the module's steps)."""

    def __init__(self, client, address: str, options: BuildOptions, workers: int):
        self.client, self.address, self.options, self.workers = client, address, options, workers
        self.topic = f"search-index-{uuid.uuid4().hex}"
        self.timings: dict[str, float] = {}
        self.total = self.done = 0
        self.lock = threading.Lock()

    def run(self, action: str, paths: list, index_dir: Path, partition_bytes: int | None) -> BuildReport:
        report, started = BuildReport(index=str(index_dir)), time.monotonic()
        target = partition_bytes or automatic_partition(paths, self.workers)
        plan = self.timed("plan", lambda: partitions.plan(paths, target))
        with self.scheduler():
            if self.options.entities:
                self.timed("plugin", lambda: self.client.register_plugin(EntityModel()))
        with writing(index_dir, action, report, started, self.options.lock_wait) as writer:
            generation = Path(writer.storage.folder).resolve()
            with self.scheduler():
                check_writable(self.client, generation)
                self.client.subscribe_topic(self.topic, self.advance)
                self.write(plan, generation, writer, report, action)
            commit_started = time.monotonic()
        self.timings["commit"] = time.monotonic() - commit_started
        report.timings = {name: round(seconds, 3) for name, seconds in self.timings.items()}
        return report

    def write(self, plan, generation: Path, writer, report: BuildReport, action: str) -> None:
        reads = [self.client.submit(read_task, partition, pure=False) for partition in plan]
        summaries = self.timed("read", lambda: self.client.gather(
            [self.client.submit(summary_task, read, pure=False) for read in reads]))
        started = time.monotonic()
        with writer.searcher() if action == "add" else contextlib.nullcontext() as searcher:
            keep, changed = select(summaries, self.options, report, searcher)
        self.timings["select"] = time.monotonic() - started
        self.total = sum(map(len, keep)) * (2 if self.options.entities else 1)
        self.options.progress.start(self.total)
        entities = self.recognise(reads, keep)
        segments = self.timed("write", lambda: self.client.gather([
            self.client.submit(write_task, read, kept, found, str(generation), self.topic, pure=False)
            for read, kept, found in zip(reads, keep, entities) if kept]))
        for doc_id in changed:
            writer.delete_by_term("id", doc_id)
        writer.mergetype = appending(segments)

    def recognise(self, reads: list, keep: list[list[int]]) -> list[list]:
        """Entities per partition after the corpus-level reduce (None each without entities)."""
        if not self.options.entities:
            return [[None] * len(kept) for kept in keep]
        found = self.timed("recognise", lambda: self.client.gather([
            self.client.submit(recognise_task, read, kept, self.topic, pure=False) if kept else []
            for read, kept in zip(reads, keep)]))
        merged = self.timed("reduce", lambda: iter(corpus_entities([e for part in found for e in part], self.options)))
        return [[next(merged) for _ in part] for part in found]

    def timed(self, name: str, step):
        started = time.monotonic()
        result = step()
        self.timings[name] = self.timings.get(name, 0.0) + time.monotonic() - started
        return result

    def advance(self, event) -> None:
        """A worker's progress event: documents done (reruns after a lost worker not counted twice)."""
        with self.lock:
            step = max(0, min(int(event[1]), self.total - self.done))
            self.done += step
        if step:
            self.options.progress.advance(step)

    @contextlib.contextmanager
    def scheduler(self):
        """A lost scheduler (or a worker that died again and again): one line, nothing committed."""
        try:
            yield
        except distributed.scheduler.KilledWorker as exc:
            raise ClusterError(f"Ein Worker ist bei derselben Aufgabe wiederholt abgebrochen ({exc.args[0]}).",
                               "Speicher und Protokoll der Worker prüfen; der bisherige Index bleibt unverändert.") from None
        except LOST as exc:
            raise ClusterError(f"Verbindung zum Dask-Scheduler {self.address} verloren ({type(exc).__name__}).",
                               "Scheduler und Worker neu starten und den Bau wiederholen; der bisherige Index "
                               "bleibt unverändert.") from None


def automatic_partition(paths: list, workers: int) -> int:
    low, high = PARTITION_BYTES
    return max(low, min(high, partitions.input_bytes(paths) // max(1, workers * PARTITIONS_PER_WORKER)))


def select(summaries: list, options: BuildOptions, report: BuildReport, searcher) -> tuple[list[list[int]], list[str]]:
    """Per partition the positions of the documents to write, and the ids to delete first (the
    changed documents of an ``add``); counts and reports every record as ``writer`` does."""
    numbering, stubs = partitions.Numbering(), []
    for partition, summary in enumerate(summaries):
        for piece, lines, items in summary:
            base = numbering.base(piece, lines)
            for item in items:
                report.read += 1
                line = item.line + base if item.line else 0
                if isinstance(item, Problem):
                    if options.on_error == "stop":
                        raise DocumentError(item.path, line, item.reason, "Mit --on-error skip überspringen.")
                    report.skip(replace(item, line=line).where, item.reason)
                else:
                    stubs.append(replace(item, line=line, partition=partition))
    kept = unique_articles(stubs, report)
    changed: list = []
    if searcher is not None:
        kept, changed = classify(kept, searcher, report)
        report.updated = len(changed)
        kept = sorted(kept + changed, key=lambda stub: (stub.partition, stub.position))
    report.indexed = len(kept) - len(changed)
    keep: list[list[int]] = [[] for _ in summaries]
    for stub in kept:
        keep[stub.partition].append(stub.position)
    return keep, [stub.id for stub in changed]


# --- tasks: run on the workers ------------------------------------------------------------

MODEL_LOCK = threading.Lock()  # one NER at a time in a worker with several threads


def read_task(partition: partitions.Partition) -> list[tuple]:
    """Per piece: (piece, lines in its byte range, its records); stays on the worker."""
    return [(piece, line_count(piece), list(partitions.read_piece(piece))) for piece in partition.pieces]


def line_count(piece: partitions.Piece) -> int:
    """Lines of a byte range (0 for a whole file, or one that cannot be read: its reader reports it)."""
    try:
        return partitions.count_owned(piece.location, piece.span) if piece.span else 0
    except OSError:
        return 0


def summary_task(read: list[tuple]) -> list[tuple]:
    """Per piece: (piece, lines, its records as ``Stub`` or ``Problem``): what ``select`` needs."""
    summary, position = [], 0
    for piece, lines, items in read:
        stubs = []
        for item in items:
            stubs.append(item if isinstance(item, Problem) else
                         Stub(item.id, item.content_hash, item.path, item.line, 0, position))
            position += 1
        summary.append((piece, lines, stubs))
    return summary


def documents(read: list[tuple], kept: list[int]) -> list:
    items = [item for _, _, piece_items in read for item in piece_items]
    return [items[position] for position in kept]


def recognise_task(read: list[tuple], kept: list[int], topic: str) -> list:
    from indexer.index.writer import _extract_chunk

    texts = [article.entity_text() for article in documents(read, kept)]
    found: list = []
    with MODEL_LOCK:
        for start in range(0, len(texts), NER_CHUNK):
            found.extend(_extract_chunk(texts[start:start + NER_CHUNK]))
            report_progress(topic, len(texts[start:start + NER_CHUNK]))
    return found


def write_task(read: list[tuple], kept: list[int], entities: list, generation: str, topic: str):
    fields = (document_fields(article, found) for article, found in zip(documents(read, kept), entities))
    try:
        return write_segment(Path(generation), counted(fields, topic))
    except OSError as exc:
        worker = distributed.get_worker().address
        raise ClusterStorageError(f"Worker {worker} kann nicht in {generation} schreiben: {exc.strerror or exc}.") from None


def counted(fields, topic: str):
    pending = 0
    for document in fields:
        yield document
        pending += 1
        if pending == PROGRESS_EVERY:
            report_progress(topic, pending)
            pending = 0
    report_progress(topic, pending)


def report_progress(topic: str, done: int) -> None:
    if done:
        with contextlib.suppress(ValueError):  # not on a worker (a test calling the task)
            distributed.get_worker().log_event(topic, done)
