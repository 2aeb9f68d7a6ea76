"""Where a build's CPU goes: CPU seconds of each stage of a one-process build with NER.

    python -m benchmarks.build_stages [--size 20000] [--docs 400] [--profile]

``--docs`` evenly spaced documents of the benchmark corpus go through the stages of
``indexer.index.writer.build`` one after the other, each timed with ``time.process_time``
(CPU seconds of this process, no profiler): reading, the model load, spaCy's tokenizer and
each pipeline component, entity resolution (``document_entities``), the corpus-level merge,
``add_document`` (with the analysis of the text fields), the segment flush at commit and the
facet arrays, and the garbage collections within them; for comparison, what Whoosh's own
analysis of the text fields costs (warm). ``--profile`` prints cProfile's top functions instead.
"""

from __future__ import annotations

import contextlib
import cProfile
import gc
import gzip
import pstats
import shutil
import tempfile
import time
from pathlib import Path

import click

from benchmarks.corpus import ensure_corpus
from indexer.index.writer import fewer_collections


def sample(corpus: Path, docs: int, target: Path) -> None:
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    target.write_text("".join(lines[::max(1, len(lines) // docs)][:docs]), encoding="utf-8")


class Clock:
    """CPU seconds per named stage, in the order first seen, and of the garbage collections in them."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.collecting, self.collections = 0.0, 0
        gc.callbacks.append(self.collected)

    def collected(self, phase: str, info: dict) -> None:
        if phase == "start":
            self.collecting -= time.process_time()
        else:
            self.collecting += time.process_time()
            self.collections += 1

    def __call__(self, name: str, function, *args):
        started = time.process_time()
        result = function(*args)
        self.seconds[name] = self.seconds.get(name, 0.0) + time.process_time() - started
        return result


def stages(path: Path, work: Path, clock: Clock) -> int:
    """Runs a build's stages over the documents in ``path``; returns their words."""
    from whoosh import index as whoosh_index

    from indexer.entities.extraction import SOFT_HYPHEN, SPACES, EntityExtractor, Mention, document_entities
    from indexer.index import writer
    from indexer.index.columns import FacetStore
    from indexer.index.store import new_generation

    report = writer.BuildReport()
    articles = clock("read", lambda: writer.unique_articles(
        writer.read_articles([path], writer.BuildOptions(workers=1), report), report))
    words = sum(len(a.title.split()) + len(a.body.split()) for a in articles)
    extractor = clock("model load", EntityExtractor)
    nlp = extractor.nlp
    texts = [SPACES.sub(" ", a.entity_text().replace(SOFT_HYPHEN, "")) for a in articles]
    docs = clock("spacy tokenizer", lambda: list(nlp.tokenizer.pipe(texts)))
    for name, component in nlp.pipeline:
        docs = clock(f"spacy {name}", lambda: list(component.pipe(docs, batch_size=extractor.batch_size)))
    mentions = clock("mentions", lambda: [[Mention(e.label_, e.text, e.start_char) for e in d.ents] for d in docs])
    del docs
    found = clock("document_entities", lambda: [document_entities(t, m) for t, m in zip(texts, mentions)])
    found = clock("corpus merge", writer.corpus_entities, found, writer.BuildOptions(workers=1))
    fields = clock("document_fields", lambda: [writer.document_fields(a, f) for a, f in zip(articles, found)])
    generation, ix = new_generation(work / "index")
    schema = ix.schema
    w = writer.open_writer(ix)
    clock("add_document (with analysis)", lambda: [w.add_document(**document) for document in fields])
    clock("Whoosh's own analysis (warm)", lambda: [
        list(schema[name].index(document[name])) for document in fields for name in ("title", "body", "exact")])
    clock("flush + commit", w.commit)
    clock("facet arrays", lambda: FacetStore.cached(
        whoosh_index.open_dir(str(generation)).reader(), generation, 1))
    return words


COMPARISON = "Whoosh's own analysis (warm)"  # not a stage of the build: what the fast writer saves


def print_table(clock: Clock, words: int) -> None:
    analysis = clock.seconds.get(COMPARISON, 0.0)
    total = sum(s for name, s in clock.seconds.items() if name != COMPARISON)
    print(f"{'stage':32} {'CPU s':>7} {'share':>6} {'µs/word':>8}")
    for name, seconds in clock.seconds.items():
        share = "" if name == COMPARISON else f"{seconds / total:6.1%}"
        print(f"{name:32} {seconds:7.2f} {share:>6} {seconds / words * 1e6:8.1f}")
    model = sum(s for name, s in clock.seconds.items() if name in ("spacy tok2vec", "spacy ner"))
    print(f"{'(garbage collection, in the above)':32} {clock.collecting:7.2f} {clock.collecting / total:6.1%} "
          f"{clock.collecting / words * 1e6:8.1f}   {clock.collections:,} collections")
    print(f"{'total':32} {total:7.2f} {'':6} {total / words * 1e6:8.1f}   {words:,} words, "
          f"{words / total:,.0f} words/CPU-s; without the model load {words / (total - clock.seconds['model load']):,.0f}; "
          f"outside tok2vec+ner {(total - model) / total:.0%} (Whoosh's own analysis {analysis:.2f} s)")


@click.command()
@click.option("--size", default=20_000, show_default=True, help="Benchmark corpus to sample from.")
@click.option("--docs", default=400, show_default=True, help="Documents.")
@click.option("--profile", is_flag=True, help="cProfile's top functions instead of the stage table.")
@click.option("--gc-threshold", type=int, default=None, help="Python's first GC threshold (default: as the build sets it).")
def main(size, docs, profile, gc_threshold):
    work = Path(tempfile.mkdtemp(prefix="build-stages-"))
    try:
        path = work / "sample.jsonl"
        sample(ensure_corpus(size), docs, path)
        clock = Clock()
        with contextlib.nullcontext() if gc_threshold else fewer_collections():
            if gc_threshold:
                gc.set_threshold(gc_threshold, *gc.get_threshold()[1:])
            if profile:
                profiler = cProfile.Profile()
                profiler.runcall(stages, path, work, clock)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
            else:
                print_table(clock, stages(path, work, clock))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
