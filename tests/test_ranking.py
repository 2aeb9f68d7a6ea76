"""Ranking: questions, explicit operators, recency boost, and quality on MLQA-de (slow)."""

import json

import pytest

from indexer.search import ranking
from indexer.index.writer import BuildOptions, build
from indexer.search.query import parse_query
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService

SEED_ID = "000_923481393c34947e"
MLQA_MRR_FLOOR = 0.67  # measured 0.691 on 2026-11-28 (benchmarks/README.md)


def ids(service, query, **kwargs):
    return {h.id for h in service.search(SearchRequest(query=query, page_size=50, **kwargs)).hits}


@pytest.mark.parametrize("query, expected", [
    ("Nordkorea Kursk", {"nk-1", SEED_ID}),
    ("Nordkorea UND Brüssel", {"nk-1", SEED_ID}),
    ("Südkorea ODER Mali", {"sk-1", "bw-1", SEED_ID}),
    ("Nordkorea -Rutte", set()),
    ("Soldaten NICHT Nordkorea", {"bw-1"}),
    ('"russische Soldaten"', {SEED_ID}),
    ('"Soldaten russische"', set()),
    ("(Südkorea OR Mali) Soldaten", {"bw-1", SEED_ID}),
])
def test_explicit_operators_keep_their_meaning(service, query, expected):
    assert ids(service, query) == expected


@pytest.mark.parametrize("query, question", [
    ("Warum schickt Nordkorea Soldaten nach Russland?", True),
    ("Wer ist Mark Rutte", True),  # a question word first
    ("Soldaten Nordkorea Russland Kursk", False),  # a keyword list of any length keeps all its words
    ("Bundeswehr AND Mali AND Einsatz AND Verlängerung", False),
    ("Nordkorea Kursk", False),
    ("Nordkorea", False),
    ("Warum Nordkorea OR Mali?", False),  # an operator: the user means it
    ("Wer schickt Soldaten -Rutte?", False),
    ('Wann wurde "russische Soldaten" gemeldet?', True),  # phrases stay required
])
def test_what_is_a_question(query, question):
    assert ranking.is_question(parse_query(query)) is question


def test_a_long_keyword_list_is_all_words(service):
    """Four keywords used to become "any word" (1,302 hits on the demo index for
    Nordkorea Russland Soldaten Kursk against 5 for three of them); now each narrows."""
    three = service.search(SearchRequest(query="Nordkorea Russland Soldaten"))
    four = service.search(SearchRequest(query="Nordkorea Russland Soldaten Kursk"))
    assert four.notice == "" and four.total <= three.total
    assert {h.id for h in four.hits} <= {h.id for h in three.hits}


def test_long_question_finds_the_answering_articles_first(service):
    page = service.search(SearchRequest(query="Wie viele Soldaten hat Nordkorea nach Russland geschickt?"))
    assert page.total > 0 and page.notice
    assert {h.id for h in page.hits[:2]} == {"nk-1", SEED_ID}


def test_question_words_do_not_decide(service):
    with_word = [h.id for h in service.search(SearchRequest(query="Wann beendet die Bundeswehr den Einsatz?")).hits]
    without = [h.id for h in service.search(SearchRequest(query="beendet die Bundeswehr den Einsatz?")).hits]
    assert with_word == without and with_word[0] == "bw-1"


def test_question_phrase_stays_required(service):
    assert ids(service, 'Wann wurden "russische Soldaten" in Mali gesehen?') == {SEED_ID}


def test_question_of_question_words_only_keeps_them():
    node = parse_query("wer wann wo")
    assert ranking.is_question(node)  # a question word first; the words themselves are searched then


def test_lowercase_words_weigh_less():
    assert ranking.word_weight("Nordkorea") == 1.0
    assert ranking.word_weight("geschickt") == ranking.DEFAULT.lowercase_weight < 1.0


def test_answer_type_word_weighs_less():
    factors = ranking.answer_type_factors(["In", "welchem", "Jahr", "wurde", "Kiel", "gegründet?"])
    assert factors[2] == ranking.DEFAULT.answer_type_weight < 1.0
    assert factors[:2] + factors[3:] == [1.0] * 5


def test_ranking_config_belongs_to_its_service(index_dir, service):
    """Two services with different configurations in one process: each scores by its own."""
    request = SearchRequest(query="Nordkorea Soldaten")
    before = [(h.id, h.score) for h in service.search(request).hits]
    with SearchService(index_dir, ranking=ranking.RankingConfig(k1=0.6, title_weight=2.0)) as other:
        changed = [(h.id, h.score) for h in other.search(request).hits]
        assert [h.score for h in other.search(request).hits] == [score for _, score in changed]
    assert {i for i, _ in changed} == {i for i, _ in before} and changed != before
    assert [(h.id, h.score) for h in service.search(request).hits] == before


def test_question_setting_is_per_config():
    node = parse_query("Warum schickt Nordkorea Soldaten?")
    assert ranking.is_question(node) and not ranking.is_question(node, ranking.RankingConfig(questions=False))


def test_zero_weights_are_refused():
    with pytest.raises(ValueError):
        ranking.RankingConfig(lowercase_weight=0.0)


@pytest.fixture(scope="module")
def dated_service(tmp_path_factory):
    """Three equally good matches for "Hafen" (same length), oldest written first."""
    path = tmp_path_factory.mktemp("dated")
    docs = [("alt", "2020-03-01", "Kiel"), ("mittel", "2024-05-01", "Bonn"), ("neu", "2024-06-01", "Gera")]
    lines = [json.dumps({"id": i, "title": f"Meldung {city}", "text": f"Der Hafen in {city} ist voll.", "date": d})
             for i, d, city in docs]
    (path / "docs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    build([path / "docs.jsonl"], path / "index", BuildOptions(entities=False))
    svc = SearchService(path / "index")
    yield svc
    svc.close()


def test_recency_boost_puts_newer_first_among_equal_matches(dated_service):
    page = dated_service.search(SearchRequest(query="Hafen", recency_boost=True))
    assert [h.id for h in page.hits] == ["neu", "mittel", "alt"]
    assert page.hits[0].score > page.hits[1].score > page.hits[2].score


def test_recency_boost_off_changes_nothing(dated_service):
    off = dated_service.search(SearchRequest(query="Hafen"))
    assert [h.id for h in off.hits] == ["alt", "mittel", "neu"]  # equal scores: index order
    assert len({h.score for h in off.hits}) == 1


def test_recency_boost_is_ignored_for_date_sort(dated_service):
    page = dated_service.search(SearchRequest(query="Hafen", sort="date", recency_boost=True))
    assert [h.id for h in page.hits] == ["neu", "mittel", "alt"]


def test_recency_factor_halves_with_age_and_spares_undated():
    config = ranking.RankingConfig(recency_weight=0.5, recency_half_life_days=30)
    assert ranking.recency_factor(1000, 1000, config) == 1.5
    assert ranking.recency_factor(970, 1000, config) == pytest.approx(1.25)
    assert ranking.recency_factor(0, 1000, config) == 1.0


@pytest.mark.slow
@pytest.mark.shared_data
def test_mlqa_ranking_quality(shared_data, tmp_path):
    pytest.importorskip("ir_measures")
    from benchmarks.ranking_data import evaluate, load_collection
    from benchmarks.ranking_product import build_index, search_all, write_corpus

    collection = load_collection(shared_data / "retrieval" / "mlqa_de_dev")
    index = build_index(write_corpus(collection, tmp_path / "corpus.jsonl"), tmp_path / "index")
    mrr, ndcg, recall = evaluate(search_all(index, collection.queries).run, collection.qrels)
    assert mrr > MLQA_MRR_FLOOR and ndcg > MLQA_MRR_FLOOR and recall > 0.85
