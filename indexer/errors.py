"""Domain exceptions. Each carries a one-line message and a hint for the user.

The edges translate them: the commands (``search``, ``search-index``, ``search-web``)
print them with ``print_error``; the web app maps each class to an HTTP status
(``search_web.handlers.STATUS``). Nothing below the edges prints or exits.
"""

import sys


class SearchError(Exception):
    """Base class of every error the product reports to a user."""

    hint = ""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        return self.message


class QuerySyntaxError(SearchError):
    """The query string cannot be parsed or is out of bounds."""

    hint = 'Anführungszeichen und Klammern schließen, z. B. "Angriff auf die Ukraine" oder (Russland ODER Ukraine).'


class EmptyQueryError(QuerySyntaxError):
    """The query contains only stopwords or nothing searchable."""

    hint = "Ein inhaltstragendes Wort angeben, z. B. Nordkorea."


class BadRequestError(SearchError):
    """A request parameter (page, size, filter, sort) is invalid."""

    hint = "Parameter prüfen."


class DateFormatError(BadRequestError, ValueError):
    """A date that is present but no date: ``2024-13-01``, ``gestern`` (see ``indexer.text.dates``)."""

    hint = "Format JJJJ-MM-TT oder TT.MM.JJJJ, z. B. 2024-10-28 oder 28.10.2024 (Zeiträume auch 2024 oder 2024-10)."


class DateOrderError(BadRequestError):
    """The from-date lies after the to-date; the edges offer the swapped range (a link, an option hint)."""

    hint = "Die Datumsgrenzen tauschen."

    def __init__(self, start, end, hint: str | None = None):
        super().__init__(f"Das Von-Datum ({start:%d.%m.%Y}) liegt nach dem Bis-Datum ({end:%d.%m.%Y}).", hint)
        self.start, self.end = start, end


class DocumentNotFound(SearchError):
    hint = "Die Dokument-ID prüfen."


class EntityNotFound(SearchError):
    """No such facet, or no such value in it: ``suggestions`` are the closest values (for links)."""

    hint = "Den Namen prüfen oder in der Suche nach ihm suchen."

    def __init__(self, message: str, hint: str | None = None, facet: str = "", suggestions: tuple[str, ...] = ()):
        super().__init__(message, hint)
        self.facet, self.suggestions = facet, tuple(suggestions)


class IndexNotFound(SearchError):
    hint = "Zuerst einen Index bauen: search-index build seeds/"


class IndexFormatError(SearchError):
    """The index was written by a version with another on-disk format: it must be rebuilt."""


class IndexLockedError(SearchError):
    """Another writer holds the index lock."""

    hint = "Warten, bis der andere Schreibvorgang fertig ist, und erneut versuchen."


class ClusterError(SearchError):
    """A build on a Dask cluster cannot start or lost its scheduler (``--cluster``)."""

    hint = "Scheduler und Worker prüfen (README: Scaling out) oder ohne --cluster bauen."


class ClusterStorageError(ClusterError):
    """A worker cannot write the generation directory: the index is not on shared storage."""

    hint = ("Das Index-Verzeichnis muss auf einem Speicher liegen, den alle Worker unter demselben Pfad "
            "schreiben können (z. B. NFS); siehe README: Scaling out.")


class DocumentError(SearchError):
    """A bad input record: carries file and line."""

    def __init__(self, path: str, line: int | None, reason: str, hint: str | None = None):
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}", hint)
        self.path = str(path)
        self.line = line
        self.reason = reason


def print_error(message: str, hint: str = "", file=None) -> None:
    """The one way a command reports an error: ``Fehler:`` and, when there is one, ``Hinweis:``.

    >>> print_error("Kein Index in index", IndexNotFound.hint, file=sys.stdout)
    Fehler: Kein Index in index
    Hinweis: Zuerst einen Index bauen: search-index build seeds/
    """
    file = file or sys.stderr  # looked up per call: test runners swap sys.stderr
    print(f"Fehler: {message}", file=file)
    if hint:
        print(f"Hinweis: {hint}", file=file)
