"""How query times grow with the archive, both sizes in one interleaved run.

    python -m benchmarks.growth --small 100000 --large 300000 \\
        --small-index /work/bench/product-100000 --large-index /work/bench/product-300000

Comparing two ``benchmarks.peers`` runs mixes the growth with the machine's drift between
them: on this shared host one run can be 30-70 % faster than the next, more than any
engine's growth. Here every engine is open at both sizes at once, and ``peers.run_rounds``
interleaves them: per round the queries are shuffled and the order of (engine, size)
rotates per query, so drift hits both sizes alike. The peers' indexes are those of earlier
``benchmarks.peers`` runs (``out/peers-SIZE/``; built there when missing), the product's
are given. Prints the growth table of ``benchmarks.report.growth`` (large / small time per
category, and the product's growth over Xapian's) and writes both sizes' summaries, in the
format of a peers run, to ``out/growth-SMALL-LARGE.json``. No assertions.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import click

from benchmarks.corpus import OUT, ensure_corpus
from benchmarks.peer_product import ProductEngine
from benchmarks.peers import build_all, make_peers, product_code, run_rounds
from benchmarks.queries import QUERIES
from benchmarks.report import growth, summarise


class Sized:
    """One engine at one size, named for the interleaved run (``product@300000``)."""

    def __init__(self, engine, size: int):
        self.engine, self.size, self.name = engine, size, f"{engine.name}@{size}"

    def search(self, query, facets: bool):
        return self.engine.search(query, facets)


def open_size(size: int, corpus: Path | None, product_index: Path, names: list[str]) -> tuple[list, dict]:
    """The engines at one size, opened (built when missing), and their build records."""
    corpus = ensure_corpus(size, corpus)
    engines = [ProductEngine(product_index, "ner")] + make_peers([n for n in names if n != "product"])
    built = build_all(engines, corpus, OUT / f"peers-{size}", reuse=True)
    return engines, built


def size_summary(size: int, engines: list, built: dict, times: dict, outcomes: dict, rounds: int) -> dict:
    """One size's results in the format of a ``benchmarks.peers`` run."""
    mine = {e.name: times[f"{e.name}@{size}"] for e in engines}
    found = {e.name: outcomes[f"{e.name}@{size}"] for e in engines}
    summary = summarise(built, mine, found, QUERIES)
    summary["setup"] = {"size": size, "rounds": rounds, "product_code": product_code(), "interleaved_with": "growth"}
    return summary


@click.command()
@click.option("--small", default=100_000, show_default=True, help="The smaller corpus size.")
@click.option("--large", default=300_000, show_default=True, help="The larger corpus size.")
@click.option("--small-corpus", type=click.Path(path_type=Path), default=None)
@click.option("--large-corpus", type=click.Path(path_type=Path), default=None)
@click.option("--small-index", type=click.Path(path_type=Path), required=True, help="Product index of the small corpus.")
@click.option("--large-index", type=click.Path(path_type=Path), required=True, help="Product index of the large corpus.")
@click.option("--engines", default="product,xapian,tantivy", show_default=True)
@click.option("--rounds", default=5, show_default=True, help="Timed rounds (after one warm-up round).")
@click.option("--out", type=click.Path(path_type=Path), default=None)
def main(small, large, small_corpus, large_corpus, small_index, large_index, engines, rounds, out):
    names = [n.strip() for n in engines.split(",") if n.strip()]
    sizes = {small: open_size(small, small_corpus, small_index, names),
             large: open_size(large, large_corpus, large_index, names)}
    sized = [Sized(engine, size) for size, (engines_, _) in sizes.items() for engine in engines_]
    started, load_before = time.perf_counter(), os.getloadavg()
    times, outcomes = run_rounds(sized, QUERIES, rounds)
    print(f"{len(QUERIES)} queries x 2 modes x {len(sized)} engines x {rounds} rounds in "
          f"{time.perf_counter() - started:.0f} s; load average {load_before[0]:.2f} -> {os.getloadavg()[0]:.2f}")
    summaries = {size: size_summary(size, engines_, built, times, outcomes, rounds)
                 for size, (engines_, built) in sizes.items()}
    print(growth(summaries[small], summaries[large]))
    for engines_, _ in sizes.values():
        for engine in engines_:
            engine.close()
    out = out or OUT / f"growth-{small}-{large}.json"
    out.write_text(json.dumps({"small": summaries[small], "large": summaries[large]}, ensure_ascii=False, indent=1),
                   encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
