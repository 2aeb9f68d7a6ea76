"""Warm searches of two checkouts, interleaved run by run: is a change faster, and where?

    python -m benchmarks.ab --index /work/bench/product-300000 --code /tmp/before --code . \\
        --rounds 10 --category and --category facet1 --per-query

Comparing two ``benchmarks.peers`` runs mixes a change with the machine's drift between
them (on this shared host one run can be 30 % slower than the next). Here one worker
process per checkout opens the index (``SearchService.warm``) and waits; the parent sends
each benchmark query to both, alternating which goes first from round to round, in a
shuffled order per round. Before each timed search a worker writes over 64 MB, so that
the search finds the CPU caches as cold as in ``benchmarks.peers``, where other engines
run between two of the product's searches. After three untimed runs of each query, each
query's time is the median of its rounds. Prints per category the mean of those medians
(A, B, B/A) and, with ``--per-query``, each query's; asserts nothing.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
from pathlib import Path

import click

from benchmarks.queries import QUERIES

#: the worker: one service on one checkout; reads a query number per line, answers the ms of its search
WORKER = r"""
import sys, time
import numpy as np
from indexer.search.service import SearchService
from benchmarks.peer_product import product_request
from benchmarks.queries import QUERIES
service = SearchService(sys.argv[1])
service.warm()
requests = [product_request(query, True) for query in QUERIES]
scratch = np.ones(8_000_000)
print("ready", flush=True)
for line in sys.stdin:
    scratch += 1.0  # 64 MB written: the caches as another engine's search leaves them
    started = time.perf_counter()
    service.search(requests[int(line)])
    print(f"{(time.perf_counter() - started) * 1000:.3f}", flush=True)
"""


class Worker:
    """One checkout's service in a process of its own."""

    def __init__(self, code: Path, index: str):
        env = {**os.environ, "PYTHONPATH": str(code)}
        self.process = subprocess.Popen([sys.executable, "-c", WORKER, index], cwd=code, env=env, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        if self.process.stdout.readline().strip() != "ready":
            raise click.ClickException(f"the worker on {code} did not start")

    def run(self, number: int) -> float:
        self.process.stdin.write(f"{number}\n")
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def interleaved(workers: list[Worker], numbers: list[int], rounds: int, seed: int) -> list[dict[int, list[float]]]:
    """Each worker's times per query number: three untimed runs each, then ``rounds`` rounds."""
    rng = random.Random(seed)
    for number in numbers:
        for worker in workers:
            for _ in range(3):
                worker.run(number)
    times = [{number: [] for number in numbers} for _ in workers]
    for round_ in range(rounds):
        order = numbers[:]
        rng.shuffle(order)
        for number in order:
            for side in (range(len(workers)) if round_ % 2 == 0 else reversed(range(len(workers)))):
                times[side][number].append(workers[side].run(number))
    return times


@click.command()
@click.option("--index", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--code", "codes", multiple=True, required=True, type=click.Path(exists=True, file_okay=False,
              path_type=Path), help="A checkout (twice: A, then B).")
@click.option("--rounds", default=10, show_default=True)
@click.option("--category", "categories", multiple=True, help="Only these query categories (default: all).")
@click.option("--per-query", is_flag=True, help="Each query's medians too.")
@click.option("--seed", default=11, show_default=True)
def main(index, codes, rounds, categories, per_query, seed):
    if len(codes) != 2:
        raise click.UsageError("give --code twice: the checkout A and the checkout B")
    numbers = [i for i, query in enumerate(QUERIES) if not categories or query.category in categories]
    workers = [Worker(code.resolve(), str(Path(index).resolve())) for code in codes]
    try:
        times = interleaved(workers, numbers, rounds, seed)
    finally:
        for worker in workers:
            worker.close()
    medians = [{n: statistics.median(side[n]) for n in numbers} for side in times]
    print(f"A = {codes[0]}, B = {codes[1]}; {index}; {rounds} rounds; ms, mean of the queries' medians")
    for category in dict.fromkeys(QUERIES[n].category for n in numbers):
        mine = [n for n in numbers if QUERIES[n].category == category]
        a, b = (statistics.mean(side[n] for n in mine) for side in medians)
        print(f"{category:8} A {a:7.2f}  B {b:7.2f}  B/A {b / a:.3f}")
    if per_query:
        for n in numbers:
            print(f"  {QUERIES[n].category:7} {QUERIES[n].label[:45]:45} A {medians[0][n]:7.2f}  B {medians[1][n]:7.2f}")


if __name__ == "__main__":
    main()
