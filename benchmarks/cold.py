"""First runs: each benchmark query the first time a fresh process sees it (caches cold).

    python -m benchmarks.cold --index /work/bench/product-20000
    python -m benchmarks.cold --index IDX --code /work/main --code .    # two checkouts, interleaved
    python -m benchmarks.cold --index IDX --in-process                  # one service, like peers' warm-up

Fresh (the default): for each of the 67 queries of ``benchmarks.queries`` one new Python
process imports the service, opens the index (``SearchService.check``: the open cost; with
``--warm`` ``SearchService.warm``, as ``search-web`` starts) and runs the query once with
facets (the first run), then the first query once more (warm, for comparison).
The OS page cache is warm (one untimed process opens the index first), so this measures
what the code does on first use, not the disk. ``--in-process`` runs every query once in
one process after the open, in a shuffled order, as ``benchmarks.peers`` records its
warm-up round ("first run"), but with facets. Prints p50 / p95 / max in ms; asserts nothing.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
from pathlib import Path

import click

from benchmarks.queries import QUERIES

#: the child: only the service and the queries, so nothing else warms a cache before the timing
CHILD = r"""
import datetime as dt, json, sys, time
started = time.perf_counter()
from indexer.search.service import SearchService
from indexer.search.results import SearchRequest
from benchmarks.queries import QUERIES
imported = time.perf_counter()

def request(query):
    start = dt.date(query.year, 1, 1) if query.year else None
    end = dt.date(query.year, 12, 31) if query.year else None
    return SearchRequest(query=query.text, filters={"person": (query.group,)} if query.group else {},
                         date_from=start, date_to=end, page_size=10, with_facets=True)

def timed(call):
    began = time.perf_counter()
    call()
    return (time.perf_counter() - began) * 1000

index, numbers, warm = sys.argv[1], [int(n) for n in sys.argv[2].split(",") if n], sys.argv[3] == "warm"
service = SearchService(index)
opening = getattr(service, "warm", service.check) if warm else service.check  # older code: no warm()
out = {"import": (imported - started) * 1000, "open": timed(opening), "first": [], "second": []}
for n in numbers:
    out["first"].append(timed(lambda: service.search(request(QUERIES[n]))))
for n in numbers[:1]:
    out["second"].append(timed(lambda: service.search(request(QUERIES[n]))))
print(json.dumps(out))
"""


def child(code: Path, index: str, numbers: list[int], warm: bool) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run([sys.executable, "-c", CHILD, index, ",".join(map(str, numbers)), "warm" if warm else "open"],
                          env=env, cwd=code, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):7.1f}  p95 {p95:7.1f}  max {ordered[-1]:7.1f}"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


@click.command()
@click.option("--index", "index", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--code", "codes", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Checkout to run (repeatable: runs alternate). Default: this one.")
@click.option("--in-process", is_flag=True, help="All queries once in one process after the open.")
@click.option("--warm", is_flag=True, help="Open with SearchService.warm, as search-web starts (default: check).")
@click.option("--seed", default=11, show_default=True)
def main(index, codes, in_process, warm, seed):
    codes = [c.resolve() for c in codes] or [Path(__file__).resolve().parents[1]]
    index = str(Path(index).resolve())
    numbers = list(range(len(QUERIES)))
    random.Random(seed).shuffle(numbers)
    print(f"{len(QUERIES)} queries with facets, {'one process' if in_process else 'a fresh process each'}; "
          f"{'warmed' if warm else 'opened'} first; index {index}; load before {load()}")
    for code in codes:
        child(code, index, numbers[:1], warm)  # the OS page cache warm; not counted
    results: dict[Path, list[dict]] = {code: [] for code in codes}
    batches = [numbers] if in_process else [[n] for n in numbers]
    for batch in batches:
        for code in codes:
            results[code].append(child(code, index, batch, warm))
    for code, runs in results.items():
        first = [ms for run in runs for ms in run["first"]]
        print(f"{code}")
        print(f"  first run   {summary(first)}  ms   (slowest: {QUERIES[numbers[first.index(max(first))]].label})")
        print(f"  open        {summary([run['open'] for run in runs])}  ms")
        print(f"  import      {summary([run['import'] for run in runs])}  ms")
        print(f"  second run  {summary([ms for run in runs for ms in run['second']])}  ms")
    print(f"load after {load()}")


if __name__ == "__main__":
    main()
