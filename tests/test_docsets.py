"""Sorted document-number sets (``indexer.search.docsets``) against Python's sets, on both of
their paths (binary searches for a few numbers, flag arrays for many)."""

import random

import numpy as np
import pytest

from indexer.search import docsets


def sorted_set(rng: random.Random, size: int, top: int, low: int = 0) -> np.ndarray:
    return np.array(sorted(rng.sample(range(low, top), size)), dtype=np.int64)


SIZES = [(0, 5), (5, 0), (3, 5000), (5000, 3), (800, 900), (4000, 4000), (1, 1)]


@pytest.mark.parametrize("sizes", SIZES, ids=str)
@pytest.mark.parametrize("low", [0, -40], ids=["documents", "with-negative-keys"])
def test_member_and_common_as_sets(sizes, low):
    rng = random.Random(hash(sizes) + low)
    a, b = (sorted_set(rng, size, 10_000, low) for size in sizes)
    assert docsets.member(a, b).tolist() == [x in set(a.tolist()) for x in b.tolist()]
    in_a, in_b = docsets.common(a, b)
    both = sorted(set(a.tolist()) & set(b.tolist()))
    assert a[in_a].tolist() == both and b[in_b].tolist() == both


def test_a_lookup_gives_zero_where_absent():
    ids, values = np.array([2, 5, 9]), np.array([0.5, 1.5, 2.5])
    found, looked_up = docsets.Lookup(np.array([1, 2, 9, 10]), 11).found(ids, values)
    assert looked_up.tolist() == [0.0, 0.5, 2.5, 0.0] and found.tolist() == [False, True, True, False]
    assert docsets.Lookup(np.array([1]), 11).values(ids[:0], values[:0]).tolist() == [0.0]


def test_a_lookup_gives_each_sets_values_at_the_wanted_documents_on_both_paths():
    """Sets far larger than the wanted documents are searched, the others read against flags
    made once: either way each wanted document gets its value in the set, 0 where absent."""
    rng = random.Random(5)
    wanted = sorted_set(rng, 30, 10_000)
    lookup = docsets.Lookup(wanted, 10_000)
    for size in [0, 1, 40, 300, 2000, 9000]:  # 2000 and 9000: searched; the others against the flags
        ids = sorted_set(rng, size, 10_000)
        values = np.arange(1, size + 1, dtype=float)
        expected = dict(zip(ids.tolist(), values.tolist()))
        assert lookup.values(ids, values).tolist() == [expected.get(d, 0.0) for d in wanted.tolist()]
    assert docsets.Lookup(wanted[:0], 10_000).values(ids, values).tolist() == []


def test_merged_sums_in_the_parts_order_or_takes_the_maximum():
    parts = [(np.array([1, 4, 7]), np.array([0.1, 0.2, 0.3])), (np.array([4, 8]), np.array([1.0, 2.0])),
             (np.array([1, 8]), np.array([0.7, -5.0]))]
    ids, sums = docsets.merged(parts)
    assert ids.tolist() == [1, 4, 7, 8]
    assert sums.tolist() == [0.1 + 0.7, 0.2 + 1.0, 0.3, 2.0 + -5.0]
    ids, maxima = docsets.merged(parts, max_of=True)
    assert maxima.tolist() == [0.7, 1.0, 0.3, 2.0]
    assert docsets.merged([])[0].tolist() == []
    assert docsets.merged([(np.array([3]), np.array([-1.0]))], max_of=True)[1].tolist() == [0.0]  # at least 0


@pytest.mark.parametrize("wanted", [[0], [1, 3], [0, 1, 2, 3, 4, 5, 6], [9], []], ids=str)
def test_of_documents_keeps_the_keys_of_those_documents(wanted):
    keys = np.array(sorted((doc << 32) | pos for doc in range(7) for pos in range(doc % 3 + 1)), dtype=np.int64)
    docs = np.array(wanted, dtype=np.int64)
    expected = [k for k in keys.tolist() if k >> 32 in set(wanted)]
    assert docsets.of_documents(keys, docs).tolist() == expected
    few = keys[keys >> 32 >= 5]  # few keys, many documents: the flag path
    assert docsets.of_documents(few, docs).tolist() == [k for k in few.tolist() if k >> 32 in set(wanted)]
