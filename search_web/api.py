"""JSON API: ``GET /api/search`` (same parameters as the search page), ``GET /api/documents/<id>``,
``GET /api/facets/<param>`` (one facet's values for its filter box, same parameters),
``GET /api/export`` (the whole result set as CSV or JSON Lines, streamed; same parameters
plus ``format``, ``sep`` and ``limit``).

Snippets and paragraphs come as data (``text``, ``marks``: ``[start, end]`` offsets into
``text``) plus ``html`` (escaped, matches in ``<mark>``; ``body_html`` for the document),
which the README promises to API clients.

Errors are ``{"error": message, "hint": hint}`` with the status of the error (see handlers).
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from indexer.errors import BadRequestError
from indexer.export import FORMATS, SEPARATORS, export_chunks
from indexer.facets import FACET_PARAMS, by_param
from indexer.search.results import SearchPage, to_jsonable

from search_web import present
from search_web.marks import marked, paragraphs_html
from search_web.params import SearchState, parse_int, parse_state, split_args
from search_web.urls import document_url
from search_web.views import READ_ONLY, document_state, service

bp = Blueprint("api", __name__)


@bp.get("/search", **READ_ONLY)
def search():
    state = parse_state(request.args)
    page = service().search(state.to_request())
    return jsonify(page_json(state, page))


def page_json(state: SearchState, page: SearchPage) -> dict:
    base = url_for("api.search")
    pager = present.pagination(state, page, base)
    shown = replace(state, query=page.corrected_query) if page.corrected_query else state  # hits link what was searched
    return {
        "query": state.query, "total": page.total, "undated": page.undated,
        "page": page.page, "pages": page.pages, "page_size": page.page_size, "last_page": present.last_page(page),
        "sort": state.sort, "filters": dict(state.filters),
        "date_from": to_jsonable(state.date_from), "date_to": to_jsonable(state.date_to),
        "suggestion": page.suggestion, "notice": page.notice, "took_ms": page.took_ms,
        "corrected_query": page.corrected_query, "query_notice": page.query_notice,
        "words": page.words or None, "unfiltered": page.unfiltered,
        "hits": [hit_json(hit, shown) for hit in page.hits],
        "partial_hits": [hit_json(hit, shown) for hit in page.partial_hits],
        "facets": present.api_facets(state, page),
        "links": {"self": base + state.query_string(), "next": pager["next"], "prev": pager["prev"],
                  "html": url_for("web.search") + state.query_string(),
                  "words": dict(zip(present.WORD_LABELS, (link.url for link in present.words_links(state, page, base)))) or None,
                  "as_typed": base + state.as_typed().query_string() if page.corrected_query else None},
    }


@bp.get("/facets/<param>", **READ_ONLY)
def facet(param: str):
    """The values of one facet for the page's state, searched by ``<param>_find`` among
    all of them; ``html`` is the facet's list as the search page renders it (the script swaps it in)."""
    if param not in FACET_PARAMS:
        abort(404)
    state = parse_state(request.args)
    spec = by_param(param)
    item = present.value_facet(state, param, service().facet(state.to_request(), spec.name), url_for("web.search"))
    return jsonify({
        "name": spec.name, "param": param, "label": spec.label, "find": item.find,
        "total_values": item.facet.total_values, "no_match": item.no_match, "note": item.note,
        "values": [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                   for v in item.facet.values],
        "html": render_template("_facet_values.html", item=item),
        "links": {"self": url_for("api.facet", param=param) + state.query_string(),
                  "html": url_for("web.search") + state.query_string()},
    })


def hit_json(hit, state: SearchState) -> dict:
    data = to_jsonable(hit)
    for snippet, item in zip(hit.snippets, data["snippets"]):
        item["html"] = str(marked(snippet))
    suffix = state.query_string()  # the document page keeps the whole search (back link, marks)
    data["document_url"] = document_url(hit.id) + suffix
    data["api_url"] = document_url(hit.id, "api.document") + suffix
    return data


@bp.get("/documents/<path:doc_id>", **READ_ONLY)
def document(doc_id: str):
    state = document_state(doc_id)
    view = service().document(doc_id, state.query, state.to_request().filters)
    return jsonify({**view.to_dict(), "body_html": str(paragraphs_html(view.paragraphs))})


EXPORT_PARAMS = ("format", "sep", "limit")


@bp.get("/export", **READ_ONLY)
def export():
    """The result set of the search's parameters, all pages in its order, as it is read: every
    check (parameters, query, ``limit``) runs before the first byte, so an error is a 400, never
    half a file."""
    options, rest = split_args(request.args, EXPORT_PARAMS)
    fmt, sep = options.get("format", "csv"), options.get("sep", next(iter(SEPARATORS)))
    if fmt not in FORMATS:
        raise BadRequestError(f"Unbekanntes Format {fmt[:20]!r}.", f"Möglich: format={' oder format='.join(FORMATS)}.")
    if sep not in SEPARATORS:
        raise BadRequestError(f"Unbekanntes Trennzeichen {sep[:20]!r}.", f"Möglich: sep={' oder sep='.join(SEPARATORS)}.")
    limit = parse_int(options["limit"], "limit", 1000) if "limit" in options else None
    state = parse_state(rest)
    hits = service().export(replace(state.to_request(), page=1, with_facets=False), limit)
    return Response(export_chunks(hits, fmt, sep), content_type=f"{FORMATS[fmt]}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="suche.{fmt}"'})
