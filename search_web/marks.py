"""Marked text -> HTML: the text escaped, each match in ``<mark>``.

The service returns ``Snippet`` data (text plus match spans); this is the one place the
web turns it into HTML, for the templates (filters ``marked``, ``paragraphs`` and
``numbered_paragraphs``) and the JSON API's ``html`` fields.

    >>> marked(Snippet("Kim & Nordkorea", ((6, 15),)))
    Markup('Kim &amp; <mark>Nordkorea</mark>')
"""

from __future__ import annotations

from markupsafe import Markup, escape

from indexer.search.results import Snippet


HIT_ID = "treffer-{}"  # the anchor of the n-th mark on the document page: #treffer-3


def marked(snippet: Snippet, first: int | None = None) -> Markup:
    """One snippet or paragraph as escaped HTML with ``<mark>`` around the matches; with
    ``first``, the marks get the ids ``treffer-<first>``, ``treffer-<first + 1>`` …"""
    out, number = [], first
    for piece, hit in snippet.pieces():
        if hit and number is not None:
            out.append(Markup('<mark id="%s">%s</mark>') % (HIT_ID.format(number), piece))
            number += 1
        else:
            out.append(Markup("<mark>%s</mark>") % piece if hit else escape(piece))
    return Markup("").join(out)


def paragraphs_html(paragraphs: list[Snippet]) -> Markup:
    """A document body: one ``<p>`` per paragraph, one per line."""
    return Markup("\n").join(Markup("<p>%s</p>") % marked(paragraph) for paragraph in paragraphs)


def numbered_paragraphs(paragraphs: list[Snippet]) -> Markup:
    """A document body whose marks are numbered through for jump links (``#treffer-1`` …).

    >>> numbered_paragraphs([Snippet("Kim", ((0, 3),)), Snippet("Kim & Putin", ((0, 3), (6, 11)))])
    Markup('<p><mark id="treffer-1">Kim</mark></p>\\n<p><mark id="treffer-2">Kim</mark> &amp; <mark id="treffer-3">Putin</mark></p>')
    """
    out, first = [], 1
    for paragraph in paragraphs:
        out.append(Markup("<p>%s</p>") % marked(paragraph, first))
        first += len(paragraph.marks)
    return Markup("\n").join(out)
