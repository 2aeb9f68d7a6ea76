"""Errors -> friendly pages (HTML) or ``{"error", "hint"}`` (API); security headers on every response.

No stack trace, exception text of unexpected errors or file path ever reaches a client.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import Flask, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from indexer.errors import (BadRequestError, DateOrderError, DocumentError, DocumentNotFound, EntityNotFound,
                            IndexFormatError, IndexLockedError, IndexNotFound, QuerySyntaxError, SearchError)
from indexer.facets import DATE_PARAMS

from search_web.present import Link

log = logging.getLogger("search_web")

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

#: domain error -> HTTP status; an error takes the status of the first class of its MRO listed
#: here (EmptyQueryError is a QuerySyntaxError: 400), any other SearchError gets 500
STATUS = {
    QuerySyntaxError: 400, BadRequestError: 400, DocumentError: 400,
    DocumentNotFound: 404, EntityNotFound: 404,
    IndexLockedError: 409,
    IndexNotFound: 503, IndexFormatError: 503,
}
HTTP_TEXTS = {
    404: ("Seite nicht gefunden.", "Die Adresse prüfen oder zur Suche zurückkehren."),
    405: ("Diese Methode ist hier nicht erlaubt.", "Die Suche ist nur lesbar: GET oder HEAD verwenden."),
}
INDEX_MISSING = ("Der Suchindex ist gerade nicht verfügbar.", IndexNotFound.hint)
UNEXPECTED = ("Ein unerwarteter Fehler ist aufgetreten.", "Später noch einmal versuchen; der Fehler wurde protokolliert.")


def register(app: Flask) -> None:
    app.register_error_handler(SearchError, search_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected_error)
    app.after_request(security_headers)


PLAIN_TEXT_PATHS = ("/feed",)  # a feed reader shows text, not a page


def error_response(status: int, message: str, hint: str, suggestions: list[dict] | None = None,
                   fix: Link | None = None):
    """The error page or ``{"error", "hint"}``; ``suggestions`` (``value``, ``url``, ``api_url``)
    are links offered instead (the closest names of an unknown entity); ``fix`` is a link that
    repairs the request, e.g. swapped dates."""
    if request.path in PLAIN_TEXT_PATHS:
        text = f"Fehler: {message}\n" + (f"Hinweis: {hint}\n" if hint else "")
        return make_response(text, status, {"Content-Type": "text/plain; charset=utf-8"})
    if request.path.startswith("/api/"):
        body = jsonify({"error": message, "hint": hint, **({"suggestions": suggestions} if suggestions else {}),
                        **({"fix": fix.url} if fix else {})})
    else:
        body = render_template("error.html", status=status, message=message, hint=hint, suggestions=suggestions,
                               fix=fix)
    return make_response(body, status)


def entity_missing(error: EntityNotFound):
    """A 404 that links the closest values of the facet (``Putn`` -> Wladimir Putin)."""
    from search_web.entities import entity_url

    links = [{"value": value, "url": entity_url(error.facet, value), "api_url": entity_url(error.facet, value, None,
                                                                                         "entities.api")}
             for value in error.suggestions]
    return error_response(404, error.message, error.hint, links)


def search_error(error: SearchError):
    if isinstance(error, IndexNotFound):
        log.error("index not available: %s", error.message)
        return error_response(503, *INDEX_MISSING)
    if isinstance(error, EntityNotFound):
        return entity_missing(error)
    status = status_of(error)
    if status >= 500:
        log.error("search error: %s", error.message)
        return error_response(status, *UNEXPECTED)
    fix = swapped_dates(error) if isinstance(error, DateOrderError) else None
    return error_response(status, error.message, error.hint, fix=fix)


def swapped_dates(error: DateOrderError) -> Link | None:
    """The same request with ``from`` and ``to`` swapped as typed (``from=2025&to=2024`` -> 2024 to 2025)."""
    start, end = DATE_PARAMS
    typed = {name: request.args.get(name, "") for name in DATE_PARAMS}
    if not all(typed.values()):
        return None
    swap = {start: end, end: start}
    pairs = [(name, typed[swap[name]] if name in swap else value) for name, value in request.args.items(multi=True)]
    return Link(f"Zeitraum tauschen: von {typed[end]} bis {typed[start]}", f"{request.path}?{urlencode(pairs)}")


def status_of(error: SearchError) -> int:
    """The HTTP status of a domain error (``STATUS``).

    >>> status_of(DocumentNotFound("Kein Dokument mit der ID 'x'."))
    404
    """
    return next((STATUS[cls] for cls in type(error).__mro__ if cls in STATUS), 500)


def http_error(error: HTTPException):
    status = error.code or 500
    message, hint = HTTP_TEXTS.get(status, (error.name, ""))
    response = error_response(status, message, hint)
    for name, value in error.get_headers():
        if name.lower() == "allow":
            response.headers[name] = value
    return response


def unexpected_error(error: Exception):
    log.exception("unexpected error on %s", request.path)
    return error_response(500, *UNEXPECTED)


def security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
