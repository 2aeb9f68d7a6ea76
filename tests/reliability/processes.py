"""The ``search-index`` command as a subprocess: run it, kill it, look at what it left.

There is no ``__main__`` module, so the command runs as ``python -c "...index_command()"``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from indexer.index import store
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService

INDEX_COMMAND = [sys.executable, "-c", "from indexer.cli import index_command; index_command()"]


def index_args(action: str, *paths, index: Path) -> list[str]:
    return [*INDEX_COMMAND, action, *map(str, paths), "--index", str(index), "--no-entities"]


def run_index(action: str, *paths, index: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(index_args(action, *paths, index=index), capture_output=True, text=True, timeout=timeout)


def start_index(action: str, *paths, index: Path) -> subprocess.Popen:
    return subprocess.Popen(index_args(action, *paths, index=index), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def kill_after(process: subprocess.Popen, delay: float) -> bool:
    """SIGKILLs ``process`` after ``delay`` seconds; True if it was still running then."""
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
        return True
    process.communicate(timeout=60)
    return False


def timed_run(action: str, *paths, index: Path) -> float:
    """Seconds an uninterrupted run takes (it must succeed)."""
    started = time.monotonic()
    done = run_index(action, *paths, index=index)
    assert done.returncode == 0, done.stderr[-2000:]
    return time.monotonic() - started


def committed_count(index: Path, probe: str = "Meldung") -> int:
    """Documents a fresh reader sees; also checks that a query answers with the same total."""
    service = SearchService(index)
    try:
        documents = service.stats().documents
        assert service.search(SearchRequest(query=probe, page_size=1)).total == documents
        return documents
    finally:
        service.close()


def leftovers(index: Path) -> list[str]:
    """Anything in the index directory a finished writer should not leave behind."""
    live = store.current_generation(index)
    found = [p.name for p in index.iterdir()
             if p.name not in (store.CURRENT, store.LOCK) and p != live]
    if live is not None:
        found += [f"{live.name}/{p.name}" for p in live.iterdir() if is_temporary(p.name)]
    return found


def is_temporary(name: str) -> bool:
    """Temp files of our writer, the facet cache or Whoosh (``_MAIN_3.toc.1732791234.5``)."""
    return name.endswith(".tmp") or ".toc." in name or name.startswith(f"{store.CURRENT}.tmp")


def fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


def kill_traced(args: list[str], trace: Path, delay: float, after_phase: str | None = None,
                timeout: float = 300) -> str | None:
    """Runs traced ``args`` and SIGKILLs it ``delay`` seconds after its start or, with
    ``after_phase``, after it entered that phase. Returns the last phase the run had entered
    when it died ("" before the first), or None when it finished before the kill."""
    from reliability.killpoints import read_trace

    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if after_phase is not None:
        deadline = time.monotonic() + timeout
        while after_phase not in {name for name, _ in read_trace(trace)}:
            if process.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.005)
    if not kill_after(process, delay):
        assert process.returncode == 0, process.stderr.read()[-2000:] if process.stderr else process.returncode
        return None
    phases = read_trace(trace)
    return phases[-1][0] if phases else ""
