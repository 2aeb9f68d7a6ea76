"""One open view of the index, shared by the searches that run on it at the same time.

    snapshot = Snapshot.open(Path("index"), ranking.weighting())
    snapshot.enter()                      # under the service's lock: one more user
    with snapshot.lease() as lease:       # a searcher for this search alone
        lease.searcher.document(id="ID2017812200")
    snapshot.leave()                      # the last user of a retired snapshot closes it

A Whoosh reader is not for two threads at once: it reads its segment files with ``seek``
then ``read`` on file handles it shares (``filedb/structfile.StructFile.get``), so a
second thread could move the position between the two. So each search borrows a searcher
of its own from the snapshot's pool; the pool grows to the number of searches running at
the same time and keeps them for the next ones. All the pool's searchers read exactly the
segments the snapshot opened, whatever an ``add`` committed since. The facet arrays and
the postings cache are shared: they are read-only arrays, and the cache has its own lock.

A snapshot is reference-counted: when a newer generation replaces it (or the service
closes), it is *retired*, and its files are closed when its last search ends.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from indexer.index import postfiles, store
from indexer.index.columns import FacetStore
from indexer.index.postfiles import PostingsFile
from indexer.search.postings import PostingsCache


@dataclass(frozen=True)
class Lease:
    """What one search reads: its own searcher, and the snapshot's shared arrays, postings
    files (by segment id) and cache."""

    searcher: Searcher
    facets: FacetStore
    postings: PostingsCache
    generation: Path
    files: dict[str, PostingsFile]


class Snapshot:
    """The segments of one generation as they were when opened, with a pool of searchers."""

    def __init__(self, generation: Path, ix, weighting):
        self.generation = generation
        self._ix, self._weighting = ix, weighting
        self._toc = ix._read_toc()  # the segments of this moment: every pooled searcher opens these
        self._lock = threading.Condition()
        self._users, self._retired, self._closed = 0, False, False
        first = self._open_searcher()
        self._idle, self._opened = [first], [first]
        self.facets = FacetStore.cached(first.reader(), generation, self._toc.generation)
        self.postings = PostingsCache()
        self.files = postfiles.open_files(generation, self._toc.segments)

    @classmethod
    def open(cls, index_dir: Path, weighting) -> "Snapshot":
        """The live generation; ``IndexNotFound`` or ``IndexFormatError`` with a hint."""
        generation, ix = store.open_current(index_dir)
        return cls(generation, ix, weighting)

    def is_current(self, generation: Path | None) -> bool:
        """Still what a new search should see: same generation, no commit since."""
        return generation == self.generation and self._ix.latest_generation() == self._toc.generation

    # --- users --------------------------------------------------------------------------

    def enter(self) -> None:
        """One more search on this snapshot (the service calls it while the snapshot is current)."""
        with self._lock:
            self._users += 1

    def leave(self) -> None:
        """A search is done; the last one out of a retired snapshot closes it."""
        with self._lock:
            self._users -= 1
            last = self._retired and self._users == 0
        if last:
            self._close()

    def retire(self) -> None:
        """No new searches from now on; closed at once if none runs, else when the last ends."""
        with self._lock:
            self._retired = True
            idle = self._users == 0
        if idle:
            self._close()

    # --- searchers ----------------------------------------------------------------------

    @contextlib.contextmanager
    def lease(self):
        """A searcher no other thread uses until this ``with`` ends, and the shared arrays."""
        searcher = self._borrow()
        try:
            yield Lease(searcher, self.facets, self.postings, self.generation, self.files)
        finally:
            with self._lock:
                self._idle.append(searcher)
                self._lock.notify()

    def _borrow(self) -> Searcher:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        try:
            searcher = self._open_searcher()
        except OSError:  # a later commit merged this snapshot's segments away: wait for a pooled one
            with self._lock:
                self._lock.wait_for(lambda: self._idle)
                return self._idle.pop()
        with self._lock:
            self._opened.append(searcher)
        return searcher

    def _open_searcher(self) -> Searcher:
        """A searcher on this snapshot's segments, with every file it reads later already open."""
        toc = self._toc
        reader = whoosh_index.FileIndex._reader(self._ix.storage, toc.schema, list(toc.segments), toc.generation)
        searcher = Searcher(reader, weighting=self._weighting, fromindex=self._ix)
        for leaf, _ in reader.leaf_readers():
            if leaf.doc_count_all():
                leaf.stored_fields(0)  # opens the stored-fields column now, not after a merge deleted it
        return searcher

    def _close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            opened, self._opened, self._idle = self._opened, [], []
        for searcher in opened:
            searcher.close()
        for mapped in self.files.values():
            mapped.close()
