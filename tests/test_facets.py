"""The numpy facet store: cached arrays equal freshly computed ones; counts follow the index."""

import datetime as dt

import numpy as np
import pytest

from indexer.index import store
from indexer.index.columns import CACHE_PREFIX, YEAR, FacetStore
from indexer.search.facets import undated_among


def computed_and_cached(index_dir):
    ix = store.open_index(index_dir)
    generation = store.current_generation(index_dir)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        return FacetStore.from_reader(reader), FacetStore.cached(reader, generation, reader.generation()), generation


def test_cache_round_trip(index_dir):
    fresh, cached, generation = computed_and_cached(index_dir)
    assert list(generation.glob(f"{CACHE_PREFIX}*.npz"))
    assert np.array_equal(fresh.alive, cached.alive) and np.array_equal(fresh.days, cached.days)
    for name, facet in fresh.fields.items():
        assert facet.values == cached.fields[name].values
        assert np.array_equal(facet.counts(fresh.alive), cached.fields[name].counts(cached.alive))


def test_year_and_month_counts(index_dir):
    fresh, _, _ = computed_and_cached(index_dir)
    years, undated = fresh.year_counts(fresh.alive)
    assert years == {2023: 2, 2024: 2, 2025: 1} and undated == 2
    assert fresh.month_counts(fresh.alive, 2024) == {6: 1, 10: 1}


def test_date_mask_excludes_undated(index_dir):
    fresh, _, _ = computed_and_cached(index_dir)
    assert int(fresh.date_mask(None, dt.date(2100, 1, 1)).sum()) == 5


def test_unreadable_cache_is_recomputed(tmp_path, index_dir):
    fresh, _, generation = computed_and_cached(index_dir)
    broken = tmp_path / f"{CACHE_PREFIX}1.npz"
    broken.write_bytes(b"not numpy")
    ix = store.open_index(index_dir)
    with ix.searcher() as searcher:
        again = FacetStore.cached(searcher.reader(), tmp_path, 1)
    assert again.fields["country"].values == fresh.fields["country"].values


def test_values_resolve_exactly_or_by_all_their_words():
    import numpy as np

    from indexer.index.ordinals import FieldOrdinals
    from indexer.text.folding import fold as key

    values = ["Hans-Dietrich Genscher", "Olaf Scholz", "Wladimir Putin", "Putin Wladimirowitsch"]
    lookup = {}
    for ordinal, value in enumerate(values):
        lookup.setdefault(key(value), []).append(ordinal)
    docs = np.arange(4, dtype=np.int32)
    store = FacetStore(4, np.ones(4, dtype=bool), {"person": FieldOrdinals(values, docs, docs.copy(), lookup)},
                       np.zeros(4, dtype=np.int32))
    assert store.resolve("person", "olaf scholz") == ["Olaf Scholz"]
    assert store.resolve("person", "Putin") == ["Wladimir Putin", "Putin Wladimirowitsch"]
    assert store.resolve("person", "Wladimir Putin") == ["Wladimir Putin"]
    assert store.resolve("person", "Genscher") == ["Hans-Dietrich Genscher"]
    assert store.resolve("person", "Putin Scholz") == []
    assert store.resolve("person", "   ") == []


@pytest.mark.parametrize("single", [False, True])
@pytest.mark.parametrize("hits", [0, 1, 7, 60, 400, 1249, 1250, 3000, 3751, 4500, 5000])
def test_fast_facet_counts_equal_plain_counts(hits, single):
    """Every way of counting gives the plain count: fewer hits than a quarter of the documents
    count their own entries, more than three quarters subtract the others' counts from the
    totals, the rest weigh every entry; a field with one value per document (``single``)
    looks each hit's value up. With or without the hits' numbers given; documents without
    entries count nothing. A filter's mask (values in value order) equals a pass over all entries."""
    from indexer.index import ordinals

    rng = np.random.default_rng(hits)
    size, terms = 5000, [f"Wert {i}" for i in range(300)]
    docs = rng.choice(size, 4000, replace=False) if single else rng.integers(0, size, 20000)
    facet = ordinals.merged(terms, docs, rng.integers(0, len(terms), len(docs)))
    assert (facet.layout(size).value_of is not None) == single
    mask = np.zeros(size, dtype=bool)
    mask[rng.choice(size, hits, replace=False)] = True
    plain = np.bincount(facet.ords[mask[facet.docs]], minlength=len(facet.values))
    assert facet.counts(mask).tolist() == plain.tolist()
    assert facet.counts(mask, np.flatnonzero(mask)).tolist() == plain.tolist()
    assert facet.counted(size, None, np.flatnonzero(mask)).tolist() == plain.tolist()  # the mask made when needed
    chosen = sorted(rng.choice(len(facet.values), 3, replace=False).tolist())  # a filter: documents with any
    expected = np.zeros(size, dtype=bool)
    expected[facet.docs[np.isin(facet.ords, chosen)]] = True
    assert np.array_equal(facet.mask_of(chosen, size), expected) and expected.any()


@pytest.mark.parametrize("hits", [0, 1, 60, 1249, 1250, 4999])
def test_facets_counted_together_equal_each_counted_alone(hits):
    """``FacetStore.counts`` of several fields over few hits reads their entries together
    (``JointLayout``: multi-valued and one-value fields, documents without entries, a field
    with no entries at all, the years); each field's counts equal its own count, for any
    subset of the fields, with the hits as numbers or as a mask; many hits are counted field
    by field. The years counted so equal each hit's year looked up, undated ones included."""
    from indexer.index import ordinals

    rng = np.random.default_rng(hits)
    size = 5000
    fields = {
        "person": ordinals.merged([f"P {i}" for i in range(400)], rng.integers(0, size, 9000), rng.integers(0, 400, 9000)),
        "country": ordinals.merged([f"L {i}" for i in range(30)], rng.integers(0, size, 3000), rng.integers(0, 30, 3000)),
        "organisation": ordinals.merged([], np.zeros(0, dtype=int), np.zeros(0, dtype=int)),
        "speaker": ordinals.merged([f"S {i}" for i in range(50)], rng.choice(size, 1500, replace=False),
                                   rng.integers(0, 50, 1500)),
        "party": ordinals.merged(["SPD", "CDU"], rng.choice(size, 800, replace=False), rng.integers(0, 2, 800)),
        "source": ordinals.merged(["A", "B", "C"], np.arange(size), rng.integers(0, 3, size)),
    }
    days = rng.integers(dt.date(2019, 1, 1).toordinal(), dt.date(2024, 12, 31).toordinal(), size)
    days[rng.random(size) < 0.1] = 0  # undated
    facets = FacetStore(size, np.ones(size, dtype=bool), fields, days)
    numbers = np.sort(rng.choice(size, hits, replace=False))
    mask = np.zeros(size, dtype=bool)
    mask[numbers] = True
    for names in (tuple(fields) + (YEAR,), ("country", "party"), ("source", YEAR, "person", "organisation")):
        together = facets.counts(names, None, numbers)
        assert list(together) == list(names)
        for name in names:
            alone = facets.field(name).counted(size, mask, numbers)
            assert together[name].tolist() == alone.tolist()
            assert facets.counts(names, mask)[name].tolist() == alone.tolist()
    assert facets.joint().names == tuple(fields) + (YEAR,)
    years = [dt.date.fromordinal(day).year for day in days[numbers] if day]
    counted = facets.counts(("person", YEAR), None, numbers)[YEAR]
    assert facets.year_counts(None, counts=counted) == ({y: years.count(y) for y in set(years)}, hits - len(years))
    assert undated_among(facets, numbers) == hits - len(years)


@pytest.mark.parametrize("limit", [0, 1, 3, 10, 500])
def test_top_values_go_by_count_then_by_value(limit):
    """Many ties (few hits, many values): the top is the most frequent values, ties in
    alphabetical order, exactly as a full sort gives them; the total counts every value."""
    from indexer.index import ordinals

    rng = np.random.default_rng(limit)
    size, terms = 400, [f"Name {chr(65 + i % 26)}{i}" for i in range(120)]
    docs = rng.integers(0, size, 900)
    facet = ordinals.merged(terms, docs, rng.integers(0, len(terms), 900))
    store = FacetStore(size, np.ones(size, dtype=bool), {"person": facet}, np.zeros(size, dtype=np.int64))
    mask = rng.random(size) < 0.2
    counts = np.bincount(facet.ords[mask[facet.docs]], minlength=len(facet.values))
    expected = sorted(((facet.values[o], int(c)) for o, c in enumerate(counts) if c), key=lambda vc: (-vc[1], vc[0]))
    top, total = store.top_values("person", facet.counts(mask), limit)
    assert top == expected[:limit] and total == len(expected)
    assert store.top_values("person", facet.counts(np.zeros(size, dtype=bool)), limit) == ([], 0)


def test_date_masks_and_months_equal_a_comparison_of_every_day():
    """Narrow ranges are marked from the days in order, wide ones compared day by day: both
    equal the plain comparison, undated documents (day 0) never in, and so does a range read
    at some documents only (``dated_within``); months from the hits' numbers equal months
    from the mask."""
    from indexer.index import columns

    rng = np.random.default_rng(7)
    size = 3000
    days = rng.integers(dt.date(2015, 1, 1).toordinal(), dt.date(2025, 12, 31).toordinal(), size)
    days[rng.random(size) < 0.1] = columns.NO_DAY
    store = FacetStore(size, np.ones(size, dtype=bool), {}, days)
    for start, end in [(dt.date(2020, 3, 1), dt.date(2020, 3, 31)), (dt.date(2019, 1, 1), dt.date(2019, 12, 31)),
                       (None, dt.date(2016, 6, 30)), (dt.date(2018, 1, 1), None), (None, None),
                       (dt.date(2030, 1, 1), None), (dt.date(2020, 5, 5), dt.date(2020, 5, 5))]:
        low = start.toordinal() if start else 1
        high = end.toordinal() if end else columns.MISSING_COLUMN_VALUE - 1
        assert np.array_equal(store.date_mask(start, end), (days >= low) & (days <= high)), (start, end)
        numbers = np.flatnonzero(rng.random(size) < 0.4)
        assert np.array_equal(store.dated_within(numbers, start, end), store.date_mask(start, end)[numbers])
    mask = rng.random(size) < 0.3
    assert store.month_counts(mask, 2021, np.flatnonzero(mask)) == store.month_counts(mask, 2021) != {}
    assert store.month_counts(None, 2021, np.flatnonzero(mask)) == store.month_counts(mask, 2021)


@pytest.mark.parametrize("filters", [0, 1, 2, 3])
def test_scopes_equal_the_query_narrowed_by_the_other_filters(filters):
    """The hits are the query's documents that pass every filter, with their scores; each
    facet's scope those that pass every filter but its own; the query's mask is offered for a
    scope only when no other filter narrows it."""
    from indexer.search.facets import Scopes

    rng = np.random.default_rng(filters)
    size = 2000
    mask = rng.random(size) < 0.3
    numbers = np.flatnonzero(mask)
    scores = rng.random(len(numbers))
    masks = {name: rng.random(size) < 0.5 for name in ["person", "country", "date"][:filters]}
    scopes = Scopes(numbers, scores, {name: m[numbers] for name, m in masks.items()}, mask)

    def narrowed(skip):
        return np.flatnonzero(np.logical_and.reduce([mask, *(m for n, m in masks.items() if n != skip)]))

    hits, hit_scores = scopes.hits()
    assert hits.tolist() == narrowed(None).tolist()
    assert hit_scores.tolist() == scores[np.isin(numbers, hits)].tolist()
    for name in ["person", "country", "date", "source"]:
        assert scopes.without(name).tolist() == narrowed(name).tolist()
        assert (scopes.mask_without(name) is mask) == (not set(masks) - {name})
