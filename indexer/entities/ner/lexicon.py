"""Lexicon feature for the NER tok2vec: a per-token word class in ``token.tag_``.

The pipeline component ``news_ner_lexicon`` runs before ``tok2vec`` and writes a
class such as ``FIRST``, ``LAST``, ``PLACE`` or ``FIRST+PLACE`` into
``token.tag_`` (empty if the word is in no list); the tok2vec embeds ``TAG``
like NORM or SHAPE.  The lists are facts stored in the model folder:

* ``FIRST`` / ``LAST``: words seen as first / last token of PER spans in the
  *training* parts of the mix (never test sets), at least ``MIN_NAME_COUNT``
  times and mostly inside PER spans;
* ``PLACE``: single words of the shipped country gazetteer (country names,
  GeoNames city and region names, ``indexer/data/gazetteer/``).

During training the component is an annotating component, so the training
docs get the same classes as at run time.  Import this module before
``spacy.load`` of a model that has the component (``indexer.entities.extraction`` and
``indexer.entities.ner.evaluate`` do).
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Iterable

import numpy
from spacy.attrs import ORTH, TAG
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc

from .data import Sentence, bio_spans

FACTORY = "news_ner_lexicon"
MIN_NAME_COUNT = 2  # a name must occur this often in training PER spans
MIN_NAME_SHARE = 0.5  # ... and be inside PER spans at least this share of its occurrences
FILE = "lexicon.json.gz"


def name_classes(sentences: Iterable[Sentence]) -> dict[str, set[str]]:
    """``FIRST``/``LAST`` classes of words from the PER spans of training sentences."""
    first: Counter[str] = Counter()
    last: Counter[str] = Counter()
    total: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for sentence in sentences:
        total.update(sentence.tokens)
        for start, end, label in bio_spans(sentence.tags):
            if label != "PER":
                continue
            words = [w for w in sentence.tokens[start:end] if w[:1].isupper() and w.isalpha()]
            inside.update(sentence.tokens[start:end])
            if len(words) >= 2:
                first.update(words[:-1])
            if words:
                last[words[-1]] += 1
    classes: dict[str, set[str]] = {}
    for counter, name in ((first, "FIRST"), (last, "LAST")):
        for word, n in counter.items():
            if n >= MIN_NAME_COUNT and inside[word] >= MIN_NAME_SHARE * total[word]:
                classes.setdefault(word, set()).add(name)
    return classes


def place_words(gazetteer_dir: Path | None = None) -> set[str]:
    """One-word place and country names of the shipped gazetteer."""
    from indexer.entities.countries import DATA_DIR

    directory = gazetteer_dir or DATA_DIR
    words: set[str] = set()
    with gzip.open(directory / "places.tsv.gz", "rt", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            name = line.split("\t", 1)[0]
            if " " not in name and name[:1].isupper():
                words.add(name)
    with open(directory / "countries.tsv", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            for name in line.rstrip("\n").split("\t")[2].split("|"):
                if " " not in name:
                    words.add(name)
    return words


def build_lexicon(train_sentences: Iterable[Sentence], out: Path) -> Path:
    """Write the word -> class table (JSON) for the component's initialize()."""
    classes = name_classes(train_sentences)
    for word in place_words():
        classes.setdefault(word, set()).add("PLACE")
    table = {word: "+".join(sorted(names)) for word, names in sorted(classes.items())}
    out.parent.mkdir(parents=True, exist_ok=True)
    write_table(table, out)
    return out


def write_table(table: dict[str, str], path: Path) -> None:
    """Gzipped JSON without a time stamp, so rebuilt models are byte-identical."""
    data = json.dumps(table, ensure_ascii=False).encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(data)


def read_table(path: Path) -> dict[str, str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


class LexiconTagger:
    """Sets ``token.tag_`` to the word's lexicon class (or leaves it empty)."""

    def __init__(self, nlp: Language, name: str = FACTORY):
        self.name = name
        self.table: dict[str, str] = {}
        self.ids: dict[int, int] = {}  # ORTH hash of the word -> hash of its class
        self.strings = nlp.vocab.strings

    def _set_table(self, table: dict[str, str]) -> None:
        self.table = table
        self.ids = {get_string_id(word): self.strings.add(cls) for word, cls in table.items()}

    def initialize(self, get_examples=None, *, nlp=None, path: str | None = None) -> None:
        if path:
            self._set_table(read_table(Path(path)))

    def __call__(self, doc: Doc) -> Doc:
        get = self.ids.get
        tags = [get(orth, 0) for orth in doc.to_array(ORTH).tolist()]
        if any(tags):  # from_array instead of token.tag: no Token objects (speed)
            doc.from_array([TAG], numpy.array(tags, dtype="uint64").reshape(-1, 1))
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)

    def to_disk(self, path, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        write_table(self.table, path / FILE)

    def from_disk(self, path, exclude=()) -> "LexiconTagger":
        self._set_table(read_table(Path(path) / FILE))
        return self

    def to_bytes(self, exclude=()) -> bytes:
        return json.dumps(self.table, ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, exclude=()) -> "LexiconTagger":
        self._set_table(json.loads(data.decode("utf-8")))
        return self


@Language.factory(FACTORY)
def make_lexicon_tagger(nlp: Language, name: str) -> LexiconTagger:
    return LexiconTagger(nlp, name)
