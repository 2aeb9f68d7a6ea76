"""A full build on several cores of one machine: every process recognises entities AND
writes a segment, so all cores do both halves of the work.

Phase 1: the NER runs in ``workers`` forked processes over chunks of the documents.
Reduce: the corpus-level merges (``writer.corpus_entities``) in this process. Phase 2:
each process writes one contiguous part of the documents (balanced by length) as a
segment of the new generation (``indexer.index.segments``); the writer holding the lock
then lists them in order, so the index holds the same documents with the same numbers
as one written by one writer. The processes are forked once, after reading, so they
share the documents and load the model once each.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import accumulate
from pathlib import Path

from indexer.errors import SearchError
from indexer.index.segments import appending, write_segment

PR_SET_PDEATHSIG = 1  # Linux prctl option: a signal for the child when its parent dies
PROGRESS_EVERY = 32  # documents between a writer's progress reports
POLL_SECONDS = 0.2
_ARTICLES: list = []
_DONE = None  # a shared counter of written documents


def worth_it(articles: list, options) -> bool:
    """More than one worker, more than one chunk of documents, and a process that may have
    children (a daemonic pool worker, e.g. a benchmark's, may not)."""
    from indexer.index.writer import NER_CHUNK

    return options.workers > 1 and len(articles) > NER_CHUNK and not multiprocessing.current_process().daemon


def write_segments(writer, articles: list, options, timings: dict) -> int:
    """Writes ``articles`` as one segment per process into the generation of ``writer`` and
    lets its commit list them; returns the count. ``timings``: seconds of the two phases.
    A process that dies (killed, out of memory) fails the build; nothing is committed."""
    global _ARTICLES, _DONE
    context = multiprocessing.get_context("fork")
    _ARTICLES, _DONE = articles, context.Value("q", 0)
    options.progress.start(len(articles) * (2 if options.entities else 1))
    started = time.monotonic()
    try:
        with ProcessPoolExecutor(options.workers, mp_context=context, initializer=_child) as pool:
            entities = recognise(pool, options) if options.entities else [None] * len(articles)
            recognised = time.monotonic()
            segments = write_parts(pool, Path(writer.storage.folder), entities, options)
            timings.update(recognise=round(recognised - started, 3), write=round(time.monotonic() - recognised, 3))
    except BrokenProcessPool:
        raise SearchError("Ein Indexier-Prozess ist abgebrochen (beendet oder ohne Speicher); nichts wurde übernommen.",
                          "Erneut bauen, bei Speichermangel mit weniger Dokumenten je Lauf; der bisherige Index "
                          "bleibt durchsuchbar.") from None
    finally:
        _ARTICLES, _DONE = [], None
    writer.mergetype = appending(segments)
    return len(articles)


def _child() -> None:
    """A forked process: one BLAS thread, and it dies with the build (it shares the build's
    lock file: a process left over would hold the index lock)."""
    from indexer.index.writer import _single_threaded

    _single_threaded()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the build died before the line above
            os._exit(1)


def recognise(pool, options) -> list:
    from indexer.index.writer import NER_CHUNK, corpus_entities

    bounds = [(start, min(start + NER_CHUNK, len(_ARTICLES))) for start in range(0, len(_ARTICLES), NER_CHUNK)]
    found: list = [None] * len(_ARTICLES)
    ordered = by_size(bounds)
    for (start, stop), chunk in zip(ordered, pool.map(_recognise_chunk, ordered)):
        found[start:stop] = chunk
        options.progress.advance(len(chunk))
    return corpus_entities(found, options)


def by_size(bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The chunks longest first, so that the last ones to finish are short and no process waits
    long for the other at the end of the phase (chunks of speeches take several times as long
    as chunks of headlines)."""
    size = lambda chunk: sum(len(a.body) + len(a.title) for a in _ARTICLES[chunk[0]:chunk[1]])  # noqa: E731
    return sorted(bounds, key=size, reverse=True)


def _recognise_chunk(bounds: tuple[int, int]) -> list:
    from indexer.index.writer import _extract_chunk

    start, stop = bounds
    found = _extract_chunk([article.entity_text() for article in _ARTICLES[start:stop]])
    gc.freeze()  # the model, loaded with the first chunk, lives as long as the process: out of the collections
    return found


def parts(sizes: list[int], count: int) -> list[tuple[int, int]]:
    """``count`` contiguous (start, stop) ranges of about equal total size."""
    ends = list(accumulate(sizes))
    total = ends[-1] if ends else 0
    cuts = [0] + [next((i + 1 for i, end in enumerate(ends) if end >= total * k / count), len(sizes))
                  for k in range(1, count)] + [len(sizes)]
    return [(start, stop) for start, stop in zip(cuts, cuts[1:]) if stop > start]


def write_parts(pool, generation: Path, entities: list, options) -> list:
    ranges = parts([len(a.body) + len(a.title) for a in _ARTICLES], options.workers)
    pending = [pool.submit(_write_part, (generation, start, stop, entities[start:stop])) for start, stop in ranges]
    reported = 0
    while not all(future.done() for future in pending):
        wait(pending, POLL_SECONDS)
        reported = advance(options.progress, reported)
    advance(options.progress, reported)
    return [future.result() for future in pending]


def advance(progress, reported: int) -> int:
    done = _DONE.value
    if done > reported:
        progress.advance(done - reported)
    return max(done, reported)


def _write_part(job) -> object:
    from indexer.index.writer import document_fields

    generation, start, stop, entities = job
    return write_segment(generation, counted(document_fields(article, found)
                                             for article, found in zip(_ARTICLES[start:stop], entities)))


def counted(documents):
    """``documents``, adding to the shared counter every ``PROGRESS_EVERY`` of them."""
    pending = 0
    for fields in documents:
        yield fields
        pending += 1
        if pending == PROGRESS_EVERY:
            with _DONE.get_lock():
                _DONE.value += pending
            pending = 0
    with _DONE.get_lock():
        _DONE.value += pending
