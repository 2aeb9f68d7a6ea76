"""Read the shared NER JSONL files and turn them into spaCy training docs.

The shared format is one sentence per line:
``{"tokens": [...], "tags": [BIO2 over PER/LOC/ORG/MISC], "source": name}``.

Sources follow different conventions.  Where a source has no MISC class its
MISC-like mentions (nationality adjectives such as ``russische``, events,
products) are tagged O, which contradicts sources that tag them.  To avoid
teaching the model those contradictions, :func:`to_doc` can mark such tokens
as *missing* ("-") instead of O, so the loss ignores them.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from spacy.tokens import Doc
from spacy.training import biluo_tags_to_spans
from spacy.vocab import Vocab

from .score import extract_spans

TYPES = ("PER", "LOC", "ORG")

# Nationality adjectives and demonyms ("deutschen", "Kölner Dom"): GermEval
# tags them MISC (LOCderiv), SmartData and WikiANN sometimes LOC.
_DEMONYM = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]+er$")


@dataclass(frozen=True)
class Sentence:
    tokens: list[str]
    tags: list[str]
    source: str


def read_jsonl(path: Path) -> Iterator[Sentence]:
    """Yield sentences from a (optionally gzipped) shared-format JSONL file."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                yield Sentence(row["tokens"], row["tags"], row.get("source", ""))


def find_split(data_dir: Path, name: str, split: str) -> Path:
    """Path of ``<data_dir>/<name>/<split>.jsonl`` (or ``.jsonl.gz``)."""
    for suffix in (".jsonl", ".jsonl.gz"):
        path = data_dir / name / f"{split}{suffix}"
        if path.exists():
            return path
    raise FileNotFoundError(f"no split {split!r} for data set {name!r} in {data_dir}")


def is_adjective_span(tokens: list[str], start: int, end: int) -> bool:
    """True for an entity span that is a place adjective or demonym.

    Lower-case first token (``deutschen``, ``römischen Provinz``), or one
    capitalised ``-er`` word before a capitalised noun (``Kölner Dom``).
    """
    first = tokens[start]
    if first[:1].islower() and first[:1].isalpha():
        return True
    following = tokens[end] if end < len(tokens) else ""
    return end - start == 1 and bool(_DEMONYM.match(first)) and following[:1].isupper()


def biluo_tags(tags: list[str], keep: Iterable[str]) -> list[str]:
    """Convert BIO2 tags to BILUO, keeping only entity types in ``keep``.

    Dropped types become O; an ``I-`` without a preceding open entity of the
    same type starts a new entity (lenient BIO2 reading).
    """
    keep = set(keep)
    spans = bio_spans(tags)
    out = ["O"] * len(tags)
    for start, end, label in spans:
        if label not in keep:
            continue
        if end - start == 1:
            out[start] = f"U-{label}"
            continue
        out[start] = f"B-{label}"
        for i in range(start + 1, end - 1):
            out[i] = f"I-{label}"
        out[end - 1] = f"L-{label}"
    return out


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans ``(start, end, label)`` from BIO2 tags, in text order."""
    return sorted(extract_spans(tags))


@dataclass(frozen=True)
class MaskPolicy:
    """Which gold tags to mark missing ("-") instead of trusting them."""

    adjective_loc_missing: bool = False  # LOC-tagged adjectives / demonyms
    misc_missing: bool = False  # MISC spans (otherwise they become O)


def mask_tags(sentence: Sentence, biluo: list[str], policy: MaskPolicy) -> list[str]:
    """Replace tags by missing ("-") where the source's convention differs."""
    out = list(biluo)
    for start, end, label in bio_spans(sentence.tags):
        adjective = label == "LOC" and is_adjective_span(sentence.tokens, start, end)
        if (policy.misc_missing and label == "MISC") or (
            policy.adjective_loc_missing and adjective
        ):
            out[start:end] = ["-"] * (end - start)
    return out


def to_doc(vocab: Vocab, sentence: Sentence, policy: MaskPolicy) -> Doc:
    """Build a spaCy Doc whose ``ents`` carry the (possibly masked) gold tags."""
    spaces = [True] * len(sentence.tokens)
    if spaces:
        spaces[-1] = False
    biluo = biluo_tags(sentence.tags, TYPES)
    biluo = mask_tags(sentence, biluo, policy)
    doc = Doc(vocab, words=sentence.tokens, spaces=spaces)
    doc.set_ents(biluo_tags_to_spans(doc, [t if t != "-" else "O" for t in biluo]))
    missing = [doc[i : i + 1] for i, tag in enumerate(biluo) if tag == "-"]
    if missing:
        doc.set_ents([], missing=missing, default="unmodified")
    return doc


def sample(sentences: list[Sentence], limit: int | None, seed: int) -> list[Sentence]:
    """A deterministic random subset of at most ``limit`` sentences."""
    if limit is None or limit >= len(sentences):
        return sentences
    rng = random.Random(seed)
    return rng.sample(sentences, limit)
