"""Where the index lives on disk: generations, the CURRENT pointer and the writer lock.

    index/
      CURRENT           name of the live generation, replaced atomically
      gen-<time>-<pid>/ a complete Whoosh index
      write.lock        held by the one writer (flock on POSIX, msvcrt.locking on Windows)

A rebuild writes a fresh generation and then swaps CURRENT with ``os.replace``, so
readers see either the old or the new index, never a half-built one. Generations that
CURRENT does not name are leftovers of a finished or crashed build and are removed by
the next writer.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import time
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import EmptyIndexError

from indexer.errors import IndexFormatError, IndexLockedError, IndexNotFound
from indexer.index.schema import build_schema

CURRENT = "CURRENT"
LOCK = "write.lock"
GENERATION_PREFIX = "gen-"
BUILD_INFO = "build-info.json"  # written into a generation after each commit: it is complete
#: version of the on-disk format, kept in BUILD_INFO. Whoosh pickles the analyser's import path
#: into every index, so moving the analyser is a new format. 1: flat ``indexer.analysis``
#: (no version recorded); 2: ``indexer.text.analyser``; 3: metadata facets ``speaker``, ``party``
#: and ``source`` (kept verbatim, no longer lowercased).
INDEX_FORMAT = 3
WHOOSH_TOC_TEMP = re.compile(r"_\w+_\d+\.toc\.[\d.]+")
WINDOWS = os.name == "nt"


def current_generation(index_dir: Path) -> Path | None:
    """The live generation directory, or None when there is no index yet.

    That is the one CURRENT names; when CURRENT is missing, empty or names no generation,
    the newest complete one. Otherwise a lost pointer would make the next writer take the
    archive for empty and remove it as stale (``add`` would even rebuild from its input).
    """
    named = named_generation(index_dir)
    return named if named is not None else newest_complete(index_dir)


def named_generation(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None
    path = index_dir / name
    return path if name.startswith(GENERATION_PREFIX) and "/" not in name and path.is_dir() else None


def newest_complete(index_dir: Path) -> Path | None:
    """The newest generation whose build finished: it has ``BUILD_INFO``, written after the commit."""
    try:
        complete = [p for p in index_dir.iterdir() if p.name.startswith(GENERATION_PREFIX) and (p / BUILD_INFO).is_file()]
    except (FileNotFoundError, NotADirectoryError):
        return None
    return max(complete, key=lambda p: p.name, default=None)


def open_index(index_dir: Path):
    """The live Whoosh index; ``IndexNotFound`` with a hint when there is none."""
    return open_current(index_dir)[1]


def open_current(index_dir: Path):
    """(generation directory, its Whoosh index), read from one look at CURRENT."""
    generation = current_generation(index_dir)
    if generation is None:
        raise IndexNotFound(f"Kein Index in {index_dir}")
    try:
        ix = whoosh_index.open_dir(str(generation))  # reads the TOC once (``exists_in`` would read it again)
    except EmptyIndexError:
        raise IndexNotFound(f"Kein Index in {index_dir}") from None
    except (ImportError, AttributeError) as exc:  # an analyser class the pickled schema names is gone
        check_format(index_dir, generation)
        raise format_error(index_dir, "unbekannt") from exc
    check_format(index_dir, generation)
    return generation, ix


def read_build_info(generation: Path) -> dict:
    """What the last writer recorded in ``generation`` (empty when missing or unreadable)."""
    try:
        return json.loads((generation / BUILD_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def check_format(index_dir: Path, generation: Path) -> None:
    """``IndexFormatError`` (rebuild, with the command) when the generation is of another format."""
    found = read_build_info(generation).get("format", 1)
    if found != INDEX_FORMAT:
        raise format_error(index_dir, found)


def format_error(index_dir: Path, found) -> IndexFormatError:
    return IndexFormatError(f"Der Index in {index_dir} hat das Format {found}, diese Version liest Format {INDEX_FORMAT}.",
                            f"Neu bauen: search-index build seeds/ --index {index_dir} (oder mit den eigenen Quellen).")


def new_generation(index_dir: Path):
    """A fresh, empty generation directory with the schema; returns (path, index)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    path = index_dir / f"{GENERATION_PREFIX}{stamp}-{os.getpid()}"
    path.mkdir()
    return path, whoosh_index.create_in(str(path), build_schema())


def switch_to(index_dir: Path, generation: Path) -> None:
    """Makes ``generation`` live in one atomic step, then removes the others."""
    write_pointer(index_dir, generation)
    remove_stale(index_dir)


def write_pointer(index_dir: Path, generation: Path) -> None:
    tmp = index_dir / f"{CURRENT}.tmp-{os.getpid()}"
    tmp.write_text(generation.name + "\n", encoding="utf-8")
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, index_dir / CURRENT)


def remove_stale(index_dir: Path) -> list[str]:
    """Removes generations and temp files that CURRENT does not name (writer lock held);
    a lost pointer is written again first."""
    live = current_generation(index_dir)
    if live is not None and named_generation(index_dir) != live:
        write_pointer(index_dir, live)
    removed = []
    for path in index_dir.iterdir():
        stale_gen = path.name.startswith(GENERATION_PREFIX) and path != live
        stale_tmp = path.name.startswith(f"{CURRENT}.tmp-")
        if stale_gen or stale_tmp:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
            removed.append(path.name)
    if live is not None:
        removed.extend(remove_whoosh_leftovers(live))
    return removed


def remove_whoosh_leftovers(generation: Path) -> list[str]:
    """Temp files and dirs left by a killed writer: Whoosh's pool directory ``MAIN.tmp``, a
    TOC written but not yet renamed (``_MAIN_3.toc.1732791234.56``), a facet cache's
    ``*.tmp`` or a postings file's. Whoosh's flock-based WRITELOCK frees itself; orphaned segments go at the
    next commit."""
    removed = []
    for path in generation.iterdir():
        if path.name.endswith(".tmp") or WHOOSH_TOC_TEMP.fullmatch(path.name):
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
            removed.append(f"{generation.name}/{path.name}")
    return removed


@contextlib.contextmanager
def write_lock(index_dir: Path, wait: float = 5.0):
    """Holds the single-writer lock; waits up to ``wait`` seconds, then ``IndexLockedError``."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK, "a+") as handle:
        deadline = time.monotonic() + wait
        while not try_lock(handle):
            if time.monotonic() >= deadline:
                raise IndexLockedError(f"Der Index {index_dir} wird gerade geschrieben.")
            time.sleep(0.1)
        try:
            yield
        finally:
            unlock(handle)


def try_lock(handle) -> bool:
    """Takes the exclusive lock on the open file ``handle`` if no other process holds it.

    POSIX: ``flock``; Windows: ``msvcrt.locking`` on the file's first byte. Each module is
    imported here, so the store imports on either system.
    """
    try:
        if WINDOWS:
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):  # POSIX, Windows: another process holds it
        return False
    return True


def unlock(handle) -> None:
    """Releases what ``try_lock`` took."""
    if WINDOWS:
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_UN)


def directory_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
