"""What every engine adapter of the peer benchmark shares: records, results, facet passes.

An adapter has ``name``, ``build(corpus, directory) -> Built`` and
``search(query: BenchQuery, facets: bool) -> Outcome``. Every search returns the top 10
with a snippet each and the exact number of matches; with ``facets=True`` also the top 10
values of the person-like facet and the counts per year, counted disjunctively (each
facet with every other active filter but not its own), as the product does.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from benchmarks.queries import BenchQuery

TOP = 10
SNIPPET_CHARS = 240
FACETS = ("group", "year")
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


@dataclass
class Built:
    documents: int
    seconds: float
    size_bytes: int
    note: str = ""

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


@dataclass
class Outcome:
    total: int
    hits: list[tuple[str, str, str]]  # (id, title, snippet)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


class EngineMissing(RuntimeError):
    """A peer's Python package is not installed; the runner skips that engine."""


def records(corpus: Path) -> Iterator[dict]:
    """The benchmark corpus' records, with ``year`` (0 when undated)."""
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            date = record.get("date") or ""
            record["year"] = int(date[:4]) if date[:4].isdigit() else 0
            yield record


def facet_passes(query: BenchQuery) -> dict[tuple, list[str]]:
    """Disjunctive facet counting: {filters to apply: facets counted under them}.

    No filter: one pass for both facets. ``group`` set: the year facet is counted with the
    group filter, the group facet without it (and so on).
    """
    active = {name: value for name, value in (("group", query.group), ("year", query.year)) if value}
    passes: dict[tuple, list[str]] = {}
    for facet in FACETS:
        key = tuple(sorted((name, value) for name, value in active.items() if name != facet))
        passes.setdefault(key, []).append(facet)
    return passes


def active_filters(query: BenchQuery) -> tuple:
    return tuple(sorted((name, value) for name, value in (("group", query.group), ("year", query.year)) if value))


def fold(word: str) -> str:
    """Lowercase without umlauts and ß, as the Snowball German stemmer leaves its stems."""
    return word.lower().translate(_FOLD)


def prefix_text(text: str) -> str:
    """The prefix of ``Flücht*`` as the peers' stemmed terms spell it: ``flucht``."""
    return re.sub(r"\W+", "", fold(text))


def directory_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(path) for name in names)
