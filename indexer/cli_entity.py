"""``search --entity person:"Wladimir Putin"``: the entity page's summary as text.

    Wladimir Putin (Person): 168 Dokumente
    Zeitverlauf: 2018: 2 · 2019: 6 · 2020: 5 · 2021: 0 · 2022: 41 …
    Oft zusammen genannt (gemeinsame Dokumente, Lift):
      Personen: Tino Chrupalla (15, ×8,1) · …
    Top-Dokumente: …

The same ``SearchService.entity`` data as ``/entities/<facet>/<name>`` and its JSON twin.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from indexer.errors import EntityNotFound
from indexer.facets import FACET_NAMES
from indexer.search.results import EntityPage, SearchRequest
from indexer.text.numbers import german_number as zahl


def split_entity(text: str) -> tuple[str, str]:
    """``person:Wladimir Putin`` -> ``("person", "Wladimir Putin")``; ``EntityNotFound`` without a facet."""
    facet, colon, name = text.partition(":")
    if not colon or not name.strip():
        raise EntityNotFound(f"--entity braucht Facette und Namen, nicht {text[:60]!r}.",
                             f'Beispiel: --entity person:"Wladimir Putin" (Facetten: {", ".join(FACET_NAMES)}).')
    return facet.strip(), name.strip().strip('"')


def format_entity(page: EntityPage, label: str) -> str:
    noun = "Dokument" if page.total == 1 else "Dokumente"
    narrowed = f" (von {zahl(page.scope)} in der Eingrenzung)" if page.request.query or page.request.filters \
        or page.request.date_from or page.request.date_to else ""
    lines = [f"{page.value} ({label}): {zahl(page.total)} {noun}{narrowed}"
             + (f", {zahl(page.undated)} ohne Datum" if page.undated else "")]
    for facet in page.facets:
        lines.append(f"{facet.label}: " + " · ".join(f"{v.label}: {zahl(v.count)}" for v in facet.values))
    lines.append(f"Oft zusammen genannt (gemeinsame Dokumente, Lift; ab {zahl(page.min_count)}):")
    for facet in page.related:
        values = " · ".join(f"{v.value} ({zahl(v.count)}, ×{zahl(v.lift, 1)})" for v in facet.values) or "keine"
        lines.append(f"  {facet.label}: {values}")
    lines.append("Top-Dokumente:" if page.hits else "Top-Dokumente: keine")
    for hit in page.hits:
        when = hit.date.strftime("%d.%m.%Y") if hit.date else "ohne Datum"
        lines.append(f"{hit.rank}. {hit.title}")
        lines.append(f"   {when} · {hit.source or 'unbekannte Quelle'} · {hit.id}")
        lines.extend(f"   {snippet.text}" for snippet in hit.snippets[:1])
    return "\n".join(lines)


def echo_entity(page: EntityPage, label: str) -> None:
    click.echo(format_entity(page, label))


def entity_summary(path: Path, entity: str, request: SearchRequest, as_json: bool) -> None:
    """``--entity person:NAME``: the entity page's data as text or JSON."""
    from indexer.search.entity import facet_spec
    from indexer.search.service import SearchService

    facet, name = split_entity(entity)
    with SearchService(path) as service:
        page = service.entity(facet, name, request)
    if as_json:
        click.echo(json.dumps(page.to_dict(), ensure_ascii=False, indent=2))
    else:
        echo_entity(page, facet_spec(facet).singular)
