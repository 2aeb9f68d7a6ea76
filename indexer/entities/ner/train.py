"""Rebuild the shipped NER model: data mix -> (floret vectors) -> spaCy train.

Everything intermediate goes to a work directory; only the best model is
copied to the output directory (by default the packaged model folder).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .mix import MIXES, TRAINS_ON_DEV, build_corpora, read_part
from .vectors import train_floret, write_corpus
from indexer.settings import DATA_DIR

PACKAGE_DIR = Path(__file__).resolve().parent
CONFIG = PACKAGE_DIR / "config.cfg"
MODEL_DIR = DATA_DIR / "ner_model"
DEFAULT_MIX = "final"


@dataclass
class TrainOptions:
    data_dir: Path  # the shared data folder (holds ner/ and corpora/)
    output: Path = MODEL_DIR
    work: Path = Path("work-ner/build")
    mix: str = DEFAULT_MIX
    config: Path = CONFIG
    vectors: Path | None = None  # existing .floret file; trained if None
    static_vectors: bool = True
    vector_dim: int = 64
    vector_buckets: int = 50000
    vector_words: int = 20_000_000
    overrides: dict[str, str] = field(default_factory=dict)
    last: bool | None = None  # ship model-last, not model-best; default: mix trains on dev


def build_vectors(opts: TrainOptions) -> Path:
    """spaCy vectors directory made from floret vectors (trained if needed)."""
    target = opts.work / "vectors"
    floret_file = opts.vectors
    if floret_file is None:
        corpus = opts.work / "vectors_corpus.txt"
        write_corpus(opts.data_dir, corpus, opts.vector_words)
        floret_file = opts.work / "vectors.floret"
        train_floret(corpus, floret_file, opts.vector_dim, opts.vector_buckets, 1)
    command = [sys.executable, "-m", "spacy", "init", "vectors", "de",
               str(floret_file), str(target), "--mode", "floret"]
    subprocess.run(command, check=True)
    return target


def spacy_overrides(opts: TrainOptions, corpus: Path, vectors: Path | None) -> dict:
    """Config overrides for paths and the static-vector switch."""
    overrides = {
        "paths.train": str(corpus / "train.spacy"),
        "paths.dev": str(corpus / "dev.spacy"),
        "components.tok2vec.model.embed.include_static_vectors": vectors is not None,
    }
    if vectors is not None:
        overrides["paths.vectors"] = str(vectors)
    overrides.update(opts.overrides)
    return overrides


def run(opts: TrainOptions) -> Path:
    """Build data, vectors and model; returns the output model directory."""
    from spacy.cli.train import train as spacy_train

    opts.work.mkdir(parents=True, exist_ok=True)
    corpus = opts.work / "corpus"
    counts = build_corpora(opts.data_dir / "ner", MIXES[opts.mix], corpus)
    print(f"mix {opts.mix}: {counts['train']} train docs, {counts['dev']} dev docs", flush=True)
    vectors = build_vectors(opts) if opts.static_vectors else None
    overrides = spacy_overrides(opts, corpus, vectors)
    if uses_lexicon(opts.config):
        overrides["paths.lexicon"] = str(build_lexicon_file(opts))
    training = opts.work / "training"
    spacy_train(opts.config, training, overrides=overrides)
    last = opts.last if opts.last is not None else opts.mix in TRAINS_ON_DEV
    return install(training / ("model-last" if last else "model-best"), opts.output)


def uses_lexicon(config: Path) -> bool:
    """True if the config's pipeline has the lexicon feature component."""
    from spacy import util

    from .lexicon import FACTORY

    return FACTORY in util.load_config(config)["nlp"]["pipeline"]


def build_lexicon_file(opts: TrainOptions) -> Path:
    """Name lists from the mix's training parts plus the gazetteer places."""
    from .lexicon import build_lexicon

    parts = [p for p in MIXES[opts.mix] if p.role == "train"]
    unique = {}  # repeated parts (upsampling) must not raise a name's count
    for part in parts:
        for sentence in read_part(opts.data_dir / "ner", part):
            unique.setdefault((tuple(sentence.tokens), tuple(sentence.tags)), sentence)
    return build_lexicon(unique.values(), opts.work / "lexicon.json.gz")


def install(model: Path, output: Path) -> Path:
    """Copy a trained pipeline into ``output``, keeping a MODEL_CARD.md there."""
    card = output / "MODEL_CARD.md"
    saved = card.read_text(encoding="utf-8") if card.exists() else None
    if output.exists():
        shutil.rmtree(output)
    shutil.copytree(model, output)
    if saved is not None:
        card.write_text(saved, encoding="utf-8")
    _write_meta(output)
    return output


def _write_meta(model: Path) -> None:
    """Name and describe the pipeline in its meta.json."""
    path = model / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update(
        name="news_ner",
        version="1.0.0",
        description="German news NER (PER, LOC, ORG): lexicon word class + tok2vec + ner, see MODEL_CARD.md",
        license="see MODEL_CARD.md (training data CC BY 4.0 and others)",
    )
    path.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
