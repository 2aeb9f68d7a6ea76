"""Benchmark corpus: one JSONL.gz in the product's input format, from the shared corpora.

    python -m benchmarks.corpus --size 100000 [--out benchmarks/out/corpus-100000.jsonl.gz]

Each record has ``id, title, text, date, source`` plus metadata: ``kind`` (rede, polizei,
schlagzeile, 10kgnad), ``group`` (the person-like facet every engine can count: the
speaker of a speech, the district of a police report, the outlet of a headline, the
10kGNAD label) and the source's own fields (speaker, party, district, label).

The mix is weighted towards short documents (headlines, police reports) so that a
100k-document corpus stays buildable in pure Python. A source smaller than its share is
sampled again: the k-th repeat (k >= 1) gets the id suffix ``~k`` and the title suffix
`` (k+1)``, so that the product does not drop it as a duplicate of the first copy. Records
whose title and text equal an earlier one (by the product's content hash) are dropped.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
from collections import Counter
from pathlib import Path
from typing import Iterator

import click

from indexer.ingest.documents import Article, lead_sentence

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpora"
OUT = Path(__file__).resolve().parent / "out"
#: share of the documents per kind; the rest of 1.0 is given to speeches
MIX = {"schlagzeile": 0.35, "polizei": 0.29, "10kgnad": 0.01, "rede": 0.35}
FILES = {
    "rede": "bundestag_speeches_wp19-21.jsonl.gz",
    "polizei": "berlin_police_reports.jsonl.gz",
    "schlagzeile": "frontpage_headlines_2025w53.jsonl.gz",
    "10kgnad": "10kgnad_test.csv.gz",
}


def jsonl(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def speeches(path: Path) -> Iterator[dict]:
    for r in jsonl(path):
        yield {"id": r["id"], "title": r.get("title") or "", "text": r.get("text") or "", "date": r.get("date") or "",
               "source": r.get("source") or "Bundestag", "kind": "rede", "group": r.get("speaker") or "",
               "speaker": r.get("speaker") or "", "party": r.get("party") or ""}


def police(path: Path) -> Iterator[dict]:
    for r in jsonl(path):
        yield {"id": f"pol-{r['id']}", "title": r.get("title") or "", "text": r.get("text") or "",
               "date": (r.get("date") or "")[:10], "source": "polizei-berlin", "kind": "polizei",
               "group": r.get("district") or "", "district": r.get("district") or ""}


def headlines(path: Path) -> Iterator[dict]:
    for r in jsonl(path):
        yield {"id": f"hl-{r['id']}", "title": r.get("title") or "", "text": r.get("teaser") or "",
               "date": (r.get("first_seen") or "")[:10], "source": r.get("site") or "", "kind": "schlagzeile",
               "group": r.get("site") or ""}


def gnad(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = csv.reader(io.StringIO(f.read()), delimiter=";", quotechar="'")
        for number, row in enumerate(rows, start=1):
            if len(row) == 2:
                yield {"id": f"gnad-{number}", "title": lead_sentence(row[1]), "text": row[1], "date": "",
                       "source": "10kgnad", "kind": "10kgnad", "group": row[0], "label": row[0]}


READERS = {"rede": speeches, "polizei": police, "schlagzeile": headlines, "10kgnad": gnad}


def unique_records(kind: str, corpora: Path, seen: set[str]) -> list[dict]:
    """Records of one source with text, none equal in title and text to one already seen."""
    kept = []
    for record in READERS[kind](corpora / FILES[kind]):
        if not record["text"].strip():
            continue
        digest = Article(title=record["title"], body=record["text"]).content_hash
        if digest not in seen:
            seen.add(digest)
            kept.append(record)
    return kept


def repeat(record: dict, k: int) -> dict:
    """The k-th repeat of a sampled record (k = 0 is the record itself)."""
    if k == 0:
        return record
    return {**record, "id": f"{record['id']}~{k}", "title": f"{record['title']} ({k + 1})"}


def sample(records: list[dict], count: int, rng: random.Random) -> list[dict]:
    """``count`` records: a shuffled pass over all of them, repeated as often as needed."""
    order = list(range(len(records)))
    rng.shuffle(order)
    return [repeat(records[order[i % len(order)]], i // len(order)) for i in range(count)]


def counts_for(size: int, mix: dict[str, float]) -> dict[str, int]:
    counts = {kind: int(round(size * share)) for kind, share in mix.items() if kind != "rede"}
    counts["rede"] = size - sum(counts.values())
    return counts


def build_corpus(size: int, out: Path, corpora: Path = CORPORA, seed: int = 7) -> dict:
    """Writes the corpus; returns its statistics (documents and words per kind)."""
    rng, seen = random.Random(seed), set()
    stats: dict = {"documents": Counter(), "words": Counter()}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=3) as f:
        for kind, count in counts_for(size, MIX).items():
            for record in sample(unique_records(kind, corpora, seen), count, rng):
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
                stats["documents"][kind] += 1
                stats["words"][kind] += len(record["title"].split()) + len(record["text"].split())
    tmp.replace(out)
    return stats


def default_path(size: int) -> Path:
    return OUT / f"corpus-{size}.jsonl.gz"


def ensure_corpus(size: int, path: Path | None = None) -> Path:
    """The corpus of ``size`` documents, built when it is not there yet."""
    path = path or default_path(size)
    if not path.exists():
        print_stats(build_corpus(size, path), path)
    return path


def print_stats(stats: dict, path: Path) -> None:
    docs, words = stats["documents"], stats["words"]
    print(f"corpus {path}: {sum(docs.values()):,} documents, {sum(words.values()):,} words")
    for kind in docs:
        print(f"  {kind:12} {docs[kind]:8,} docs {words[kind]:12,} words {words[kind] / docs[kind]:8.0f} words/doc")


@click.command()
@click.option("--size", default=100_000, show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=None)
@click.option("--corpora", type=click.Path(path_type=Path), default=CORPORA, show_default=True)
@click.option("--seed", default=7, show_default=True)
def main(size, out, corpora, seed):
    out = out or default_path(size)
    print_stats(build_corpus(size, out, corpora, seed), out)


if __name__ == "__main__":
    main()
