"""Facet counts as plain data for a page: person, country, organisation, year, month.

Each facet is counted over the documents matching the query and every active filter
except its own (disjunctive facets).
"""

from __future__ import annotations

import numpy as np

from indexer.facets import FACET_NAMES, LABELS, month_name
from indexer.index.columns import FacetStore
from indexer.search.results import Facet, FacetValue, SearchRequest
from indexer.text.folding import fold


def without(filters: dict[str, np.ndarray], name: str, base: np.ndarray) -> np.ndarray:
    """``base`` narrowed by every filter except ``name``."""
    mask = base.copy()
    for other, other_mask in filters.items():
        if other != name:
            mask &= other_mask
    return mask


def build_facets(store: FacetStore, request: SearchRequest, base: np.ndarray,
                 filters: dict[str, np.ndarray]) -> list[Facet]:
    """Entity facets, the year histogram and (within one year) months."""
    if not request.with_facets:
        return []
    facets = [entity_facet(store, name, request, without(filters, name, base)) for name in FACET_NAMES]
    date_mask = without(filters, "date", base)
    years, _ = store.year_counts(date_mask)
    facets.append(year_facet(years, request))
    month = month_facet(store, date_mask, request)
    if month is not None:
        facets.append(month)
    return facets


def entity_facet(store: FacetStore, name: str, request: SearchRequest, mask: np.ndarray) -> Facet:
    """Top values; a value is selected when it folds like a selected one (``russland`` ~ ``Russland``)."""
    selected = {fold(value): value for value in request.filters.get(name, ())}
    top, total = store.top_values(name, mask, request.facet_limit)
    values = [FacetValue(v, v, c, fold(v) in selected) for v, c in top]
    shown = {fold(v.value) for v in values}
    for value in sorted(v for k, v in selected.items() if k not in shown):  # a selected value always shows
        ordinals = store.resolve_ordinals(name, value)
        count = int(store.fields[name].counts(mask)[ordinals].sum()) if ordinals else 0
        values.append(FacetValue(value, value, count, True))
    return Facet(name=name, label=LABELS[name], values=values, total_values=total)


def year_facet(years: dict[int, int], request: SearchRequest) -> Facet:
    start, end = request.date_from, request.date_to
    values = [
        FacetValue(str(year), str(year), count,
                   bool(start and end and start.year == year == end.year and (start.month, start.day) == (1, 1)
                        and (end.month, end.day) == (12, 31)))
        for year, count in sorted(years.items())
    ]
    return Facet(name="year", label=LABELS["year"], values=values, total_values=len(values))


def month_facet(store: FacetStore, mask: np.ndarray, request: SearchRequest) -> Facet | None:
    """Months of the selected year, when the date range lies within one year."""
    start, end = request.date_from, request.date_to
    if not (start and end and start.year == end.year):
        return None
    counts = store.month_counts(mask, start.year)
    one_month = start.month == end.month and start.day == 1
    values = [FacetValue(f"{start.year}-{m:02d}", month_name(m), c, one_month and m == start.month)
              for m, c in counts.items()]
    return Facet(name="month", label=f"{LABELS['month']} {start.year}", values=values, total_values=len(values))
