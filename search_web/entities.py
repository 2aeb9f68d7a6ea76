"""Entity pages: ``/entities/<facet>/<name>`` and the JSON twin ``/api/entities/<facet>/<name>``.

    /entities/person/Wladimir%20Putin?q=Sanktionen&from=2022
    /entities/organisation/B%C3%BCndnis%2090/Die%20Gr%C3%BCnen

``<name>`` is a path: a value with a slash needs no escaping, and links are built with
``url_for`` (``entity_url``), which quotes spaces, umlauts and quotes. The page takes the
search's parameters (``q``, the facet filters, ``from``, ``to``, ``sort``, ``size``) with the
search's checks; they narrow the documents the entity is counted in. An unknown facet or
name is a 404 that offers the closest names (``search_web.handlers``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from indexer.facets import by_name, by_param
from indexer.search.results import EntityPage, RelatedValue, to_jsonable
from indexer.text.numbers import german_number

from search_web import present
from search_web.api import hit_json
from search_web.params import SearchState, parse_state
from search_web.urls import path_url
from search_web.views import READ_ONLY, service, sort_links

bp = Blueprint("entities", __name__)


def entity_url(facet: str, value: str, state: SearchState | None = None, endpoint: str = "entities.page") -> str:
    """The page of ``value`` in ``facet`` (a facet name or URL parameter: ``org``), narrowed like ``state``."""
    return path_url(endpoint, "name", value, facet=facet_name(facet)) + (state.query_string() if state else "")


def facet_name(facet: str) -> str:
    """``organisation`` or ``org`` -> ``organisation`` (KeyError for neither)."""
    try:
        return by_name(facet).name
    except KeyError:
        return by_param(facet).name


def narrowing(state: SearchState) -> SearchState:
    """What carries over from one entity page to another: query, filters, dates, sort, size."""
    return replace(state, page=1, more=frozenset(), find={})


@dataclass(frozen=True)
class RelatedLink:
    """A related value with its page and the search for it together with the entity."""

    value: RelatedValue
    url: str
    together_url: str

    @property
    def lift(self) -> str:
        return f"×{german_number(self.value.lift, 1)}"


def together(state: SearchState, param: str, value: str, other_param: str, other: str) -> str:
    """The search for both values: filters of different facets are ANDed; two values of one
    facet would be ORed, so the second goes into the query (``person:"Xi Jinping"``)."""
    both = narrowing(state).with_value(param, value)
    if other_param != param:
        return url_for("web.search") + both.with_value(other_param, other).query_string()
    field = f'{other_param}:"{other.replace(chr(34), "")}"'
    return url_for("web.search") + replace(both, query=f"({both.query}) {field}" if both.query else field).query_string()


def related_links(page: EntityPage, state: SearchState) -> list[tuple[str, str, list[RelatedLink]]]:
    """(facet label, facet name, links) for every facet with related values."""
    param = by_name(page.facet_name).param
    out = []
    for facet in page.related:
        other = by_name(facet.name).param
        links = [RelatedLink(v, entity_url(facet.name, v.value, narrowing(state)),
                             together(state, param, page.value, other, v.value)) for v in facet.values]
        out.append((facet.label, facet.name, links))
    return out


def entity_page(facet: str, name: str) -> tuple[SearchState, EntityPage]:
    state = parse_state(request.args)
    return state, service().entity(facet, name, state.to_request())


@bp.get("/entities/<facet>/<path:name>", **READ_ONLY)
def page(facet: str, name: str):
    state, entity = entity_page(facet, name)
    spec = by_name(entity.facet_name)
    base = entity_url(spec.name, entity.value)
    if (facet, name) != (spec.name, entity.value):  # org/nato -> organisation/NATO: one URL per entity
        return redirect(base + state.query_string())
    month_label, months = present.month_bars(state, entity, base)
    search_url = url_for("web.search") + narrowing(state).with_value(spec.param, entity.value).query_string()
    return render_template(
        "entity.html", state=state, entity=entity, spec=spec, base=base, search_url=search_url,
        years=present.year_bars(state, entity, base), month_label=month_label, months=months,
        chips=narrowing_chips(state, base), related=related_links(entity, state),
        sort_links=sort_links(state, base) if state.query else [],
        document_suffix=narrowing(state).with_value(spec.param, entity.value).query_string(),
    )


def narrowing_chips(state: SearchState, base: str) -> list[present.Link]:
    """The query, filters and dates that narrow the page, each with the URL that removes it."""
    chips = [present.Link(f"Suche: {state.query}", base + replace(state, query="", page=1).query_string())] \
        if state.query else []
    return chips + present.chips(state, base)


@bp.get("/api/entities/<facet>/<path:name>", **READ_ONLY)
def api(facet: str, name: str):
    state, entity = entity_page(facet, name)
    spec = by_name(entity.facet_name)
    return jsonify({
        "facet": spec.name, "param": spec.param, "label": spec.singular, "value": entity.value,
        "query": state.query, "filters": dict(state.filters),
        "date_from": to_jsonable(state.date_from), "date_to": to_jsonable(state.date_to),
        "total": entity.total, "scope": entity.scope, "undated": entity.undated, "min_count": entity.min_count,
        "took_ms": entity.took_ms,
        "timeline": {f.name: [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                              for v in f.values] for f in entity.facets},
        "related": [{"name": name, "label": label, "values": [
            {**asdict(link.value), "url": link.url, "search_url": link.together_url,
             "api_url": entity_url(name, link.value.value, narrowing(state), "entities.api")}
            for link in links]} for label, name, links in related_links(entity, state)],
        "hits": [hit_json(hit, narrowing(state).with_value(spec.param, entity.value)) for hit in entity.hits],
        "links": {"self": entity_url(spec.name, entity.value, state, "entities.api"),
                  "html": entity_url(spec.name, entity.value, state),
                  "search": url_for("web.search") + narrowing(state).with_value(spec.param, entity.value).query_string()},
    })
