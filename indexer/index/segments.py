"""Whoosh segments written side by side, and committed without being rewritten.

A partitioned build (several local processes, or the workers of a Dask cluster) writes
each partition's documents as one segment into the generation directory, without the
index lock: every segment has its own random id and files (``MAIN_<id>.*``), and its
posting pool lives in a private temporary directory on the writing machine. The one
writer that holds the lock then lists the finished segments in the index's table of
contents (Whoosh's TOC), in partition order, so that document numbers, and with them the
order of equal scores, are those of a build by one writer:

    segment = write_segment(generation, [document_fields(article, found), ...])   # anywhere
    writer.mergetype = appending([segment, ...])                                   # the lock holder
    writer.commit()
"""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

from whoosh.filedb.filestore import FileStorage

from indexer.index.fastwrite import FastSegmentWriter

POOL_MB = 256  # like the one writer's ``limitmb``


class PoolStorage(FileStorage):
    """The generation's storage, with the posting pool in a local temporary directory of its
    own (Whoosh would put every writer's pool into one shared ``MAIN.tmp`` and remove it)."""

    def temp_storage(self, name=None):
        return FileStorage(tempfile.mkdtemp(prefix="search-pool-")).create()


def write_segment(generation: Path, documents: Iterable[dict]):
    """Writes ``documents`` (``writer.add_document`` keyword dicts) as one segment of the
    index in ``generation``, with its postings file, and returns the Whoosh segment
    (picklable), or None when there were none. On failure the segment's files are removed."""
    random.seed()  # a segment id of its own, also in a process forked from another writer
    ix = PoolStorage(str(generation)).open_index()
    writer = FastSegmentWriter(ix, _lk=False, limitmb=POOL_MB, compound=False)
    try:
        for fields in documents:
            writer.add_document(**fields)
        if not writer._added:
            writer._close_segment()
            remove_segment(generation, writer.get_segment())
            return None
        return writer._finalize_segment()  # with its postings file (``FastSegmentWriter``)
    except BaseException:
        writer._close_segment()
        remove_segment(generation, writer.get_segment())
        raise
    finally:
        shutil.rmtree(writer._tempstorage.folder, ignore_errors=True)
        writer.is_closed = True


def remove_segment(generation: Path, segment) -> None:
    """Deletes the files of ``segment`` (a failed or empty partition)."""
    for path in generation.glob(f"{segment.segment_id()}.*"):
        path.unlink(missing_ok=True)


def appending(segments: list):
    """A Whoosh merge policy that keeps the index's segments and appends ``segments`` (in
    order) without merging or rewriting any: ``writer.mergetype = appending(found)``."""
    new = [segment for segment in segments if segment is not None]

    def policy(writer, existing):
        return list(existing) + new

    return policy


def can_write(generation: Path) -> str:
    """'' when a file can be created in ``generation``, else the reason (for a worker's check)."""
    probe = generation / f".write-probe-{random.getrandbits(48):012x}"
    try:
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        return exc.strerror or str(exc)
    return ""
