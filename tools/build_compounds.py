"""Rebuild the shipped compound dictionary from the shared lexicon.

    python -m tools.build_compounds ../shared/data/lexicon

Writes ``words.tsv.gz``: one normalised word a line, its Zipf frequency x10 and a flag
``n`` when it is a German noun form (a possible compound part). Nouns come from the
Wiktionary noun list (german-nouns, CC BY-SA 4.0), frequencies from wordfreq (CC BY-SA 4.0).
Frequent non-nouns are kept too, so a frequent whole word (``Russland``) is not split
into rare parts (``Ruß`` + ``Land``).
"""

from __future__ import annotations

import argparse
import csv
import gzip
from pathlib import Path

from indexer.settings import DATA_DIR
from indexer.text.analyser import STOPWORDS, normalize_german

NOUN_MIN_ZIPF = 2.0
SHORT_NOUN_MIN_ZIPF = 4.0  # three-letter parts (tag, amt, rat) only when common
WORD_MIN_ZIPF = 3.0
OUT = DATA_DIR / "compounds" / "words.tsv.gz"


def read_zipf(lexicon: Path) -> dict[str, float]:
    with gzip.open(lexicon / "wordfreq" / "wordfreq_large_de.tsv.gz", "rt", encoding="utf-8") as f:
        next(f)
        return {w: float(z) for w, z in (line.rstrip("\n").split("\t") for line in f)}


def read_noun_forms(lexicon: Path) -> set[str]:
    forms: set[str] = set()
    with gzip.open(lexicon / "german_nouns" / "nouns.csv.gz", "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            cells = [row["lemma"]] + [v for k, v in row.items() if " " in (k or "") and v]
            forms.update(c.lower() for c in cells if c and c.isalpha())
    return forms


def build_entries(lexicon: Path) -> dict[str, tuple[int, bool]]:
    zipf = read_zipf(lexicon)
    entries: dict[str, tuple[int, bool]] = {}
    for form in read_noun_forms(lexicon):
        z = zipf.get(form, 0.0)
        floor = SHORT_NOUN_MIN_ZIPF if len(form) == 3 else NOUN_MIN_ZIPF
        key = normalize_german(form)
        if len(form) >= 3 and z >= floor and key not in STOPWORDS:
            entries[key] = (max(round(z * 10), entries.get(key, (0,))[0]), True)
    for word, z in zipf.items():
        key = normalize_german(word)
        if z >= WORD_MIN_ZIPF and word.isalpha() and key not in entries:
            entries[key] = (round(z * 10), False)
    return entries


def main(lexicon: str) -> None:
    entries = build_entries(Path(lexicon))
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as f:
        for word in sorted(entries):
            z, noun = entries[word]
            f.write(f"{word}\t{z}\t{'n' if noun else ''}\n")
    nouns = sum(1 for _, n in entries.values() if n)
    print(f"{len(entries)} words ({nouns} noun forms) -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Rebuild indexer/data/compounds/words.tsv.gz from the shared lexicon.")
    parser.add_argument("lexicon", nargs="?", default="../shared/data/lexicon", help="shared/data/lexicon directory")
    main(parser.parse_args().lexicon)
