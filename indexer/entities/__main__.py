"""``python -m indexer.entities evaluate GOLD.jsonl [...]``: the product's whole entity path on gold documents.

Each gold document (``../shared/data/facets/GUIDELINES.md`` format) runs through the shipped
NER model, the document-level resolution (catalogue, persons, countries, organisations) and
the corpus pass over all documents given (gold files and ``--context`` files together, as a
build would), then is scored per facet (precision, recall, F1). A thin CLI over
:func:`indexer.entities.evaluation.score`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from indexer.entities.evaluation import FACETS, entity_text, read_gold, score
from indexer.errors import SearchError, print_error


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Werkzeuge der Entitätenerkennung."""


@main.command()
@click.argument("gold", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Ergebnis als JSON.")
@click.option("-v", "--verbose", is_flag=True, help="Jeden Fehler zeigen (extra, duplicate, missed).")
@click.option("--context", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Weitere Dokumente (Dateien/Verzeichnisse) für den Korpusschritt, z. B. seeds/.")
@click.option("--corrections", type=click.Path(dir_okay=False, path_type=Path), help="Korrekturdatei anwenden.")
def evaluate(gold, as_json, verbose, context, corrections):
    """Präzision, Recall und F1 je Facette auf GOLD-Dateien."""
    try:
        sets = [(path, read_gold(path)) for path in gold]
        predicted = predict([d for _, documents in sets for d in documents], context, corrections)
    except SearchError as error:
        print_error(error)
        sys.exit(1)
    results = {path.name: score(documents, predicted) for path, documents in sets}
    if as_json:
        click.echo(json.dumps({name: {f: s.to_dict() for f, s in table.items()} for name, table in results.items()},
                              ensure_ascii=False, indent=1))
        return
    for name, table in results.items():
        click.echo(name)
        for facet, row in table.items():
            click.echo(f"  {facet:<14} P {row.precision:.3f}  R {row.recall:.3f}  F1 {row.f1:.3f}"
                       f"  ({row.predicted} vorhergesagt, {row.gold} Gold)")
            for error in row.errors if verbose else ():
                click.echo(f"    {error.kind:<9} {error.document}  {error.value}")


def predict(documents: list[dict], context: tuple[Path, ...], corrections: Path | None) -> dict:
    """id -> facet -> values, through the shipped model and the build's corpus pass."""
    from indexer.entities.corrections import read_corrections
    from indexer.entities.extraction import EntityExtractor, merge_corpus_persons
    from indexer.ingest.readers import read_paths
    from indexer.ingest.documents import Article

    fixes = read_corrections(corrections) if corrections else None
    extra = [item.entity_text() for item in read_paths(context) if isinstance(item, Article)] if context else []
    texts = [entity_text(d) for d in documents] + extra
    found = merge_corpus_persons(list(EntityExtractor().extract(texts)))[: len(documents)]
    if fixes:
        found = [fixes.apply(entities) for entities in found]
    return {d["id"]: {"persons": list(e.persons), "countries": [name for name, _ in e.countries],
                      "organisations": list(e.organisations)} for d, e in zip(documents, found)}


if __name__ == "__main__":
    main()
