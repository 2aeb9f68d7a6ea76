"""Named points at which a ``search-index`` run kills itself with SIGKILL.

``KILL_SCRIPT`` runs the command with one function wrapped so that the process dies there,
exactly, which random delays cannot promise: between writing and switching, between the
pointer's temp file and its rename, between Whoosh's TOC and its cleanup, ...
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

#: point -> whether the interrupted run's documents are live afterwards (committed)
BUILD_POINTS = {"after-new-generation": False, "mid-write": False, "before-switch": False,
                "before-pointer-rename": False, "after-pointer-rename": True}
ADD_POINTS = {"mid-write": False, "before-toc": False, "toc-rename": False, "before-cleanup": True}

KILL_SCRIPT = textwrap.dedent('''
    import os, signal, sys
    import whoosh.filedb.filestore, whoosh.index
    from indexer.index import writer as build
    from indexer.index import store
    from indexer.cli import index_command

    COMMAND = os.getpid()

    def die(*args, **kwargs):  # the command, also from a process it forked to write a segment
        os.kill(COMMAND, signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)

    def after(owner, name, calls=1):
        original, seen = getattr(owner, name), []
        def wrapper(*args, **kwargs):
            seen.append(1)
            result = original(*args, **kwargs)
            if len(seen) >= calls:
                die()
            return result
        setattr(owner, name, wrapper)

    def pointer_rename(before):
        original = os.replace
        def replace(src, dst, *args, **kwargs):
            if str(dst).endswith(store.CURRENT) and before:
                die()
            original(src, dst, *args, **kwargs)
            if str(dst).endswith(store.CURRENT):
                die()
        store.os.replace = replace

    point = sys.argv.pop(1)
    if point == "after-new-generation":
        after(store, "new_generation")
    elif point == "mid-write":
        after(build, "document_fields", calls=150)
    elif point == "before-switch":
        store.switch_to = die
    elif point in ("before-pointer-rename", "after-pointer-rename"):
        pointer_rename(point.startswith("before"))
    elif point == "before-toc":
        whoosh.index.TOC.write = die
    elif point == "toc-rename":
        whoosh.filedb.filestore.FileStorage.rename_file = die
    elif point == "before-cleanup":
        whoosh.index.clean_files = die
    index_command()
''')


def kill_point_args(point: str, action: str, *paths, index) -> list[str]:
    return [sys.executable, "-c", KILL_SCRIPT, point, action, *map(str, paths), "--index", str(index), "--no-entities"]


#: phases a traced run passes, in order; ``switch``/``switched`` only in a build (the pointer rename)
PHASES = ("start", "write", "commit", "committed", "switch", "switched")

TRACE_SCRIPT = textwrap.dedent('''
    import os, sys, time
    import whoosh.writing
    from indexer.index import store
    from indexer.index.fastwrite import FastSegmentWriter
    from indexer.cli import index_command

    trace = os.open(sys.argv.pop(1), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def phase(name):
        # one unbuffered write: on the disk (page cache) before the next instruction can be killed
        os.write(trace, f"{name} {time.monotonic():.6f}\\n".encode())

    def first_write(name, owner=FastSegmentWriter):  # the product's writer (a Whoosh SegmentWriter)
        original = getattr(owner, name)
        def wrapper(self, *args, **kwargs):
            if not getattr(self, "_traced", False):
                self._traced = True
                phase("write")
            return original(self, *args, **kwargs)
        setattr(owner, name, wrapper)

    original_commit = whoosh.writing.SegmentWriter.commit
    def commit(self, *args, **kwargs):
        phase("commit")
        original_commit(self, *args, **kwargs)
        phase("committed")
    whoosh.writing.SegmentWriter.commit = commit

    original_replace = os.replace
    def replace(src, dst, *args, **kwargs):
        pointer = str(dst).endswith(store.CURRENT)
        if pointer:
            phase("switch")
        original_replace(src, dst, *args, **kwargs)
        if pointer:
            phase("switched")
    store.os.replace = replace

    first_write("add_document")
    first_write("update_document")
    phase("start")
    index_command()
''')


def traced_args(trace, action: str, *paths, index) -> list[str]:
    """The ``search-index`` command, writing the phases it enters to ``trace``."""
    return [sys.executable, "-c", TRACE_SCRIPT, str(trace), action, *map(str, paths), "--index", str(index),
            "--no-entities"]


def read_trace(trace) -> list[tuple[str, float]]:
    """(phase, monotonic time) in the order the run entered them."""
    try:
        lines = Path(trace).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [(name, float(at)) for name, at in (line.split() for line in lines if line.strip())]
