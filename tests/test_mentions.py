"""Entity highlighting: a search by entity marks its mentions and prefers sentences with them.

The forms of a value (``indexer.search.mentions``) on literal German text, then the service
over a small index whose entities are given (not recognised), so the tests do not need the
NER model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

import indexer.index.writer
from indexer.index.writer import BuildOptions, build
from indexer.search.mentions import mention_pattern, mention_spans
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService


def mentions(field: str, value: str, text: str) -> list[str]:
    return [text[s:e] for s, e in mention_spans(text, mention_pattern(((field, value),)))]


@pytest.mark.parametrize("value, text, expected", [
    ("Olaf Scholz", "Olaf Scholz sprach lange. Scholz' Rede und Scholz’ Antwort überzeugten. Kanzler Scholz ging.",
     ["Olaf Scholz", "Scholz'", "Scholz’", "Scholz"]),
    ("Wladimir Putin", "Putins Krieg dauert an, sagte Wladimir Putin nicht. Putin schwieg.",
     ["Putins", "Wladimir Putin", "Putin"]),
    ("Ursula von der Leyen", "Ursula von der Leyen reiste ab; von der Leyens Plan blieb.",
     ["Ursula von der Leyen", "von der Leyens"]),
    ("Olaf Scholz", "Der Scholz-Kurs in der Ukraine-Politik.", ["Scholz"]),
    ("Wladimir Putin", "Vladimir Putin und Wladimir Wladimirowitsch Putin.",  # catalogue aliases
     ["Vladimir Putin", "Wladimir Wladimirowitsch Putin"]),
    ("Olaf Scholz", "Scholzens Freunde und die Scholzinger kamen nicht.", []),
])
def test_a_person_is_marked_by_full_name_surname_and_genitive(value, text, expected):
    assert mentions("person", value, text) == expected


@pytest.mark.parametrize("value, text, expected", [
    ("Russland", "Russlands Armee und russische Soldaten, die Russen und die Russische Föderation.",
     ["Russlands", "russische", "Russen", "Russische Föderation"]),
    ("Nordkorea", "Nordkorea schickt nordkoreanische Soldaten; Nordkoreaner kämpfen.",
     ["Nordkorea", "nordkoreanische", "Nordkoreaner"]),
    ("USA", "Die Vereinigten Staaten und die USA schicken amerikanische Waffen.",
     ["Vereinigten Staaten", "USA", "amerikanische"]),
    ("Ukraine", "Der Ukraine-Krieg und die ukrainischen Truppen.", ["Ukraine", "ukrainischen"]),
])
def test_a_country_is_marked_by_its_names_and_adjectives_from_the_gazetteer(value, text, expected):
    assert mentions("country", value, text) == expected


@pytest.mark.parametrize("value, text, expected", [
    ("NATO", "Die NATO und die Nato beraten beim NATO-Gipfel.", ["NATO", "Nato", "NATO"]),
    ("Europäische Union", "Die Europäische Union und Staaten der Europäischen Union.",
     ["Europäische Union", "Europäischen Union"]),
    ("Bundestag", "Der Bundestag stimmte zu; Abgeordnete des Bundestages.", ["Bundestag", "Bundestages"]),
    ("Deutscher Bundestag", "Der Deutsche Bundestag tagt, das Hohe Haus stimmt, das Parlament des Bundestages.",
     ["Deutsche Bundestag", "Hohe Haus", "Bundestages"]),  # catalogue aliases, not the weak "Parlament"
    ("Vereinte Nationen", "Die Vereinten Nationen, die UN und die UNO; keine UNESCO.",
     ["Vereinten Nationen", "UN", "UNO"]),
])
def test_an_organisation_is_marked_by_name_inflection_and_acronym(value, text, expected):
    assert mentions("organisation", value, text) == expected


def test_no_entities_no_pattern():
    assert mention_pattern(()) is None and mention_spans("Olaf Scholz", None) == []


# --- the service: filters and query fields mark mentions --------------------------------

DOCUMENTS = [
    {"id": "haushalt", "title": "Haushaltsdebatte", "date": "2024-03-01", "source": "Testpost",
     "text": "Berlin. Der Haushalt wurde am 24. Februar im Bundestag beraten. Die Opposition lehnte den "
             "Haushalt ab. Bundeskanzler Olaf Scholz verteidigte den Haushalt. Scholz' Rede dauerte eine "
             "Stunde. Am Ende stimmte die Mehrheit zu."},
    {"id": "kursk", "title": "Lage in Kursk", "date": "2024-10-28", "source": "Testpost",
     "text": "Kiew. Die Front verläuft seit Wochen unverändert. Russlands Armee greift in der Region Kursk an. "
             "Russische Soldaten werden von Nordkoreanern unterstützt."},
]


@dataclass(frozen=True)
class Found:
    persons: tuple = ()
    countries: tuple = ()
    organisations: tuple = ()
    mentioned_dates: tuple = ()


ENTITIES = {"haushalt": Found(("Olaf Scholz",), (), ("Bundestag",)),
            "kursk": Found((), (("Russland", "RU"), ("Nordkorea", "KP"), ("Ukraine", "UA")))}


@pytest.fixture(scope="module")
def entity_service(tmp_path_factory):
    documents = tmp_path_factory.mktemp("entity-documents")
    (documents / "docs.jsonl").write_text("\n".join(map(json_line, DOCUMENTS)) + "\n", encoding="utf-8")
    index = tmp_path_factory.mktemp("entity-index")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(indexer.index.writer, "extract_entities", lambda articles, options: [ENTITIES[a.id] for a in articles])
        report = build([documents], index, BuildOptions(entities=True))
    assert report.skipped == 0, report.problems
    with SearchService(index) as service:
        yield service


def json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


def marked(snippet) -> list[str]:
    return [piece for piece, is_mark in snippet.pieces() if is_mark]


def snippets(service, query: str = "", **filters) -> list:
    page = service.search(SearchRequest(query=query, filters={k: tuple(v) for k, v in filters.items()}))
    assert page.hits, (query, filters)
    return page.hits[0].snippets


def test_without_an_entity_search_only_the_words_are_marked(entity_service):
    found = snippets(entity_service, "Haushalt")
    assert [marked(s) for s in found] == [["Haushalt"], ["Haushalt"], ["Haushalt"]]


def test_a_person_filter_marks_the_person_and_prefers_the_sentence_with_it(entity_service):
    first, *rest = snippets(entity_service, "Haushalt", person=["Scholz"])
    texts = [first.text] + [s.text for s in rest]
    assert "Bundeskanzler Olaf Scholz verteidigte den Haushalt." in texts
    assert "Scholz' Rede dauerte eine Stunde." in texts  # the entity alone outranks the word alone
    assert "Die Opposition lehnte den Haushalt ab." not in texts
    scholz = next(s for s in [first, *rest] if "Olaf" in s.text)
    assert marked(scholz) == ["Olaf Scholz", "Haushalt"]


def test_a_person_in_the_query_marks_the_person(entity_service):
    found = snippets(entity_service, "person:Scholz")
    assert [marked(s) for s in found] == [["Olaf Scholz"], ["Scholz'"]]
    assert found[0].text == "Bundeskanzler Olaf Scholz verteidigte den Haushalt."


def test_an_excluded_person_is_not_marked(entity_service):
    found = snippets(entity_service, "Haushalt NOT person:Merz")
    assert all(marked(s) == ["Haushalt"] for s in found)
    found = snippets(entity_service, "Kursk NOT person:Scholz")
    assert [marked(s) for s in found] == [["Kursk"]]


def test_a_country_filter_marks_names_and_adjectives(entity_service):
    found = snippets(entity_service, "Soldaten", country=["Russland"])
    assert [marked(s) for s in found] == [["Russlands"], ["Russische", "Soldaten"]]


def test_the_document_page_marks_query_words_and_filtered_entities(entity_service):
    view = entity_service.document("haushalt", "Haushalt", {"person": ("Olaf Scholz",), "organisation": ("Bundestag",)})
    (paragraph,) = view.paragraphs
    assert marked(paragraph) == ["Haushalt", "Bundestag", "Haushalt", "Olaf Scholz", "Haushalt", "Scholz'"]
    assert marked(entity_service.document("haushalt", "person:Scholz").paragraphs[0]) == ["Olaf Scholz", "Scholz'"]
    assert marked(entity_service.document("haushalt").paragraphs[0]) == []
