"""Links a page builds many times (a hit's document, a facet value's entity page): one
``url_for`` per endpoint and request, the last path value quoted as werkzeug's path
converter quotes it (``BaseConverter.to_url``). ``url_for`` for each of a page's 60 facet
values and 10 hits was a fifth of its rendering; tests compare the links with ``url_for``.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import g, url_for

#: what werkzeug's path converter leaves unquoted
PATH_SAFE = "!$&'()*+,/:;=@"


def path_url(endpoint: str, path_arg: str, value: str, **fixed: str) -> str:
    """``url_for(endpoint, **fixed, path_arg=value)`` for a route whose last part is ``path_arg``."""
    prefixes = g.setdefault("url_prefixes", {})
    key = (endpoint, path_arg, *fixed.items())
    if key not in prefixes:
        prefixes[key] = url_for(endpoint, **fixed, **{path_arg: "_"})[:-1]
    return prefixes[key] + quote(value, safe=PATH_SAFE)


def document_url(doc_id: str, endpoint: str = "web.document") -> str:
    return path_url(endpoint, "doc_id", doc_id)
