"""Marked text -> HTML: the text escaped, each match in ``<mark>``.

The service returns ``Snippet`` data (text plus match spans); this is the one place the
web turns it into HTML, for the templates (filter ``marked``) and the JSON API's ``html``
fields.

    >>> marked(Snippet("Kim & Nordkorea", ((6, 15),)))
    Markup('Kim &amp; <mark>Nordkorea</mark>')
"""

from __future__ import annotations

from markupsafe import Markup, escape

from indexer.search.results import Snippet


def marked(snippet: Snippet) -> Markup:
    """One snippet or paragraph as escaped HTML with ``<mark>`` around the matches."""
    return Markup("").join(Markup("<mark>%s</mark>") % piece if hit else escape(piece)
                           for piece, hit in snippet.pieces())


def paragraphs_html(paragraphs: list[Snippet]) -> Markup:
    """A document body: one ``<p>`` per paragraph, one per line."""
    return Markup("\n").join(Markup("<p>%s</p>") % marked(paragraph) for paragraph in paragraphs)
