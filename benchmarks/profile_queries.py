"""Profile the product's search on benchmark queries: where the time of a slow query goes.

    python -m benchmarks.profile_queries --index benchmarks/out/product-100000 [--top 25] [QUERY ...]

Without QUERY arguments the fixed queries of one category (``--category``, default all)
are profiled. Each query runs once to warm up, then ``--repeats`` times under cProfile,
with facets; the profile is printed by own time and by cumulative time. Also prints the
time split of ``SearchService`` phases measured by wrapping them (match, filter masks,
rank with snippets, facets). No assertions.
"""

from __future__ import annotations

import cProfile
import pstats
import time
from collections import defaultdict
from pathlib import Path

import click

from benchmarks.peer_product import product_request
from benchmarks.queries import QUERIES, BenchQuery
from indexer.search import service as product_service
from indexer.search.service import SearchService

PHASES = {"match": (product_service, "match"), "filters": (product_service, "scopes_of"),
          "rank+snippets": (product_service, "rank"), "facets": (product_service, "build_facets")}


def wrap_phases(spent: dict[str, float]) -> None:
    """Replaces the service's phase functions with timed wrappers adding to ``spent``."""
    for phase, (owner, attribute) in PHASES.items():
        original = getattr(owner, attribute)

        def timed(*args, _original=original, _phase=phase, **kwargs):
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_phase] += time.perf_counter() - started

        setattr(owner, attribute, timed)


def chosen_queries(texts: tuple[str, ...], category: str) -> list[BenchQuery]:
    if texts:
        return [BenchQuery("adhoc", text) for text in texts]
    return [q for q in QUERIES if category in ("all", q.category)]


@click.command()
@click.argument("texts", nargs=-1)
@click.option("--index", "index_dir", type=click.Path(path_type=Path), required=True)
@click.option("--category", default="all", show_default=True)
@click.option("--repeats", default=3, show_default=True)
@click.option("--top", default=25, show_default=True)
def main(texts, index_dir, category, repeats, top):
    service = SearchService(index_dir)
    queries = chosen_queries(texts, category)
    for query in queries:
        service.search(product_request(query, True))
    spent: dict[str, float] = defaultdict(float)
    wrap_phases(spent)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(repeats):
        for query in queries:
            service.search(product_request(query, True))
    profiler.disable()
    total = time.perf_counter() - started
    runs = repeats * len(queries)
    print(f"{runs} searches, {total / runs * 1000:.1f} ms each on average (under the profiler)")
    for phase, seconds in spent.items():
        print(f"  {phase:14} {seconds / runs * 1000:8.1f} ms/search  {seconds / total:6.1%}")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    service.close()


if __name__ == "__main__":
    main()
