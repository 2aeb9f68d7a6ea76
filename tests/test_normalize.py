"""Normalisation rules of the entity facets, as tables of real German examples (no spaCy)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.entities.countries import (
    DATA_DIR, country_of_place, countries_by_demonym, dateline_place, link_countries, load_gazetteer,
)
from indexer.entities.mentioned_dates import mentioned_dates
from indexer.entities.persons import clean_person, corpus_person_names, fold_name, persons_in_document, strip_genitive
from indexer.entities.organisations import clean_organisation, corpus_organisation_names, organisations_in_document


@pytest.mark.parametrize("mention, name", [
    ("NATO-Generalsekretär Mark Rutte", "Mark Rutte"),
    ("Generalsekretär Mark Rutte", "Mark Rutte"),
    ("Russlands Präsident Wladimir Putin", "Wladimir Putin"),
    ("der ukrainische Präsident Wolodymyr Selenskyj", "Wolodymyr Selenskyj"),
    ("Bundeskanzler Olaf Scholz", "Olaf Scholz"),
    ("Bundeskanzlerin Angela Merkel (CDU)", "Angela Merkel"),
    ("Außenministerin Annalena Baerbock", "Annalena Baerbock"),
    ("US-Präsident Joe Biden", "Joe Biden"),
    ("Ex-Kanzler Gerhard Schröder", "Gerhard Schröder"),
    ("Kremlchef Putin", "Putin"),
    ("Dr. Angela Merkel", "Angela Merkel"),
    ("Prof. Dr. Karl Lauterbach", "Karl Lauterbach"),
    ("Herrn Scholz", "Scholz"),
    ("Frau von der Leyen", "von der Leyen"),
    ("Ursula von der Leyen", "Ursula von der Leyen"),
    ("Hans-Dietrich Genscher", "Hans-Dietrich Genscher"),
    ("Putin's", "Putin"),
    ("Scholz'", "Scholz"),
    ("Und Assad", "Assad"),
    ("Wir Linke", "Linke"),
    ("Von der Leyen", "Von der Leyen"),
    ("Kriegstreiber Putin", "Putin"),
    ("Ära Merkel", "Merkel"),
    ("Marionette Putins. Erdoğan", "Erdoğan"),
    ("Hans Eichel", "Hans Eichel"),
    ("Prof. Dr. Karl Lauterbach", "Karl Lauterbach"),
])
def test_person_loses_titles_and_roles(mention, name):
    assert clean_person(mention) == name


@pytest.mark.parametrize("junk", ["x", "G7", "nato", "putin", "NATO", "Bundeskanzler", "Generalsekretär", "1990", "",
                                  "Nationalismus", "Sicherheitsstrukturen", "Selbstständigkeit",
                                  "Russlands Präsident", "Herr Präsident", "Resolute-Support-Mandats",
                                  "EUTM Mali", "EUFOR Althea", "Counter-IED", "Bedauerlicherweise", "Europa",
                                  "Europas", "Liebe", "Meine"])
def test_person_junk_is_dropped(junk):
    assert clean_person(junk) is None


@pytest.mark.parametrize("name, known, result", [
    ("Putins", {"putin"}, "Putin"),
    ("Putins", set(), "Putin"),                   # consonant + s: genitive
    ("Wladimir Putins", set(), "Wladimir Putin"),
    ("Selenskyjs", set(), "Selenskyj"),
    ("Merkels", set(), "Merkel"),
    ("Obamas", {"obama"}, "Obama"),               # vowel + s only when the base form is seen
    ("Obamas", set(), "Obamas"),
    ("Strauss", set(), "Strauss"),
    ("Franz Josef Strauss", set(), "Franz Josef Strauss"),
    ("Klaus", set(), "Klaus"),
    ("Václav Klaus", set(), "Václav Klaus"),
    ("Adams", set(), "Adams"),
    ("Xi", set(), "Xi"),
])
def test_genitive_s_is_stripped_only_from_genitives(name, known, result):
    assert strip_genitive(name, known) == result


@pytest.mark.parametrize("mentions, persons", [
    (["NATO-Generalsekretär Mark Rutte", "Putin", "Wladimir Putin", "Putins", "Rutte"],
     ("Mark Rutte", "Wladimir Putin")),
    (["Selenskyj", "Wolodymyr Selenskyj", "Selenskyjs"], ("Wolodymyr Selenskyj",)),
    (["von der Leyen", "Ursula von der Leyen"], ("Ursula von der Leyen",)),
    (["Bill Clinton", "Hillary Clinton", "Clinton"], ("Bill Clinton", "Hillary Clinton", "Clinton")),
    (["Gerhard Schroeder", "Schröder"], ("Gerhard Schröder",)),
    (["Franz Josef Strauss", "Franz Josef Strauß"], ("Franz Josef Strauß",)),
    (["Selenskyj", "Selenskij"], ("Selenskyj", "Selenskij")),   # not an ae/oe/ue/ss variant
    (["Jens Spahn", "Jens"], ("Jens Spahn", "Jens")),   # a first name is no surname (no "Jen")
    (["x", "Bundeskanzler", "Olaf Scholz", "Scholz"], ("Olaf Scholz",)),
    (["Wladimir Putin", "Putin-Regime"], ("Wladimir Putin",)),
    (["Putin", "Wladimir Wladimirowitsch Putin", "Wladimir Putin", "Wladimir Putin"], ("Wladimir Putin",)),
    (["Annegret Kramp-Karrenbauer", "Kramp-Karrenbauer"], ("Annegret Kramp-Karrenbauer",)),
    (["Frau Präsidentin", "Herr Kollege", "Kollegin Agnieszka Brugger"], ("Agnieszka Brugger",)),
    (["Alice Weidel (AfD)", "Frau Dr. Weidel"], ("Alice Weidel",)),
])
def test_persons_of_one_document(mentions, persons):
    assert persons_in_document(mentions) == persons


@pytest.mark.parametrize("mentions, text, persons", [
    (["Folgendes", "Heiko Maas"], "Folgendes: Ich sage folgendes zu Heiko Maas.", ("Heiko Maas",)),
    (["Klein", "Ulrich Klein"], "Ulrich Klein ist nicht klein. Klein sagt ...", ("Ulrich Klein",)),
    (["Klein"], "Klein sagt, es sei ein Problem.", ("Klein",)),
    (["Krisen", "Frieden", "Terror", "Hunger", "Müller", "Fischer"], "", ("Müller", "Fischer")),
    (["Unteroffizieren", "Krisenvorsorge", "Kiesewetter", "Buchholz", "Kleinwächter"], "",
     ("Kiesewetter", "Buchholz", "Kleinwächter")),
])
def test_one_word_persons_that_are_common_words_are_dropped(mentions, text, persons):
    assert persons_in_document(mentions, text) == persons


@pytest.mark.parametrize("documents, mapping", [
    ([("Wladimir Putin",), ("Putin",)], {"Putin": "Wladimir Putin"}),
    ([("Bill Clinton",), ("Hillary Clinton",), ("Clinton",)], {}),     # ambiguous: no merge
    ([("Franz Josef Strauss",), ("Franz Josef Strauß",), ("Strauß",)],
     {"Franz Josef Strauss": "Franz Josef Strauß", "Strauß": "Franz Josef Strauß"}),
    ([("Gerhard Schroeder",), ("Schröder",)],
     {"Gerhard Schroeder": "Gerhard Schröder", "Schröder": "Gerhard Schröder"}),
    ([("Rutte",)], {}),
    ([("Alexander Graf Lambsdorff",), ("Graf Lambsdorff",), ("Lambsdorff",)],
     {"Graf Lambsdorff": "Alexander Graf Lambsdorff", "Lambsdorff": "Alexander Graf Lambsdorff"}),
    ([("Christian Lindner",), ("Tobias Lindner",), ("Lindner",)], {}),
    ([("Heiko Maas",)] * 4 + [("Mutlos-Maas",), ("Maas",)], {"Maas": "Heiko Maas"}),   # one-off noise
    ([("Angela Merkel",)] * 4 + [("Merkel-Deutschland",), ("Merkel",)], {"Merkel": "Angela Merkel"}),
    ([("Bill Clinton",)] * 3 + [("Hillary Clinton",), ("Clinton",)], {}),               # 3:1 is no noise
    ([("Wladimir Putin",), ("Wladimir Putin",), ("Wladimir Wladimirowitsch Putin",), ("Putin",)],
     {"Wladimir Wladimirowitsch Putin": "Wladimir Putin", "Putin": "Wladimir Putin"}),
])
def test_corpus_surname_merge(documents, mapping):
    assert corpus_person_names(documents) == mapping


@pytest.mark.parametrize("variant, other", [
    ("Schröder", "Schroeder"), ("Strauß", "Strauss"), ("Müller", "Mueller"),
    ("Erdoğan", "Erdogan"), ("Hans-Dietrich Genscher", "Hans Dietrich Genscher"),
])
def test_transliteration_variants_fold_together(variant, other):
    assert fold_name(variant) == fold_name(other)


def test_selenskyj_and_selenskij_stay_apart():
    assert fold_name("Selenskyj") != fold_name("Selenskij")


@pytest.mark.parametrize("mention, organisation", [
    ("NATO", "NATO"), ("Nato", "NATO"), ("der NATO", "NATO"), ("der Nato", "NATO"),
    ("Nato's", "NATO"), ("NATOs", "NATO"), ("Uno", "UNO"), ("EU", "EU"),
    ("NATO-Generalsekretär", "NATO"), ("Nato-Staaten", "NATO"),
    ("EU-Kommission", "EU-Kommission"), ("UN-Sicherheitsrat", "UN-Sicherheitsrat"),
    ("CDU/CSU-Fraktion", "CDU/CSU-Fraktion"), ("AfD", "AfD"),
    ("die Vereinten Nationen", "Vereinten Nationen"), ("der", None), ("x", None),
    ("Nato Tote", "NATO"), ("Ärzte ohne Grenzen sagte", "Ärzte ohne Grenzen"), ("Spekulation", None),
    ("Außenminister", None), ("BIP", None), ("des Kalten Krieges", None), ("Kalten Krieg", None),
])
def test_organisation_normalisation(mention, organisation):
    assert clean_organisation(mention) == organisation


@pytest.mark.parametrize("mentions, organisations", [
    (["Nato", "NATO", "EU", "des Bundestages", "Bundestag", "der NATO"], ("NATO", "EU", "Bundestag")),
    (["der Europäischen Union", "die Europäische Union"], ("Europäische Union",)),
    (["des Deutschen Bundestages", "Deutschen Bundestag"], ("Deutschen Bundestag",)),
    (["Grünen", "Grüne", "Linken"], ("Grüne", "Linken")),
    (["WHOs", "WHO"], ("WHO",)),
    (["Vereinten Nationen", "UNO", "UN"], ("Vereinten Nationen", "UNO", "UN")),
])
def test_organisations_of_one_document_are_deduplicated(mentions, organisations):
    assert organisations_in_document(mentions) == organisations


def test_organisation_mention_that_is_a_person_of_the_document_is_dropped():
    assert organisations_in_document(["Saddam Hussein", "UNO"], ["Saddam Hussein"]) == ("UNO",)
    assert organisations_in_document(["Rutte", "NATO"], ["Mark Rutte"]) == ("NATO",)


def test_corpus_organisation_spellings():
    documents = [("Europäischen Union", "Nato"), ("Europäische Union",), ("NATO",), ("Auswärtigen Amtes",)]
    assert corpus_organisation_names(documents) == {"Europäischen Union": "Europäische Union", "Nato": "NATO"}


@pytest.mark.parametrize("text, dates", [
    ("Am 28. Oktober 2024 trafen sich die Minister.", ("2024-10-28", "2024-10", "2024")),
    ("Stand: 28.10.2024", ("2024-10-28", "2024-10", "2024")),
    ("veröffentlicht 2024-10-28", ("2024-10-28", "2024-10", "2024")),
    ("am 3.Oktober 1990", ("1990-10-03", "1990-10", "1990")),
    ("am 1. Mai 2025", ("2025-05-01", "2025-05", "2025")),
    ("im Oktober 2024", ("2024-10", "2024")),
    ("seit Okt. 2024", ("2024-10", "2024")),
    ("Selenskyj will Putin 2025 zum Frieden zwingen", ("2025",)),
    ("im Jahr 2024 Wahlen", ("2024",)),
    ("seit 2014.", ("2014",)),
    ("2022 und 2023", ("2022", "2023")),
    ("am 29.02.2024", ("2024-02-29", "2024-02", "2024")),
    ("am 31.02.2024", ()),                      # invalid day: nothing, not even the year
    ("am 29.02.2023", ()),
    ("2024-13-01", ()),
    ("am 28. Oktober", ()),                     # no year: never invented
    ("1899 und 2101", ()),                      # outside 1900-2100
    ("rund 12.000 Soldaten", ()),
    ("mehr als 600.000 russische Soldaten", ()),
    ("2000 Soldaten", ()),                      # a count, not a year
    ("rund 1950 Menschen", ()),
    ("Tel. 030 2024 1234", ()),
    ("Drucksachen 19/25, 19/178", ()),
    ("Am 28. Oktober 2024 und im Oktober 2024", ("2024-10-28", "2024-10", "2024")),
])
def test_mentioned_dates(text, dates):
    assert mentioned_dates(text) == dates


def test_mentioned_dates_skip_texts_without_four_digits_only(monkeypatch):
    """The shortcut for texts without a year's digits finds what the patterns find."""
    import gzip
    import json

    from indexer.entities import mentioned_dates as module

    seeds = Path(__file__).resolve().parents[1] / "seeds"
    with gzip.open(seeds / "demo_bundestag_foreign_policy.jsonl.gz", "rt", encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line, _ in zip(lines, range(300))]
    texts += ["am 28. Oktober", "Tel. 030 202 1234", "am 3.10.90", "١٩٩٠", "am 3. Oktober ١٩٩٠", ""]
    fast = [mentioned_dates(text) for text in texts]
    monkeypatch.setattr(module, "YEAR_DIGITS", re.compile(""))  # every text goes through the patterns
    assert [mentioned_dates(text) for text in texts] == fast
    assert sum(1 for text in texts if not re.search(r"\d{4}", text)) > 3  # the shortcut was taken


@pytest.mark.parametrize("place, code", [
    ("Kursk", "RU"), ("Region Kursk", "RU"), ("Brüssel", "BE"), ("Pjöngjang", "KP"),
    ("Berlin", "DE"), ("Moskaus", "RU"), ("Kiew", "UA"), ("Peking", "CN"),
    ("Washington", "US"), ("Baden-Württemberg", "DE"), ("Bayern", "DE"),
    ("Kalifornien", "US"), ("Nizza", "FR"), ("Russlands", "RU"), ("Ukraine", "UA"),
])
def test_location_mentions_link_to_countries(place, code):
    assert country_of_place(place, load_gazetteer()) == code


@pytest.mark.parametrize("word", ["Essen", "Mark", "Bild", "Wie", "Dank", "Ende", "Gera", "Halle", "Gut", "Mitte"])
def test_common_words_are_no_places(word):
    assert country_of_place(word, load_gazetteer()) is None


@pytest.mark.parametrize("text", [
    "Beim Essen sprach Mark über das Bild.",
    "Wie zum Dank kam am Ende der Zug aus Gera.",     # city names count only as NER LOC
    "Nizza lachte.",
    "Am Ende der Mark-Twain-Straße",
])
def test_common_words_and_cities_without_loc_create_no_country(text):
    assert link_countries(text) == ()


@pytest.mark.parametrize("text, code", [
    ("Einsatz nordkoreanischer Soldaten", "KP"),
    ("Die Ukrainer wehren sich", "UA"),
    ("Ukrainerinnen und Ukrainer", "UA"),
    ("russische Soldaten", "RU"),
    ("den russischen Verlusten", "RU"),
    ("Russen", "RU"),
    ("die Russin", "RU"),
    ("Laut dem südkoreanischen Geheimdienst", "KR"),
    ("im russisch-ukrainischen Krieg", "RU"),
    ("US-amerikanische Truppen", "US"),
    ("deutsch-französische Freundschaft", "FR"),
])
def test_adjectives_and_demonyms_link_to_countries(text, code):
    assert code in {code for _, code in countries_by_demonym(text, load_gazetteer())}


@pytest.mark.parametrize("text, codes", [
    ("Russlands Krieg", ("RU",)),
    ("im Ukraine-Krieg", ("UA",)),
    ("Nordkoreas Soldaten in Russland", ("KP", "RU")),
    ("Die Vereinigten Staaten und das Vereinigte Königreich", ("US", "GB")),
    ("US-Präsident Joe Biden", ("US",)),
    ("Saudi-Arabien und Guinea-Bissau", ("SA", "GW")),
    ("Deutschlandfunk berichtet", ()),
    ("die Jamaika-Verhandlungen und die Kenia-Koalition", ()),
    ("Kuban-Kosaken", ()),
    ("Reise nach Jamaika und Kuba", ("JM", "CU")),
    ("in den Vereinigten Arabischen Emiraten", ("AE",)),
    ("Lateinamerika", ()),
])
def test_country_names_anywhere(text, codes):
    assert tuple(code for _, code in link_countries(text)) == codes


@pytest.mark.parametrize("text, place", [
    ("Berlin. NATO-Generalsekretär Mark Rutte berichtet", "Berlin"),
    ("Rutte warnt\nBrüssel. Die NATO ...", "Brüssel"),
    ("Kiew/Moskau: Die Lage ...", "Kiew/Moskau"),
    ("Laut der NATO ist Russlands Präsident", None),
    ("Herr Präsident! Meine Damen und Herren!", None),
])
def test_dateline(text, place):
    assert dateline_place(text) == place


def test_link_countries_orders_by_first_evidence_and_uses_short_names():
    text = "Berlin. Rutte sagte in Kiew, Nordkorea schicke Soldaten nach Russland."
    countries = link_countries(text, [(text.index("Kiew"), "Kiew")])
    assert countries == (("Deutschland", "DE"), ("Ukraine", "UA"), ("Nordkorea", "KP"), ("Russland", "RU"))


def test_the_seat_of_an_institution_names_no_country_except_in_a_dateline():
    text = "Rutte sagte in Brüssel, die NATO stehe bereit."
    assert link_countries(text, [(text.index("Brüssel"), "Brüssel")]) == ()
    assert link_countries("Brüssel. Die NATO tagt.") == (("Belgien", "BE"),)
    text = "In Brüssel und im übrigen Belgien"
    assert link_countries(text, [(3, "Brüssel")]) == (("Belgien", "BE"),)


@pytest.mark.parametrize("code, display", [
    ("KP", "Nordkorea"), ("KR", "Südkorea"), ("RU", "Russland"), ("US", "USA"),
    ("GB", "Großbritannien"), ("IR", "Iran"), ("SY", "Syrien"), ("CZ", "Tschechien"),
    ("BE", "Belgien"), ("DE", "Deutschland"), ("UA", "Ukraine"), ("XK", "Kosovo"),
])
def test_country_display_names(code, display):
    assert load_gazetteer().country(code) == (display, code)


def test_shipped_gazetteer_is_compact():
    size = sum(path.stat().st_size for path in DATA_DIR.iterdir() if path.suffix in {".tsv", ".gz"})
    assert size < 400_000


def test_normalisation_modules_do_not_import_spacy():
    code = ("import sys, indexer.entities.persons, indexer.entities.countries, indexer.entities.mentioned_dates, indexer.entities.extraction;"
            "assert 'spacy' not in sys.modules, 'spacy imported'")
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
