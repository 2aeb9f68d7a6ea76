"""Build the demo corpus once and time it, then time a few queries.

    python -m benchmarks.build_demo [--entities/--no-entities] [--index DIR] [PATHS...]

Prints documents/s, words/s, index size and query latencies (cold first query in a fresh
process-wide service, then warm p50/p95 over repeats). No assertions.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import click

from indexer.index.writer import BuildOptions, build, entities_available
from indexer.ingest.readers import read_paths
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService
from indexer.index.store import current_generation, directory_size

QUERIES = ["Nordkorea", "Bundeswehr Mali", '"russische Soldaten"', "Sanktion*", "Russland OR Ukraine", "Nordkroea"]


def count_words(paths) -> int:
    return sum(len(a.body.split()) + len(a.title.split()) for a in read_paths(paths) if hasattr(a, "body"))


def time_queries(index: Path, repeats: int) -> list[tuple[str, float, float, float, int]]:
    service = SearchService(index)
    rows = []
    for query in QUERIES:
        started = time.perf_counter()
        page = service.search(SearchRequest(query=query))
        cold = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            service.search(SearchRequest(query=query))
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        rows.append((query, cold, statistics.median(times), times[int(len(times) * 0.95) - 1], page.total))
    return rows


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--entities/--no-entities", default=None)
@click.option("--index", type=click.Path(), default=None, help="Keep the built index here (default: a temp dir).")
@click.option("--repeats", default=20)
def main(paths, entities, index, repeats):
    paths = paths or ["seeds"]
    entities = entities_available() if entities is None else entities
    target = Path(index) if index else Path(tempfile.mkdtemp(prefix="bench-index-"))
    words = count_words(paths)
    report = build(paths, target, BuildOptions(entities=entities))
    size = directory_size(current_generation(target))
    print(f"corpus: {', '.join(paths)}  documents: {report.indexed}  words: {words:,}  entities: {entities}")
    print(f"build: {report.seconds:.1f} s  {report.indexed / report.seconds:.0f} docs/s  "
          f"{words / report.seconds:,.0f} words/s  index: {size / 1e6:.1f} MB")
    print(f"{'query':28} {'cold ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'hits':>6}")
    for query, cold, p50, p95, total in time_queries(target, repeats):
        print(f"{query:28} {cold:8.1f} {p50:8.1f} {p95:8.1f} {total:6d}")
    if not index:
        shutil.rmtree(target, ignore_errors=True)


if __name__ == "__main__":
    main()
