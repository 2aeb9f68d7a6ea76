"""The input of a build cut into partitions that workers read on their own.

``plan(paths, target_bytes)`` walks ``paths`` in the order of ``read_paths`` and returns
partitions of about ``target_bytes`` each: small files grouped, large JSON Lines files
(also ``.gz``) cut into line ranges at line ends (a range knows its first line number and
the byte where it starts, so a bad record is reported with the file and line a build by
one process reports). ``read_partition`` yields the same ``Article`` and ``Problem`` items,
in the same order, as ``read_paths`` over the same records. Paths are made absolute for
the workers and shown as the user typed them.

    plan(["archiv/"], 64 << 20) -> [Partition((Piece("archiv/a.jsonl", "/data/archiv/a.jsonl",
                                     lines=range(1, 80412), offset=0),)), ...]
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from indexer.ingest.documents import Article
from indexer.ingest.readers import Problem, file_kind, is_json_array, open_binary, read_file, read_json

SPLITTABLE = (".jsonl", ".ndjson", ".json")
SCAN_BLOCK = 1 << 24


@dataclass(frozen=True)
class Piece:
    """A file or a range of its lines: ``shown`` as the user named it, read from ``location``."""

    shown: str
    location: str
    lines: range | None = None  # None: the whole file
    offset: int = 0  # byte of the first line (uncompressed)
    size: int = 0  # bytes, to balance partitions
    missing: bool = False


@dataclass(frozen=True)
class Partition:
    pieces: tuple[Piece, ...]

    @property
    def size(self) -> int:
        return sum(piece.size for piece in self.pieces)


def plan(paths: Iterable[str | Path], target_bytes: int) -> list[Partition]:
    """Partitions of about ``target_bytes`` over the files below ``paths``, in reading order."""
    partitions: list[Partition] = []
    group: list[Piece] = []
    for piece in pieces(paths, target_bytes):
        if group and sum(p.size for p in group) + piece.size > target_bytes:
            partitions.append(Partition(tuple(group)))
            group = []
        group.append(piece)
    if group:
        partitions.append(Partition(tuple(group)))
    return partitions


def pieces(paths: Iterable[str | Path], target_bytes: int) -> Iterator[Piece]:
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield from file_pieces(child, target_bytes)
        elif path.exists():
            yield from file_pieces(path, target_bytes)
        else:
            yield Piece(str(path), os.path.abspath(path), missing=True)


def file_pieces(path: Path, target_bytes: int) -> Iterator[Piece]:
    whole = Piece(str(path), os.path.abspath(path), size=path.stat().st_size)
    if whole.size <= target_bytes or file_kind(path) not in SPLITTABLE:
        yield whole
        return
    try:
        if is_json_array(path):
            yield whole
            return
        cuts = line_cuts(path, target_bytes)
    except (OSError, EOFError, ValueError):  # unreadable: the reader reports it, as in a local build
        yield whole
        return
    for (first, start), (stop, end) in zip(cuts, cuts[1:]):
        yield dataclasses.replace(whole, lines=range(first, stop), offset=start, size=end - start)


def line_cuts(path: Path, target_bytes: int) -> list[tuple[int, int]]:
    """(first line number, byte offset) of each range, and of the end: the first line end
    after every ``target_bytes`` (uncompressed) closes a range."""
    cuts, line, position, next_cut = [(1, 0)], 1, 0, target_bytes
    with open_binary(path) as f:
        while block := f.read(SCAN_BLOCK):
            counted = 0  # newlines of ``block`` before this index are in ``line``
            while next_cut < position + len(block):
                end = block.find(b"\n", max(counted, next_cut - position))
                if end < 0:
                    break
                line += block.count(b"\n", counted, end + 1)
                counted = end + 1
                cuts.append((line, position + counted))
                next_cut = position + counted + target_bytes
            line += block.count(b"\n", counted)
            position += len(block)
    if cuts[-1][1] < position:
        cuts.append((line + 1, position))
    return cuts


def read_partition(partition: Partition) -> Iterator[Article | Problem]:
    """Every record of ``partition``, as ``read_paths`` yields it."""
    for piece in partition.pieces:
        yield from read_piece(piece)


def read_piece(piece: Piece) -> Iterator[Article | Problem]:
    if piece.missing:
        yield Problem(piece.shown, 0, "Datei oder Verzeichnis nicht gefunden")
        return
    path = Path(piece.location)
    items = read_file(path) if piece.lines is None else read_range(path, piece)
    for item in items:
        yield shown_as(item, str(path), piece.shown)


def read_range(path: Path, piece: Piece) -> Iterator[Article | Problem]:
    try:
        yield from read_json(path, piece.lines, piece.offset)
    except (OSError, EOFError, ValueError) as exc:
        yield Problem(str(path), 0, f"Datei nicht lesbar: {exc}")


def shown_as(item: Article | Problem, location: str, shown: str) -> Article | Problem:
    """``item`` with the file named as the user named it."""
    if item.path != location or location == shown:
        return item
    if isinstance(item, Problem):
        return dataclasses.replace(item, path=shown)
    item.path = shown
    return item
