"""End-to-end build throughput with NER: local 1 and 2 processes, a Dask cluster of 1 and 2 workers.

    python -m benchmarks.build_scaling [--size 20000] [--docs 2000] [--repeat 2]
    (also the last part of ``python -m benchmarks.throughput``)

The same ``--docs`` evenly spaced documents of the benchmark corpus as one plain JSONL file
(so that the cluster reads it in byte ranges), built into a fresh index each time:

- local N: ``indexer.index.writer.build`` with ``BuildOptions(workers=N)`` (1: NER and the
  writer in one process; 2: each of two forked processes recognises and writes a segment);
  the processes load the model, as every build does;
- cluster N: ``indexer.index.cluster.run`` against a ``distributed.LocalCluster`` of N
  worker processes (1 thread each) started once and warmed up (model loaded), as a
  running cluster would be; the same partitioning as ``--cluster`` uses.

For the cluster it also prints where the time went (``BuildReport.timings``): the steps
that run outside the workers (planning, selecting, the corpus-level reduce and the commit
with the facet arrays) and their share of the build, and from that share Amdahl's
speed-up for 8 and 32 machines. Each figure comes with the load average before it.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import click

from benchmarks.corpus import OUT, ensure_corpus
from indexer.index.writer import BuildOptions, build, entities_available

SERIAL_STEPS = ("connect", "plan", "plugin", "select", "reduce", "commit")  # on the coordinator


def sample(corpus: Path, docs: int, target: Path) -> int:
    """``docs`` evenly spaced records of ``corpus`` into ``target`` (plain JSONL); returns their words."""
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    chosen = lines[::max(1, len(lines) // docs)][:docs]
    target.write_text("".join(chosen), encoding="utf-8")
    records = [json.loads(line) for line in chosen]
    return sum(len(r.get("title", "").split()) + len(r.get("text", "").split()) for r in records)


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_build(run, index: Path, cpu_elsewhere=lambda: 0.0) -> dict:
    """One build: wall seconds, CPU seconds (this process, its children, ``cpu_elsewhere``), load before."""
    shutil.rmtree(index, ignore_errors=True)
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), cpu_seconds() + cpu_elsewhere()
    report = run(index)
    seconds = time.perf_counter() - started
    shutil.rmtree(index, ignore_errors=True)
    return {"seconds": seconds, "cpu": cpu_seconds() + cpu_elsewhere() - cpu, "load": load, "indexed": report.indexed,
            "timings": dict(report.timings)}


def worker_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def local_runs(path: Path, work: Path, workers: int, repeat: int) -> list[dict]:
    options = lambda: BuildOptions(workers=workers, entities=entities_available())  # noqa: E731
    return [timed_build(lambda index: build([path], index, options()), work / "index") for _ in range(repeat)]


def cluster_runs(path: Path, work: Path, workers: int, repeat: int, warm_up: Path) -> list[dict]:
    import distributed

    from indexer.index import cluster

    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=logging.ERROR) as local:
        address = local.scheduler_address
        options = lambda: BuildOptions(entities=entities_available())  # noqa: E731
        cluster.run("build", [warm_up], work / "warm", options(), address)  # loads the model on every worker
        shutil.rmtree(work / "warm", ignore_errors=True)
        with distributed.Client(address) as client:
            workers_cpu = lambda: sum(client.run(worker_cpu).values())  # noqa: E731
            return [timed_build(lambda index: cluster.run("build", [path], index, options(), address), work / "index",
                                workers_cpu) for _ in range(repeat)]


def amdahl(serial_share: float, machines: int) -> float:
    return 1 / (serial_share + (1 - serial_share) / machines)


def print_runs(label: str, runs: list[dict], words: int) -> None:
    for run in runs:
        line = (f"{label:10} {words / run['seconds']:9,.0f} words/s  {run['seconds']:6.1f} s  "
                f"{words / run['cpu']:8,.0f} words/CPU-s  load {run['load']:.2f}")
        if run["timings"]:
            line += f"\n{'':10} steps (s): " + ", ".join(f"{name} {s:.2f}" for name, s in run["timings"].items())
        if "connect" in run["timings"]:  # a cluster build
            serial = sum(run["timings"].get(step, 0.0) for step in SERIAL_STEPS)
            share = serial / run["seconds"]
            line += (f"; outside the workers {serial:.2f} s = {share:.1%} "
                     f"-> Amdahl 8 machines x{amdahl(share, 8):.1f}, 32 machines x{amdahl(share, 32):.1f}")
        print(line, flush=True)


def end_to_end(corpus: Path, docs: int, repeat: int, configurations=("local 1", "local 2", "cluster 1", "cluster 2")):
    work = Path(tempfile.mkdtemp(prefix="build-scaling-"))
    try:
        path = work / "sample.jsonl"
        words = sample(corpus, docs, path)
        warm_up = work / "warm.jsonl"
        warm_up.write_text("".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:20]), encoding="utf-8")
        print(f"end to end with NER ({'model' if entities_available() else 'NO MODEL'}): {docs:,} documents, "
              f"{words:,} words, {os.cpu_count()} CPUs")
        results: dict[str, list] = {name: [] for name in configurations}
        for _ in range(repeat):  # rounds, so that a change in the machine's load hits every configuration
            for name in configurations:
                kind, count = name.split()
                runs = (local_runs(path, work, int(count), 1) if kind == "local"
                        else cluster_runs(path, work, int(count), 1, warm_up))
                print_runs(name, runs, words)
                results[name] += runs
        (OUT / "build_scaling.json").write_text(json.dumps({"docs": docs, "words": words, "runs": results}, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


@click.command()
@click.option("--size", default=20_000, show_default=True, help="Benchmark corpus to sample from.")
@click.option("--docs", default=2000, show_default=True, help="Documents per build.")
@click.option("--repeat", default=2, show_default=True, help="Builds per configuration.")
@click.option("--only", multiple=True, help="Configurations: 'local 1', 'local 2', 'cluster 1', 'cluster 2'.")
def main(size, docs, repeat, only):
    end_to_end(ensure_corpus(size), docs, repeat, only or ("local 1", "local 2", "cluster 1", "cluster 2"))


if __name__ == "__main__":
    main()
