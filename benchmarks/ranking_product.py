"""The product on a test collection: indexed by ``indexer.index.writer.build``, searched by ``SearchService``.

Analysis ablations build the index with ``german_analyzer(**options)``; queries follow,
since the query compiler analyses with the analyser stored in the index. Ranking settings
are a ``RankingConfig`` with ``changes`` from the defaults, passed to a fresh service.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from unittest import mock

from benchmarks.ranking_data import Collection, Run, ranking_to_run
from indexer.search import ranking
from indexer.index import schema
from indexer.text.analyser import german_analyzer
from indexer.index.writer import BuildOptions, build
from indexer.errors import SearchError
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService

DEPTH = 100  # results per query: enough for Recall@100


@dataclass
class ProductRun:
    run: Run
    failed: dict[str, str] = field(default_factory=dict)  # query id -> the product's error message


def write_corpus(collection: Collection, path: Path) -> Path:
    """The corpus as product JSONL (id, title, text); an empty title is left to the product."""
    with path.open("w", encoding="utf-8") as out:
        for doc_id, (title, text) in collection.corpus.items():
            out.write(json.dumps({"id": doc_id, "title": title, "text": text}, ensure_ascii=False) + "\n")
    return path


def build_index(corpus: Path, index_dir: Path, **analysis) -> Path:
    """A product index of ``corpus``; ``analysis`` switches steps of the German analyser off."""
    analyzer = functools.partial(german_analyzer, **analysis)
    with mock.patch.object(schema, "german_analyzer", analyzer):
        report = build([corpus], index_dir, BuildOptions(entities=False))
    if report.skipped:
        print(f"  note: {report.skipped} documents skipped: {report.reasons()}")
    return index_dir


def search_all(index_dir: Path, queries: dict[str, str], **ranking_changes) -> ProductRun:
    """Every query through ``SearchService.search`` (relevance sort, no recency boost)."""
    result = ProductRun({})
    with SearchService(index_dir, ranking=replace(ranking.DEFAULT, **ranking_changes)) as service:
        for query_id, text in queries.items():
            try:
                page = service.search(SearchRequest(query=text, page_size=DEPTH, with_facets=False))
            except SearchError as error:
                result.failed[query_id] = str(error)
                continue
            result.run[query_id] = ranking_to_run([hit.id for hit in page.hits])
    return result
