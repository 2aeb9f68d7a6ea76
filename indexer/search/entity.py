"""The entity page: one facet value among the documents a request selects.

    page = service.entity("person", "Wladimir Putin", SearchRequest(query="Sanktionen", date_from=...))

The request narrows the scope as on the search page (query, filters, dates). Within it:
the documents that have the value, their timeline (years with gaps; months when the dates
lie within one year; like the search page, the timeline ignores the date range so the other
years stay visible), the values of every facet that appear with it more often than chance
(``indexer.search.related``) and the top hits. Everything is counted on the snapshot's
facet arrays. A name is compared by the folding key (``wladimir putin`` is ``Wladimir
Putin``); an unknown one raises ``EntityNotFound`` with the closest values of its facet.

The steps of a search (match, filters, ranking) are the service's; the service imports this
module when it first answers an entity request.
"""

from __future__ import annotations

import numpy as np

from indexer.errors import EntityNotFound
from indexer.facets import FACET_NAMES, LABELS, FacetSpec, by_name, by_param
from indexer.index.columns import FacetStore
from indexer.search import service as steps
from indexer.search.facets import month_facet, undated_among, without, year_facet
from indexer.search.ranking import RankingConfig
from indexer.search.related import closest, related
from indexer.search.results import EntityPage, Facet, RelatedFacet, SearchRequest
from indexer.search.snapshot import Lease
from indexer.text.folding import fold

RELATED_LIMIT = 10  # related values per facet


def facet_spec(facet: str) -> FacetSpec:
    """``person``, ``country``, ``organisation`` (also a URL parameter: ``org``); ``EntityNotFound`` else."""
    for lookup in (by_name, by_param):
        try:
            return lookup(facet)
        except KeyError:
            pass
    raise EntityNotFound(f"Unbekannte Facette {facet[:40]!r}.", f"Möglich: {', '.join(FACET_NAMES)}.")


def entity_ordinals(store: FacetStore, spec: FacetSpec, value: str) -> list[int]:
    """The ordinals of the values that fold like ``value`` (or of the one value that has all its
    words: ``putin`` -> Wladimir Putin, when no other value has them); ``EntityNotFound`` with
    the closest values otherwise."""
    field = store.fields[spec.field]
    key = fold(value)
    ordinals = field.by_key().get(key) or unique(field, field.with_words(set(key.split()))) if key else None
    if ordinals:
        return sorted(ordinals, key=lambda o: -np.count_nonzero(field.ords == o))  # most frequent spelling first
    suggestions = closest(field, value)
    hint = f"Meinten Sie: {' · '.join(suggestions)}?" if suggestions else EntityNotFound.hint
    raise EntityNotFound(f"{spec.singular} {value.strip()[:80]!r} kommt im Index nicht vor.", hint, spec.name,
                         tuple(suggestions))


def unique(field, ordinals: list[int]) -> list[int]:
    """``ordinals`` when they are spellings of one value (one folding key), else none."""
    return ordinals if len({fold(field.values[o]) for o in ordinals}) == 1 else []


def entity_page(lease: Lease, request: SearchRequest, node, facet: str, value: str, config: RankingConfig,
                min_count: int) -> EntityPage:
    spec = facet_spec(facet)
    store = lease.facets
    ordinals = entity_ordinals(store, spec, value)
    stored = store.fields[spec.field].values[ordinals[0]]
    found = steps.match(lease, node, config)
    filters = steps.filter_masks(store, request)
    has_it = store.fields[spec.field].mask_of(ordinals, store.size)
    scope = np.logical_and.reduce([found.mask, *filters.values()])  # query, filters and dates
    mentioned = scope & has_it
    numbers = np.flatnonzero(mentioned)
    total = len(numbers)
    mentions = steps.entity_mentions(lease, found.compiled, {**request.filters, spec.name: (stored,)})
    hits = steps.rank(lease, request, node, found.compiled, numbers, found.scores[numbers], config, mentions)
    return EntityPage(
        request=request, facet_name=spec.name, value=stored, total=total, scope=int(np.count_nonzero(scope)),
        undated=undated_among(store, numbers),
        facets=timeline(store, without(filters, "date", found.mask) & has_it, request),
        related=[related_facet(store, name, scope, mentioned, min_count, ordinals if name == spec.name else [])
                 for name in FACET_NAMES],
        hits=hits, min_count=min_count,
    )


def related_facet(store: FacetStore, name: str, scope: np.ndarray, mentioned: np.ndarray, min_count: int,
                  exclude: list[int]) -> RelatedFacet:
    values = related(store.fields[name], scope, mentioned, min_count, RELATED_LIMIT, exclude)
    return RelatedFacet(name, LABELS[name], values)


def timeline(store: FacetStore, mask: np.ndarray, request: SearchRequest) -> list[Facet]:
    """The year facet (every year from the first to the last, gaps as 0) and, within one year, months."""
    years, _ = store.year_counts(mask)
    month = month_facet(store, mask, request)
    return [year_facet(years, request)] + ([month] if month is not None else [])
