"""Training-data mixes: which sets, how much of each, and how to mask them.

A mix is a list of :class:`Part`.  :func:`build_corpora` reads the parts from
the shared data folder and writes spaCy ``.spacy`` files for train and dev.
The test sets (``germeval2014_de/test_a``, ``smartdata_de/test``) are never
part of any mix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import DocBin
from spacy.vocab import Vocab

from .data import (MaskPolicy, Sentence, common_nouns, find_split, read_jsonl, sample,
                   split_hyphens, to_doc)

FORBIDDEN = {("germeval2014_de", "test_a"), ("smartdata_de", "test")}
GERMEVAL_DEV_HOLDOUT = 500  # GermEval dev sentences kept aside as dev data

PLAIN = MaskPolicy()
ADJ = MaskPolicy(adjective_loc_missing=True)
SILVER = MaskPolicy(adjective_loc_missing=True, generic_missing=True)
# gold sets whose O tokens define "common nouns" for cleaning silver spans
LEXICON_PARTS = (
    ("smartdata_de", "train"),
    ("europarl_de", "train"), ("germeval2014_de", "dev"),
)


@dataclass(frozen=True)
class Part:
    name: str
    split: str
    policy: MaskPolicy = PLAIN
    limit: int | None = None  # at most this many sentences (random, fixed seed)
    repeat: int = 1  # upsample by repetition
    role: str = "train"  # "train" or "dev"
    # slice of the split's sentences (after reading, before sampling)
    start: int = 0
    stop: int | None = None
    hyphens: bool = False  # split "A-B" into "A - B" like SmartData dev/test


def _news(policy: MaskPolicy) -> list[Part]:
    holdout = -GERMEVAL_DEV_HOLDOUT
    return [
        Part("smartdata_de", "train", policy),
        Part("germeval2014_de", "dev", policy, repeat=2, stop=holdout),
        Part("wikiann_panx_de", "train", policy),
        Part("europarl_de", "train", policy),
        Part("smartdata_de", "dev", role="dev"),
        Part("germeval2014_de", "dev", role="dev", start=holdout),
    ]


def _news_clean(wikiann: bool = True, wikiann_limit: int | None = None) -> list[Part]:
    holdout = -GERMEVAL_DEV_HOLDOUT
    silver = [Part("wikiann_panx_de", "train", SILVER, limit=wikiann_limit)] if wikiann else []
    return [
        Part("smartdata_de", "train", ADJ, hyphens=True),
        Part("germeval2014_de", "dev", ADJ, repeat=2, stop=holdout),
        *silver,
        Part("europarl_de", "train", ADJ),
        Part("smartdata_de", "dev", role="dev"),
        Part("germeval2014_de", "dev", role="dev", start=holdout),
    ]


# mixes that also train on the dev parts: their dev score is not held out, so
# training runs a fixed number of steps and the last checkpoint is shipped
TRAINS_ON_DEV = {"final", "final_r5"}

MIXES: dict[str, list[Part]] = {
    # news-like sets only, MISC -> O everywhere
    "news": _news(PLAIN),
    # same, LOC-tagged adjectives/demonyms (SmartData, WikiANN) marked missing
    "news_adj": _news(ADJ),
    # news_adj, SmartData train hyphen-split, WikiANN generic spans missing
    "news_clean": _news_clean(),
    # news_clean without the silver WikiANN data
    "news_gold": _news_clean(wikiann=False),
    # news_clean with a 5,000-sentence sample of WikiANN (lower weight)
    "news_wiki5k": _news_clean(wikiann_limit=5000),
    # final model: news_clean + WikiANN dev + the dev parts as training data
    # (no held-out dev left: train a fixed number of steps, keep model-last)
    "final": _news_clean()
    + [
        Part("smartdata_de", "dev", ADJ),
        Part("germeval2014_de", "dev", ADJ, start=-GERMEVAL_DEV_HOLDOUT),
    ],
    # as tried in run r5: also WikiANN dev, SmartData dev unmasked (worse)
    "final_r5": _news_clean()
    + [
        Part("wikiann_panx_de", "dev", SILVER),
        Part("smartdata_de", "dev"),
        Part("germeval2014_de", "dev", start=-GERMEVAL_DEV_HOLDOUT),
    ],
    # news_clean plus WikiANN dev and a sample of legal sentences
    "news_clean_plus": _news_clean()
    + [
        Part("wikiann_panx_de", "dev", SILVER),
        Part("legal_ner_de", "train", ADJ, limit=8000),
    ],
    # news_adj plus a sample of legal sentences and WikiANN dev
    "news_adj_plus": _news(ADJ)
    + [
        Part("legal_ner_de", "train", ADJ, limit=8000),
        Part("wikiann_panx_de", "dev", ADJ),
    ],
}


def read_part(data_dir: Path, part: Part, seed: int = 0) -> list[Sentence]:
    """Sentences of one part (sliced, sampled and repeated)."""
    if (part.name, part.split) in FORBIDDEN:
        raise ValueError(f"{part.name}/{part.split} is a test set and must not be used")
    sentences = list(read_jsonl(find_split(data_dir, part.name, part.split)))
    sentences = sentences[part.start : part.stop]
    sentences = [s for s in sentences if s.tokens]
    if part.hyphens:
        sentences = [split_hyphens(s) for s in sentences]
    return sample(sentences, part.limit, seed) * part.repeat


def noun_lexicon(data_dir: Path, mix: list[Part]) -> frozenset[str]:
    """Common nouns from gold data, needed only if a part cleans silver spans."""
    if not any(p.policy.generic_missing for p in mix):
        return frozenset()
    paths = [find_split(data_dir, name, split) for name, split in LEXICON_PARTS]
    return common_nouns(s for path in paths for s in read_jsonl(path))


def build_corpora(data_dir: Path, mix: list[Part], out_dir: Path) -> dict[str, int]:
    """Write ``train.spacy`` and ``dev.spacy`` for a mix; returns doc counts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    vocab = Vocab()
    nouns = noun_lexicon(data_dir, mix)
    counts = {}
    for role in ("train", "dev"):
        docbin = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"])
        for part in (p for p in mix if p.role == role):
            for sentence in read_part(data_dir, part):
                docbin.add(to_doc(vocab, sentence, part.policy, nouns))
        docbin.to_disk(out_dir / f"{role}.spacy")
        counts[role] = len(docbin)
    return counts
