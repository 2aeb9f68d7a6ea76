"""Train small static floret vectors on raw German text for the NER tok2vec.

Text: Bundestag plenary speeches (``corpora/bundestag_speeches_wp19-21``)
plus the *training* sentences of the NER sets in the mix (never test sets).
Needs the optional ``floret`` package (``pip install floret``).
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Iterator

from .data import find_split, read_jsonl

_TOKEN = re.compile(r"\w+(?:[-.'’]\w+)*|[^\w\s]")

SPEECHES = "corpora/bundestag_speeches_wp19-21.jsonl.gz"
NER_TEXT = (
    ("smartdata_de", "train"),
    ("wikiann_panx_de", "train"),
    ("wikiann_panx_de", "dev"),
    ("europarl_de", "train"),
    ("germeval2014_de", "dev"),
    ("legal_ner_de", "train"),
)


def tokenize(text: str) -> str:
    """Split off punctuation roughly like spaCy's German tokenizer."""
    return " ".join(_TOKEN.findall(text))


def speech_lines(path: Path, max_words: int) -> Iterator[str]:
    """Tokenised paragraphs of the speeches, up to ``max_words`` words."""
    words = 0
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            for para in json.loads(line)["text"].split("\n"):
                tokens = tokenize(para)
                if tokens:
                    words += tokens.count(" ") + 1
                    yield tokens
            if words >= max_words:
                return


def write_corpus(shared: Path, out: Path, max_words: int) -> int:
    """Write the raw-text training file for floret; returns lines written."""
    count = 0
    with open(out, "w", encoding="utf-8") as handle:
        for line in speech_lines(shared / SPEECHES, max_words):
            handle.write(line + "\n")
            count += 1
        for name, split in NER_TEXT:
            for sent in read_jsonl(find_split(shared / "ner", name, split)):
                handle.write(" ".join(sent.tokens) + "\n")
                count += 1
    return count


def train_floret(corpus: Path, out: Path, dim: int, bucket: int, threads: int) -> Path:
    """Train cbow floret vectors and save them in floret's text format."""
    import floret

    model = floret.train_unsupervised(
        str(corpus),
        model="cbow",
        mode="floret",
        hashCount=2,
        bucket=bucket,
        minn=4,
        maxn=5,
        dim=dim,
        epoch=5,
        minCount=10,
        thread=threads,
        verbose=1,
    )
    model.save_floret_vectors(str(out))
    return out
