"""Document-level facet quality against gold facets (``../shared/data/facets/GUIDELINES.md``).

Pure scoring, no spaCy: :func:`score` compares each document's predicted facet values with
its gold entities. A value is right when, after folding case, whitespace, hyphens and ß, it
equals the name or an alias of a gold entity of that facet not matched before in the
document; a second value for the same entity is wrong; a predicted country that the gold
lists only via a place (``countries_via_place``) counts neither way.

    >>> gold = [{"id": "a", "text": "", "persons": [{"name": "Werner Faymann", "aliases": ["Faymann"]}],
    ...          "countries": [], "organisations": []}]
    >>> score(gold, {"a": {"persons": ["Faymann", "Werner Faymann"], "countries": [], "organisations": []}})
    ... # doctest: +ELLIPSIS
    {'persons': FacetScore(right=1, predicted=2, matched=1, gold=1, errors=(...)), ...}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from indexer.errors import SearchError

FACETS = ("persons", "countries", "organisations")


class GoldFileError(SearchError):
    """A gold file is missing or has a line that is not a gold document."""

    hint = "Eine Zeile pro Dokument: {\"id\": ..., \"text\": ..., \"persons\": [{\"name\": ..., \"aliases\": []}], ...}"


@dataclass(frozen=True)
class Error:
    """One wrong value or one missed gold entity: ``Error("a", "persons", "extra", "Taurus")``."""

    document: str
    facet: str
    kind: str  # "extra" (predicted, not gold), "duplicate" (second value of one entity), "missed"
    value: str


@dataclass(frozen=True)
class FacetScore:
    right: int = 0
    predicted: int = 0
    matched: int = 0
    gold: int = 0
    errors: tuple[Error, ...] = field(default=(), repr=False)

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3),
                "predicted": self.predicted, "gold": self.gold}


def score_key(value: str) -> str:
    """The guideline's comparison: case, whitespace, hyphens and ß folded (diacritics kept).

    ``Marie-Agnes  Strack-Zimmermann`` -> ``marie agnes strack zimmermann``."""
    return re.sub(r"[\s\-‐–]+", " ", value.casefold().replace("ß", "ss")).strip()


def score_document(doc_id: str, facet: str, predicted: list[str], gold: list[dict],
                   via_place: list[str] = ()) -> FacetScore:
    """Counts and errors of one facet of one document."""
    names = [{score_key(g["name"]), *map(score_key, g.get("aliases", []))} for g in gold]
    neutral = {score_key(v) for v in via_place}
    matched: set[int] = set()
    right = counted = 0
    errors = []
    for value in predicted:
        key = score_key(value)
        hit = next((i for i, keys in enumerate(names) if key in keys and i not in matched), None)
        if hit is None and key in neutral:
            continue
        counted += 1
        if hit is None:
            known = any(key in keys for keys in names)
            errors.append(Error(doc_id, facet, "duplicate" if known else "extra", value))
        else:
            matched.add(hit)
            right += 1
    errors += [Error(doc_id, facet, "missed", g["name"]) for i, g in enumerate(gold) if i not in matched]
    return FacetScore(right, counted, len(matched), len(gold), tuple(errors))


def add(a: FacetScore, b: FacetScore) -> FacetScore:
    return FacetScore(a.right + b.right, a.predicted + b.predicted, a.matched + b.matched, a.gold + b.gold,
                      a.errors + b.errors)


def score(gold: list[dict], predicted: dict[str, dict[str, list[str]]]) -> dict[str, FacetScore]:
    """Per facet over all ``gold`` documents; ``predicted`` maps id -> facet -> values."""
    table = {facet: FacetScore() for facet in FACETS}
    for document in gold:
        values = predicted.get(document["id"], {})
        for facet in FACETS:
            via = document.get("countries_via_place", []) if facet == "countries" else []
            table[facet] = add(table[facet], score_document(document["id"], facet, list(values.get(facet, ())),
                                                            document.get(facet, []), via))
    return table


def read_gold(path: Path) -> list[dict]:
    """Gold documents of a JSONL file; a bad line is a :class:`GoldFileError` naming file and line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise GoldFileError(f"Gold-Datei nicht lesbar: {path}: {error.strerror}") from error
    documents = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            document = json.loads(line)
        except json.JSONDecodeError as error:
            raise GoldFileError(f"{path}:{number}: kein JSON ({error.msg})") from error
        if not isinstance(document, dict) or not isinstance(document.get("id"), str) or "text" not in document:
            raise GoldFileError(f"{path}:{number}: ein Gold-Dokument braucht \"id\" und \"text\"")
        documents.append(document)
    return documents


def entity_text(document: dict) -> str:
    """What the product indexes of a gold document: title + text (a headline alone is its text)."""
    title, text = document.get("title", "") or "", document.get("text", "") or ""
    if not text.strip():
        return title
    return text if not title or text.startswith(title) else f"{title}\n{text}"
