"""The benchmark's fixed queries run in the product, and the fast (numpy) facet counts equal
a slow count over the stored fields of every matching document, with disjunctive semantics:
each facet is counted with every other active filter but not its own, and spellings that
fold alike (``SPD``, ``spd``) are one value."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from benchmarks.peer_product import product_request
from benchmarks.queries import CATEGORIES, QUERIES
from indexer.index import writer as product_build
from indexer.index import store
from indexer.entities.extraction import DocumentEntities
from indexer.facets import METADATA, by_name
from indexer.text.folding import fold as key
from indexer.search.query import parse_query
from indexer.search.results import FACET_FIELDS, SearchRequest
from indexer.index.schema import split_values, to_date
from indexer.search.service import SearchService
from indexer.search.compiler import QueryCompiler, is_plain_words

FIXTURE_QUERIES = ["Nordkorea", "Soldaten", "Bundeswehr", "Ukraine", "Russland", "Polizei", "Putin",
                   "Russland OR Ukraine", "Putin NOT Selenskyj", "Nordkorea Soldaten", "Sold*", '"russische Soldaten"']
WORDS = ["Haushalt", "Schule", "Grenze", "Hafen", "Brücke", "Wahl", "Rente", "Strom", "Wald", "Bahn"]
PERSONS = ["Anna Berg", "Jonas Weber", "Lea Schulz", "Paul Roth", "Mia Vogel", "Emil Kraus"]
COUNTRIES = [("Frankreich", "FR"), ("Polen", "PL"), ("Italien", "IT"), ("Spanien", "ES")]
ORGANISATIONS = ["NATO", "UNO", "EU"]
PARTIES = ["SPD", "spd", "DIE LINKE", "Die Linke", "CDU/CSU", ""]  # spellings of one party merge
SOURCES = ["Testpost", "Morgenkurier", ""]


def test_the_fixed_list_has_enough_queries_of_every_category():
    assert len(QUERIES) >= 60
    assert set(CATEGORIES) >= {"single", "and", "phrase", "prefix", "or_not", "field", "facet1", "facet2"}
    assert len({q.label for q in QUERIES}) == len(QUERIES)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.label)
def test_every_benchmark_query_parses_and_runs(service, query):
    assert parse_query(query.text) is not None
    for facets in (False, True):
        page = service.search(product_request(query, facets))
        assert page.total >= len(page.hits)


# --- a synthetic index with many multi-valued entities ------------------------------------


def synthetic_records(count: int, rng: random.Random) -> list[dict]:
    records = []
    for number in range(count):
        words = rng.sample(WORDS, 3)
        date = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(6 * 365)) if rng.random() > 0.1 else None
        records.append({
            "id": f"s{number}", "title": f"{words[0]} und {words[1]} Nummer {number}",
            "text": f"Bericht {number} über {' '.join(words)} in der Stadt.",
            "date": date.isoformat() if date else "",
            "persons": "|".join(rng.sample(PERSONS, rng.randrange(0, 3))),
            "countries": "|".join(c for c, _ in rng.sample(COUNTRIES, rng.randrange(0, 3))),
            "orgs": "|".join(rng.sample(ORGANISATIONS, rng.randrange(0, 2))),
            "speaker": rng.choice(PERSONS + [""]), "party": rng.choice(PARTIES), "source": rng.choice(SOURCES),
        })
    return records


def entities_from_meta(articles, options):
    """Stand-in for NER: the entities written into each synthetic record."""
    codes = dict(COUNTRIES)
    return [DocumentEntities(
        persons=tuple(v for v in a.meta.get("persons", "").split("|") if v),
        countries=tuple((v, codes[v]) for v in a.meta.get("countries", "").split("|") if v),
        organisations=tuple(v for v in a.meta.get("orgs", "").split("|") if v),
    ) for a in articles]


@pytest.fixture(scope="module")
def synthetic_index(tmp_path_factory, monkeypatch_module):
    import json

    path = tmp_path_factory.mktemp("synthetic")
    corpus = path / "docs.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in synthetic_records(160, random.Random(3))), encoding="utf-8")
    monkeypatch_module.setattr(product_build, "extract_entities", entities_from_meta)
    product_build.build([corpus], path / "index", product_build.BuildOptions(entities=True))
    return path / "index"


@pytest.fixture(scope="module")
def monkeypatch_module():
    patcher = pytest.MonkeyPatch()
    yield patcher
    patcher.undo()


# --- the slow reference -------------------------------------------------------------------


def matching_documents(index_dir, text: str) -> list[dict]:
    """Stored fields of every document the query matches (AND, else OR for plain words)."""
    node = parse_query(text)
    with store.open_index(index_dir).searcher() as searcher:
        docs = run_query(searcher, node, "and")
        if not docs and is_plain_words(node):
            docs = run_query(searcher, node, "or")
    return docs


def run_query(searcher, node, mode: str) -> list[dict]:
    compiled = QueryCompiler(searcher.reader(), lambda field, value: [], mode).compile(node)
    return [hit.fields() for hit in searcher.search(compiled.query, limit=None)]


def passes(doc: dict, name: str, request: SearchRequest) -> bool:
    if name == "date":
        day = to_date(doc.get("date"))
        return day is not None and request.date_from <= day <= request.date_to
    wanted = {key(v) for v in request.filters[name]}
    return any(key(v) in wanted for v in values_of(doc, name))


def values_of(doc: dict, name: str) -> list[str]:
    """A stored document's values of a facet: comma-joined entities, or one metadata value."""
    if by_name(name).origin == METADATA:
        return [doc[name]] if doc.get(name) else []
    return split_values(doc.get(name))


def slow_facets(docs: list[dict], request: SearchRequest) -> tuple[int, dict[str, Counter]]:
    active = [name for name, values in request.filters.items() if values] + (["date"] if request.date_from else [])

    def narrowed(skip: str) -> list[dict]:
        return [d for d in docs if all(passes(d, name, request) for name in active if name != skip)]

    counts = {name: Counter(k for d in narrowed(name) for k in {key(v) for v in values_of(d, name)})
              for name in FACET_FIELDS}
    counts["year"] = Counter(str(to_date(d["date"]).year) for d in narrowed("date") if to_date(d.get("date")))
    return len(narrowed("")), counts


def fast_facets(page) -> dict[str, Counter]:
    return {facet.name: Counter({key(v.value): v.count for v in facet.values if v.count})
            for facet in page.facets if facet.name in FACET_FIELDS + ("year",)}


def random_request(rng: random.Random, texts: list[str], docs_by_field: dict[str, list[str]]) -> SearchRequest:
    filters = {}
    for name in rng.sample(FACET_FIELDS, rng.randrange(0, 3)):
        if docs_by_field[name]:
            filters[name] = tuple(rng.sample(docs_by_field[name], min(len(docs_by_field[name]), rng.randrange(1, 3))))
    start = end = None
    if rng.random() < 0.5:
        year = rng.randrange(2019, 2025)
        start, end = dt.date(year, 1, 1), dt.date(year + rng.randrange(0, 2), 12, 31)
    return SearchRequest(query=rng.choice(texts), filters=filters, date_from=start, date_to=end, facet_limit=10_000)


def facet_values(index_dir) -> dict[str, list[str]]:
    with store.open_index(index_dir).searcher() as searcher:
        docs = [fields for _, fields in searcher.reader().iter_docs()]
    return {name: sorted({v for d in docs for v in values_of(d, name)}) for name in FACET_FIELDS}


def check_against_reference(index_dir, texts: list[str], seed: int, cases: int) -> None:
    rng, values = random.Random(seed), facet_values(index_dir)
    service = SearchService(index_dir)
    try:
        for _ in range(cases):
            request = random_request(rng, texts, values)
            page = service.search(request)
            total, expected = slow_facets(matching_documents(index_dir, request.query), request)
            assert page.total == total, request
            assert fast_facets(page) == {name: +counts for name, counts in expected.items()}, request
    finally:
        service.close()


def test_fast_facets_equal_slow_count_on_the_test_index(service, index_dir):
    check_against_reference(index_dir, FIXTURE_QUERIES, seed=1, cases=40)


def test_fast_facets_equal_slow_count_on_multi_valued_entities(synthetic_index):
    texts = WORDS + [f"{a} {b}" for a, b in zip(WORDS, WORDS[1:])] + ["Haushalt OR Schule", "Bericht NOT Wahl",
                                                                         "Br*", '"Stadt"', "Nummer"]
    check_against_reference(synthetic_index, texts, seed=2, cases=120)


@pytest.mark.slow
def test_the_ab_benchmark_times_both_checkouts_query_by_query(index_dir):
    """``benchmarks/ab.py`` with this checkout as A and B: a line per category and per query, no error."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).parent.parent
    done = subprocess.run([sys.executable, "-m", "benchmarks.ab", "--index", str(index_dir), "--code", str(root),
                           "--code", str(root), "--rounds", "1", "--category", "facet2", "--per-query"],
                          capture_output=True, text=True, timeout=300, cwd=root)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert any(line.startswith("facet2") and "B/A" in line for line in lines), done.stdout
    assert sum(line.startswith("  facet2") for line in lines) == sum(q.category == "facet2" for q in QUERIES)


def test_per_query_growth_is_the_geometric_mean_of_each_querys_growth_over_the_peers():
    """Two queries of one category: the product grows 2x and 1x where Xapian grows 1x and 4x,
    so the product grows sqrt(2 * 1/4) times Xapian's per query; a query missing at one size
    or of another category does not count, and a category without queries gives None."""
    from benchmarks.report import per_query_growth

    def run(times: dict[str, tuple[float, float]], category: str = "and") -> dict:
        return {"queries": {label: {"category": category, "product": {"facets_ms": p}, "xapian": {"facets_ms": x}}
                            for label, (p, x) in times.items()}}

    small = run({"a": (1.0, 2.0), "b": (3.0, 1.0), "only small": (1.0, 1.0)})
    large = run({"a": (2.0, 2.0), "b": (3.0, 4.0)})
    assert per_query_growth(small, large, "and", "xapian") == round((2 * 0.25) ** 0.5, 2)
    assert per_query_growth(small, large, "all", "xapian") == round((2 * 0.25) ** 0.5, 2)
    assert per_query_growth(small, large, "phrase", "xapian") is None
