"""A BEIR-like test collection, read as it is, and its scores from ``ir-measures``.

    corpus.jsonl[.gz]   {"_id", "title", "text"}   (title optional)
    queries.jsonl       {"_id", "text"}
    qrels.tsv           query-id, corpus-id, score  (a header line is recognised and skipped)

Runs are ``{query id: {doc id: score}}``; the measures are ir-measures' standard ones
(computed by pytrec_eval), never our own arithmetic.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import ir_measures
from ir_measures import R, RR, nDCG

MEASURES = (RR @ 10, nDCG @ 10, R @ 100)
NAMES = ("MRR@10", "nDCG@10", "Recall@100")
Run = dict[str, dict[str, float]]


@dataclass(frozen=True)
class Collection:
    name: str
    corpus: dict[str, tuple[str, str]]  # doc id -> (title, text)
    queries: dict[str, str]  # query id -> text, in file order
    qrels: dict[str, dict[str, int]]  # query id -> {doc id: relevance}

    def halves(self) -> tuple[list[str], list[str]]:
        """Judged query ids split in two by position in the file (odd/even), for robustness checks."""
        ids = [q for q in self.queries if q in self.qrels]
        return ids[0::2], ids[1::2]


def load_collection(directory: Path) -> Collection:
    directory = Path(directory)
    corpus = {doc["_id"]: (doc.get("title") or "", doc.get("text") or "") for doc in read_jsonl(corpus_file(directory))}
    queries = {q["_id"]: q["text"] for q in read_jsonl(directory / "queries.jsonl")}
    return Collection(directory.name, corpus, queries, read_qrels(directory / "qrels.tsv"))


def corpus_file(directory: Path) -> Path:
    for name in ("corpus.jsonl", "corpus.jsonl.gz"):
        if (directory / name).is_file():
            return directory / name
    raise FileNotFoundError(f"no corpus.jsonl or corpus.jsonl.gz in {directory}")


def read_jsonl(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            cells = line.rstrip("\n").split("\t")
            if len(cells) < 3 or (number == 0 and not cells[2].strip().lstrip("-").isdigit()):
                continue  # header (query-id, corpus-id, score) or a blank line
            qrels.setdefault(cells[0], {})[cells[1]] = int(cells[2])
    return qrels


def evaluate(run: Run, qrels: dict[str, dict[str, int]], query_ids=None) -> tuple[float, float, float]:
    """(MRR@10, nDCG@10, Recall@100) averaged over the judged queries (``query_ids`` if given).

    A query without any result counts as 0: it is in the qrels but absent from the run.
    """
    ids = set(query_ids) if query_ids is not None else set(qrels)
    judged = {q: docs for q, docs in qrels.items() if q in ids}
    run = {q: docs for q, docs in run.items() if q in judged and docs}
    if not run:
        return 0.0, 0.0, 0.0
    per_query = {m: {} for m in MEASURES}
    for metric in ir_measures.iter_calc(MEASURES, judged, run):
        per_query[metric.measure][metric.query_id] = metric.value
    return tuple(sum(per_query[m].values()) / len(judged) for m in MEASURES)


def ranking_to_run(ranked: list[str]) -> dict[str, float]:
    """A ranked list of doc ids as a run entry whose scores keep the order (ties impossible)."""
    return {doc_id: float(len(ranked) - i) for i, doc_id in enumerate(ranked)}
