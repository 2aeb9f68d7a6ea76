"""The product as a benchmark engine: ``indexer.index.writer.build`` and ``SearchService.search``.

Its facets are person, country and organisation (from NER) plus year (and month when
the date range lies in one year); the benchmark's ``group`` filter is its ``person``
filter and ``year`` its date range. ``entities``:

- ``ner``: the shipped NER model (``indexer/data/ner_model``) finds the entities;
- ``group``: no NER; each document's person facet holds its ``group`` value (speaker,
  district, outlet, label), i.e. the very values the peers count. The product's build is
  run unchanged except that ``indexer.index.writer.extract_entities`` is replaced in this process.
- ``none``: no entities (only the year facet has values).
"""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

from benchmarks.engine import TOP, Built, Outcome, directory_size
from benchmarks.queries import BenchQuery
from indexer.index import writer as product_build
from indexer.entities.extraction import DocumentEntities
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService
from indexer.index import store
from indexer.index.store import current_generation
from search_web.marks import marked


def group_entities(articles, options):
    """Stand-in for NER: the article's ``group`` metadata as its one person."""
    if not options.entities:
        return [None] * len(articles)
    return [DocumentEntities(persons=(a.meta.get("group"),) if a.meta.get("group") else ()) for a in articles]


MODE_FILE = "benchmark-entities.txt"  # how the benchmark built this index: ner, group or none


def build_product(corpus: Path, index_dir: Path, entities: str) -> dict:
    """Builds the product index (full rebuild); returns the build report as a dict."""
    options = product_build.BuildOptions(entities=entities != "none", lock_wait=60)
    original = product_build.extract_entities
    if entities == "group":
        product_build.extract_entities = group_entities
    try:
        report = product_build.build([corpus], index_dir, options)
    finally:
        product_build.extract_entities = original
    (index_dir / MODE_FILE).write_text(entities, encoding="utf-8")
    return report.to_dict()


def built_mode(index_dir: Path) -> str:
    path = index_dir / MODE_FILE
    return path.read_text(encoding="utf-8").strip() if path.exists() else "unknown"


def read_build_info(index_dir: Path) -> dict:
    generation = current_generation(index_dir)
    return store.read_build_info(generation) if generation else {}


def product_request(query: BenchQuery, facets: bool) -> SearchRequest:
    """The product's request for a benchmark query: ``group`` -> person filter, ``year`` -> date range."""
    filters = {"person": (query.group,)} if query.group else {}
    start = dt.date(query.year, 1, 1) if query.year else None
    end = dt.date(query.year, 12, 31) if query.year else None
    return SearchRequest(query=query.text, filters=filters, date_from=start, date_to=end, page_size=TOP,
                         with_facets=facets)


class ProductEngine:
    name = "product"

    def __init__(self, index_dir: Path, entities: str = "group", reuse: bool = True):
        self.index_dir, self.entities, self.reuse = Path(index_dir), entities, reuse
        self.service: SearchService | None = None

    def build(self, corpus: Path, _directory: Path) -> Built:
        generation = current_generation(self.index_dir)
        if generation is None or not self.reuse:
            build_product(corpus, self.index_dir, self.entities)
            note = "built now"
        else:
            self.entities, note = built_mode(self.index_dir), f"reused {self.index_dir}"
        note = f"entities={self.entities}, {note}"
        info = read_build_info(self.index_dir)
        seconds = info.get("seconds") or 0.0
        self.service = SearchService(self.index_dir)
        self.service.warm()  # opened before the rounds, like the peers' indexes and like search-web at start
        gc.freeze()  # as search-web does after its warm-up (``serve.frozen``)
        return Built(info.get("indexed", 0), seconds, directory_size(current_generation(self.index_dir)), note)

    def search(self, query: BenchQuery, facets: bool) -> Outcome:
        page = self.service.search(product_request(query, facets))
        hits = [(h.id, h.title, str(marked(h.snippets[0])) if h.snippets else "") for h in page.hits]  # HTML, like the peers
        counted = {}
        if facets:
            person, year = page.facet("person"), page.facet("year")
            counted["group"] = {v.value: v.count for v in person.values} if person else {}
            counted["year"] = {v.value: v.count for v in year.values} if year else {}
        return Outcome(page.total, hits, counted)

    def close(self) -> None:
        if self.service:
            self.service.close()
