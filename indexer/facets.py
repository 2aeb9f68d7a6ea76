"""The facet vocabulary, declared once: every facet with its origin, index field, URL
parameter, CLI option, query-language names, labels and help; the date bounds; month names.

    >>> by_param("org").name, by_param("org").option, by_param("org").label
    ('organisation', '--org', 'Organisationen')
    >>> by_query_name("organisation").singular
    'Organisation'
    >>> [f.name for f in FACETS if f.origin == METADATA]
    ['speaker', 'party', 'source']

Two origins: ``ENTITY_FACETS`` are found in the text by entity recognition (several values
per document), ``METADATA_FACETS`` are fields of the input record (``speaker``, ``party``,
``source``; one value per document, none when the record has none). Adding a facet is one
entry in one of them (and, for metadata, the field on the Article, Hit and DocumentView):
the schema, the service's allowed filters, the query language, the CLI options, the URL
parameters, the labels on the page and in the API all read ``FACETS``. Plain data, no
imports below it: the CLI and the web app may use it.
"""

from __future__ import annotations

from dataclasses import dataclass


ENTITIES, METADATA = "entities", "metadata"  # where a facet's values come from


@dataclass(frozen=True)
class FacetSpec:
    """One facet: an entity facet (``person``, ``country``, ``organisation``) or a metadata
    facet (``speaker``, ``party``, ``source``)."""

    name: str  # the facet's name in requests and results, and its index field: organisation
    param: str  # URL parameter, CLI option (--org) and short query-language name (org:NATO)
    label: str  # heading, plural: Organisationen
    singular: str  # one value, as in the chip "Organisation: NATO"
    help: str  # the CLI option's help text
    attribute: str  # on Hit and DocumentView: a list (organisations) or, for metadata, a string (party)
    origin: str = ENTITIES  # ENTITIES: entity recognition over the text; METADATA: a field of the record

    @property
    def field(self) -> str:
        """The index field holding the values (a keyword field named like the facet)."""
        return self.name

    @property
    def option(self) -> str:
        return f"--{self.param}"

    @property
    def find_param(self) -> str:
        """URL parameter of the facet's filter box: ``org_find=nato``."""
        return f"{self.param}_find"

    @property
    def query_names(self) -> tuple[str, ...]:
        """Field names in the query language: ``org:NATO`` and ``organisation:NATO``."""
        return tuple(dict.fromkeys((self.param, self.name)))


@dataclass(frozen=True)
class DateBound:
    """One end of a date range: ``from``/``--from`` or ``to``/``--to``."""

    param: str  # URL parameter and CLI option name
    attribute: str  # on SearchRequest: date_from
    last: bool  # a year or month means its last day (to) rather than its first (from)
    help: str

    @property
    def option(self) -> str:
        return f"--{self.param}"


ENTITY_FACETS = (
    FacetSpec("person", "person", "Erwähnte Personen", "Erwähnte Person",
              "Nur Dokumente, die diese Person erwähnen (mehrfach: ODER).", "persons"),
    FacetSpec("country", "country", "Länder", "Land", "Nur Dokumente mit diesem Land, z. B. Russland.",
              "countries"),
    FacetSpec("organisation", "org", "Organisationen", "Organisation",
              "Nur Dokumente mit dieser Organisation, z. B. NATO.", "organisations"),
)
METADATA_FACETS = (
    FacetSpec("speaker", "speaker", "Redner und Autoren", "Redner/Autor",
              "Nur Reden oder Artikel dieser Person, z. B. \"Annalena Baerbock\".", "speaker", METADATA),
    FacetSpec("party", "party", "Parteien", "Partei", "Nur Dokumente dieser Partei oder Fraktion, z. B. SPD.",
              "party", METADATA),
    FacetSpec("source", "source", "Quellen", "Quelle", "Nur Dokumente dieser Quelle, z. B. Bundestag-WP20.",
              "source", METADATA),
)
FACETS = ENTITY_FACETS + METADATA_FACETS
DATE_BOUNDS = (
    DateBound("from", "date_from", False, "Frühestes Datum (2024-01-01 oder 01.01.2024)."),
    DateBound("to", "date_to", True, "Spätestes Datum."),
)
YEAR_LABEL, MONTH_LABEL, PERIOD_LABEL = "Jahr", "Monat", "Zeitraum"
MONTH_NAMES = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
               "November", "Dezember")

FACET_NAMES = tuple(f.name for f in FACETS)
FACET_FIELDS = tuple(f.field for f in FACETS)
ENTITY_FIELDS = tuple(f.field for f in ENTITY_FACETS)  # values mentioned in the text, marked there when searched
FACET_PARAMS = tuple(f.param for f in FACETS)
DATE_PARAMS = tuple(b.param for b in DATE_BOUNDS)
LABELS = {**{f.name: f.label for f in FACETS}, "year": YEAR_LABEL, "month": MONTH_LABEL}

_BY_NAME = {f.name: f for f in FACETS}
_BY_PARAM = {f.param: f for f in FACETS}
_BY_QUERY_NAME = {n: f for f in FACETS for n in f.query_names}


def by_name(name: str) -> FacetSpec:
    """``by_name("country").label`` -> ``Länder``; KeyError for an unknown name."""
    return _BY_NAME[name]


def by_param(param: str) -> FacetSpec:
    """``by_param("org").name`` -> ``organisation``; KeyError for an unknown parameter."""
    return _BY_PARAM[param]


def by_query_name(name: str) -> FacetSpec | None:
    """``org`` and ``organisation`` -> the organisation facet; None for another field."""
    return _BY_QUERY_NAME.get(name)


def month_name(month: int) -> str:
    """``10`` -> ``Oktober``."""
    return MONTH_NAMES[month - 1]
