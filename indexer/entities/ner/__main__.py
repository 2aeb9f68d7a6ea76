"""Command line: ``python -m indexer.entities.ner train|evaluate``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .evaluate import MODEL_DIR
from indexer.settings import PROJECT_ROOT

REPO_DIR = PROJECT_ROOT
DEFAULT_DATA = REPO_DIR.parent / "shared" / "data"


@click.group()
def cli() -> None:
    """Train and evaluate the German NER model (PER, LOC, ORG)."""


@cli.command()
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=DEFAULT_DATA,
              show_default=True, help="Shared data folder (or its ner/ subfolder).")
@click.option("--output", type=click.Path(path_type=Path), default=MODEL_DIR,
              show_default=True, help="Where the trained model is written.")
@click.option("--work", type=click.Path(path_type=Path), default=Path("work-ner/build"),
              show_default=True, help="Scratch folder for corpora, vectors, checkpoints.")
@click.option("--mix", default=None, help="Data mix name (see indexer/ner/mix.py).")
@click.option("--config", type=click.Path(path_type=Path), default=None,
              help="spaCy training config (default: indexer/ner/config.cfg).")
@click.option("--vectors", type=click.Path(path_type=Path), default=None,
              help="Reuse this .floret file instead of training vectors.")
@click.option("--no-vectors", is_flag=True, help="Train without static vectors.")
@click.option("--last/--best", default=None,
              help="Ship the last or the best-on-dev checkpoint [default: last for mixes "
                   "that train on their dev parts, such as 'final'].")
@click.option("--set", "settings", multiple=True, metavar="KEY=VALUE",
              help="Extra spaCy config override, e.g. training.max_steps=2000.")
def train(data_dir, output, work, mix, config, vectors, no_vectors, last, settings) -> None:
    """Rebuild the model from the shared NER data."""
    from .train import CONFIG, DEFAULT_MIX, TrainOptions, run

    if data_dir.name == "ner":
        data_dir = data_dir.parent
    overrides = dict(_parse_setting(s) for s in settings)
    opts = TrainOptions(data_dir=data_dir, output=output, work=work,
                        mix=mix or DEFAULT_MIX, config=config or CONFIG,
                        vectors=vectors, static_vectors=not no_vectors,
                        overrides=overrides, last=last)
    click.echo(f"model written to {run(opts)}")


def _parse_setting(text: str) -> tuple[str, object]:
    key, sep, value = text.partition("=")
    if not sep:
        raise click.BadParameter(f"expected KEY=VALUE, got {text!r}")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--model", type=click.Path(exists=True, path_type=Path), default=MODEL_DIR,
              show_default=True, help="spaCy model directory.")
@click.option("--speed", is_flag=True, help="Also measure words/s with 1 and 2 processes.")
@click.option("--json", "as_json", is_flag=True, help="Print scores as JSON.")
def evaluate(files, model, speed, as_json) -> None:
    """Score the model on shared-format JSONL FILES (exact spans, PER/LOC/ORG)."""
    from .data import read_jsonl
    from .evaluate import (evaluate_sentences, load_model, parallel_words_per_second,
                           speed_texts, words_per_second)
    from .score import format_table

    nlp = load_model(model)
    for path in files:
        sentences = list(read_jsonl(path))
        scores = evaluate_sentences(nlp, sentences)
        click.echo(f"== {path}")
        click.echo(json.dumps(scores.as_dict()) if as_json else format_table(scores))
        if speed:
            texts = speed_texts(sentences)
            words_per_second(nlp, texts[:100])  # warm up
            wall, cpu = words_per_second(nlp, texts, 1)
            click.echo(f"words/s, 1 process: {wall:,.0f} wall clock, {cpu:,.0f} per CPU second")
            both = parallel_words_per_second(model, texts, 2)
            click.echo(f"words/s, 2 processes: {both:,.0f} combined (model loading excluded)")


if __name__ == "__main__":
    cli()
