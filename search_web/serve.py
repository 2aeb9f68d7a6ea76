"""``search-web``: serves the app with waitress (pure Python, threaded, any platform).

    search-web --index index --host 127.0.0.1 --port 8000 --threads 4
    search-web --workers 2            # two processes on one socket (POSIX): a search is CPU-bound
                                      # Python, so a second core needs a second process

The Flask development server and debug mode are never used here.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import sys

from waitress import create_server

from indexer.errors import SearchError, print_error
from indexer.settings import index_dir

from search_web import create_app
from search_web.workers import listening, serve_forked

log = logging.getLogger("search_web")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="search-web", description="Weboberfläche und JSON-API der Nachrichtensuche.")
    parser.add_argument("--host", default="127.0.0.1", help="Adresse (Standard: 127.0.0.1; 0.0.0.0 für alle).")
    parser.add_argument("--port", type=int, default=8000, help="Port (Standard: 8000; 0 wählt einen freien).")
    parser.add_argument("--index", default=None, help="Verzeichnis des Index (Standard: $NEWS_SEARCH_INDEX oder ./index).")
    parser.add_argument("--threads", type=int, default=4, help="Arbeits-Threads von waitress je Prozess (Standard: 4).")
    parser.add_argument("--workers", type=int, default=1,
                        help="Prozesse, die sich den Port teilen (Standard: 1; nur POSIX). Eine Suche rechnet in "
                             "Python und hält dabei den GIL: mehr Threads nutzen keinen zweiten Kern, mehr Prozesse "
                             "schon (je Prozess ein eigener Index-Stand, etwa 60-180 MB). Für viele gleichzeitige "
                             "Nutzer: ein Prozess je Kern, z. B. --workers 2 --threads 2 auf 2 Kernen (gemessen: "
                             "142-167 Anfragen/s, p95 76-111 ms bei 100.000 Dokumenten und 8 Nutzern).")
    args = parser.parse_args(argv)
    if args.threads < 1:
        parser.error("--threads muss mindestens 1 sein")
    if args.workers < 1 or (args.workers > 1 and not hasattr(os, "fork")):
        parser.error("--workers muss mindestens 1 sein (mehr als 1 nur unter POSIX)")
    if not 0 <= args.port <= 65535:
        parser.error("--port muss zwischen 0 und 65535 liegen")
    return args


def make_server(index: str | None, host: str = "127.0.0.1", port: int = 8000, threads: int = 4, sock=None):
    """A ready waitress server (``.run()`` serves, ``.close()`` stops); fails early without an index.
    With ``sock``, it accepts on that already bound socket (the workers share one)."""
    app = create_app({"SEARCH_INDEX": str(index_dir(index))})
    app.extensions["search"].warm()  # IndexNotFound now, not on the first request, which is not slower than the next
    where = {"sockets": [sock]} if sock is not None else {"host": host, "port": port}
    return create_server(app, threads=threads, ident="search-web", **where)


def frozen(server):
    """The server, once everything its start made is out of the garbage collector's scans
    (``gc.freeze``): the index's lookups and caches live as long as the process, and at 300k
    documents walking their 110k objects made a collection during a search take 6-7 ms
    (0.9 ms frozen). For a serving process only: the tests' servers are not frozen."""
    gc.freeze()
    return server


def check_index(index: str | None) -> None:
    """``IndexNotFound``/``IndexFormatError`` before any worker starts; no file stays open."""
    app = create_app({"SEARCH_INDEX": str(index_dir(index))})
    with app.extensions["search"] as service:
        service.check()


class StartError(Exception):
    """Start-up failed; the message is printed already."""


@contextlib.contextmanager
def start_errors(args: argparse.Namespace):
    """No index, an old index or a busy port: one line and a hint (``print_error``), then ``StartError``."""
    try:
        yield
    except SearchError as error:
        print_error(error.message, error.hint)
        raise StartError from error
    except OSError as error:
        print_error(f"{args.host}:{args.port} nicht verfügbar ({error.strerror}).")
        raise StartError from error


def serve_workers(args: argparse.Namespace) -> None:
    """``--workers N``: the parent binds, logs and supervises; each worker opens the index itself."""
    with start_errors(args):
        check_index(args.index)
        sock = listening(args.host, args.port)
    with sock:
        log.info("Nachrichtensuche auf http://%s:%s/ (Index %s, %d Prozesse mit je %d Threads)",
                 args.host, sock.getsockname()[1], index_dir(args.index), args.workers, args.threads)
        serve_forked(sock, args.workers, lambda s: frozen(make_server(args.index, threads=args.threads, sock=s)))
    log.info("beendet")


def serve_threads(args: argparse.Namespace) -> None:
    """One process with ``--threads`` waitress threads (any platform)."""
    with start_errors(args):
        server = frozen(make_server(args.index, args.host, args.port, args.threads))
    log.info("Nachrichtensuche auf http://%s:%s/ (Index %s, %d Threads)",
             args.host, server.effective_port, index_dir(args.index), args.threads)
    try:
        server.run()
    except KeyboardInterrupt:
        log.info("beendet")
    finally:
        server.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        (serve_workers if args.workers > 1 else serve_threads)(args)
    except StartError:
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
