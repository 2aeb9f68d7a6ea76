"""Indexing pipeline throughput in words/s per stage, with 1 and 2 worker processes.

    python -m benchmarks.throughput [--size 20000] [--docs 4000] [--ner-docs 300] [--demo-ner-docs 300] [--profile]
    python -m benchmarks.throughput --demo-only     # just the NER figure on the demo corpus (no shared data)

At the end, whole builds with NER (``benchmarks.build_scaling``): words/s of a local build
with 1 and 2 processes and of a Dask cluster of 1 and 2 workers on this machine, and the
share of the cluster build spent outside the workers (``--no-end-to-end`` skips them).

Stages, each called through the product's own functions on the same documents (an evenly
spaced sample of the benchmark corpus):

- reading:  ``indexer.ingest.readers.read_paths`` (JSONL.gz -> Article)
- analysis: the German analyser (index mode) of title and body, plus the exact analyser of
  both (the unstemmed ``exact`` field), as the build's writer does it: each distinct word
  analysed once (``indexer.index.fastwrite.WordTerms``, fresh tables per run)
- NER:      ``indexer.entities.extraction.EntityExtractor().extract`` (skipped without the model
  in ``indexer/data/ner_model``; run on ``--ner-docs`` documents only)
- writing:  ``indexer.index.writer.build(..., BuildOptions(entities=False, workers=1))`` minus reading and
  analysis (the build reads and analyses too; its total is printed as well)

With 2 workers the documents are split into two files and each worker runs the stage on
its half (for writing: builds its own index of its half; merging them is not measured);
the stage takes as long as the slower worker. Words are whitespace-separated words of
title and body. No assertions.

First it prints NER words/s on the first ``--demo-ner-docs`` speeches of the demo corpus in
``seeds/`` (their text only, one ``EntityExtractor``, the model load included as it happens
on first use): the figure a test used to gate at 2,000 words/s before speed moved here.
"""

from __future__ import annotations

import cProfile
import gzip
import json
import pstats
import shutil
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

import click

from benchmarks import build_scaling
from benchmarks.corpus import OUT, ensure_corpus
from indexer.index.fastwrite import WordTerms
from indexer.text.analyser import exact_analyzer, german_analyzer
from indexer.index.writer import BuildOptions, build, entities_available
from indexer.ingest.readers import read_paths

STAGES = ("reading", "analysis", "ner", "writing")
DEMO_CORPUS = Path(__file__).resolve().parents[1] / "seeds" / "demo_bundestag_foreign_policy.jsonl.gz"
DEMO_NER_TARGET = 2_000  # words/s; the former test gate, for comparison


def demo_ner(docs: int) -> tuple[int, float]:
    """(words, seconds) of NER over the texts of the first ``docs`` demo-corpus speeches."""
    from indexer.entities.extraction import EntityExtractor

    with gzip.open(DEMO_CORPUS, "rt", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line, _ in zip(handle, range(docs))]
    words = sum(len(text.split()) for text in texts)
    extractor = EntityExtractor()
    started = time.perf_counter()
    for _ in extractor.extract(texts):
        pass
    return words, time.perf_counter() - started


def print_demo_ner(docs: int) -> None:
    if not entities_available():
        print("NER, demo corpus: model missing (skipped)")
        return
    words, seconds = demo_ner(docs)
    print(f"NER, demo corpus (first {docs} speeches of {DEMO_CORPUS.name}, 1 process): {words:,} words in "
          f"{seconds:.1f} s = {words / seconds:,.0f} words/s (former test gate: {DEMO_NER_TARGET:,} words/s)")


def split_corpus(corpus: Path, docs: int, parts: int, directory: Path) -> list[Path]:
    """``docs`` evenly spaced records of ``corpus`` dealt round-robin into ``parts`` files."""
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    step = max(1, len(lines) // docs)
    chosen = lines[::step][:docs]
    paths = [directory / f"part-{parts}-{i}.jsonl.gz" for i in range(parts)]
    for i, path in enumerate(paths):
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as f:
            f.writelines(chosen[i::parts])
    return paths


def articles_of(path: Path) -> list:
    return [a for a in read_paths([path]) if hasattr(a, "body")]


def words_of(articles) -> int:
    return sum(len(a.title.split()) + len(a.body.split()) for a in articles)


def stage_reading(path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    articles = articles_of(path)
    return time.perf_counter() - started, words_of(articles)


def stage_analysis(path: Path) -> tuple[float, int]:
    articles = articles_of(path)
    started = time.perf_counter()
    german, exact = WordTerms(german_analyzer()), WordTerms(exact_analyzer())
    for a in articles:
        german.positions(a.title), german.positions(a.body), exact.positions(f"{a.title}\n{a.body}")
    return time.perf_counter() - started, words_of(articles)


def stage_ner(job: tuple[Path, int]) -> tuple[float, int]:
    from indexer.entities.extraction import EntityExtractor

    path, limit = job
    articles = articles_of(path)
    articles = articles[::max(1, len(articles) // limit)][:limit]  # evenly spaced: all kinds of documents
    extractor = EntityExtractor()
    started = time.perf_counter()
    for _ in extractor.extract(a.entity_text() for a in articles):
        pass
    return time.perf_counter() - started, words_of(articles)


def stage_writing(path: Path) -> tuple[float, int]:
    target = Path(tempfile.mkdtemp(prefix="throughput-index-"))
    try:
        started = time.perf_counter()
        build([path], target, BuildOptions(entities=False, workers=1))
        seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(target, ignore_errors=True)
    return seconds, words_of(articles_of(path))


def run_stage(function, jobs: list) -> tuple[float, int]:
    """(seconds of the slowest worker, words of all) with one process per job."""
    with get_context("spawn").Pool(len(jobs)) as pool:
        results = pool.map(function, jobs)
    return max(seconds for seconds, _ in results), sum(words for _, words in results)


def measure(paths: list[Path], ner_docs: int) -> dict:
    found = {"reading": run_stage(stage_reading, paths), "analysis": run_stage(stage_analysis, paths)}
    if entities_available() and ner_docs:
        found["ner"] = run_stage(stage_ner, [(p, max(1, ner_docs // len(paths))) for p in paths])
    build_seconds, words = run_stage(stage_writing, paths)
    found["build_total"] = (build_seconds, words)
    found["writing"] = (max(0.001, build_seconds - found["reading"][0] - found["analysis"][0]), words)
    return found


def pipeline_seconds(found: dict, words: int) -> dict[str, float]:
    """Seconds each stage would take for ``words`` words at its measured rate."""
    return {stage: words / (found[stage][1] / found[stage][0]) for stage in STAGES if stage in found}


def table(results: dict[int, dict]) -> list[dict]:
    rows = []
    for workers, found in results.items():
        words = found["build_total"][1]
        seconds = pipeline_seconds(found, words)
        total = sum(seconds.values())
        for stage in STAGES + ("build_total",):
            if stage in found:
                s, w = found[stage]
                rows.append({"workers": workers, "stage": stage, "seconds": round(s, 2), "words": w,
                             "words_per_s": round(w / s), "share": round(seconds[stage] / total, 3)
                             if stage in seconds else None})
    return rows


def profile_build(path: Path, top: int) -> None:
    target = Path(tempfile.mkdtemp(prefix="throughput-profile-"))
    profiler = cProfile.Profile()
    profiler.enable()
    build([path], target, BuildOptions(entities=False, workers=1))
    profiler.disable()
    shutil.rmtree(target, ignore_errors=True)
    print("\nprofile of build(entities=False), 1 process, by own time:")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


@click.command()
@click.option("--size", default=20_000, show_default=True, help="Benchmark corpus to sample from.")
@click.option("--docs", default=4000, show_default=True, help="Documents measured.")
@click.option("--ner-docs", default=300, show_default=True, help="Documents for the (slow) NER stage.")
@click.option("--demo-ner-docs", default=300, show_default=True, help="Demo-corpus speeches for the NER figure (0: skip).")
@click.option("--demo-only", is_flag=True, help="Print only the NER figure on the demo corpus.")
@click.option("--profile", is_flag=True, help="Also cProfile a 1-process build.")
@click.option("--end-to-end/--no-end-to-end", default=True, show_default=True,
              help="Also whole builds with NER: local 1 and 2 processes, cluster 1 and 2 workers (benchmarks.build_scaling).")
@click.option("--repeat", default=2, show_default=True, help="Whole builds per configuration.")
def main(size, docs, ner_docs, demo_ner_docs, demo_only, profile, end_to_end, repeat):
    if demo_ner_docs:
        print_demo_ner(demo_ner_docs)
    if demo_only:
        return
    corpus = ensure_corpus(size)
    work = Path(tempfile.mkdtemp(prefix="throughput-"))
    results = {workers: measure(split_corpus(corpus, docs, workers, work), ner_docs) for workers in (1, 2)}
    rows = table(results)
    print(f"corpus {corpus}, {docs} documents; NER model: {'yes' if entities_available() else 'missing (skipped)'}")
    print(f"{'workers':>7} {'stage':12} {'seconds':>8} {'words':>10} {'words/s':>9} {'share':>6}")
    for r in rows:
        share = f"{r['share']:6.1%}" if r["share"] is not None else "     -"
        print(f"{r['workers']:7} {r['stage']:12} {r['seconds']:8.1f} {r['words']:10,} {r['words_per_s']:9,} {share}")
    (OUT / "throughput.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    if profile:
        profile_build(split_corpus(corpus, docs, 1, work)[0], 25)
    shutil.rmtree(work, ignore_errors=True)
    if end_to_end:
        build_scaling.end_to_end(corpus, docs, repeat)


if __name__ == "__main__":
    main()
