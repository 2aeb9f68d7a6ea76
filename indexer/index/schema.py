"""The index schema: the only place fields are declared.

Text fields use the German analyser; ``exact`` keeps unstemmed, normalised words for
prefix, fuzzy and spelling queries. Entity facets are multi-valued keyword fields whose
values are joined with ``VALUE_SEPARATOR`` (a comma) when written; metadata facets
(speaker, party, source) hold one value each, verbatim (commas and case kept).
"""

from __future__ import annotations

import datetime as dt

from whoosh import fields

from indexer.facets import ENTITY_FACETS, FACETS, METADATA_FACETS
from indexer.text.analyser import exact_analyzer, german_analyzer

VALUE_SEPARATOR = ","
#: query-language field names -> index fields (facets: ``org:NATO`` from the registry)
FIELD_NAMES = {
    **{name: facet.field for facet in FACETS for name in facet.query_names},
    "date": "date", "mentioned": "mentioned", "title": "title", "id": "id",
}
TITLE_BOOST = 2.0


def build_schema() -> fields.Schema:
    german = german_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        hash=fields.ID(stored=True),
        title=fields.TEXT(analyzer=german, stored=True),
        body=fields.TEXT(analyzer=german, stored=True),
        exact=fields.TEXT(analyzer=exact_analyzer(), phrase=False),
        date=fields.DATETIME(stored=True),
        day=fields.NUMERIC(int, bits=32, sortable=True),  # date.toordinal(); 0 = no date
        url=fields.STORED(),
        meta=fields.STORED(),
        country_code=keyword_field(),
        **{facet.field: keyword_field() for facet in ENTITY_FACETS},
        **{facet.field: fields.ID(stored=True) for facet in METADATA_FACETS},
        mentioned=fields.KEYWORD(commas=True, scorable=False),
    )


def keyword_field() -> fields.KEYWORD:
    return fields.KEYWORD(stored=True, commas=True, scorable=False, lowercase=False)


def join_values(values) -> str:
    """``["Mark Rutte", "Wladimir Putin"]`` -> ``"Mark Rutte,Wladimir Putin"`` (commas in values dropped)."""
    return VALUE_SEPARATOR.join(v.replace(VALUE_SEPARATOR, " ").strip() for v in values if v and v.strip())


def split_values(stored: str | None) -> list[str]:
    return [v for v in (stored or "").split(VALUE_SEPARATOR) if v]


def to_datetime(date: dt.date | None) -> dt.datetime | None:
    return dt.datetime(date.year, date.month, date.day) if date else None


def to_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None
