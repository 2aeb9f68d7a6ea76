"""The vectorised evaluator equals Whoosh: same matching documents, same BM25F scores."""

import datetime as dt

import numpy as np
import pytest
from whoosh import query as wq

from indexer.index import postfiles, store
from indexer.index.columns import alive_mask, day_array, field_lengths
from indexer.search import ranking
from indexer.search.evaluator import Evaluator

QUERIES = [
    wq.Term("body", "soldat"),
    wq.Term("title", "nordkorea", boost=0.5),
    wq.Term("exact", "nordkorea"),
    wq.Or([wq.Term("body", "korea"), wq.Term("body", "mali"), wq.Term("title", "bundeswehr")]),
    wq.Or([wq.Term("exact", "nordkorea", boost=0.5), wq.Term("body", "korea"), wq.Term("body", "soldat")], boost=1.5),
    wq.And([wq.Term("body", "soldat"), wq.Term("body", "nordkorea")]),
    wq.And([wq.Term("body", "soldat"), wq.Not(wq.Term("body", "nordkorea"))]),
    wq.AndMaybe(wq.Term("body", "soldat"), wq.Term("exact", "soldaten", boost=0.15)),
    wq.AndMaybe(wq.DisjunctionMax([wq.Term("body", "soldat"), wq.Term("title", "soldat", boost=0.5)]),
                wq.Or([wq.Term("body", "nordkorea", boost=0.5), wq.Term("exact", "soldaten", boost=0.15)], boost=2.0)),
    wq.AndMaybe(wq.Term("body", "korea"), wq.Or([wq.Term("body", "soldat"), wq.Phrase("body", ["russisch", "soldat"])])),
    wq.AndNot(wq.Term("body", "korea"), wq.Term("body", "kursk")),
    wq.Phrase("body", ["russisch", "soldat"]),
    wq.Or([wq.Phrase("body", ["russisch", "soldat"]), wq.Term("body", "mali")], boost=2.0),
    wq.Term("body", "gibtesnicht"),
    wq.Or([wq.Term("country", "Russland"), wq.Term("body", "mali")]),
]


def days(start, end, boost=1.0):
    """A date range as the query compiler makes it (whole days), answered from the day column."""
    return wq.DateRange("date", dt.datetime.combine(start, dt.time.min) if start else None,
                        dt.datetime.combine(end, dt.time.max) if end else None, boost=boost)


DATE_QUERIES = [
    days(dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    days(dt.date(2023, 3, 1), dt.date(2025, 2, 28), boost=2.0),
    days(None, dt.date(2024, 6, 30)),
    days(dt.date(2024, 7, 1), None),
    days(dt.date(1990, 1, 1), dt.date(1990, 1, 1)),
    wq.And([wq.Term("body", "soldat"), days(dt.date(2022, 1, 1), dt.date(2026, 12, 31))]),
    wq.Or([wq.Term("body", "mali"), days(dt.date(2024, 1, 1), dt.date(2024, 12, 31))]),
]
QUERIES += DATE_QUERIES

# sparse and dense clauses mixed: phrases and terms are sparse, date ranges dense
RUSSIAN_SOLDIERS = wq.Phrase("body", ["russisch", "soldat"])
QUERIES += [
    wq.And([RUSSIAN_SOLDIERS, days(dt.date(2022, 1, 1), dt.date(2026, 12, 31))]),
    wq.AndNot(wq.Term("body", "soldat"), days(dt.date(2024, 1, 1), None)),
    wq.AndMaybe(days(dt.date(2024, 1, 1), None), RUSSIAN_SOLDIERS),
    wq.AndMaybe(wq.Term("body", "soldat"), days(dt.date(2024, 1, 1), None, boost=2.0)),
    wq.AndMaybe(wq.Term("body", "soldat"), wq.Or([RUSSIAN_SOLDIERS, wq.Term("title", "korea")])),
    wq.DisjunctionMax([RUSSIAN_SOLDIERS, wq.Term("title", "soldat", boost=0.5)], boost=1.5),
    wq.And([wq.Or([wq.Term("body", "korea"), wq.Term("body", "soldat")]), wq.Not(RUSSIAN_SOLDIERS)]),
    wq.Or([wq.And([wq.Term("body", "soldat"), wq.Term("body", "korea")]),
           wq.AndNot(wq.Term("body", "mali"), wq.Term("body", "bundeswehr"))], boost=0.7),
    wq.And([wq.Term("body", "soldat"), wq.Not(days(dt.date(2024, 1, 1), None)), wq.Not(wq.Term("body", "korea"))]),
    # conjunctions of three and four parts, the rarest not first; optional term unions
    wq.And([wq.Term("body", "soldat"), wq.DisjunctionMax([wq.Term("body", "korea"), wq.Term("title", "korea", boost=0.5)]),
            wq.Or([wq.Term("body", "nordkorea"), wq.Term("body", "mali")], boost=1.3),
            days(dt.date(2020, 1, 1), dt.date(2026, 12, 31))]),
    wq.And([days(dt.date(2020, 1, 1), None), wq.Term("body", "soldat"), RUSSIAN_SOLDIERS]),
    wq.And([wq.Or([wq.Term("body", "korea"), wq.Term("title", "soldat")]), wq.Term("body", "russisch"),
            wq.Term("body", "soldat")], boost=0.8),
    wq.AndMaybe(wq.DisjunctionMax([wq.Term("body", "soldat"), wq.Term("title", "soldat", boost=0.5)]),
                wq.DisjunctionMax([wq.Term("body", "korea"), wq.Term("title", "korea", boost=0.5)], boost=0.3)),
    wq.AndMaybe(days(dt.date(2022, 1, 1), None), wq.Or([wq.Term("body", "soldat"), wq.Term("exact", "soldaten")])),
    # conjunctions of unions, of a union with a phrase, a negated union, a word no document has
    wq.And([wq.DisjunctionMax([wq.Term("body", "soldat"), wq.Term("title", "soldat", boost=0.5)]),
            wq.DisjunctionMax([wq.Term("body", "nordkorea"), wq.Term("title", "nordkorea", boost=0.5)], boost=1.2)]),
    wq.And([wq.Term("body", "soldat"), wq.Not(wq.Or([wq.Term("body", "kursk"), wq.Term("title", "korea")]))]),
    wq.And([wq.Term("body", "mali"), wq.Or([RUSSIAN_SOLDIERS, wq.Term("body", "bundeswehr")])]),
    wq.And([wq.Or([wq.Term("body", "soldat"), wq.Or([wq.Term("body", "korea"), wq.Term("title", "mali")], boost=0.4)]),
            wq.Term("body", "russisch"), wq.Not(wq.DisjunctionMax([wq.Term("body", "kursk"), wq.Term("body", "gibtesnicht")]))]),
    wq.And([wq.Term("body", "gibtesnicht"), wq.Term("body", "soldat")]),
]


@pytest.fixture(scope="module")
def searcher(index_dir):
    ix = store.open_index(index_dir)
    with ix.searcher(weighting=ranking.weighting(ranking.DEFAULT)) as searcher:
        yield searcher


@pytest.fixture(scope="module", params=[(None, True), (0, True), (10**9, True), (None, False)],
                ids=["sparse-limit-default", "unions-dense", "all-sparse", "whoosh-blocks"])
def evaluator(searcher, index_dir, request):
    """The evaluator with its default choice between sparse and dense unions, and forced to each,
    reading the postings files the build wrote; and once from Whoosh's blocks alone."""
    sparse_limit, with_files = request.param
    reader = searcher.reader()
    alive = alive_mask(reader, reader.doc_count_all())
    files = postfiles.open_files(store.current_generation(index_dir), reader.segments()) if with_files else None
    assert files or not with_files
    return Evaluator(searcher, alive, field_lengths(reader, len(alive)), days=day_array(reader, len(alive)),
                     sparse_limit=sparse_limit, files=files)


@pytest.mark.parametrize("query", QUERIES, ids=str)
def test_same_documents_and_scores_as_whoosh(searcher, evaluator, query):
    reference = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
    matches = evaluator.evaluate(query)
    assert set(np.flatnonzero(matches.mask).tolist()) == set(reference)
    for docnum, score in reference.items():
        assert matches.scores[docnum] == pytest.approx(score, rel=1e-9)


def test_a_dense_clause_without_a_sparse_one(evaluator):
    """A date range without a term's documents. (Whoosh's own ``AndNot`` keeps the range's first
    document even when it has the term, so the reference here is the two parts.)"""
    since, korea = days(dt.date(2022, 1, 1), None, boost=2.0), wq.Term("body", "korea")
    matches = evaluator.evaluate(wq.AndNot(since, korea))
    expected = evaluator.evaluate(since).mask & ~evaluator.evaluate(korea).mask
    assert np.array_equal(matches.mask, expected) and expected.any() and not expected.all()
    assert np.array_equal(matches.scores, expected * 2.0)


def test_dismax_takes_each_documents_better_field(searcher, evaluator):
    """Per document the better of title and body counts (Whoosh's matcher may take another
    document's field score when the two sides stand on different documents)."""
    body, title = wq.Term("body", "korea"), wq.Term("title", "korea", boost=0.5)
    matches = evaluator.evaluate(wq.DisjunctionMax([body, title]))
    expected = np.maximum(evaluator.evaluate(body).scores, evaluator.evaluate(title).scores)
    assert np.allclose(matches.scores, expected)
    assert set(np.flatnonzero(matches.mask)) == {h.docnum for h in searcher.search(wq.Or([body, title]), limit=None)}


def test_blocks_read_as_whoosh_reads_them(searcher):
    """Document numbers and weights of every block of every term, as Whoosh's own reader
    decodes them (``blocks.block`` sums the deltas with numpy)."""
    from indexer.index.blocks import block

    reader, checked = searcher.reader(), 0
    for field, text in reader.all_terms():
        if field not in ("body", "title", "exact", "country"):
            continue
        ours, whoosh = reader.postings(field, text), reader.postings(field, text)
        while ours.is_active():
            ids, weights, values = block(ours)
            whoosh._read_ids(), whoosh._read_weights(), whoosh._read_values()
            assert ids.tolist() == list(whoosh._ids) and weights.tolist() == list(whoosh._weights)
            assert list(values) == list(whoosh._values)
            ours._next_block(), whoosh._next_block()
            checked += 1
    assert checked > 100


def test_matching_gives_the_matches_in_order_and_a_match_makes_their_arrays(evaluator):
    """``matching`` gives the matches' numbers in order and their scores, and the dense form
    only when the evaluation made one; a ``Match`` makes from them (or takes) the mask and the
    scores of the dense evaluation."""
    from indexer.search.compiler import Compiled
    from indexer.search.matchset import Match

    for query in QUERIES:
        ids, ranked, dense = evaluator.matching(query)
        expected = evaluator.evaluate(query)
        assert ids.tolist() == np.flatnonzero(expected.mask).tolist() and len(ranked) == len(ids)
        assert np.allclose(ranked, expected.scores[ids], rtol=1e-12, atol=0)
        made = Match(Compiled(query), ids, ranked, evaluator.size)
        given = Match(Compiled(query), ids, ranked, evaluator.size,
                      dense=(dense.mask, dense.scores) if dense is not None else None)
        for match in (made, given):
            assert np.array_equal(match.mask, expected.mask), query
            assert np.allclose(match.scores, expected.scores, rtol=1e-12, atol=0), query
        assert made.mask is made.mask  # made once


def test_a_conjunction_looks_a_large_union_up_at_the_rarer_clauses_documents(searcher, monkeypatch):
    """With every union past the sparse limit, ``soldat AND (korea OR nordkorea)`` in either
    order makes no array of the index's size: the rarer clause comes first, the union is
    looked up at its documents; the result equals the one through the dense union."""
    reader = searcher.reader()
    alive = alive_mask(reader, reader.doc_count_all())
    evaluator = Evaluator(searcher, alive, field_lengths(reader, len(alive)), sparse_limit=0)
    union = wq.DisjunctionMax([wq.Term("body", "korea"), wq.Term("body", "nordkorea", boost=0.5)], boost=1.5)
    dense, rare = evaluator.evaluate(union), evaluator.evaluate(wq.Term("body", "soldat"))
    assert evaluator.postings_of(wq.Term("body", "soldat"), 0) < evaluator.postings_of(union, 0)
    made = []
    monkeypatch.setattr(evaluator, "zeros", lambda: made.append(1))
    for query in (wq.And([wq.Term("body", "soldat"), union]), wq.And([union, wq.Term("body", "soldat")])):
        ids, scores, given = evaluator.matching(query)
        expected = np.flatnonzero(rare.mask & dense.mask)
        assert given is None and not made and len(ids) and ids.tolist() == expected.tolist()
        assert np.allclose(scores, rare.scores[ids] + dense.scores[ids], rtol=1e-12, atol=0)


def test_postings_cache_gives_the_same_matches_and_stays_bounded(searcher):
    from indexer.search.postings import PostingsCache

    reader = searcher.reader()
    alive = alive_mask(reader, reader.doc_count_all())
    cache = PostingsCache(max_postings=8)
    cached = Evaluator(searcher, alive, field_lengths(reader, len(alive)), cache)
    plain = Evaluator(searcher, alive, field_lengths(reader, len(alive)))
    for query in QUERIES * 2:
        a, b = cached.evaluate(query), plain.evaluate(query)
        assert np.array_equal(a.mask, b.mask) and np.allclose(a.scores, b.scores)
    assert cache.held <= 8 and cache.entries


@pytest.mark.parametrize("sparse_limit", [10**9, 0], ids=["unions-sparse", "unions-dense"])
def test_cached_unions_equal_whoosh_on_every_use(searcher, sparse_limit):
    """A sparse union of terms is cached (never changed in place), a dense one is not: every
    query three times over, after the others combined their results in place, still gives
    Whoosh's documents and scores."""
    from indexer.search.postings import PostingsCache

    reader = searcher.reader()
    alive = alive_mask(reader, reader.doc_count_all())
    cache = PostingsCache()
    evaluator = Evaluator(searcher, alive, field_lengths(reader, len(alive)), cache,
                          days=day_array(reader, len(alive)), sparse_limit=sparse_limit)
    for query in QUERIES * 3:
        reference = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
        matches = evaluator.evaluate(query)
        assert set(np.flatnonzero(matches.mask).tolist()) == set(reference), query
        assert all(matches.scores[d] == pytest.approx(s, rel=1e-9) for d, s in reference.items()), query
    unions = [cache.entries[key] for key in cache.entries if key[0] == "union"]
    assert all(union.is_sparse for union in unions) and bool(unions) == (sparse_limit != 0)


PHRASES = [
    wq.Phrase("body", ["russisch", "soldat"], boost=1.5),
    wq.Phrase("title", ["nordkorea", "schick"]),
    wq.Phrase("body", ["gibtesnicht", "soldat"]),
    wq.Phrase("body", ["soldat", "russisch"]),
]


def body_phrases(searcher, count: int) -> list[wq.Phrase]:
    """Word sequences that occur in the fixture documents (2 to 4 words, some repeated)."""
    import random

    rng = random.Random(7)
    analyzer = searcher.schema["body"].analyzer
    phrases = []
    for stored in searcher.all_stored_fields():
        words = [t.text for t in analyzer(stored.get("body", ""))]
        for _ in range(count // 4):
            if len(words) > 4:
                start, size = rng.randrange(len(words) - 4), rng.randint(2, 4)
                phrases.append(wq.Phrase("body", words[start:start + size]))
    return phrases[:count]


def test_phrases_match_whoosh_on_word_sequences_from_the_documents(searcher, evaluator):
    phrases = PHRASES + body_phrases(searcher, 40)
    assert len(phrases) > 20
    for query in phrases:
        reference = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
        matches = evaluator.evaluate(query)
        assert set(np.flatnonzero(matches.mask).tolist()) == set(reference), query
        for docnum, score in reference.items():
            assert matches.scores[docnum] == pytest.approx(score, rel=1e-9)
    assert any(searcher.search(q, limit=None) for q in phrases[len(PHRASES):])


COMPOUND_TEXTS = [
    "Der Deutsche Bundestag tagt. Die Bundestagspartei im Bundestag stimmt ab.",
    "Ein deutscher Bundestagsabgeordneter sprach vor dem Bundestag, nicht im Deutschen Bundestag.",
    "Bundestag, Bundestag, deutsch und deutsch: der Bundesrat und der Bundestag.",
    "Im Deutschen Bundestagsgebäude ist es still.",
    "Die deutsch-deutsche Grenze fiel. Später sprach sie im Bundestag.",
]


def test_phrases_where_compound_parts_share_a_position(tmp_path):
    """``Bundestagspartei`` indexes ``bundestag`` and ``bund`` at its own position: duplicates
    in a term's positions must not make a phrase match where Whoosh finds none."""
    import json

    from indexer.index.writer import BuildOptions, build

    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join(json.dumps({"id": f"c{i}", "title": "t", "text": t}) for i, t in enumerate(COMPOUND_TEXTS)))
    build([docs], tmp_path / "index", BuildOptions(entities=False))
    ix = store.open_index(tmp_path / "index")
    with ix.searcher(weighting=ranking.weighting(ranking.DEFAULT)) as searcher:
        reader = searcher.reader()
        alive = np.ones(reader.doc_count_all(), dtype=bool)
        files = postfiles.open_files(store.current_generation(tmp_path / "index"), reader.segments())
        assert files  # the build wrote them: phrases read both ways
        for evaluator in (Evaluator(searcher, alive, field_lengths(reader, len(alive))),
                          Evaluator(searcher, alive, field_lengths(reader, len(alive)), files=files)):
            for words in (["deutsch", "bundestag"], ["bundestag", "bundestag"], ["bund", "tag"], ["deutsch", "bund"]):
                query = wq.Phrase("body", words)
                reference = {hit.docnum for hit in searcher.search(query, limit=None)}
                assert set(np.flatnonzero(evaluator.evaluate(query).mask).tolist()) == reference, words


def test_phrases_and_terms_over_several_segments_and_deletions(tmp_path):
    """Segments with document number offsets and deleted documents (as ``add`` and ``delete`` leave)."""
    import json

    from indexer.index.writer import BuildOptions, build

    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join(json.dumps({"id": f"a{i}", "title": "t", "text": t}) for i, t in enumerate(COMPOUND_TEXTS)))
    build([docs], tmp_path / "index", BuildOptions(entities=False))
    ix = store.open_index(tmp_path / "index")
    for batch in ("b", "c"):
        writer = ix.writer()
        for i, text in enumerate(COMPOUND_TEXTS):
            writer.add_document(id=f"{batch}{i}", title="t", body=text)
        writer.commit(merge=False)
    writer = ix.writer()
    writer.delete_by_term("id", "b0")
    writer.commit(merge=False)
    generation = store.current_generation(tmp_path / "index")
    with ix.searcher(weighting=ranking.weighting(ranking.DEFAULT)) as searcher:
        reader = searcher.reader()
        assert len(reader.leaf_readers()) == 3
        postfiles.write(postfiles.path_for(generation, reader.segments()[2]),
                        postfiles.segment_arrays(reader.leaf_readers()[2][0]))
        files = postfiles.open_files(generation, reader.segments())  # the first and the last segment
        assert sorted(files) == sorted(reader.segments()[i].segment_id() for i in (0, 2))
        alive = alive_mask(reader, reader.doc_count_all())
        for evaluator in (Evaluator(searcher, alive, field_lengths(reader, len(alive))),
                          Evaluator(searcher, alive, field_lengths(reader, len(alive)), files=files)):
            for query in (wq.Phrase("body", ["deutsch", "bundestag"]), wq.Term("body", "bundestag"),
                          wq.AndMaybe(wq.Term("body", "bundestag"), wq.Term("body", "deutsch", boost=0.5))):
                reference = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
                matches = evaluator.evaluate(query)
                assert set(np.flatnonzero(matches.mask).tolist()) == set(reference) and len(reference) >= 5
                assert not matches.scores[~matches.mask].any()  # a deleted document scores nothing
                for docnum, score in reference.items():
                    assert matches.scores[docnum] == pytest.approx(score, rel=1e-9)


def test_date_ranges_are_answered_from_the_day_column(searcher, evaluator, monkeypatch):
    """The fixture's dates split by the ranges (neither none nor all), without Whoosh's matcher."""
    monkeypatch.setattr(Evaluator, "by_whoosh", lambda self, q: pytest.fail(f"Whoosh matcher for {q}"))
    for query in DATE_QUERIES[:5]:
        found = np.count_nonzero(evaluator.evaluate(query).mask)
        assert found == len(searcher.search(query, limit=None))
    counts = [np.count_nonzero(evaluator.evaluate(q).mask) for q in DATE_QUERIES[:4]]
    assert any(0 < c < evaluator.size for c in counts)
