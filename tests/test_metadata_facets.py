"""Metadata facets (speaker, party, source): counted and filtered like the entity facets, one
value per document, spellings that fold alike merged; the byline of hits and documents."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.index.ordinals import merged
from indexer.search.results import SearchRequest, byline

HILFE = "humanitäre Hilfe"


def counts(page, name: str) -> dict[str, int]:
    return {v.value: v.count for v in page.facet(name).values}


def ids(page) -> set[str]:
    return {hit.id for hit in page.hits}


def test_metadata_facets_count_every_value_once(speech_service):
    page = speech_service.search(SearchRequest(query=HILFE))
    assert ids(page) == {"sp-1", "sp-2", "sp-3", "sp-4", "sp-5"}
    assert counts(page, "speaker") == {"Annalena Baerbock": 1, "Anna Muster": 1, "Gregor Gysi": 1,
                                       "Jürgen Hardt": 1, "Sevim Dağdelen": 1}
    assert counts(page, "party") == {"DIE LINKE": 2, "BÜNDNIS 90/DIE GRÜNEN": 1, "CDU/CSU": 1}  # Die Linke merged
    assert counts(page, "source") == {"Bundestag-WP20": 4, "Testpost": 1}
    assert [f.label for f in page.facets[3:6]] == ["Redner und Autoren", "Parteien", "Quellen"]


def test_documents_without_metadata_have_no_value(speech_service):
    page = speech_service.search(SearchRequest(page_size=20))
    assert sum(counts(page, "speaker").values()) == 5 and sum(counts(page, "party").values()) == 4
    article = next(hit for hit in page.hits if hit.id == "nk-1")
    assert (article.speaker, article.party, article.byline, article.source) == ("", "", "", "Testpost")


@pytest.mark.parametrize("filters, expected", [
    ({"party": ("die linke",)}, {"sp-3", "sp-4"}),  # either spelling, any case
    ({"party": ("CDU/CSU", "DIE LINKE")}, {"sp-2", "sp-3", "sp-4"}),  # OR within a facet
    ({"speaker": ("Baerbock",)}, {"sp-1"}),  # a surname finds the full name
    ({"source": ("testpost",)}, {"sp-5"}),
    ({"source": ("Bundestag-WP20",), "party": ("Die Linke",)}, {"sp-3", "sp-4"}),  # AND across facets
    ({"speaker": ("Olaf Scholz",)}, set()),
])
def test_metadata_filters(speech_service, filters, expected):
    assert ids(speech_service.search(SearchRequest(query=HILFE, filters=filters))) == expected


def test_metadata_counts_are_disjunctive(speech_service):
    page = speech_service.search(SearchRequest(query=HILFE, filters={"party": ("CDU/CSU",)}))
    assert counts(page, "party") == {"DIE LINKE": 2, "BÜNDNIS 90/DIE GRÜNEN": 1, "CDU/CSU": 1}
    assert counts(page, "speaker") == {"Jürgen Hardt": 1} and counts(page, "source") == {"Bundestag-WP20": 1}


@pytest.mark.parametrize("query, expected", [
    ('speaker:"Annalena Baerbock"', {"sp-1"}),
    ("party:linke", {"sp-3", "sp-4"}),
    ('source:bundestag-wp20 party:"cdu/csu"', {"sp-2"}),
    ("source:Testpost humanitäre", {"sp-5"}),
])
def test_the_query_language_knows_the_metadata_fields(speech_service, query, expected):
    assert ids(speech_service.search(SearchRequest(query=query))) == expected


def test_hits_and_documents_carry_speaker_party_and_byline(speech_service):
    hit = next(h for h in speech_service.search(SearchRequest(query=HILFE)).hits if h.id == "sp-1")
    assert (hit.speaker, hit.party, hit.source) == ("Annalena Baerbock", "BÜNDNIS 90/DIE GRÜNEN", "Bundestag-WP20")
    assert hit.byline == "Annalena Baerbock (BÜNDNIS 90/DIE GRÜNEN)" and hit.title.startswith("Tagesordnungspunkt 7")
    doc = speech_service.document("sp-4")
    assert (doc.speaker, doc.party, doc.byline) == ("Gregor Gysi", "Die Linke", "Gregor Gysi (Die Linke)")
    assert speech_service.document("sp-5").byline == "Anna Muster"


@pytest.mark.parametrize("speaker, party, expected", [
    ("Annalena Baerbock", "BÜNDNIS 90/DIE GRÜNEN", "Annalena Baerbock (BÜNDNIS 90/DIE GRÜNEN)"),
    ("Heiko Maas", "", "Heiko Maas"), ("", "SPD", ""), ("", "", ""),
])
def test_byline(speaker, party, expected):
    assert byline(speaker, party) == expected


def test_spellings_that_fold_alike_are_one_value_counted_once_per_document():
    terms = ["DIE LINKE", "Die Linke", "SPD", "spd"]
    docs = np.array([0, 1, 2, 3, 3, 4])
    ords = np.array([0, 1, 1, 2, 3, 3])  # "Die Linke" twice, document 3 has both SPD spellings
    facet = merged(terms, docs, ords)
    assert facet.values == ["Die Linke", "spd"] and facet.spellings == [["Die Linke", "DIE LINKE"], ["spd", "SPD"]]
    assert facet.counts(np.ones(5, dtype=bool)).tolist() == [3, 2]
