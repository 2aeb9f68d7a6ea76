"""Ranking quality on a BEIR-like German test collection: the product against its peers.

    python -m benchmarks.ranking --collection ../shared/data/retrieval/mlqa_de_dev
        [--no-peers] [--no-ablations] [--no-settings]

Indexes the corpus with the product's own analysis (``indexer.index.writer.build``), runs every
query through ``SearchService`` (relevance, no recency boost), and prints MRR@10, nDCG@10
and Recall@100 (ir-measures) for the product, its analysis ablations (one step switched off
at a time), ranking settings, and the peers (Xapian, Tantivy, plain Whoosh); MRR@10 also
for the two halves of the queries (odd/even positions). The last line is exactly

    MRR@10 <product> <xapian> <whoosh-naive>

with ``nan`` for a peer that is not installed. Prints numbers, asserts nothing.
"""

from __future__ import annotations

import math
import tempfile
import time
from pathlib import Path

import click

from benchmarks.ranking_data import NAMES, Collection, evaluate, load_collection
from benchmarks.ranking_peers import peer_runs
from benchmarks.ranking_product import build_index, search_all, write_corpus

#: analysis ablations: one step of the German analyser off (index and queries alike)
ABLATIONS = {
    "no normalisation": {"normalize": False},
    "no stopwords": {"stopwords": False},
    "no compound parts": {"parts": False},
    "no stemming": {"stem": False},
    "no accent folding": {"accents": False},
}
#: ranking settings tried against the defaults of ``indexer.search.ranking.RankingConfig``
SETTINGS = {
    "before issue 6 (AND->OR, Whoosh BM25F, title x2 summed)": dict(
        questions=False, lucene_idf=False, b=0.75, title_weight=2.0, title_dismax=False, parts_weight=0.0,
        exact_weight=0.0, lowercase_weight=1.0, answer_type_weight=1.0),
    "questions as plain words (AND->OR)": dict(questions=False),
    "Whoosh IDF": dict(lucene_idf=False),
    "k1=0.9": dict(k1=0.9), "k1=1.5": dict(k1=1.5), "b=0.3": dict(b=0.3), "b=0.75": dict(b=0.75), "b=0.9": dict(b=0.9),
    "title weight 0": dict(title_weight=0.0), "title weight 1": dict(title_weight=1.0),
    "title weight 2": dict(title_weight=2.0), "title x2 summed (no dismax)": dict(title_weight=2.0, title_dismax=False),
    "no query-time compound parts": dict(parts_weight=0.0), "parts weight 1": dict(parts_weight=1.0),
    "no exact-form clause": dict(exact_weight=0.0), "exact weight 0.3": dict(exact_weight=0.3),
    "lowercase words weight 1": dict(lowercase_weight=1.0), "lowercase words weight 0.5": dict(lowercase_weight=0.5),
    "answer-type word weight 1": dict(answer_type_weight=1.0), "answer-type word weight 0.3": dict(answer_type_weight=0.3),
}


def row(name: str, run, collection: Collection, note: str = "") -> tuple[float, ...]:
    """Prints one table row and returns (MRR@10, nDCG@10, Recall@100)."""
    if run is None:
        print(f"| {name} | nan | nan | nan | nan | nan | not installed |", flush=True)
        return (math.nan,) * 3
    first, second = collection.halves()
    scores = evaluate(run, collection.qrels)
    halves = (evaluate(run, collection.qrels, first)[0], evaluate(run, collection.qrels, second)[0])
    cells = " | ".join(f"{x:.3f}" for x in scores + halves)
    print(f"| {name} | {cells} | {note} |", flush=True)
    return scores


def product_rows(collection: Collection, work: Path, ablations: bool, settings: bool) -> float:
    corpus = write_corpus(collection, work / "corpus.jsonl")
    index = build_index(corpus, work / "index")
    default = search_all(index, collection.queries)
    failed = f"{len(default.failed)} queries rejected by the query parser" if default.failed else ""
    product = row("product", default.run, collection, failed)[0]
    for query_id, message in default.failed.items():
        print(f"|   rejected: {collection.queries[query_id][:70]!r} | {message} |")
    if ablations:
        for name, options in ABLATIONS.items():
            row(f"product, {name}", search_all(build_index(corpus, work / name.replace(" ", "-"), **options),
                                               collection.queries).run, collection)
    if settings:
        for name, changes in SETTINGS.items():
            row(f"product, {name}", search_all(index, collection.queries, **changes).run, collection)
    return product


@click.command()
@click.option("--collection", "directory", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--peers/--no-peers", default=True, help="Xapian, Tantivy and plain Whoosh too.")
@click.option("--ablations/--no-ablations", default=True, help="Analysis steps switched off one at a time.")
@click.option("--settings/--no-settings", default=True, help="BM25 parameters, field weights, query handling.")
def main(directory: Path, peers: bool, ablations: bool, settings: bool) -> None:
    started = time.monotonic()
    collection = load_collection(directory)
    print(f"{collection.name}: {len(collection.corpus)} documents, {len(collection.queries)} queries, "
          f"{len(collection.qrels)} judged; {time.strftime('%Y-%m-%d')}\n")
    print(f"| system | {' | '.join(NAMES)} | MRR@10 half 1 | MRR@10 half 2 | note |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="ranking-") as work:
        product = product_rows(collection, Path(work), ablations, settings)
    mrr = {}
    if peers:
        for name, run in peer_runs(collection).items():
            mrr[name] = row(name, run, collection)[0]
    print(f"\n({time.monotonic() - started:.0f} s)")
    print(f"MRR@10 {product:.4f} {mrr.get('xapian', math.nan):.4f} {mrr.get('whoosh-naive', math.nan):.4f}")


if __name__ == "__main__":
    main()
