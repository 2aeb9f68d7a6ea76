"""Command line: ``search`` queries the index, ``search-index`` builds and maintains it.

Both are thin: parse options, call the build functions or the search service, format.
Errors from below arrive as ``SearchError`` and leave as one line plus a hint.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from indexer.cli_build import (ProgressBar, index_option, print_report, run_build, summary_line,  # noqa: F401
                               write_options)
from indexer.cli_entity import entity_summary
from indexer.export import FORMATS, SEPARATORS, export_chunks
from indexer.errors import DateFormatError, DateOrderError, SearchError, print_error
from indexer.facets import DATE_BOUNDS, FACETS
from indexer.search.results import SORT_LABELS, SORTS, WORDS, Hit, SearchPage, SearchRequest, Snippet
from indexer.settings import index_dir, seeds_dir, setting
from indexer.text.dates import parse_bound
from indexer.text.numbers import german_number as zahl

SUBTITLE_CHARS = 150  # a hit's headline under its byline: two terminal lines at most


def report_errors(func):
    """Turns a SearchError into ``Fehler: …`` / ``Hinweis: …`` on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except SearchError as exc:
            print_error(exc.message, exc.hint)
            sys.exit(2)

    return wrapper


class UnknownOption(click.UsageError):
    """A mistyped ``--option``, reported like every other error (exit code 2)."""

    def __init__(self, name: str, hint: str):
        super().__init__(f"Unbekannte Option {name}.")
        self.hint = hint

    def show(self, file=None) -> None:
        print_error(self.message, self.hint, file)


class SearchCommand(click.Command):
    """``search`` takes unknown options as words, so that ``Putin -Selenskyj`` excludes a word;
    an unknown ``--option`` before ``--`` is a typo, though: ``--contry`` -> Meinten Sie --country?"""

    def parse_args(self, ctx, args):
        check_long_options(self.get_params(ctx), args)
        return super().parse_args(ctx, args)


def check_long_options(params, args: list[str]) -> None:
    """``UnknownOption`` with the closest known option for the first unknown ``--name``."""
    takes_value = {opt: not (p.is_flag or p.count) for p in params if isinstance(p, click.Option)
                   for opt in p.opts + p.secondary_opts}
    words = iter(args)
    for arg in words:
        name = arg.split("=", 1)[0]
        if arg == "--":
            return
        if name in takes_value:
            if takes_value[name] and "=" not in arg:
                next(words, None)  # its value, whatever it looks like
        elif name.startswith("--"):
            close = difflib.get_close_matches(name, [o for o in takes_value if o.startswith("--")], n=1)
            raise UnknownOption(name, f"Meinten Sie {close[0]}?" if close else "Alle Optionen: search --help")


def parse_day(ctx, param, value) -> dt.date | None:
    """``--from 28.10.2024``, ``--to 2024-10`` (the month's last day): the one date parser."""
    last = next(bound.last for bound in DATE_BOUNDS if bound.attribute == param.name)
    ctx.meta[param.name] = value  # as typed, for the hint on a swapped range
    try:
        return parse_bound(value or "", last)
    except DateFormatError as exc:
        raise click.BadParameter(exc.message) from None


def filter_options(func):
    """``--person``, ``--country``, ``--org``, ``--speaker``, ``--party``, ``--source`` (repeatable),
    ``--from``, ``--to``: from ``indexer.facets``."""
    for bound in reversed(DATE_BOUNDS):
        func = click.option(bound.option, bound.attribute, callback=parse_day, help=bound.help)(func)
    for facet in reversed(FACETS):
        func = click.option(facet.option, facet.name, multiple=True, help=facet.help)(func)
    return func


def export_options(func):
    """``--format csv|jsonl`` (the whole result set on standard output), ``--sep``, ``--rows``."""
    func = click.option("--rows", type=click.IntRange(1), default=None,
                        help=f"Höchstzahl Zeilen mit --format (Standard und Obergrenze: {zahl(setting('export_max_rows'))}).")(func)
    func = click.option("--sep", type=click.Choice(tuple(SEPARATORS)), default=next(iter(SEPARATORS)), show_default=True,
                        help="Trennzeichen der CSV: semicolon (deutsches Excel, Dezimalkomma) oder comma.")(func)
    return click.option("--format", "fmt", type=click.Choice(tuple(FORMATS)), default=None,
                        help="Alle Treffer (nicht eine Seite) als CSV oder JSON Lines ausgeben.")(func)


# --- search -----------------------------------------------------------------------------


@click.command(cls=SearchCommand, context_settings={"help_option_names": ["-h", "--help"], "ignore_unknown_options": True})
@click.argument("query", nargs=-1)
@filter_options
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True,
              help="date: neueste zuerst, date_asc: älteste zuerst (ohne Datum zuletzt).")
@click.option("--words", type=click.Choice(WORDS), default=None,
              help="Alle Wörter oder beliebige (Standard: beliebige bei einer Frage, sonst alle).")
@click.option("--autocorrect/--no-autocorrect", default=True, show_default=True,
              help="Findet die Anfrage nichts, ihre Rechtschreibkorrektur suchen.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True, help="Treffer pro Seite.")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Maschinenlesbare Ausgabe (JSON).")
@export_options
@click.option("--entity", default=None, metavar="FACETTE:NAME",
              help='Zusammenfassung eines Namens statt Treffern, z. B. person:"Wladimir Putin" (Zeitverlauf, '
                   'oft zusammen genannt, Top-Dokumente; Suche und Filter grenzen ein).')
@index_option
@report_errors
def search_command(query, date_from, date_to, sort, words, autocorrect, limit, page, as_json, fmt, sep, rows, entity,
                   index, **selected):
    """Durchsucht den Index: search "Nordkorea" --country Russland"""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy starts a thread per core (60 ms); searches use no BLAS
    from indexer.search.service import SearchService

    if fmt and as_json:
        raise click.UsageError("--json und --format schließen sich aus.")
    if fmt and entity is not None:
        raise click.UsageError("--entity und --format schließen sich aus.")
    check_date_order(date_from, date_to)
    path = index_dir(index)
    ensure_index(path)
    filters = {name: values for name, values in selected.items() if values}  # facet name -> values
    request = SearchRequest(query=" ".join(query), filters=filters, date_from=date_from, date_to=date_to,
                            sort=sort, page=page, page_size=limit, words=words, autocorrect=autocorrect)
    if entity is not None:
        return entity_summary(path, entity, request, as_json)
    with SearchService(path) as service:
        if fmt:
            write_export(service.export(replace(request, page=1, with_facets=False), rows), fmt, sep)
            return
        result = service.search(request)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_page(result, color=sys.stdout.isatty()))


def write_export(hits, fmt: str, sep: str) -> None:
    """The whole result set as CSV or JSON Lines on standard output, as it is read."""
    sys.stdout.flush()
    out = sys.stdout.buffer  # UTF-8 whatever the terminal's encoding
    for chunk in export_chunks(hits, fmt, sep):
        out.write(chunk.encode("utf-8"))
    out.flush()


def check_date_order(start: dt.date | None, end: dt.date | None) -> None:
    """``DateOrderError`` with the swapped options as the hint: ``--from 2024 --to 2025``."""
    if start and end and start > end:
        typed = click.get_current_context().meta
        raise DateOrderError(start, end, f"Die Grenzen tauschen: --from {typed['date_to']} --to {typed['date_from']}")


def ensure_index(path: Path) -> None:
    """Builds the index from ``seeds/`` on first use, with a one-line notice."""
    from indexer.index.store import current_generation

    if current_generation(path) is not None:
        return
    seeds = seeds_dir()
    click.echo(f"Noch kein Index in {path}/: baue ihn einmalig aus {seeds}/ (einige Minuten) …", err=True)
    report = run_build("build", [seeds], path, "skip", None)
    click.echo(summary_line(report), err=True)


def format_page(page: SearchPage, color: bool) -> str:
    order = SORT_LABELS[page.request.sort] if page.request.sort != "relevance" else ""
    query = page.corrected_query or page.request.query
    lines = [f"{zahl(page.total)} Treffer für »{query}« ({zahl(page.took_ms)} ms)"
             + (f", Seite {zahl(page.page)} von {zahl(page.pages)}" if page.pages > 1 else "")
             + (f", {order}" if order else "") + (f" ({zahl(page.undated)} ohne Datum)" if order and page.undated else "")]
    lines += [line for line in (page.query_notice, page.notice, words_line(page)) if line]
    if page.corrected_query:
        lines.append(f"Ergebnisse für »{page.corrected_query}«. Stattdessen suchen nach »{page.request.query}«: "
                     "--no-autocorrect")
    if page.suggestion:
        lines.append(f"Meinten Sie: {page.suggestion}")
    for hit in page.hits:
        lines += format_hit(hit, color)
    if page.partial_hits:
        lines += ["", "--- Weitere Treffer mit einigen der Wörter ---"]
        for hit in page.partial_hits:
            lines += format_hit(hit, color)
    lines.extend(format_facets(page))
    return "\n".join(lines)


def words_line(page: SearchPage) -> str:
    """How the words were searched, with the option that switches, when it could go either way."""
    if page.words == "any" or (page.words and page.request.words):
        other = "all" if page.words == "any" else "any"
        now = "beliebige Wörter" if page.words == "any" else "alle Wörter"
        return f"Gesucht: {now} (umschalten: --words {other})"
    return ""


def format_hit(hit: Hit, color: bool) -> list[str]:
    when = hit.date.strftime("%d.%m.%Y") if hit.date else "ohne Datum"
    lines = ["", styled(f"{hit.rank}. {hit.byline or hit.title}", color, bold=True)]
    if hit.byline:
        lines.append(f"   {clamped(hit.title)}")
    lines.append(f"   {when} · {hit.source or 'unbekannte Quelle'} · {hit.id}" + (f" · {hit.url}" if hit.url else ""))
    if hit.missing_words:
        lines.append(f"   Es fehlt: {', '.join(hit.missing_words)}")
    lines += ["   " + terminal_text(snippet, color) for snippet in hit.snippets]
    entities = ", ".join(hit.persons[:4] + hit.countries[:4] + hit.organisations[:3])
    if entities:
        lines.append(f"   [{entities}]")
    return lines


def clamped(text: str, limit: int = SUBTITLE_CHARS) -> str:
    """A subtitle of two terminal lines at most: cut at a word, with ``…``."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def format_facets(page: SearchPage) -> list[str]:
    lines = []
    for facet in page.facets:
        if facet.values:
            values = ", ".join(f"{v.value} ({zahl(v.count)})" for v in facet.values[:8])
            lines.append(f"{facet.label}: {values}")
    if page.undated:
        lines.append(f"ohne Datum: {zahl(page.undated)}")
    return [""] + lines if lines else []


def terminal_text(snippet: Snippet, color: bool) -> str:
    """A snippet for a terminal: the matches in bold yellow, or plain text in a pipe."""
    return "".join(styled(piece, color and hit, bold=True, fg="yellow") for piece, hit in snippet.pieces())


def styled(text: str, color: bool, **style) -> str:
    return click.style(text, **style) if color else text


# --- search-index -----------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def index_command():
    """Baut und pflegt den Suchindex."""


@index_command.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@write_options
@report_errors
def build_command(paths, index, on_error, entities, as_json, corrections, cluster):
    """Baut den Index neu aus PATHS (Dateien oder Verzeichnisse) und schaltet atomar um."""
    report = run_build("build", paths, index_dir(index), on_error, entities, corrections, cluster)
    print_report(report, as_json)


@index_command.command("add")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@write_options
@report_errors
def add_command(paths, index, on_error, entities, as_json, corrections, cluster):
    """Fügt neue und geänderte Dokumente hinzu; unveränderte werden übersprungen."""
    report = run_build("add", paths, index_dir(index), on_error, entities, corrections, cluster)
    print_report(report, as_json)


@index_command.command("delete")
@click.argument("ids", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Bericht als JSON.")
@index_option
@report_errors
def delete_command(ids, index, as_json):
    """Löscht Dokumente nach ID."""
    from indexer.index import writer as builder

    print_report(builder.delete(ids, index_dir(index)), as_json)


@index_command.command("stats")
@click.option("--json", "as_json", is_flag=True)
@index_option
@report_errors
def stats_command(index, as_json):
    """Zeigt Dokumente, Terme, Größe, Zeitraum und letzten Bau."""
    from indexer.search.service import SearchService

    with SearchService(index_dir(index)) as service:
        stats = service.stats()
    if as_json:
        click.echo(json.dumps(stats.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"Index:       {stats.path}")
    click.echo(f"Dokumente:   {zahl(stats.documents)}")
    click.echo(f"Terme:       {zahl(stats.terms)}")
    click.echo(f"Größe:       {zahl(stats.size_bytes / 1e6, 1)} MB")
    span = f"{stats.date_min} bis {stats.date_max}" if stats.date_min else "keine Daten"
    click.echo(f"Zeitraum:    {span} (ohne Datum: {zahl(stats.undated)})")
    click.echo(f"Letzter Bau: {stats.last_build or 'unbekannt'}")
