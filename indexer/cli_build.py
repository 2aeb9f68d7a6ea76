"""``search-index build`` and ``add``: their options, the run with a progress bar, the report.

``--cluster ADDRESS`` sends the work to a Dask scheduler (``indexer.index.cluster``, imported
only then: the product works without the ``cluster`` extra).
"""

from __future__ import annotations

import functools
import json
import sys
import time
from pathlib import Path

import click

from indexer.errors import ClusterError
from indexer.facets import ENTITY_FACETS
from indexer.text.numbers import german_number as zahl




def index_option(func):
    return click.option("--index", "index", type=click.Path(file_okay=False), default=None,
                        help="Index-Verzeichnis (Standard: $NEWS_SEARCH_INDEX oder ./index).")(func)


def write_options(func):
    func = click.option("--on-error", type=click.Choice(["skip", "stop"]), default="skip", show_default=True,
                        help="Fehlerhafte Datensätze überspringen (mit Bericht) oder abbrechen.")(func)
    func = click.option("--entities/--no-entities", default=None,
                        help=f"{', '.join(f.label for f in ENTITY_FACETS)} erkennen (Standard: wenn das Modell da ist).")(func)
    func = click.option("--json", "as_json", is_flag=True, help="Bericht als JSON.")(func)
    func = click.option("--corrections", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="Korrekturen der Facettenwerte (TSV: Facette, drop|rename, Wert, Ziel; siehe README).")(func)
    func = click.option("--cluster", default=None, metavar="ADRESSE",
                        help="Auf einem Dask-Cluster bauen: tcp://HOST:8786 (laufender Scheduler) oder local:N "
                             "(N lokale Worker-Prozesse); siehe README: Scaling out.")(func)
    return index_option(func)


def run_build(action: str, paths, path: Path, on_error: str, entities: bool | None, corrections: Path | None = None,
              cluster: str | None = None):
    """The writer's ``action`` (build, add; imported here, not by ``search``), on ``cluster``
    when given, with a progress bar on a terminal."""
    from indexer.entities.corrections import read_corrections
    from indexer.index import writer as builder

    entities = builder.entities_available() if entities is None else entities
    fixes = read_corrections(corrections) if corrections else None   # a bad line stops before any document is read
    options = builder.BuildOptions(on_error=on_error, entities=entities, corrections=fixes)
    run = functools.partial(on_cluster, action, address=cluster) if cluster else getattr(builder, action)
    if not sys.stderr.isatty():
        return run(paths, path, options)
    with ProgressBar(phases=2 if entities else 1) as bar:  # entity recognition, then writing
        options.progress = bar
        return run(paths, path, options)


class ProgressBar:
    """A ``writer.Progress`` on stderr: documents done, rate and time left."""

    def __init__(self, phases: int):
        self.phases, self.bar, self.started = phases, None, time.monotonic()

    def start(self, total: int) -> None:
        self.bar = click.progressbar(length=total, label="Indexiere", file=sys.stderr, show_eta=True,
                                     show_pos=True, item_show_func=self.rate)
        self.bar.__enter__()

    def advance(self, n: int) -> None:
        self.bar.update(n)

    def rate(self, _) -> str:
        done = self.bar.pos / self.phases if self.bar is not None else 0
        return f"{zahl(done / max(time.monotonic() - self.started, 1e-6))} Dok./s"

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def summary_line(report) -> str:
    return (f"gelesen {zahl(report.read)}, indexiert {zahl(report.indexed)}, aktualisiert {zahl(report.updated)}, "
            f"unverändert {zahl(report.unchanged)}, übersprungen {zahl(report.skipped)}, "
            f"gelöscht {zahl(report.deleted)} ({zahl(report.seconds, 1)} s)")


def print_report(report, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    for where, reason in report.problems[:50]:
        click.echo(f"übersprungen: {where}: {reason}", err=True)
    if len(report.problems) > 50:
        click.echo(f"… und {zahl(len(report.problems) - 50)} weitere", err=True)
    click.echo(summary_line(report))
    for reason, count in report.reasons().items():
        click.echo(f"  {zahl(count)} × {reason}")


def on_cluster(action: str, paths, path: Path, options, address: str):
    try:
        from indexer.index import cluster
    except ImportError:
        raise ClusterError("--cluster braucht dask.distributed, das hier nicht installiert ist.",
                           "Installieren: pip install 'german-news-search[cluster]'") from None
    return cluster.run(action, paths, path, options, address)
