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
# a hyphen between two word characters, kept as its own token when splitting
_HYPHENATED = re.compile(r"(?<=\w)(-)(?=\w)")


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
    generic_missing: bool = False  # silver spans that look like common nouns


MAX_NAME_TOKENS = 6


def is_generic_span(tokens: list[str], common_nouns: frozenset[str]) -> bool:
    """True for a silver span that is unlikely to be a name.

    Lower-case start (``katholischen Kirche``), very long spans, or spans whose
    capitalised words are all common nouns (``Polizei``, ``Abwehrspieler``).
    """
    if tokens[0][:1].islower() or len(tokens) > MAX_NAME_TOKENS:
        return True
    capitalised = [t for t in tokens if t[:1].isupper()]
    return all(t in common_nouns for t in capitalised)  # also true if none


def _masked(sentence: Sentence, span: tuple[int, int, str], policy: MaskPolicy,
            common_nouns: frozenset[str]) -> bool:
    start, end, label = span
    tokens = sentence.tokens
    if label == "MISC":
        return policy.misc_missing
    if policy.adjective_loc_missing and label == "LOC" and is_adjective_span(tokens, start, end):
        return True
    return policy.generic_missing and is_generic_span(tokens[start:end], common_nouns)


def mask_tags(sentence: Sentence, biluo: list[str], policy: MaskPolicy,
              common_nouns: frozenset[str] = frozenset()) -> list[str]:
    """Replace tags by missing ("-") where the source's convention differs."""
    out = list(biluo)
    for span in bio_spans(sentence.tags):
        if _masked(sentence, span, policy, common_nouns):
            out[span[0] : span[1]] = ["-"] * (span[1] - span[0])
    return out


def split_hyphens(sentence: Sentence) -> Sentence:
    """Split ``Hamburg-Altona`` into ``Hamburg - Altona`` (tags carried over).

    SmartData dev/test are tokenised this way, while its train split is not.
    """
    tokens: list[str] = []
    tags: list[str] = []
    for token, tag in zip(sentence.tokens, sentence.tags):
        parts = _HYPHENATED.split(token) if _HYPHENATED.search(token) else [token]
        inside = "I" + tag[1:] if tag != "O" else "O"
        for i, part in enumerate(parts):
            tokens.append(part)
            tags.append(tag if i == 0 else inside)
    return Sentence(tokens, tags, sentence.source)


def to_doc(vocab: Vocab, sentence: Sentence, policy: MaskPolicy,
           common_nouns: frozenset[str] = frozenset()) -> Doc:
    """Build a spaCy Doc whose ``ents`` carry the (possibly masked) gold tags."""
    spaces = [True] * len(sentence.tokens)
    if spaces:
        spaces[-1] = False
    biluo = biluo_tags(sentence.tags, TYPES)
    biluo = mask_tags(sentence, biluo, policy, common_nouns)
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


def common_nouns(sentences: Iterable[Sentence], min_count: int = 3) -> frozenset[str]:
    """Capitalised words that gold data tags O in mid-sentence (mostly)."""
    outside: dict[str, int] = {}
    inside: dict[str, int] = {}
    for sentence in sentences:
        for i, (token, tag) in enumerate(zip(sentence.tokens, sentence.tags)):
            if i == 0 or not token[:1].isupper():
                continue
            counts = outside if tag == "O" else inside
            counts[token] = counts.get(token, 0) + 1
    return frozenset(
        word for word, n in outside.items()
        if n >= min_count and inside.get(word, 0) <= 0.4 * n
    )
