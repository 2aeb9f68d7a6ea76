"""The only writer: full rebuild, incremental add, delete. One writer at a time.

A build on several cores (``parallel``) or on a Dask cluster (``cluster``) has its segments
written by other processes; they are committed here, through the same ``writing()``.
Every run returns a ``BuildReport`` whose counts add up: each record read is indexed,
updated, unchanged or skipped (with its file, line and reason).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import multiprocessing
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Protocol

from whoosh import index as whoosh_index

from indexer.index import parallel, postfiles, store
from indexer.facets import METADATA_FACETS
from indexer.index.columns import FacetStore
from indexer.index.fastwrite import FastSegmentWriter
from indexer.ingest.documents import Article
from indexer.errors import DocumentError, SearchError
from indexer.ingest.readers import Problem, read_paths
from indexer.index.schema import join_values, to_datetime
from indexer.settings import DATA_DIR, setting

BATCH_SIZE = 128


class Progress(Protocol):
    """Where a run reports how far it is (the CLI's progress bar): ``start`` once with the
    number of steps, then ``advance`` by the steps done. Entity recognition and writing are
    one step per document each: 100 articles with entities are ``start(200)``."""

    def start(self, total: int) -> None: ...

    def advance(self, n: int) -> None: ...


class NoProgress:
    """The default ``Progress``: reports nowhere."""

    def start(self, total: int) -> None:
        pass

    def advance(self, n: int) -> None:
        pass


@dataclass
class BuildReport:
    read: int = 0
    indexed: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    deleted: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file:line, reason)
    seconds: float = 0.0
    index: str = ""
    timings: dict = field(default_factory=dict)  # seconds per step of a partitioned build (parallel, cluster)

    def skip(self, where: str, reason: str) -> None:
        self.skipped += 1
        self.problems.append((where, reason))

    def reasons(self) -> dict[str, int]:
        """Skip reasons with counts, the file position removed: ``{"leerer Text": 2}``."""
        counts: dict[str, int] = {}
        for _, reason in self.problems:
            key = reason.split(" (")[0]
            counts[key] = counts.get(key, 0) + 1
        return counts

    def to_dict(self) -> dict:
        return {**asdict(self), "problems": [{"where": w, "reason": r} for w, r in self.problems]}


@dataclass
class BuildOptions:
    on_error: str = "skip"  # skip | stop
    entities: bool = True
    lock_wait: float = 5.0
    workers: int = field(default_factory=lambda: default_workers())  # processes (NER, segments)
    corrections: object = None  # parsed facet corrections (indexer.entities.corrections.Corrections) or None
    progress: Progress = field(default_factory=NoProgress)


def default_workers() -> int:
    """``$NEWS_SEARCH_BUILD_WORKERS``, else up to 2 (the cores of this machine)."""
    return setting("build_workers") or min(2, os.cpu_count() or 1)


def read_articles(paths: Iterable[str | Path], options: BuildOptions, report: BuildReport) -> list[Article]:
    """Good articles of ``paths``; each bad record or unreadable file counts as read and skipped."""
    articles: list[Article] = []
    for item in read_paths(paths):
        report.read += 1
        if isinstance(item, Problem):
            if options.on_error == "stop":
                raise DocumentError(item.path, item.line, item.reason, "Mit --on-error skip überspringen.")
            report.skip(item.where, item.reason)
        else:
            articles.append(item)
    return articles


def build(paths, index_dir: Path, options: BuildOptions | None = None) -> BuildReport:
    """Full rebuild into a fresh generation, switched in atomically at the end."""
    options = options or BuildOptions()
    report, started = BuildReport(index=str(index_dir)), time.monotonic()
    articles = unique_articles(read_articles(paths, options, report), report)
    with fewer_collections(), writing(index_dir, "build", report, started, options.lock_wait) as writer:
        if parallel.worth_it(articles, options):  # every process recognises and writes a segment
            report.indexed = parallel.write_segments(writer, articles, options, report.timings)
        else:
            report.indexed = write_articles(writer.add_document, articles, options)
    return report


#: objects allocated between two young garbage collections during a build (Python: 700)
GC_THRESHOLD = 20_000


@contextlib.contextmanager
def fewer_collections():
    """Fewer garbage collections while building: a build allocates millions of small objects
    (postings, tokens) that live until the flush, and each collection walks the survivors; the
    objects that exist before (the documents) are frozen out of the collections. A forked build
    process inherits the setting (and freezes its model, ``parallel``). 0.7 -> 0.3 CPU s per
    1,000 documents."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def add(paths, index_dir: Path, options: BuildOptions | None = None) -> BuildReport:
    """Adds new and changed documents (by id and content hash); unchanged ones cost a lookup."""
    options = options or BuildOptions()
    if store.current_generation(index_dir) is None:
        return build(paths, index_dir, options)
    report, started = BuildReport(index=str(index_dir)), time.monotonic()
    articles = unique_articles(read_articles(paths, options, report), report)
    with fewer_collections(), writing(index_dir, "add", report, started, options.lock_wait) as writer:
        with writer.searcher() as searcher:  # the index as it was when the writer opened
            new, changed = classify(articles, searcher, report)
        write_articles(writer.update_document, new + changed, options)
        report.indexed, report.updated = len(new), len(changed)
    return report


def delete(ids: Iterable[str], index_dir: Path, lock_wait: float = 5.0) -> BuildReport:
    report, started = BuildReport(index=str(index_dir)), time.monotonic()
    with writing(index_dir, "delete", report, started, lock_wait) as writer:
        for doc_id in ids:
            report.read += 1
            if writer.delete_by_term("id", doc_id):
                report.deleted += 1
            else:
                report.skip(doc_id, "ID nicht im Index")
    return report


@contextlib.contextmanager
def writing(index_dir: Path, action: str, report: BuildReport, started: float, lock_wait: float):
    """The one way to write, for ``build``, ``add`` and ``delete``.

    Holds the writer lock, removes what crashed runs left, and yields a Whoosh writer: on a
    fresh generation for ``build``, on the live one otherwise. When the block ends the
    writer commits and the run is recorded (``finish``), and a build's generation goes
    live; when the block raises, the writer is cancelled and nothing changes.
    """
    fresh = action == "build"
    with write_errors(index_dir), store.write_lock(index_dir, lock_wait):
        store.remove_stale(index_dir)
        generation, ix = store.new_generation(index_dir) if fresh else store.open_current(index_dir)
        writer = open_writer(ix)
        try:
            yield writer
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        finish(report, started, generation, action)
        if fresh:
            store.switch_to(index_dir, generation)


def open_writer(ix):
    """A writer that leaves each segment as separate files: Whoosh reads a compound segment
    through a full in-memory copy of its postings (~60 % of the index in every reader).
    Whoosh's writer with shortcuts that write the same bytes (``fastwrite``)."""
    return FastSegmentWriter(ix, limitmb=256, compound=False)


@contextlib.contextmanager
def write_errors(index_dir: Path):
    """A full disk, a file size limit or missing rights while writing: one line and a hint,
    not a traceback. The last completely written state stays live; the next writer removes
    what this one left."""
    try:
        yield
    except OSError as exc:
        raise SearchError(f"Der Index {index_dir} konnte nicht geschrieben werden: {exc.strerror or exc}.",
                          "Speicherplatz und Schreibrechte prüfen; der zuletzt vollständig geschriebene Stand "
                          "bleibt durchsuchbar.") from exc


def unique_articles(articles: list[Article], report: BuildReport) -> list[Article]:
    """Drops repeated content and repeated ids within one run, reporting each."""
    by_hash: dict[str, Article] = {}
    by_id: dict[str, Article] = {}
    unique = []
    for article in articles:
        first = by_hash.get(article.content_hash)
        if first is not None:
            report.skip(article.where, f"Duplikat (gleicher Inhalt wie {first.id} in {first.where})")
        elif article.id in by_id:
            report.skip(article.where, f"ID {article.id} doppelt (zuerst in {by_id[article.id].where})")
        else:
            by_hash[article.content_hash] = by_id[article.id] = article
            unique.append(article)
    return unique


def classify(articles: list[Article], searcher, report: BuildReport) -> tuple[list, list]:
    """(new, changed) articles; unchanged and already-indexed duplicates are counted."""
    new, changed = [], []
    for article in articles:
        stored = searcher.document(id=article.id)
        if stored is not None:
            if stored.get("hash") == article.content_hash:
                report.unchanged += 1
            else:
                changed.append(article)
            continue
        twin = searcher.document(hash=article.content_hash)
        if twin is not None:
            report.skip(article.where, f"Duplikat (gleicher Inhalt wie {twin['id']} im Index)")
        else:
            new.append(article)
    return new, changed


def write_articles(write: Callable, articles: list[Article], options: BuildOptions) -> int:
    """Extracts entities in batches and writes each article; returns the count."""
    options.progress.start(len(articles) * (2 if options.entities else 1))
    entities = extract_entities(articles, options)
    for article, found in zip(articles, entities):
        write(**document_fields(article, found))
        options.progress.advance(1)
    return len(articles)


def entities_available() -> bool:
    """True when the entity layer and its shipped NER model are installed."""
    try:
        from indexer.entities.extraction import EntityExtractor  # noqa: F401  (imports no spaCy until used)
    except ImportError:
        return False
    return (DATA_DIR / "ner_model").is_dir()


def extract_entities(articles: list[Article], options: BuildOptions) -> list:
    """Normalised entities per article (None each when entities are off).

    With ``workers`` > 1 the NER runs in that many forked processes, each with one
    thread and its own copy of the model, over chunks of texts; order is kept.
    """
    if not options.entities or not articles:
        return [None] * len(articles)
    texts = [a.entity_text() for a in articles]
    chunks = [texts[i:i + NER_CHUNK] for i in range(0, len(texts), NER_CHUNK)]
    daemon = multiprocessing.current_process().daemon  # a pool worker may not have children
    workers = 1 if daemon else min(options.workers, len(chunks))
    found: list = []
    with contextlib.ExitStack() as stack:
        if workers > 1:
            pool = stack.enter_context(multiprocessing.get_context("fork").Pool(workers, initializer=_single_threaded))
            results = pool.imap(_extract_chunk, chunks)
        else:
            results = map(_extract_chunk, chunks)
        for chunk in results:
            found.extend(chunk)
            options.progress.advance(len(chunk))
    return corpus_entities(found, options)


def corpus_entities(found: list, options: BuildOptions) -> list:
    """The corpus-level step over every document's entities (person, alias and label merges),
    then the user's corrections: the reduce between recognition and writing."""
    from indexer.entities.extraction import merge_corpus_persons

    merged = merge_corpus_persons(found)
    fixes = options.corrections
    return [fixes.apply(document) for document in merged] if fixes else merged


NER_CHUNK = 64
_EXTRACTOR = None


def _single_threaded() -> None:
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
        os.environ[name] = "1"


def _extract_chunk(texts: list[str]) -> list:
    """Entities of ``texts`` with this process's extractor (loaded once per process)."""
    global _EXTRACTOR
    if _EXTRACTOR is None:
        from indexer.entities.extraction import EntityExtractor

        _EXTRACTOR = EntityExtractor()
    return list(_EXTRACTOR.extract(texts))


def document_fields(article: Article, found) -> dict:
    fields = {
        "id": article.id, "hash": article.content_hash, "title": article.title, "body": article.body,
        "exact": f"{article.title}\n{article.body}", "url": article.url,
        "meta": article.meta, "day": article.date.toordinal() if article.date else 0,
        **metadata_fields(article),
    }
    if article.date:
        fields["date"] = to_datetime(article.date)
    if found is not None:
        fields["person"] = join_values(found.persons)
        fields["country"] = join_values(name for name, _ in found.countries)
        fields["country_code"] = join_values(code for _, code in found.countries)
        fields["organisation"] = join_values(found.organisations)
        fields["mentioned"] = join_values(found.mentioned_dates)
    return fields


def metadata_fields(article: Article) -> dict[str, str]:
    """The metadata facets the article has a value for: ``{"speaker": "Annalena Baerbock", "source": …}``."""
    found = {facet.field: getattr(article, facet.attribute) for facet in METADATA_FACETS}
    return {field: value for field, value in found.items() if value}


def finish(report: BuildReport, started: float, generation: Path | None, action: str) -> None:
    """Records the run in the generation and precomputes for readers its facet arrays and the
    new segments' postings files."""
    report.seconds = round(time.monotonic() - started, 3)
    if generation is None:
        return
    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        FacetStore.cached(searcher.reader(), generation, searcher.reader().generation())
        postfiles.write_missing(generation, searcher.reader())
    info = {"format": store.INDEX_FORMAT, "action": action, "at": dt.datetime.now().isoformat(timespec="seconds"),
            **report.to_dict()}
    info["problems"] = info["problems"][:100]
    (generation / store.BUILD_INFO).write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
