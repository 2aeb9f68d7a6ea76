"""The product side by side with Xapian, Tantivy and SQLite FTS5 on one corpus.

    python -m benchmarks.peers --size 100000 [--product-index DIR] [--rounds 5]

Builds the corpus (``benchmarks.corpus``) if needed, the product's index unless
``--product-index`` names a built one (its build time is reported from its build info),
and the three peers' indexes (timed here). Then every fixed query (``benchmarks.queries``)
runs in every engine, plain (top 10 with snippets and the exact count) and with facets
(plus the person-like facet and the year facet, disjunctive), interleaved: per round the
queries are shuffled and the engine order rotates per query, so drift of the shared
machine hits all engines alike. The first round warms up and is not counted.

Prints tables and writes ``benchmarks/out/peers-<size>.json``. A peer whose package is
missing is reported and skipped. No assertions.
"""

from __future__ import annotations

import json
import os
import platform
import random
import subprocess
import time
from pathlib import Path

import click

from benchmarks.corpus import OUT, ensure_corpus
from benchmarks.engine import Built, EngineMissing
from benchmarks.peer_product import ProductEngine
from benchmarks.queries import QUERIES, BenchQuery
from benchmarks.report import print_report, summarise
from indexer.index.writer import entities_available

MODES = ("plain", "facets")


def make_peers(names: list[str]) -> list:
    """The peer engines that can be created; a missing one is reported and skipped."""
    from benchmarks.peer_sqlite import SqliteEngine
    from benchmarks.peer_tantivy import TantivyEngine
    from benchmarks.peer_xapian import XapianEngine

    factories = {"xapian": XapianEngine, "tantivy": TantivyEngine, "sqlite": SqliteEngine}
    engines = []
    for name in names:
        try:
            engines.append(factories[name]())
        except EngineMissing as missing:
            print(f"SKIPPED {name}: {missing}")
    return engines


def build_or_open(engine, corpus: Path, work: Path, reuse: bool) -> Built:
    """Builds the engine's index (and records its build numbers), or reopens a recorded one."""
    record = work / f"{engine.name}.built.json"
    if reuse and engine.name != "product" and record.exists():
        engine.open(work / engine.name)
        built = Built(**json.loads(record.read_text(encoding="utf-8")))
        built.note = (built.note + " reused").strip()
        return built
    built = engine.build(corpus, work / engine.name)
    if engine.name != "product":
        record.write_text(json.dumps(built.__dict__), encoding="utf-8")
    return built


def build_all(engines: list, corpus: Path, work: Path, reuse: bool = False) -> dict[str, Built]:
    built = {}
    for engine in engines:
        print(f"building {engine.name} ...", flush=True)
        built[engine.name] = b = build_or_open(engine, corpus, work, reuse)
        print(f"  {b.documents:,} docs in {b.seconds:.1f} s ({b.docs_per_second:,.0f} docs/s), "
              f"{b.size_bytes / 1e6:.1f} MB {b.note}", flush=True)
    return built


def time_one(engine, query: BenchQuery, facets: bool) -> tuple[float, object]:
    started = time.perf_counter()
    outcome = engine.search(query, facets)
    return (time.perf_counter() - started) * 1000, outcome


def run_rounds(engines: list, queries: list[BenchQuery], rounds: int, seed: int = 11) -> tuple[dict, dict]:
    """(times[engine][mode][label] = [ms, ...], last outcome per engine and label).

    The warm-up round is not in the percentiles; its plain timings, the first time each
    engine sees each query (its own caches cold), are kept as ``times[engine]["first"]``.
    """
    rng = random.Random(seed)
    times = {e.name: {m: {q.label: [] for q in queries} for m in MODES + ("first",)} for e in engines}
    outcomes: dict = {e.name: {} for e in engines}
    for number in range(rounds + 1):
        order = list(queries)
        rng.shuffle(order)
        for position, query in enumerate(order):
            shift = (number + position) % len(engines)
            for engine in engines[shift:] + engines[:shift]:
                for mode in MODES:
                    ms, outcome = time_one(engine, query, mode == "facets")
                    if number:
                        times[engine.name][mode][query.label].append(ms)
                    elif mode == "plain":
                        times[engine.name]["first"][query.label].append(ms)
                    if mode == "facets":
                        outcomes[engine.name][query.label] = outcome
        print(f"round {number}/{rounds} done", "(warm-up)" if not number else "", flush=True)
    return times, outcomes


def product_code() -> str:
    """The git commit of the product code measured, with ``+dirty`` when indexer/ has local changes."""
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True).stdout
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "indexer"], cwd=root, capture_output=True,
                               text=True).stdout
    except OSError:
        return "unknown"
    return head.strip() + ("+dirty" if dirty.strip() else "")


@click.command()
@click.option("--size", default=100_000, show_default=True, help="Corpus size (documents).")
@click.option("--corpus", type=click.Path(path_type=Path), default=None, help="Use this corpus file.")
@click.option("--product-index", type=click.Path(path_type=Path), default=None,
              help="Product index to reuse (built there when absent).")
@click.option("--entities", type=click.Choice(["auto", "ner", "group", "none"]), default="auto", show_default=True,
              help="Product entities: NER model, the corpus' group as person (no NER), or none.")
@click.option("--engines", default="product,xapian,tantivy,sqlite", show_default=True)
@click.option("--rounds", default=5, show_default=True, help="Timed rounds (after one warm-up round).")
@click.option("--reuse-peers", is_flag=True, help="Reopen peer indexes built by an earlier run (same size).")
@click.option("--build-only", is_flag=True, help="Build the indexes and stop.")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="JSON results (default out/peers-SIZE.json).")
def main(size, corpus, product_index, entities, engines, rounds, reuse_peers, build_only, out):
    names = [n.strip() for n in engines.split(",") if n.strip()]
    corpus = ensure_corpus(size, corpus)
    work = OUT / f"peers-{size}"
    entities = ("ner" if entities_available() else "group") if entities == "auto" else entities
    chosen = []
    if "product" in names:
        chosen.append(ProductEngine(product_index or work / "product", entities))
    chosen += make_peers([n for n in names if n != "product"])
    built = build_all(chosen, corpus, work, reuse_peers)
    if build_only:
        return
    started, load_before = time.perf_counter(), os.getloadavg()
    times, outcomes = run_rounds(chosen, QUERIES, rounds)
    print(f"queries: {len(QUERIES)} x {len(MODES)} modes x {rounds} rounds in {time.perf_counter() - started:.0f} s")
    summary = summarise(built, times, outcomes, QUERIES)
    summary["setup"] = {"corpus": str(corpus), "size": size, "rounds": rounds, "product_entities": chosen[0].entities
                        if "product" in names else None, "product_code": product_code(),
                        "python": platform.python_version(), "machine": platform.machine(),
                        "cpus": os.cpu_count(), "load_before": load_before, "load_after": os.getloadavg()}
    print_report(summary)
    print("first run of each query (warm-up, plain; the engine's own caches cold), p50 / p95 / max ms:")
    for name, engine in summary["engines"].items():
        first = engine["first"]
        print(f"  {name:8s} {first['p50']:8.1f} {first['p95']:8.1f} {first['max']:8.1f}")
    summary["raw_ms"] = times
    for engine in chosen:
        engine.close()
    out = out or OUT / f"peers-{size}.json"
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
