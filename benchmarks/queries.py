"""The fixed benchmark queries: German, in the product's query language, by category.

A query may carry facet filters in an engine-neutral form: ``group`` (the person-like
facet: speaker, district, outlet, label; the product's ``person`` facet) and ``year``
(the product's date range ``year-01-01 .. year-12-31``). Each peer translates the parsed
query tree (``indexer.search.query.parse_query``) into its own syntax.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BenchQuery:
    category: str
    text: str
    group: str = ""  # facet filter on the person-like facet
    year: int = 0  # facet filter on the year
    tags: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        parts = [self.text]
        if self.group:
            parts.append(f"[{self.group}]")
        if self.year:
            parts.append(f"[{self.year}]")
        return " ".join(parts)

    @property
    def filters(self) -> int:
        return bool(self.group) + bool(self.year)


def _q(category: str, texts: list[str]) -> list[BenchQuery]:
    return [BenchQuery(category, text) for text in texts]


SINGLE = _q("single", ["Nordkorea", "Bundeswehr", "Ukraine", "Polizei", "Messer", "Klimaschutz", "Rente",
                       "Migration", "Inflation", "Wohnung", "Feuerwehr", "Merz"])
AND2 = _q("and", ["Bundeswehr Mali", "Polizei Messer", "Ukraine Waffen", "Rente Generationen",
                  "Klimaschutz Wirtschaft", "Migration Grenze", "Unfall Radfahrer", "Brand Wohnung",
                  "Inflation Energiepreise", "Schule Digitalisierung"])
PHRASE = _q("phrase", ['"russische Soldaten"', '"Deutscher Bundestag"', '"Olaf Scholz"', '"schwer verletzt"',
                       '"Europäische Union"', '"künstliche Intelligenz"', '"soziale Marktwirtschaft"',
                       '"in Gewahrsam genommen"'])
PREFIX = _q("prefix", ["Bundes*", "Sanktion*", "Polizei*", "Klima*", "Verkehr*", "Steuer*", "Flücht*"])
BOOLEAN = _q("or_not", ["Russland OR Ukraine", "Putin NOT Selenskyj", "(Südkorea OR Japan) Raketen",
                        "Messer OR Schusswaffe", "Rente -Grundrente", "Bahn OR Zug", "Fahrrad NOT Auto",
                        "Polizei NOT Festnahme"])
FIELDS = _q("field", ["title:Bundeswehr", "title:Polizei", "source:polizei-berlin Messer", "title:Ukraine Waffen",
                      "source:bundestag-wp20 Klimaschutz", "title:Raub"])
FACET1 = [
    BenchQuery("facet1", "Ukraine", year=2022),
    BenchQuery("facet1", "Polizei", group="Mitte"),
    BenchQuery("facet1", "Messer", group="Neukölln"),
    BenchQuery("facet1", "Migration", group="Olaf Scholz"),
    BenchQuery("facet1", "Bundeswehr", year=2023),
    BenchQuery("facet1", "Klimaschutz", group="Annalena Baerbock"),
    BenchQuery("facet1", "Merz", year=2025),
    BenchQuery("facet1", "Nordkorea", year=2024),
]
FACET2 = [
    BenchQuery("facet2", "Ukraine", group="Olaf Scholz", year=2022),
    BenchQuery("facet2", "Polizei", group="Mitte", year=2023),
    BenchQuery("facet2", "Messer", group="Neukölln", year=2024),
    BenchQuery("facet2", "Rente", group="Hubertus Heil", year=2019),
    BenchQuery("facet2", "Sanktion*", group="Annalena Baerbock", year=2022),
    BenchQuery("facet2", "Brand", group="Pankow", year=2021),
    BenchQuery("facet2", "Klimaschutz", group="Svenja Schulze", year=2020),
    BenchQuery("facet2", "Merz", group="zeit.de", year=2025),
]

QUERIES: list[BenchQuery] = SINGLE + AND2 + PHRASE + PREFIX + BOOLEAN + FIELDS + FACET1 + FACET2
CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(q.category for q in QUERIES))
