"""Generated German news corpora with known, findable documents.

Every generated document has a unique id (``gen-00042``) and a unique marker word
(``Kennung`` + letters, e.g. ``Kennungqbax``) so a test can check that each one is
indexed and findable by text, not only by id.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

SENTENCES = (
    "Die Bundesregierung berät über weitere Sanktionen gegen Russland.",
    "Nordkoreanische Soldaten sollen in der Region Kursk eingesetzt werden.",
    "Der NATO-Generalsekretär warnt vor einer Eskalation des Krieges.",
    "Im Bundestag wurde lange über die Lieferung von Waffen gestritten.",
    "Die Außenministerin reist zu Gesprächen nach Brüssel.",
    "Die Bundeswehr beendet ihren Einsatz in Mali.",
    "Südkorea und Japan verstärken ihre Zusammenarbeit bei der Raketenabwehr.",
    "Die Europäische Union beschließt ein neues Hilfspaket für die Ukraine.",
    "Der Verteidigungsminister besucht die Truppe in Litauen.",
    "Experten rechnen mit steigenden Energiepreisen im Winter.",
    "Die Opposition kritisiert die Haushaltspläne der Koalition.",
    "Vor der Botschaft versammelten sich Hunderte Demonstranten.",
)
LETTERS = "bcdfghjklmnpqrstvwxz"


def marker(number: int) -> str:
    """A unique, letters-only word for document ``number``: ``Kennung`` + 4 consonants."""
    letters = []
    for _ in range(4):
        number, digit = divmod(number, len(LETTERS))
        letters.append(LETTERS[digit])
    return "Kennung" + "".join(letters)


def record(number: int, rng: random.Random, prefix: str = "gen") -> dict:
    sentences = rng.sample(SENTENCES, rng.randint(2, 4))
    text = f"Berlin. {' '.join(sentences)} Stichwort {marker(number)}."
    day = 1 + number % 28
    return {"id": f"{prefix}-{number:05d}", "title": f"Meldung {number}: {sentences[0][:40]}",
            "text": text, "date": f"2024-{1 + number % 12:02d}-{day:02d}", "source": "generiert"}


def write_corpus(path: Path, count: int, start: int = 0, seed: int = 7, prefix: str = "gen") -> list[dict]:
    """Writes ``count`` records (numbers ``start`` ...) as JSONL (gzipped for ``.gz``); returns them."""
    rng = random.Random(seed + start)
    records = [record(n, rng, prefix) for n in range(start, start + count)]
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return records
