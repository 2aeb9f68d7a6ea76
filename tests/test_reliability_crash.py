"""A killed writer never loses the archive.

``search-index build`` and ``search-index add`` run as subprocesses and are SIGKILLed, at
random moments and at named points inside the commit. Afterwards the index opens and
answers with the last committed state (the count before the killed run, or after it when
its commit was complete), the next writer removes what the killed one left behind, and a
rerun reaches the same count as an uninterrupted run. A damaged or missing CURRENT
pointer loses nothing either.

The randomly killed runs are traced (``TRACE_SCRIPT``): each kill reports the phase it
landed in, the state it leaves must be the one that phase promises (``OUTCOME``), and
some kills are aimed at a random moment inside the commit, so that every run of the test
kills at least one commit.
"""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import subprocess
import time
from collections import Counter

import pytest
from click.testing import CliRunner

from indexer.index import store
from indexer.index.writer import BuildOptions, add, build
from indexer.cli import search_command
from reliability.corpus import write_corpus
from reliability.killpoints import ADD_POINTS, BUILD_POINTS, kill_point_args, read_trace, traced_args
from reliability.processes import committed_count, index_args, kill_traced, leftovers, run_index

BASE, FULL = 100, 1500  # documents before the killed run, and in the run's input (a superset)
RANDOM_KILLS = int(os.environ.get("RELIABILITY_KILLS", "6"))  # per command
COMMIT_RETRIES = 4  # halving the delay each time
COMMIT_KILLS = int(os.environ.get("RELIABILITY_COMMIT_KILLS", "2"))  # per command, aimed inside the commit
SEED = int(os.environ.get("RELIABILITY_SEED", "20261128"))
kills = {"random": 0, "named": 0}
landed: dict[str, Counter] = {"build": Counter(), "add": Counter()}  # phase -> random and aimed kills there

#: what a kill in each traced phase leaves committed: the state "before" the run, the run's
#: documents ("after"), or "either" (the atomic step itself: Whoosh's TOC rename inside an
#: add's commit, the pointer rename of a build); "" is before the first phase (imports)
OUTCOME = {
    "build": {"": "before", "start": "before", "write": "before", "commit": "before", "committed": "before",
              "switch": "either", "switched": "after"},
    "add": {"": "before", "start": "before", "write": "before", "commit": "either", "committed": "after"},
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    directory = tmp_path_factory.mktemp("crash-corpus")
    write_corpus(directory / "base.jsonl", BASE)
    write_corpus(directory / "full.jsonl.gz", FULL)  # its first BASE records equal base.jsonl's
    return directory / "base.jsonl", directory / "full.jsonl.gz"


@pytest.fixture(scope="module")
def run_seconds(corpus, tmp_path_factory):
    """How long uninterrupted traced runs take, in all and in the commit: a build of FULL,
    an add of FULL onto BASE."""
    base, full = corpus
    work = tmp_path_factory.mktemp("reference")
    seconds = {}
    for action in ("build", "add"):
        for mode, workers in (("run", ""), ("commit", "1")):
            index = work / f"{action}-{mode}"
            if action == "add":
                base_index(base, index)
            started = time.monotonic()
            done = subprocess.run(traced_args(work / f"{action}-{mode}.trace", action, full, index=index),
                                  capture_output=True, text=True, timeout=300, env=with_workers(workers))
            assert done.returncode == 0, done.stderr[-2000:]
            phases = dict(read_trace(work / f"{action}-{mode}.trace"))
            seconds.setdefault(action, {})[mode] = (time.monotonic() - started if mode == "run"
                                                    else phases["committed"] - phases["commit"])
            assert committed_count(index) == FULL
    return seconds


def with_workers(workers: str) -> dict:
    """The environment for a run with ``workers`` build processes ("" for the default). A build
    on two processes writes its segments before the commit, which only lists them: too short
    to aim a kill at (its writing is where random kills land). The aimed kills use one writer."""
    return {**os.environ, "NEWS_SEARCH_BUILD_WORKERS": workers}


@pytest.fixture(scope="module", autouse=True)
def kill_report():
    yield
    print(f"\nkill points tried and recovered: {kills}; traced kills landed in: {landed}")


def base_index(base, index) -> None:
    report = build([base], index, BuildOptions(entities=False))
    assert report.indexed == BASE


def finish_and_check(action: str, full, index) -> None:
    """A rerun completes, reaches the uninterrupted count and cleans up."""
    done = run_index(action, full, index=index)
    assert done.returncode == 0, done.stderr[-2000:]
    assert committed_count(index) == FULL
    assert leftovers(index) == [], leftovers(index)


def traced_kill(action: str, full, index, trace, delay: float, after_phase: str | None = None) -> str | None:
    """One traced run killed after ``delay`` s (or ``delay`` s into ``after_phase``); checks that
    the index holds what the phase it landed in promises. Returns that phase (None: finished)."""
    before = committed_count(index)
    trace.unlink(missing_ok=True)
    phase = kill_traced(traced_args(trace, action, full, index=index), trace, delay, after_phase)
    count = committed_count(index)
    if phase is None:
        assert count == FULL, (delay, count)
        return None
    kills["random"] += 1
    landed[action][phase] += 1
    allowed = {"before": {before}, "after": {FULL}, "either": {before, FULL}}[OUTCOME[action][phase]]
    assert count in allowed, (phase, delay, before, count)
    return phase


@pytest.mark.slow
@pytest.mark.parametrize("action", ["build", "add"])
def test_random_kills(corpus, run_seconds, tmp_path, action, monkeypatch):
    base, full = corpus
    rng = random.Random(f"{SEED}-{action}")
    index, trace = tmp_path / "index", tmp_path / "trace"
    base_index(base, index)
    for _ in range(RANDOM_KILLS):  # anywhere in the run
        traced_kill(action, full, index, trace, rng.uniform(0.2, run_seconds[action]["run"] * 0.95))
    finish_and_check(action, full, index)
    monkeypatch.setenv("NEWS_SEARCH_BUILD_WORKERS", "1")  # a commit with a window (see with_workers)
    for attempt in range(COMMIT_KILLS):  # at a random moment inside the commit, each on a fresh BASE index
        delay = rng.uniform(0.05, run_seconds[action]["commit"] * 0.8)
        for retry in range(COMMIT_RETRIES):  # a commit faster than the measured one ends before the kill
            index = tmp_path / f"index-commit-{attempt}-{retry}"
            base_index(base, index)
            phase = traced_kill(action, full, index, trace, delay, after_phase="commit")
            finish_and_check(action, full, index)
            if phase == "commit":
                break
            delay /= 2
        assert phase == "commit", (delay, phase)
    assert landed[action]["commit"] >= 1, landed[action]


@pytest.mark.slow
@pytest.mark.parametrize("action, point, committed",
                         [("build", p, c) for p, c in BUILD_POINTS.items()] + [("add", p, c) for p, c in ADD_POINTS.items()])
def test_named_kill_points(corpus, tmp_path, action, point, committed):
    base, full = corpus
    index = tmp_path / "index"
    base_index(base, index)
    done = subprocess.run(kill_point_args(point, action, full, index=index), capture_output=True, text=True, timeout=300)
    assert done.returncode == -9, (done.returncode, done.stderr[-2000:])
    kills["named"] += 1
    assert committed_count(index) == (FULL if committed else BASE)
    finish_and_check(action, full, index)


DAMAGE = {"missing": None, "empty": b"", "garbage": b"\xff\xfe kaputt", "nowhere": b"gen-20990101T000000000000-1\n",
          "outside": b"../../etc\n"}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_lost_pointer_loses_nothing(corpus, tmp_path, damage):
    """Once, an empty CURRENT made ``add`` rebuild from its input alone and delete the archive,
    and ``search`` rebuild from seeds/."""
    base, _ = corpus
    index = tmp_path / "index"
    base_index(base, index)
    pointer = index / store.CURRENT
    pointer.unlink() if DAMAGE[damage] is None else pointer.write_bytes(DAMAGE[damage])
    assert committed_count(index) == BASE
    result = CliRunner().invoke(search_command, ["Meldung", "--index", str(index), "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["total"] == BASE, result.output[-500:]
    extra = write_corpus(tmp_path / "extra.jsonl", 10, start=5000)
    report = add([tmp_path / "extra.jsonl"], index, BuildOptions(entities=False))
    assert report.indexed == len(extra) and committed_count(index) == BASE + len(extra)
    assert store.named_generation(index) is not None  # the writer wrote the pointer again


def small_files_only(limit: int = 100_000):
    """For the child process: files may not grow beyond ``limit`` bytes (EFBIG, like a full disk)."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.parametrize("action", ["build", "add"])
def test_a_write_that_fails_keeps_the_last_state(corpus, tmp_path, action):
    """Once, a full disk ended in a traceback; now one line with a hint, and nothing lost."""
    base, _ = corpus
    index = tmp_path / "index"
    base_index(base, index)
    more = tmp_path / "more.jsonl"
    write_corpus(more, 400, start=BASE)
    done = subprocess.run(index_args(action, more, index=index), capture_output=True, text=True, timeout=300,
                          preexec_fn=small_files_only())
    assert done.returncode == 2, done.stderr[-2000:]
    assert "konnte nicht geschrieben werden" in done.stderr and "Traceback" not in done.stderr
    assert committed_count(index) == BASE
    done = run_index(action, more, index=index)
    assert done.returncode == 0, done.stderr[-2000:]
    assert committed_count(index) == (BASE + 400 if action == "add" else 400)
    assert leftovers(index) == [], leftovers(index)
