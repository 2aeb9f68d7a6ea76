"""Exact-span NER scoring over BIO2 tag sequences (pure functions).

A predicted entity counts as correct only if its start, end and type all
equal a gold entity.  Scores are reported per type and micro-averaged over
the evaluated types (PER, LOC, ORG by default; MISC is ignored).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

Span = tuple[int, int, str]
DEFAULT_TYPES = ("PER", "LOC", "ORG")


def extract_spans(tags: Sequence[str]) -> set[Span]:
    """Entity spans ``(start, end, type)`` (end exclusive) from BIO2 tags.

    ``B-X`` always starts an entity; ``I-X`` continues an open entity of type
    X, and otherwise (after O, or after another type) starts a new one.
    Any tag that is not ``B-``/``I-`` (``O``, ``-``, ...) closes the entity.
    """
    spans: set[Span] = set()
    start: int | None = None
    label = ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and start is not None and kind == label
        if start is not None and not continues:
            spans.add((start, i, label))
            start = None
        if prefix in ("B", "I") and kind and not continues:
            start, label = i, kind
    return spans


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    types: tuple[str, ...] = DEFAULT_TYPES
    per_type: dict[str, Counts] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kind in self.types:
            self.per_type.setdefault(kind, Counts())

    @property
    def micro(self) -> Counts:
        total = Counts()
        for counts in self.per_type.values():
            total.tp += counts.tp
            total.fp += counts.fp
            total.fn += counts.fn
        return total

    def add(self, gold: set[Span], pred: set[Span]) -> None:
        """Count one sentence's gold and predicted spans."""
        for kind in self.types:
            g = {s for s in gold if s[2] == kind}
            p = {s for s in pred if s[2] == kind}
            counts = self.per_type[kind]
            counts.tp += len(g & p)
            counts.fp += len(p - g)
            counts.fn += len(g - p)

    def as_dict(self) -> dict[str, dict[str, float]]:
        rows = {kind: self.per_type[kind] for kind in self.types}
        rows["micro"] = self.micro
        return {
            name: {"precision": c.precision, "recall": c.recall, "f1": c.f1,
                   "tp": c.tp, "fp": c.fp, "fn": c.fn}
            for name, c in rows.items()
        }


def score_tag_sequences(
    pairs: Iterable[tuple[Sequence[str], Sequence[str]]],
    types: Sequence[str] = DEFAULT_TYPES,
) -> Scores:
    """Score ``(gold_tags, predicted_tags)`` pairs with exact span match."""
    scores = Scores(tuple(types))
    for gold, pred in pairs:
        if len(gold) != len(pred):
            raise ValueError(f"tag sequences differ in length: {len(gold)} != {len(pred)}")
        scores.add(extract_spans(gold), extract_spans(pred))
    return scores


def format_table(scores: Scores) -> str:
    """A plain-text table of precision/recall/F1 per type and micro."""
    lines = [f"{'type':<6} {'P':>7} {'R':>7} {'F1':>7} {'gold':>6} {'pred':>6}"]
    for name, row in scores.as_dict().items():
        gold = row["tp"] + row["fn"]
        pred = row["tp"] + row["fp"]
        lines.append(
            f"{name:<6} {row['precision']:7.4f} {row['recall']:7.4f} {row['f1']:7.4f}"
            f" {gold:6d} {pred:6d}"
        )
    return "\n".join(lines)
