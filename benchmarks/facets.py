"""Document-level facet quality against the gold facets of ``../shared/data/facets/``.

    python -m benchmarks.facets                        # both dev sets, per facet P / R / F1
    python -m benchmarks.facets --top 100 --index DIR  # also the top values of a built index

Each gold file is indexed as the product indexes any input (title + text, NER, corpus-level
person merges), each document's facet values are read back through ``SearchService``, and
scored as ``GUIDELINES.md`` says: a value is right when, after folding case, whitespace,
hyphens and ß, it equals the name or an alias of a gold entity of that facet not matched
before in the document; a second value for the same entity is wrong; a predicted country
that the gold lists only via a place counts neither way. Prints numbers, asserts nothing.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from indexer.entities.evaluation import read_gold, score
from indexer.index.writer import BuildOptions, build
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService

FACETS = ("persons", "countries", "organisations")


def as_article(document: dict) -> dict:
    """A gold document as product input (title + text; a headline alone is its text)."""
    title, text = document.get("title", ""), document["text"]
    return {"id": document["id"], "title": title if text.strip() else "", "text": text if text.strip() else title}


def predicted_facets(documents: list[dict], work: Path) -> dict[str, dict[str, list[str]]]:
    """Each document's persons, countries and organisations as the product indexes them."""
    source = work / "gold.jsonl"
    source.write_text("".join(json.dumps(as_article(d), ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
    report = build([source], work / "index", BuildOptions(entities=True))
    assert report.indexed == len(documents), report.problems
    with SearchService(work / "index") as service:
        return {d["id"]: {f: getattr(service.document(d["id"]), f) for f in FACETS} for d in documents}


def evaluate(path: Path) -> dict[str, dict]:
    """Per facet P / R / F1 of the built index against the gold file (GUIDELINES.md scoring)."""
    documents = read_gold(path)
    with tempfile.TemporaryDirectory() as tmp:
        predicted = predicted_facets(documents, Path(tmp))
    return {facet: row.to_dict() for facet, row in score(documents, predicted).items()}


def top_values(index: Path, limit: int) -> dict[str, list[tuple[str, int]]]:
    """The ``limit`` most frequent values of each entity facet over the whole index."""
    with SearchService(index) as service:
        page = service.search(SearchRequest(query="", facet_limit=limit, page_size=1))
    return {f.name: [(v.value, v.count) for v in f.values] for f in page.facets if f.name in
            ("person", "country", "organisation")}


@click.command()
@click.option("--gold", type=click.Path(exists=True, path_type=Path), multiple=True,
              default=[Path("../shared/data/facets/dev_news40.jsonl"), Path("../shared/data/facets/dev_mixed40.jsonl")])
@click.option("--index", type=click.Path(path_type=Path), help="Also print the top values of this index.")
@click.option("--top", default=100, show_default=True)
def main(gold, index, top):
    for path in gold:
        click.echo(f"{path.name}")
        for facet, row in evaluate(path).items():
            click.echo(f"  {facet:<14} P {row['precision']:.3f}  R {row['recall']:.3f}  F1 {row['f1']:.3f}"
                       f"  ({row['predicted']} predicted, {row['gold']} gold)")
    if index:
        for facet, values in top_values(index, top).items():
            click.echo(f"\ntop {top} {facet}: " + "; ".join(f"{v} ({c})" for v, c in values))


if __name__ == "__main__":
    main()
