"""Facet counts as plain data for a page: the entity and metadata facets, year, month.

Each facet is counted over the documents matching the query and every active filter
except its own (disjunctive facets). A facet's filter box (``SearchRequest.facet_find``)
searches all of its values, not only the top ones. The timeline keeps its gaps: every
year from the first to the last with documents, every month from the first to the last
of a year, empty ones with count 0 (so the API shows them as the page does).
"""

from __future__ import annotations

import numpy as np

from indexer.facets import FACET_NAMES, LABELS, month_name
from indexer.index.columns import YEAR, FacetStore
from indexer.search.docsets import places
from indexer.search.results import Facet, FacetValue, SearchRequest
from indexer.text.folding import fold

MAX_YEAR_SPAN = 100  # years from the first to the last up to which gaps are filled in
OWN_FILTER = {YEAR: "date"}  # a count whose own filter is not named like it: the years, by the date range


def own_filter(name: str) -> str:
    """The filter a facet's counts leave out (disjunctive facets): its own."""
    return OWN_FILTER.get(name, name)


def undated_among(store: FacetStore, numbers: np.ndarray) -> int:
    """How many of the documents ``numbers`` (ascending) have no date: the undated documents
    (usually few) and the numbers, the fewer searched among the others, not each number's
    date looked up in an array of the archive's size."""
    few, many = sorted((store.undated(), numbers), key=len)
    return int(np.count_nonzero(places(many, few)[0]))


def without(filters: dict[str, np.ndarray], name: str | None, base: np.ndarray) -> np.ndarray:
    """``base`` narrowed by every filter except ``name``."""
    mask = base.copy()
    for other, other_mask in filters.items():
        if other != name:
            mask &= other_mask
    return mask


def filter_masks(store: FacetStore, request: SearchRequest) -> dict[str, np.ndarray]:
    """One mask over the index per active filter: ``{"country": Russland or Ukraine, "date": 2024}``."""
    masks = {name: store.filter_mask(name, values) for name, values in request.filters.items() if values}
    if request.date_from or request.date_to:
        masks["date"] = store.date_mask(request.date_from, request.date_to)
    return masks


def filter_flags(store: FacetStore, request: SearchRequest, numbers: np.ndarray) -> dict[str, np.ndarray]:
    """Per active filter, whether each of the documents ``numbers`` passes it: a date range
    reads only their days (a mask of a year at 300k documents compares every day: 0.2 to
    0.8 ms), a facet filter its values' documents."""
    flags = {name: store.filter_mask(name, values)[numbers] for name, values in request.filters.items() if values}
    if request.date_from or request.date_to:
        flags["date"] = store.dated_within(numbers, request.date_from, request.date_to)
    return flags


class Scopes:
    """The query's documents narrowed by the active filters: by all of them (the hits, with
    their scores), or by all but one (what that filter's facet counts over), as document
    numbers. Each filter is read once at the query's documents (``flags``, one per number);
    a scope combines those, so no scope makes a pass over the whole index."""

    def __init__(self, numbers: np.ndarray, scores: np.ndarray, flags: dict[str, np.ndarray],
                 mask: np.ndarray | None = None):
        self.numbers, self.scores, self.flags = numbers, scores, flags
        self.mask = mask  # of all the numbers, if the query's evaluation made one
        self.made: dict[frozenset, np.ndarray | None] = {}  # applied filters -> which numbers pass (None: all)

    def hits(self) -> tuple[np.ndarray, np.ndarray]:
        """The documents of every filter and their scores."""
        chosen = self.chosen(frozenset(self.flags))
        return (self.numbers, self.scores) if chosen is None else (self.numbers[chosen], self.scores[chosen])

    def without(self, name: str | None) -> np.ndarray:
        """The documents of every filter but ``name``."""
        chosen = self.chosen(frozenset(self.flags) - {name})
        return self.numbers if chosen is None else self.numbers[chosen]

    def mask_without(self, name: str | None) -> np.ndarray | None:
        """The mask of ``without(name)`` when it is at hand (no other filter is active)."""
        return self.mask if not set(self.flags) - {name} else None

    def groups(self, names: tuple[str, ...]) -> list[tuple[str, ...]]:
        """``names`` grouped by the documents their facets count over (``without`` each
        one's own filter): all together without filters, a filtered facet apart from the others."""
        grouped: dict[frozenset, list[str]] = {}
        for name in names:
            grouped.setdefault(frozenset(self.flags) - {own_filter(name)}, []).append(name)
        return [tuple(group) for group in grouped.values()]

    def chosen(self, applied: frozenset) -> np.ndarray | None:
        if applied and applied not in self.made:
            self.made[applied] = np.logical_and.reduce([self.flags[name] for name in applied])
        return self.made.get(applied)


def build_facets(store: FacetStore, request: SearchRequest, scopes: Scopes) -> list[Facet]:
    """Value facets (entities and metadata), the year histogram and (within one year) months,
    each counted over the query's documents narrowed by every filter but its own."""
    if not request.with_facets:
        return []
    counts: dict[str, np.ndarray] = {}
    for names in scopes.groups(FACET_NAMES + (YEAR,)):  # facets over the same documents are counted together
        own = own_filter(names[0])
        counts.update(store.counts(names, scopes.mask_without(own), scopes.without(own)))
    facets = [value_facet(store, name, request, counts=counts[name]) for name in FACET_NAMES]
    years, _ = store.year_counts(None, counts=counts[YEAR])
    facets.append(year_facet(years, request))
    month = month_facet(store, None, request, scopes.without("date"))
    if month is not None:
        facets.append(month)
    return facets


def value_facet(store: FacetStore, name: str, request: SearchRequest, mask: np.ndarray | None = None,
                hits: np.ndarray | None = None, counts: np.ndarray | None = None) -> Facet:
    """Top values (of those matching the filter box, if any) among the documents ``mask`` or
    ``hits`` (their numbers; one or both), or by ``counts`` (documents per value) when
    counted already; a value is selected when it folds like a selected one (``russland`` ~
    ``Russland``)."""
    selected = {fold(value): value for value in request.filters.get(name, ())}
    find = request.facet_find.get(name, "").strip()
    among = store.find_ordinals(name, find) if find else None
    if counts is None:
        counts = store.fields[name].counted(store.size, mask, hits)
    top, total = store.top_values(name, counts, request.facet_limit, among)
    values = [FacetValue(v, v, c, fold(v) in selected) for v, c in top]
    shown = {fold(v.value) for v in values}
    for value in sorted(v for k, v in selected.items() if k not in shown):  # a selected value always shows
        ordinals = store.resolve_ordinals(name, value)
        count = int(counts[ordinals].sum()) if ordinals else 0
        values.append(FacetValue(value, value, count, True))
    return Facet(name=name, label=LABELS[name], values=values, total_values=total)


def year_facet(years: dict[int, int], request: SearchRequest) -> Facet:
    """Every year from the first to the last with documents (or the selected one), gaps as 0."""
    start, end = request.date_from, request.date_to
    chosen = start.year if start and end and start.year == end.year and (start.month, start.day) == (1, 1) \
        and (end.month, end.day) == (12, 31) else None
    values = [FacetValue(str(year), str(year), years.get(year, 0), year == chosen)
              for year in with_gaps(set(years) | ({chosen} if chosen else set()), MAX_YEAR_SPAN)]
    return Facet(name="year", label=LABELS["year"], values=values, total_values=len(years))


def month_facet(store: FacetStore, mask: np.ndarray | None, request: SearchRequest,
                hits: np.ndarray | None = None) -> Facet | None:
    """Months of the selected year among the documents ``mask`` or ``hits`` (their numbers),
    when the date range lies within one year."""
    start, end = request.date_from, request.date_to
    if not (start and end and start.year == end.year):
        return None
    counts = store.month_counts(mask, start.year, hits)
    chosen = start.month if start.month == end.month and start.day == 1 else None
    values = [FacetValue(f"{start.year}-{m:02d}", month_name(m), counts.get(m, 0), m == chosen)
              for m in with_gaps(set(counts) | ({chosen} if chosen else set()), 12)]
    return Facet(name="month", label=f"{LABELS['month']} {start.year}", values=values, total_values=len(counts))


def with_gaps(present: set[int], max_span: int) -> list[int]:
    """``{2019, 2022}`` -> ``[2019, 2020, 2021, 2022]``: first to last, the gaps filled in; only
    ``present`` when the span is wider than ``max_span`` (a stray date such as 0001 would
    otherwise fill the timeline with centuries of empty bars)."""
    if not present:
        return []
    first, last = min(present), max(present)
    return list(range(first, last + 1)) if last - first < max_span else sorted(present)
