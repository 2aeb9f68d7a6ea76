"""Domain exceptions. Each carries a one-line message and a hint for the user.

The CLI prints ``message`` and ``hint``; the web app turns them into 400/404 pages.
Nothing below the edges prints or exits.
"""


class SearchError(Exception):
    """Base class of every error the product reports to a user."""

    status = 500
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

    status = 400
    hint = 'Anführungszeichen und Klammern schließen, z. B. "Angriff auf die Ukraine" oder (Russland ODER Ukraine).'


class EmptyQueryError(QuerySyntaxError):
    """The query contains only stopwords or nothing searchable."""

    hint = "Ein inhaltstragendes Wort angeben, z. B. Nordkorea."


class BadRequestError(SearchError):
    """A request parameter (page, size, filter, sort) is invalid."""

    status = 400
    hint = "Parameter prüfen."


class DateFormatError(BadRequestError, ValueError):
    """A date that is present but no date: ``2024-13-01``, ``gestern`` (see ``indexer.text.dates``)."""

    hint = "Format JJJJ-MM-TT oder TT.MM.JJJJ, z. B. 2024-10-28 oder 28.10.2024 (Zeiträume auch 2024 oder 2024-10)."


class DocumentNotFound(SearchError):
    status = 404
    hint = "Die Dokument-ID prüfen."


class IndexNotFound(SearchError):
    status = 503
    hint = "Zuerst einen Index bauen: search-index build seeds/"


class IndexFormatError(SearchError):
    """The index was written by a version with another on-disk format: it must be rebuilt."""

    status = 503


class IndexLockedError(SearchError):
    """Another writer holds the index lock."""

    status = 409
    hint = "Warten, bis der andere Schreibvorgang fertig ist, und erneut versuchen."


class DocumentError(SearchError):
    """A bad input record: carries file and line."""

    status = 400

    def __init__(self, path: str, line: int | None, reason: str, hint: str | None = None):
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}", hint)
        self.path = str(path)
        self.line = line
        self.reason = reason
