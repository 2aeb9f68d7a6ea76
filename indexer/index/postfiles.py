"""Each segment's text postings once more, as arrays numpy reads without unpickling.

Whoosh stores a block of postings as a pickle, and a ``Positions`` value (one posting's
positions) as a pickle of its own inside it: a first read of ``"Europäische Union"`` spends
25 of its 43 ms unpickling. So the writer derives, per segment and once, a *postings file*
(``<segment id>.npost``) from the segment's Whoosh postings, through the same decoding the
search used (``indexer.index.blocks``), so its numbers are Whoosh's:

- per text field (``title``, ``body``, ``exact``): its terms, sorted, as one UTF-8 blob
  with offsets; each term's postings (local document numbers, weights) and, for a field
  with positions, each posting's distinct positions in order (weights, counts and
  positions in two bytes each where they fit, as they nearly always do);
- a header (JSON) naming each array's type, place and length.

A segment's file is written when the segment is, before a commit lists it
(``FastSegmentWriter._finalize_segment``; in a partitioned build by each worker), so a
reader that sees a segment sees its file. A commit also writes the file of any listed
segment that has none (``write_missing``: an index built before the files existed).

A search maps the file's term tables (``PostingsFile.open``), finds a term by binary search
and reads its slices of the arrays with ``os.pread``: no pickle, no Python loop per
posting. A segment without a (good) file is read from Whoosh as before. The files are
immutable, like the segments: deletions live in the index's deletion lists, and a merged
segment is a new segment with a file of its own. Removing a segment's files
(``segments.remove_segment``, Whoosh's clean-up of merged segments) removes its postings
file with them.
"""

from __future__ import annotations

import bisect
import json
import mmap
import os
from pathlib import Path

import numpy as np
from whoosh import fields
from whoosh.reading import SegmentReader

from indexer.index.blocks import raw_matcher, read_term

SUFFIX = ".npost"
MAGIC = b"NPOST1\n"
ALIGN = 8


def text_fields(schema) -> list[str]:
    """The fields a postings file covers: the analysed text fields (UTF-8 terms)."""
    return [name for name, field in schema.items() if isinstance(field, fields.TEXT)]


def path_for(generation: Path, segment) -> Path:
    return Path(generation) / f"{segment.segment_id()}{SUFFIX}"


# --- writing ------------------------------------------------------------------------------


def write_missing(generation: Path, reader) -> list[str]:
    """Writes the postings file of each segment of ``reader`` that has none; returns the
    segment ids written. A failure to write leaves that segment on Whoosh."""
    written = []
    for leaf, _ in reader.leaf_readers():
        path = path_for(generation, leaf.segment())
        if not path.exists() and leaf.doc_count_all():
            write(path, segment_arrays(leaf))
            written.append(leaf.segment().segment_id())
    return written


def write_for_segment(generation: Path, storage, schema, segment) -> None:
    """Writes the postings file of one segment just written, before a commit lists it
    (``FastSegmentWriter``; in a partitioned build each worker writes its own)."""
    reader = SegmentReader(storage, schema, segment)
    try:
        write(path_for(generation, segment), segment_arrays(reader))
    finally:
        reader.close()


def segment_arrays(leaf) -> dict[str, np.ndarray]:
    """The arrays of one segment's postings file, per text field (see the module's docstring)."""
    arrays = {}
    for name in text_fields(leaf.schema):
        with_positions = leaf.schema[name].format.supports("positions")
        terms, ids, weights, counts, positions = [], [], [], [], []
        for term in leaf.lexicon(name):
            term_ids, term_weights, keys = read_term(raw_matcher(leaf, name, term), with_positions)
            terms.append(term)
            ids.append(term_ids)
            weights.append(term_weights)
            if with_positions:  # each posting's count of distinct positions, and the positions
                counts.append(np.bincount(np.searchsorted(term_ids, keys >> 32), minlength=len(term_ids)))
                positions.append(keys & 0xFFFFFFFF)
        arrays.update(field_arrays(name, terms, ids, weights))
        if with_positions:
            arrays[f"{name}.counts"] = narrowed(concat(counts, np.int32))
            arrays[f"{name}.positions"] = narrowed(concat(positions, np.int32))
            arrays[f"{name}.position_starts"] = starts([len(p) for p in positions])
    return arrays


def field_arrays(name: str, terms: list[bytes], ids: list, weights: list) -> dict[str, np.ndarray]:
    return {
        f"{name}.terms": np.frombuffer(b"".join(terms), dtype=np.uint8),
        f"{name}.term_starts": starts([len(t) for t in terms]),
        f"{name}.ids": concat(ids, np.int32),
        f"{name}.weights": narrowed(concat(weights, np.float32)),
        f"{name}.posting_starts": starts([len(i) for i in ids]),
    }


def narrowed(values: np.ndarray) -> np.ndarray:
    """``values`` in two bytes each when they are whole numbers below 65,536 (term frequencies,
    positions, counts nearly always are), else as they are: the same numbers, a smaller file."""
    if len(values) and values.min() >= 0 and values.max() < 2**16 and np.array_equal(values, np.floor(values)):
        return values.astype(np.uint16)
    return values


def starts(lengths: list[int]) -> np.ndarray:
    """``[3, 1]`` -> ``[0, 3, 4]``: where each run starts, and the end."""
    return np.concatenate(([0], np.cumsum(lengths, dtype=np.int64))).astype(np.int64)


def concat(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)


def write(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """The header, then each array at an 8-byte boundary; atomically (a reader sees the
    whole file or none)."""
    header, place = {}, 0
    for name, array in arrays.items():
        header[name] = [array.dtype.str, place, len(array)]
        place += -(-array.nbytes // ALIGN) * ALIGN
    head = json.dumps(header).encode()
    head += b" " * (-(len(MAGIC) + 8 + len(head)) % ALIGN)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(MAGIC + len(head).to_bytes(8, "little") + head)
            for array in arrays.values():
                f.write(np.ascontiguousarray(array).tobytes())
                f.write(b"\0" * (-array.nbytes % ALIGN))
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


# --- reading ------------------------------------------------------------------------------

#: the arrays a search slices per term: read with ``os.pread`` into the search's own memory
#: (only what it asks for, freed with it); the term tables are mapped, as they are small and
#: a binary search visits a few of their pages
READ_ARRAYS = ("ids", "weights", "counts", "positions")


class Stored:
    """One array of a postings file, read a slice at a time with ``os.pread``. Mapped pages
    would count towards each process's resident memory as a search touches them (190 MB more
    for two server processes at 100k documents); a read copies just the slice from the page
    cache."""

    def __init__(self, handle: "Handle", dtype: np.dtype, offset: int, count: int):
        self.handle, self.dtype, self.offset, self.count = handle, dtype, offset, count

    def __len__(self) -> int:
        return self.count

    def read(self, start: int, end: int) -> np.ndarray:
        size = self.dtype.itemsize
        data = os.pread(self.handle.fd, (end - start) * size, self.offset + start * size)
        if len(data) != (end - start) * size:
            raise OSError("a postings file is shorter than its header says")
        return np.frombuffer(data, dtype=self.dtype)


class Handle:
    """A postings file's descriptor, shared by its arrays; -1 once closed (a read then fails
    rather than reading whichever file got the number next)."""

    def __init__(self, fd: int):
        self.fd = fd


class FieldPostings:
    """One field of a postings file: term lookup by binary search, postings as slices."""

    def __init__(self, arrays: dict, name: str):
        self.blob = arrays[f"{name}.terms"]
        self.term_starts = arrays[f"{name}.term_starts"]
        self.ids: Stored = arrays[f"{name}.ids"]
        self.weights: Stored = arrays[f"{name}.weights"]
        self.posting_starts = arrays[f"{name}.posting_starts"]
        self.counts: Stored | None = arrays.get(f"{name}.counts")
        self.positions: Stored | None = arrays.get(f"{name}.positions")
        self.position_starts = arrays.get(f"{name}.position_starts")
        self.size = len(self.term_starts) - 1
        self.blob_bytes = memoryview(self.blob)

    def __len__(self) -> int:  # the sorted terms as a sequence, for ``bisect``
        return self.size

    def __getitem__(self, i: int) -> bytes:
        return self.term(i)

    def term(self, i: int) -> bytes:
        return bytes(self.blob_bytes[self.term_starts[i]:self.term_starts[i + 1]])

    def find(self, term: bytes) -> int:
        """The term's number, or -1."""
        i = bisect.bisect_left(self, term)
        return i if i < self.size and self.term(i) == term else -1

    def prefixed(self, prefix: bytes, limit: int) -> list[tuple[bytes, int]]:
        """The first ``limit`` terms starting with ``prefix``, in order, with their posting counts
        (Whoosh's document frequency: deleted documents count until a merge)."""
        lo = bisect.bisect_left(self, prefix)
        hi = min(bisect.bisect_left(self, prefix + b"\xff", lo), lo + limit)  # no UTF-8 byte is 0xff
        counts = np.diff(self.posting_starts[lo:hi + 1]).tolist()
        return [(self.term(i), count) for i, count in zip(range(lo, hi), counts)]

    def postings(self, term: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(local document numbers, weights); empty when the segment lacks the term."""
        i = self.find(term)
        start, end = (self.posting_starts[i], self.posting_starts[i + 1]) if i >= 0 else (0, 0)
        return self.ids.read(start, end), self.weights.read(start, end)

    def position_keys(self, term: bytes, offset: int) -> np.ndarray:
        """Sorted, distinct ``doc << 32 | position`` keys, documents numbered from ``offset``."""
        i = self.find(term)
        if i < 0:
            return np.zeros(0, dtype=np.int64)
        start, end = self.posting_starts[i], self.posting_starts[i + 1]
        docs = self.ids.read(start, end).astype(np.int64) + offset
        keys = np.repeat(docs, self.counts.read(start, end)) << 32
        return keys | self.positions.read(self.position_starts[i], self.position_starts[i + 1])


class PostingsFile:
    """A segment's postings file: its term tables mapped, its postings read by slice."""

    def __init__(self, arrays: dict, names: list[str], handle: Handle):
        self.fields = {name: FieldPostings(arrays, name) for name in names}
        self.handle = handle

    @classmethod
    def open(cls, path: Path) -> "PostingsFile | None":
        """The open file, or None when there is none (or it is not one, or the system has no
        ``os.pread``, as Windows: Whoosh reads then)."""
        if not hasattr(os, "pread"):
            return None
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return None
        try:
            return cls.from_file(fd)
        except (OSError, ValueError, KeyError):
            os.close(fd)
            return None

    @classmethod
    def from_file(cls, fd: int) -> "PostingsFile":
        handle = Handle(fd)
        mapped = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
        if bytes(mapped[:len(MAGIC)]) != MAGIC:
            raise ValueError("not a postings file")
        size = int.from_bytes(mapped[len(MAGIC):len(MAGIC) + 8], "little")
        base = len(MAGIC) + 8 + size
        header = json.loads(bytes(mapped[len(MAGIC) + 8:base]))
        arrays = {}
        for name, (dtype, place, count) in header.items():
            dtype = np.dtype(dtype)
            if base + place + count * dtype.itemsize > len(mapped):
                raise ValueError(f"{name} lies beyond the end of the file")
            if name.rsplit(".", 1)[1] in READ_ARRAYS:
                arrays[name] = Stored(handle, dtype, base + place, count)
            else:
                arrays[name] = np.frombuffer(mapped, dtype=dtype, count=count, offset=base + place)
        return cls(arrays, sorted({name.rsplit(".", 1)[0] for name in header}), handle)

    def close(self) -> None:
        """Closes the file when the snapshot's last search has ended; the map of its tables
        (and the descriptor the map holds) goes with the last reference to them, at once."""
        fd, self.handle.fd = self.handle.fd, -1
        self.fields = {}
        if fd >= 0:
            os.close(fd)


def open_files(generation: Path, segments) -> dict[str, PostingsFile]:
    """The postings file of each of ``segments`` that has one, by segment id."""
    files = {}
    for segment in segments:
        found = PostingsFile.open(path_for(generation, segment))
        if found is not None:
            files[segment.segment_id()] = found
    return files
