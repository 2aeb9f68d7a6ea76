"""The German sentence segmenter (``indexer.text.sentences``), on literal German sentences."""

from __future__ import annotations

import gzip
import json
import re

import pytest

from indexer.text.sentences import sentence_end, sentence_spans, sentence_start, sentences

ONE_SENTENCE = [
    "Die Bundeswehr hat rund 600.000 Schuss Munition geliefert.",
    "Der Angriff begann am 24. Februar 2022 in den frühen Morgenstunden.",
    "Rund 12.000 Soldaten aus Nordkorea sind in der Region Kursk.",
    "Am 3. Oktober feiert Deutschland den Tag der Deutschen Einheit.",
    "Der 1. FC Köln gewann das Derby deutlich.",
    "Staaten wie z. B. Polen fordern mehr Hilfe.",
    "Staaten wie z.B. Polen fordern mehr Hilfe.",
    "Dr. Weber leitet die Abteilung seit Jahren.",
    "Neben Polen haben u. a. Litauen und Lettland Truppen geschickt.",
    "Die Mittel für Munition bzw. Ersatzteile wurden erhöht.",
    "Der Antrag auf Drucksache Nr. 20/1234 wurde abgelehnt.",
    "Die Delegation reiste weiter nach St. Petersburg.",
    "Prof. Dr. Lange warnte vor einer Eskalation.",
    "Dazu vgl. Abschnitt 4 des Berichts.",
    "Es kamen ca. 300 Menschen zur Kundgebung.",
    "Der Vertrag von 1990 gilt bis zum 31.12. des Jahres.",
    "Der Präsident Donald J. Trump traf Olaf Scholz.",
    "Die Preise stiegen um 3,5 Prozent, d. h. stärker als erwartet.",
    "Im 20. Jahrhundert änderte sich das.",
    "Äpfel, Birnen usw. sind teurer geworden.",
    "Er sagte: „Wir helfen der Ukraine.“",
]


@pytest.mark.parametrize("text", ONE_SENTENCE)
def test_one_sentence_is_not_split(text):
    assert sentences(text) == [text]


SPLITS = [
    ("Die Sitzung ist eröffnet. Das Wort hat der Kollege Weber.",
     ["Die Sitzung ist eröffnet.", "Das Wort hat der Kollege Weber."]),
    ("Wer zahlt das? Wir alle! Und zwar sofort.", ["Wer zahlt das?", "Wir alle!", "Und zwar sofort."]),
    ("Das Gesetz trat 2024 in Kraft. Im Jahr 2025. Danach nicht mehr.",
     ["Das Gesetz trat 2024 in Kraft.", "Im Jahr 2025.", "Danach nicht mehr."]),
    ("Er sagte: „Das geht nicht.“ Dann ging er.", ["Er sagte: „Das geht nicht.“", "Dann ging er."]),
    ("Es fehlen 600.000 Euro. Die Stadt zahlt.", ["Es fehlen 600.000 Euro.", "Die Stadt zahlt."]),
    ("Der Antrag wurde abgelehnt (Drucksache 20/1234). 12 Abgeordnete stimmten dafür.",
     ["Der Antrag wurde abgelehnt (Drucksache 20/1234).", "12 Abgeordnete stimmten dafür."]),
    ("Kiel. Der Hafen bekommt einen neuen Anleger.", ["Kiel.", "Der Hafen bekommt einen neuen Anleger."]),
    ("Waffen, Munition usw. Die Liste ist lang.", ["Waffen, Munition usw.", "Die Liste ist lang."]),
    ("Das wissen wir … Trotzdem handeln wir.", ["Das wissen wir …", "Trotzdem handeln wir."]),
    ("(Beifall bei der SPD)\nFrau Präsidentin! Meine Damen und Herren!\n\nWir beginnen",
     ["(Beifall bei der SPD)", "Frau Präsidentin!", "Meine Damen und Herren!", "Wir beginnen"]),
]


@pytest.mark.parametrize("text, expected", SPLITS)
def test_sentences_end_at_punctuation_before_a_new_sentence_and_at_lines(text, expected):
    assert sentences(text) == expected


def test_spans_are_offsets_without_surrounding_space():
    text = "  Erster Satz.   Zweiter Satz.  \n Dritter "
    assert [text[s:e] for s, e in sentence_spans(text)] == ["Erster Satz.", "Zweiter Satz.", "Dritter"]


def test_a_part_of_the_text_is_segmented_with_offsets_into_the_whole():
    text = "Vorher. Am 24. Februar begann es. Dann kam mehr.\nNächste Zeile."
    line_end = text.index("\n")
    spans = sentence_spans(text, 8, line_end)
    assert [text[s:e] for s, e in spans] == ["Am 24. Februar begann es.", "Dann kam mehr."]


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_blank_text_has_no_sentences(text):
    assert sentences(text) == []


def sentence_at(text: str, pos: int, start: int = 0, end: int | None = None) -> tuple[int, int]:
    """The sentence around ``pos`` as the snippets find it: back to its start, on to its end."""
    end = len(text) if end is None else end
    return sentence_start(text, pos, start), sentence_end(text, pos, end)


def word_starts(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"\w+", text)]


def sentence_of(text: str, pos: int) -> tuple[int, int]:
    return next((s, e) for s, e in sentence_spans(text) if s <= pos < e)


LOCAL_CASES = [text for text, _ in SPLITS] + ONE_SENTENCE + [
    "Erster Satz. " * 120 + "Am 24. Februar sprach Dr. Weber z. B. über 600.000 Euro. Dann ging er!",
    "Ein Satz ohne Ende " * 80 + "und dann doch. Noch einer?! „Ja.“ (Klar.) Ende…",
]


@pytest.mark.parametrize("text", LOCAL_CASES)
def test_sentence_at_is_the_sentence_that_whole_segmentation_gives(text):
    """Segmenting only near a position gives the sentence of segmenting the whole text."""
    for pos in word_starts(text):
        assert sentence_at(text, pos) == sentence_of(text, pos), (pos, text[pos:pos + 30])


def test_sentence_at_looks_back_past_its_window():
    long_sentence = "Wort " * 300  # no boundary for 1,500 characters before the position
    text = "Anfang. " + long_sentence + "Nordkorea liegt dort."
    assert sentence_at(text, text.index("Nordkorea")) == (8, len(text))


@pytest.mark.slow
@pytest.mark.shared_data
def test_sentence_at_agrees_on_real_speeches(shared_data):
    with gzip.open(shared_data / "corpora" / "demo_bundestag_foreign_policy.jsonl.gz", "rt", encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for number, line in zip(range(300), lines) if number % 3 == 0]
    checked = 0
    for text in texts:
        for line_start, line_end in line_bounds(text):
            spans = sentence_spans(text, line_start, line_end)
            for pos in word_starts(text[line_start:line_end])[::7]:
                pos += line_start
                expected = next((s, e) for s, e in spans if s <= pos < e)
                assert sentence_at(text, pos, line_start, line_end) == expected
                checked += 1
    assert checked > 5000


def line_bounds(text: str):
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1
