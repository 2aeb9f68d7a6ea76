"""The input of a build cut into partitions that workers read on their own.

``plan(paths, target_bytes)`` walks ``paths`` in the order of ``read_paths`` and returns
partitions of about ``target_bytes`` each: small files grouped, large plain JSON Lines
files cut into byte ranges without reading them (a stat). A range's reader owns the lines
that begin in it (``owned_lines``), numbers them from 1 and counts them
(``count_owned``); the coordinator adds the line counts of the earlier ranges of the same
file (``Numbering``), so a bad record is reported with the file and line that a build by
one process reports. A ``.gz`` cannot be entered in the middle without decompressing up
to there, and a CSV field may hold line breaks: those files are read whole by one
worker. Paths are opened absolute and shown as the user typed them.

    plan(["archiv/"], 64 << 20) -> [Partition((Piece("archiv/a.jsonl", "/data/archiv/a.jsonl",
                                     span=(0, 67108864), size=67108864),)), ...]
"""

from __future__ import annotations

import dataclasses
import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from indexer.ingest.documents import Article
from indexer.ingest.readers import (Problem, bounded_lines, file_kind, input_files, is_json_array, MISSING,
                                    read_file, read_json)

SPLITTABLE = (".jsonl", ".ndjson", ".json")


@dataclass(frozen=True)
class Piece:
    """A file or the lines that begin in a byte range of it."""

    shown: str  # as the user named it (and a local build reports it)
    location: str  # absolute, for the workers
    span: tuple[int, int] | None = None  # None: the whole file
    size: int = 0  # bytes, to balance partitions
    missing: bool = False


@dataclass(frozen=True)
class Partition:
    pieces: tuple[Piece, ...]


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


def input_bytes(paths: Iterable[str | Path]) -> int:
    return sum(piece.size for piece in pieces(paths, 0, split=False))


def pieces(paths: Iterable[str | Path], target_bytes: int, split: bool = True) -> Iterator[Piece]:
    for path, found in input_files(paths):
        if found:
            yield from file_pieces(path, target_bytes, split)
        else:
            yield Piece(str(path), os.path.abspath(path), missing=True)


def file_pieces(path: Path, target_bytes: int, split: bool) -> Iterator[Piece]:
    whole = Piece(str(path), os.path.abspath(path), size=path.stat().st_size)
    if not split or whole.size <= target_bytes or not splittable(path):
        yield whole
        return
    for start in range(0, whole.size, target_bytes):
        end = min(start + target_bytes, whole.size)
        yield dataclasses.replace(whole, span=(start, end), size=end - start)


def splittable(path: Path) -> bool:
    """A plain (not compressed) JSON Lines file."""
    if path.suffix.lower() == ".gz" or file_kind(path) not in SPLITTABLE:
        return False
    try:
        return not is_json_array(path)
    except OSError:  # unreadable: the reader reports it, as in a local build
        return False


def owned_lines(f, start: int, end: int) -> Iterator[bytes | None]:
    """The lines of ``f`` that begin at a byte in [start, end) (``readers.bounded_lines``
    each): the line running over ``start`` belongs to the range before."""
    f.seek(max(start - 1, 0))
    if start > 0:
        next(bounded_lines(f), None)  # up to and with the line end before the first own line
    lines = bounded_lines(f)
    while f.tell() < end and (raw := next(lines, False)) is not False:
        yield raw


def count_owned(location: str, span: tuple[int, int]) -> int:
    """How many lines begin in ``span``: what the numbering of the next range starts after."""
    with open(location, "rb") as f:
        return sum(1 for _ in owned_lines(f, *span))


def read_piece(piece: Piece) -> Iterator[Article | Problem]:
    """The records of ``piece`` as ``read_paths`` yields them (line numbers within the range)."""
    if piece.missing:
        yield Problem(piece.shown, 0, MISSING)
        return
    path = Path(piece.location)
    if piece.span is None:
        items = read_file(path)
    else:
        items = read_range(path, piece.span)
    for item in items:
        yield shown_as(item, piece)


def read_range(path: Path, span: tuple[int, int]) -> Iterator[Article | Problem]:
    try:
        yield from read_json(path, functools.partial(owned_lines, start=span[0], end=span[1]))
    except OSError as exc:
        yield Problem(str(path), 0, f"Datei nicht lesbar: {exc}")


def shown_as(item: Article | Problem, piece: Piece) -> Article | Problem:
    """``item`` with the file named as the user named it."""
    if piece.location == piece.shown:
        return item
    if isinstance(item, Problem):
        return dataclasses.replace(item, path=piece.shown)
    item.path = piece.shown
    return item


class Numbering:
    """Line numbers of ranges made whole: each range's first line follows the lines of the
    earlier ranges of its file (the ranges are given in order)."""

    def __init__(self):
        self.seen: dict[str, int] = {}

    def base(self, piece: Piece, lines: int) -> int:
        """The number to add to the line numbers of ``piece``, which has ``lines`` lines."""
        if piece.span is None:
            return 0
        before = self.seen.get(piece.location, 0)
        self.seen[piece.location] = before + lines
        return before
