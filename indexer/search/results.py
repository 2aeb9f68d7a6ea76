"""Plain data that crosses the service boundary: requests in, pages out.

No Whoosh object appears here. The CLI, the web app and the tests see only these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, is_dataclass

from indexer.facets import FACET_FIELDS  # noqa: F401  (the names a request may filter by)

SORTS = ("relevance", "date", "date_asc")  # date: newest first; date_asc: oldest first; undated last in both
#: how each order is shown in the count line and the sort links ("12 Artikel, neueste zuerst")
SORT_LABELS = {"relevance": "Relevanz", "date": "neueste zuerst", "date_asc": "älteste zuerst"}
WORDS = ("all", "any")  # how the words of a query combine: all of them, or any (most and rarest first)


@dataclass(frozen=True)
class SearchRequest:
    """One search: query string, facet filters (OR within a facet, AND across), dates, sort, page."""

    query: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # facet name -> selected values
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = 10
    facet_limit: int = 10
    facet_find: dict[str, str] = field(default_factory=dict)  # facet name -> text of its filter box
    with_facets: bool = True
    recency_boost: bool = False
    words: str | None = None  # "all" or "any"; None: any for a question, else all (any when all finds nothing)
    autocorrect: bool = True  # a query that finds nothing runs its spelling correction instead


@dataclass(frozen=True)
class Snippet:
    """Plain text with the character spans that matched the query: a snippet of a hit or a
    paragraph of a document. Ellipses are part of ``text`` (``"… mit Nordkorea …"``), and
    ``marks`` are ``(start, end)`` offsets into ``text``, sorted and not overlapping.

    >>> Snippet("… Soldaten aus Nordkorea", ((15, 24),)).pieces()
    [('… Soldaten aus ', False), ('Nordkorea', True)]

    Each edge renders the marks its own way: ``<mark>`` on the web, bold in a terminal.
    """

    text: str
    marks: tuple[tuple[int, int], ...] = ()

    def pieces(self) -> list[tuple[str, bool]]:
        """``text`` cut at the marks: (piece, marked) in order, without empty pieces."""
        out, pos = [], 0
        for start, end in self.marks:
            out += [(self.text[pos:start], False), (self.text[start:end], True)]
            pos = end
        out.append((self.text[pos:], False))
        return [(piece, marked) for piece, marked in out if piece]


@dataclass(frozen=True)
class Hit:
    id: str
    title: str  # the headline, or in a parliament the agenda item
    date: dt.date | None
    source: str
    url: str
    score: float
    snippets: list[Snippet]
    persons: list[str]  # mentioned in the text (entity facets)
    countries: list[str]
    organisations: list[str]
    rank: int = 0
    speaker: str = ""  # who spoke or wrote (metadata facets; "" when the record has none)
    party: str = ""
    byline: str = ""  # speaker with party, the hit's first line when there is one: see ``byline``
    missing_words: list[str] = field(default_factory=list)  # a partial hit: the query words it lacks


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Facet:
    name: str  # an entity facet of indexer.facets, year or month
    label: str
    values: list[FacetValue]
    total_values: int = 0  # distinct values with count > 0 (values may be cut to facet_limit), after facet_find
    # year and month: every year (month) from the first to the last with a count, gaps with count 0


@dataclass(frozen=True)
class SearchPage:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: list[Facet]
    suggestion: str | None
    page: int
    page_size: int
    pages: int
    took_ms: float
    undated: int = 0  # matching documents without a date ("ohne Datum")
    notice: str = ""  # how the words were searched, e.g. "Kein Dokument enthält alle Wörter; …"
    words: str = ""  # "all" or "any" when the query's words could combine either way, else ""
    partial_hits: list[Hit] = field(default_factory=list)  # all words found less than a page: most of them
    corrected_query: str | None = None  # the query found nothing; these are the hits of this correction
    query_notice: str = ""  # the query was read leniently, e.g. an unclosed quote as if closed
    unfiltered: int = 0  # documents the query finds without the filters (facets are counted on these)

    def facet(self, name: str) -> Facet | None:
        return next((f for f in self.facets if f.name == name), None)

    def to_dict(self) -> dict:
        return to_jsonable(self)


@dataclass(frozen=True)
class DocumentView:
    """One full document, for the document page and /api/documents/<id>."""

    id: str
    title: str
    date: dt.date | None
    source: str
    url: str
    paragraphs: list[Snippet]  # the non-blank lines of ``body``, query terms marked
    body: str
    persons: list[str]
    countries: list[str]
    organisations: list[str]
    meta: dict
    speaker: str = ""
    party: str = ""
    byline: str = ""

    def to_dict(self) -> dict:
        return to_jsonable(self)


@dataclass(frozen=True)
class RelatedValue:
    """A value found in the same documents as an entity: ``count`` documents with both,
    ``documents`` with the value (in the page's scope), ``lift`` = observed / expected."""

    value: str
    count: int
    documents: int
    lift: float


@dataclass(frozen=True)
class RelatedFacet:
    name: str  # a facet of indexer.facets
    label: str
    values: list[RelatedValue]  # highest lift first


@dataclass(frozen=True)
class EntityPage:
    """One entity (``facet_name``, ``value`` as stored) among the documents the request selects:
    ``total`` of the ``scope`` documents mention it; its timeline (the ``year`` facet, and
    ``month`` within one year, gaps with 0), related values per facet, the top hits."""

    request: SearchRequest
    facet_name: str
    value: str
    total: int
    scope: int
    undated: int
    facets: list[Facet]  # year (and month): the timeline
    related: list[RelatedFacet]
    hits: list[Hit]
    min_count: int
    took_ms: float = 0.0

    def facet(self, name: str) -> Facet | None:
        """The ``year`` or ``month`` facet (as on a SearchPage, so the histogram code serves both)."""
        return next((f for f in self.facets if f.name == name), None)

    def to_dict(self) -> dict:
        return to_jsonable(self)


@dataclass(frozen=True)
class IndexStats:
    documents: int
    terms: int
    size_bytes: int
    date_min: dt.date | None
    date_max: dt.date | None
    undated: int
    last_build: str
    path: str

    def to_dict(self) -> dict:
        return to_jsonable(self)


def byline(speaker: str, party: str) -> str:
    """Who spoke or wrote, as a hit's title line: the speaker with the party, "" without a speaker.

    >>> byline("Annalena Baerbock", "BÜNDNIS 90/DIE GRÜNEN")
    'Annalena Baerbock (BÜNDNIS 90/DIE GRÜNEN)'
    >>> byline("Heiko Maas", ""), byline("", "SPD")
    ('Heiko Maas', '')
    """
    if not speaker:
        return ""
    return f"{speaker} ({party})" if party else speaker


def to_jsonable(value):
    """Dataclasses to dicts, dates to ISO strings, tuples to lists, recursively (what
    ``asdict`` and a pass over its result did, without ``asdict``'s deep copies)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
