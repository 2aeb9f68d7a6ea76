"""Snippet matches through the occurrence pre-filter are the matches of tokenising the whole text.

``match_spans`` analyses only the words in which a query term may occur
(``indexer.search.occurrences``); the reference below tokenises every word, as
``match_spans`` did before. Both must mark the same spans.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import sys
import unicodedata

import pytest

from indexer.search import occurrences
from indexer.search.snippets import _WORD, exact_term, index_terms, match_spans, merge, words_pattern
from indexer.text.analyser import analyze

TEXTS = [
    "Gerhard Schroeder traf Schröder-Köpf in der Großstadt; die Strasse und die Straße waren gesperrt.",
    "Ein Großteil der NATO-Staaten unterstützt die Ukraine mit 600.000 Schuss Munition.",
    "Die Beneš-Dekrete, der CO₂-Aufschlag und Erdoğans Besuch in Brüssel (z. B. am 24. Februar).",
    "Bußgelder für Raser: Die Polizeibeamten stoppten 12 Fahrzeuge, die Polizei war überall.",
    "Nordkorea und Südkorea; koreanische Soldaten, ein Soldat, Soldaten der Bundeswehr-Mission.",
    "Sanktionen, Sanktionspaket, sanktionieren: die EU-Sanktionen gegen Russland wirken.",
    "Quelle: Feuerwehr. Die Feuer brannten; Maßnahmen der Aeroflot, Goethe und Oehmichen.",
    "İstanbul, ﬁnanzielle Hilfe und Finanzen",  # folding would change the length: whole text tokenised
    "Straße",
]
QUERIES = [
    ({"schrod"}, set()), ({"gros", "stadt"}, set()), ({"strass"}, set()), ({"nato"}, set()),
    ({"600.000"}, set()), ({"benes"}, set()), ({"co2"}, set()), ({"erdogan"}, set()), ({"brussel"}, set()),
    ({"bus"}, set()), ({"polizei"}, set()), ({"korea"}, set()), ({"soldat"}, set()), ({"sanktion"}, set()),
    (set(), {"sanktionen", "sanktionspaket"}), ({"feu"}, {"quelle"}), ({"finanz"}, set()), ({"istanbul"}, set()),
    ({"aeroflot", "goeth", "oehmich"}, set()), ({"mission"}, {"bundeswehr-mission"}),
]


def reference_spans(text: str, stems: set[str], words: set[str]) -> list[tuple[int, int]]:
    """Every word of the text analysed: the slow way the pre-filter must agree with."""
    distinct = set(_WORD.findall(text))
    matching = {w for w in distinct if not stems.isdisjoint(index_terms(w))} if stems else set()
    matching.update(w for w in distinct - matching if exact_term(w) in words)
    if not matching:
        return []
    return merge([m.span() for m in words_pattern(frozenset(matching)).finditer(text)
                  if not (m.start() and re.match(r"[\w.,'’-]", text[m.start() - 1]))])


@pytest.mark.parametrize("stems, words", QUERIES)
def test_prefiltered_matches_equal_whole_text_matches(stems, words):
    for text in TEXTS:
        assert match_spans(text, stems, words) == reference_spans(text, stems, words), text


def test_matches_through_normalisation_and_compounds():
    text = TEXTS[0]
    marked = [text[s:e] for s, e in match_spans(text, {"schrod", "strass"}, set())]
    assert marked == ["Schroeder", "Schröder-Köpf", "Strasse", "Straße"]
    assert [TEXTS[1][s:e] for s, e in match_spans(TEXTS[1], {"nato"}, set())] == ["NATO-Staaten"]


def test_folded_text_keeps_every_offset():
    text = "Größe von Erdoğan „am“ 24. Februar – 5 €, CO₂ und Beneš"
    folded = occurrences.fold_text(text)
    assert folded == "grose von erdogan  am  24. februar   5 €, co2 und benes"
    assert len(folded) == len(text)
    assert occurrences.fold_text("ﬁnanziell") is None  # a ligature folds to two letters
    assert occurrences.fold_text("İstanbul") is None  # lower() makes two characters
    assert occurrences.fold_text("Die Straße – „GROẞ“") == "die strase    gros "  # not ASCII: lowered, then folded
    assert occurrences.fold_text("ÄRGER – Grüße") == "arger   gruse"


def test_candidates_are_whole_words_containing_a_term():
    text = "Die NATO-Staaten, ein Natodraht und Donato. NATO-Staaten!"
    found = occurrences.candidate_words(text, frozenset({"nato"}))
    assert set(found) == {"NATO-Staaten", "Natodraht", "Donato"}
    assert [text[s:e] for s, e in found["NATO-Staaten"]] == ["NATO-Staaten", "NATO-Staaten"]
    assert occurrences.candidate_words("Bundeswehr", frozenset()) == {}
    assert occurrences.shortest(frozenset({"sanktion", "sanktionen", "krieg"})) == ["krieg", "sanktion"]


def test_every_foldable_character_is_detected():
    """Each word character whose accent folding changes it is caught by the pre-filter's class."""
    missed = []
    for code in range(0x80, sys.maxunicode + 1):
        char = chr(code).lower()
        if len(char) != 1 or not (char.isalnum() or char == "_") or char in "äöüß":
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).lower()
        if base != char and not occurrences._FOLDABLE.match(char):
            missed.append(f"U+{code:04X}")
    assert not missed


@pytest.mark.slow
@pytest.mark.shared_data
def test_prefilter_agrees_on_real_texts_and_random_queries(shared_data):
    """Matches and snippets of 2,000 (query, text) pairs of real speeches and police reports."""
    from indexer.search.snippets import make_snippets

    texts = []
    for name in ("demo_bundestag_foreign_policy.jsonl.gz", "berlin_police_reports.jsonl.gz"):
        with gzip.open(shared_data / "corpora" / name, "rt", encoding="utf-8") as lines:
            for number, line in enumerate(lines):
                if number % 20 == 0:
                    texts.append(json.loads(line)["text"])
                if number >= 4000:
                    break
    rng = random.Random(7)
    vocabulary = sorted({w for text in texts for w in _WORD.findall(text)})
    compared = 0
    for round_ in range(400):
        query = rng.sample(vocabulary, rng.choice([1, 1, 2, 3]))
        stems = set(analyze(" ".join(query), mode="query"))
        words = {exact_term(w) for w in query} - {""} if round_ % 3 == 0 else set()
        for text in rng.sample(texts, 5):
            if round_ % 2:  # half of the queries take words of the text itself: matches to mark
                own = sorted(set(_WORD.findall(text)))
                stems = set(analyze(" ".join(rng.sample(own, min(2, len(own)))), mode="query"))
            assert match_spans(text, stems, words) == reference_spans(text, stems, words), (query, text[:80])
            assert make_snippets(text, stems, words) == reference_snippets(text, stems, words), (query, text[:80])
            compared += 1
    assert compared == 2000


def reference_snippets(text: str, stems: set[str], words: set[str], limit: int = 3):
    """Snippets as issue 13 made them: every word analysed, every line with a match segmented
    whole, every matched sentence scored (the fast path must give the same fragments)."""
    from indexer.search.snippets import ENTITY_BONUS, fragment, lead_fragment
    from indexer.text.sentences import sentence_spans

    spans = reference_spans(text, stems, words)
    if not spans:
        return [lead_fragment(text)] if text.strip() else []
    sentences, pos = [], 0
    for line in text.split("\n"):
        if any(pos <= s < pos + len(line) for s, _ in spans):
            sentences += sentence_spans(text, pos, pos + len(line))
        pos += len(line) + 1
    scored, seen = [], set()
    for start, end in sentences:
        inside = [(s, e) for s, e in spans if start <= s and e <= end]
        if inside and (sentence := " ".join(text[start:end].split())) not in seen:
            seen.add(sentence)
            distinct = len({text[s:e].lower() for s, e in inside})
            scored.append(((distinct + 0 * ENTITY_BONUS) * 10 + len(inside), -start, start, end, inside))
    best = sorted(scored, reverse=True)[:limit]
    return [fragment(text, start, end, inside) for *_, start, end, inside in sorted(best, key=lambda b: b[2])]


SPEECH = ("Herr Präsident! Meine Damen und Herren! Die Lage in Nordkorea ist ernst. " * 3 + "\n"
          + "Wir reden über Sanktionen. Sanktionen wirken, z. B. gegen Nordkorea, am 24. Februar. "
          + "Dr. Weber sagte: „Die Sanktionen gegen Russland und Nordkorea bleiben.“ Das ist so. " * 2 + "\n"
          + "Ein Satz ohne Treffer. " * 40 + "Zum Schluss: Nordkorea, Nordkorea und Sanktionen!")


@pytest.mark.parametrize("stems, words", QUERIES + [({"nordkorea", "sanktion"}, set()), ({"lag"}, {"damen"})])
def test_snippets_equal_the_whole_text_snippets(stems, words):
    from indexer.search.snippets import make_snippets

    for text in TEXTS + [SPEECH]:
        assert make_snippets(text, stems, words) == reference_snippets(text, stems, words), text[:60]
