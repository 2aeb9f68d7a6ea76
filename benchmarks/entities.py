"""Entity page cost: co-occurrence from the facet ordinal arrays, and the whole page.

    python -m benchmarks.entities                                  # synthetic 100k + the demo index in ./index
    python -m benchmarks.entities --docs 100000 --entity-docs 10000 --index index

Synthetic part: a ``FacetStore`` of ``--docs`` documents shaped like news (persons, countries
and organisations with Zipf-distributed values, one country in 80 % of the documents; one
speaker, party and source each; dates over ten years) and one person in ``--entity-docs`` of them. It times the steps of the
entity page that grow with the number of documents, through the functions the service runs
(``indexer.search.entity``): resolving the name, the entity's document mask, the related
values of every facet (lift, minimum count) and the timeline. Query matching and the top
hits' snippets are the search's own cost and are timed on the demo index only.

Demo part (``--index``, the demo corpus built by ``search-index build seeds/``; opened read-only): the same steps on the index's arrays, and
``SearchService.entity`` end to end, for a few entities. Prints milliseconds (median and
fastest wall time of ``--repeats``, median CPU time); asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

import click
import numpy as np

from indexer.facets import FACET_NAMES, by_name
from indexer.index.columns import FacetStore
from indexer.index.ordinals import FieldOrdinals, lookup_of
from indexer.search.entity import entity_ordinals, related_facet, timeline
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService
from indexer.settings import setting

#: facet -> (distinct values, mean values per document); 0: exactly one per document (metadata)
SHAPE = {"person": (40_000, 2.5), "country": (200, 3.0), "organisation": (20_000, 3.0),
         "speaker": (5_000, 0), "party": (12, 0), "source": (20, 0)}
DEMO_ENTITIES = (("country", "Deutschland"), ("organisation", "NATO"), ("person", "Wladimir Putin"),
                 ("country", "Nordkorea"))


def zipf_field(rng, docs: int, values: int, per_doc: float) -> tuple[np.ndarray, np.ndarray]:
    """(document, value) pairs, each document's values Zipf-distributed, duplicates dropped."""
    pairs = int(docs * per_doc) or docs
    doc = rng.integers(0, docs, pairs) if per_doc else np.arange(docs)
    value = np.minimum(rng.zipf(1.3, pairs) - 1, values - 1)
    unique = np.unique(doc.astype(np.int64) * values + value)
    return unique // values, unique % values


def synthetic_store(docs: int, entity_docs: int, seed: int = 14) -> FacetStore:
    """``docs`` documents; person 0 (``Person 0``) is in exactly ``entity_docs`` of them."""
    rng = np.random.default_rng(seed)
    fields = {}
    for name in FACET_NAMES:  # every facet of the registry (a new one needs a SHAPE entry)
        values, per_doc = SHAPE[name]
        doc, value = zipf_field(rng, docs, values, per_doc)
        if name == "person":
            keep = value != 0
            doc, value = doc[keep], value[keep]
            chosen = np.sort(rng.choice(docs, entity_docs, replace=False))
            doc, value = np.concatenate([doc, chosen]), np.concatenate([value, np.zeros(entity_docs, np.int64)])
        if name == "country":  # one value in 80 % of the documents, like Deutschland
            common = np.flatnonzero(rng.random(docs) < 0.8)
            doc, value = np.concatenate([doc, common]), np.concatenate([value, np.full(len(common), values - 1)])
        labels = [f"{name.title()} {i}" for i in range(values)]
        fields[name] = FieldOrdinals(labels, doc, value, lookup_of(labels))
    first = dt.date(2016, 1, 1).toordinal()
    days = rng.integers(first, first + 3650, docs)
    return FacetStore(docs, np.ones(docs, dtype=bool), fields, days)


def entity_steps(store: FacetStore, facet: str, value: str, scope: np.ndarray, min_count: int) -> int:
    """What the entity page computes from the arrays (``indexer.search.entity.entity_page``)."""
    spec = by_name(facet)
    ordinals = entity_ordinals(store, spec, value)
    mentioned = scope & store.fields[spec.field].mask_of(ordinals, store.size)
    for name in FACET_NAMES:
        related_facet(store, name, scope, mentioned, min_count, ordinals if name == spec.name else [])
    timeline(store, mentioned, SearchRequest())
    return int(np.count_nonzero(mentioned))


def timed(run, repeats: int) -> tuple[float, float, float]:
    """(median wall, fastest wall, median CPU) milliseconds of ``repeats`` runs. On a shared
    machine the wall time includes waiting for a core; the CPU time is the work itself."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), min(walls), statistics.median(cpus)


def report(label: str, documents: int, times: tuple[float, float, float]) -> None:
    click.echo(f"  {label:<52} {documents:>7} Dok.  Median {times[0]:6.1f} ms  schnellste {times[1]:6.1f} ms  "
               f"CPU {times[2]:6.1f} ms")


def synthetic(docs: int, entity_docs: int, repeats: int, min_count: int) -> None:
    store = synthetic_store(docs, entity_docs)
    pairs = sum(len(field.docs) for field in store.fields.values())
    click.echo(f"synthetisch: {docs} Dokumente, {pairs} (Dokument, Wert)-Paare, "
               f"Werte: {', '.join(f'{n} {len(f.values)}' for n, f in store.fields.items())}")
    scope = store.everything()
    found = entity_steps(store, "person", "Person 0", scope, min_count)
    report("Person 0: Maske, verwandte Werte, Zeitverlauf", found,
           timed(lambda: entity_steps(store, "person", "Person 0", scope, min_count), repeats))
    half = scope & (np.arange(docs) % 2 == 0)  # a narrowed page: half of the documents in scope
    report("dasselbe, eingegrenzt auf die Hälfte", int(np.count_nonzero(half & (store.fields['person'].mask_of(
        [0], docs)))), timed(lambda: entity_steps(store, "person", "Person 0", half, min_count), repeats))


def demo(index: str, repeats: int, min_count: int) -> None:
    with SearchService(index) as service:
        with service._reading() as lease:  # the benchmark may look inside: the snapshot's arrays
            store = lease.facets
            click.echo(f"Demo-Index {index}: {store.size} Dokumente")
            for facet, value in DEMO_ENTITIES:
                found = entity_steps(store, facet, value, store.everything(), min_count)
                run = lambda f=facet, v=value: entity_steps(store, f, v, store.everything(), min_count)
                report(f"{value}: Arrays", found, timed(run, repeats))
        for facet, value in DEMO_ENTITIES:
            page = service.entity(facet, value)
            report(f"{value}: SearchService.entity (mit Treffern)", page.total,
                   timed(lambda f=facet, v=value: service.entity(f, v), repeats))
        page = service.entity("person", "Wladimir Putin", SearchRequest(query="Sanktionen"))
        report("Wladimir Putin, q=Sanktionen: ganze Seite", page.total,
               timed(lambda: service.entity("person", "Wladimir Putin", SearchRequest(query="Sanktionen")), repeats))


@click.command()
@click.option("--docs", default=100_000, show_default=True, help="synthetic documents")
@click.option("--entity-docs", default=10_000, show_default=True, help="documents of the synthetic entity")
@click.option("--index", default="index", show_default=True, help="a built demo index ('' to skip)")
@click.option("--repeats", default=15, show_default=True)
def main(docs: int, entity_docs: int, index: str, repeats: int) -> None:
    """Times the entity page's array work (synthetic) and whole pages (demo index)."""
    min_count = setting("related_min_count")
    synthetic(docs, entity_docs, repeats, min_count)
    if index:
        demo(index, repeats, min_count)


if __name__ == "__main__":
    main()
