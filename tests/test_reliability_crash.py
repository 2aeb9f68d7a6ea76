"""A killed writer never loses the archive.

``search-index build`` and ``search-index add`` run as subprocesses and are SIGKILLed, at
random moments and at named points inside the commit. Afterwards the index opens and
answers with the last committed state (the count before the killed run, or after it when
its commit was complete), the next writer removes what the killed one left behind, and a
rerun reaches the same count as an uninterrupted run. A damaged or missing CURRENT
pointer loses nothing either.
"""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import subprocess

import pytest
from click.testing import CliRunner

from indexer.index import store
from indexer.index.writer import BuildOptions, add, build
from indexer.cli import search_command
from reliability.corpus import write_corpus
from reliability.killpoints import ADD_POINTS, BUILD_POINTS, kill_point_args
from reliability.processes import (committed_count, index_args, kill_after, leftovers, run_index, start_index,
                                   timed_run)

BASE, FULL = 100, 1500  # documents before the killed run, and in the run's input (a superset)
RANDOM_KILLS = int(os.environ.get("RELIABILITY_KILLS", "6"))  # per command
SEED = int(os.environ.get("RELIABILITY_SEED", "20261128"))
kills = {"random": 0, "named": 0}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    directory = tmp_path_factory.mktemp("crash-corpus")
    write_corpus(directory / "base.jsonl", BASE)
    write_corpus(directory / "full.jsonl.gz", FULL)  # its first BASE records equal base.jsonl's
    return directory / "base.jsonl", directory / "full.jsonl.gz"


@pytest.fixture(scope="module")
def run_seconds(corpus, tmp_path_factory):
    """How long uninterrupted runs take: a build of FULL, an add of FULL onto BASE."""
    base, full = corpus
    index = tmp_path_factory.mktemp("reference")
    seconds = {"build": timed_run("build", full, index=index / "b")}
    assert committed_count(index / "b") == FULL
    base_index(base, index / "a")
    seconds["add"] = timed_run("add", full, index=index / "a")
    assert committed_count(index / "a") == FULL
    return seconds


@pytest.fixture(scope="module", autouse=True)
def kill_report():
    yield
    print(f"\nkill points tried and recovered: {kills}")


def base_index(base, index) -> None:
    report = build([base], index, BuildOptions(entities=False))
    assert report.indexed == BASE


def finish_and_check(action: str, full, index) -> None:
    """A rerun completes, reaches the uninterrupted count and cleans up."""
    done = run_index(action, full, index=index)
    assert done.returncode == 0, done.stderr[-2000:]
    assert committed_count(index) == FULL
    assert leftovers(index) == [], leftovers(index)


@pytest.mark.slow
@pytest.mark.parametrize("action", ["build", "add"])
def test_random_kills(corpus, run_seconds, tmp_path, action):
    base, full = corpus
    index = tmp_path / "index"
    base_index(base, index)
    rng = random.Random(f"{SEED}-{action}")
    for attempt in range(RANDOM_KILLS):
        delay = rng.uniform(0.2, run_seconds[action] * 0.95)
        killed = kill_after(start_index(action, full, index=index), delay)
        kills["random"] += killed
        count = committed_count(index)
        assert count in (BASE, FULL), (attempt, delay, count)
    finish_and_check(action, full, index)


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


def small_files_only(limit: int = 300_000):
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
