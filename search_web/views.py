"""HTML pages: request args -> SearchRequest -> template. Read-only, GET and HEAD only."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from flask import Blueprint, current_app, render_template, request, url_for

from indexer.errors import DocumentNotFound
from indexer.facets import DATE_PARAMS, ENTITY_FACETS, FACET_PARAMS, by_param
from indexer.search.results import SORT_LABELS, SORTS, SearchPage
from indexer.search.service import SearchService
from indexer.text.folding import fold

from search_web import present
from search_web.params import SearchState, parse_state

bp = Blueprint("web", __name__)
READ_ONLY = {"provide_automatic_options": False}  # OPTIONS and POST answer 405
MAX_ID_CHARS = 200
MAX_JUMP_LINKS = 60  # numbered jump links on a document page (more: previous/next only)


def service() -> SearchService:
    return current_app.extensions["search"]


@bp.get("/", **READ_ONLY)
def search():
    state = parse_state(request.args)
    page = service().search(state.to_request())
    base = url_for("web.search")
    shown = replace(state, query=page.corrected_query) if page.corrected_query else state  # links go on with it
    return render_template("search.html", **search_context(shown, page, base),
                           original_url=base + state.as_typed().query_string())


def search_context(state: SearchState, page: SearchPage, base: str) -> dict:
    month_label, months = present.month_bars(state, page, base)
    return {
        "state": state, "page": page, "base": base,
        "facets": present.value_facets(state, page, base),
        "years": present.year_bars(state, page, base), "month_label": month_label, "months": months,
        "chips": present.chips(state, base), "pager": present.pagination(state, page, base),
        "clear_url": base + state.without_filters().query_string(),
        "suggestion_url": base + replace(state, query=page.suggestion, page=1, autocorrect=True).query_string() if page.suggestion else "",
        "sort_links": sort_links(state, base), "order": order_label(state),
        "unfiltered": page.unfiltered if state.has_filters and not page.total else None,
        "words_links": present.words_links(state, page, base),
        "hidden": hidden_fields(state),
        "document_suffix": state.query_string(),  # a document link keeps the whole search
        "feed_url": url_for("feeds.feed") + state.for_feed().query_string(),
        "exports": export_links(state),
    }


def export_links(state: SearchState) -> list[present.Link]:
    """CSV and JSON Lines of the whole result set (query, filters, dates, sort), next to the count."""
    pairs = state.result_set().pairs()
    return [present.Link(label, url_for("api.export") + "?" + urlencode([*pairs, ("format", fmt)]))
            for fmt, label in (("csv", "CSV"), ("jsonl", "JSON Lines"))]


def sort_links(state: SearchState, base: str) -> list[present.Link]:
    """Relevanz, neueste zuerst, älteste zuerst (without a query: by date only)."""
    current = state.sort if state.query or state.sort != "relevance" else "date"
    return [present.Link(SORT_LABELS[sort], base + state.sorted_by(sort).query_string(), sort == current)
            for sort in SORTS if state.query or sort != "relevance"]


def order_label(state: SearchState) -> str:
    """How the hits are ordered, for the count line: ``neueste zuerst``; "" for relevance."""
    if state.sort != "relevance":
        return SORT_LABELS[state.sort]
    return "" if state.query else SORT_LABELS["date"]


def hidden_fields(state: SearchState) -> list[tuple[str, str]]:
    """What the search box form carries along besides ``q``: filters, dates, sort, size."""
    keep = {*FACET_PARAMS, *DATE_PARAMS, "sort", "size"}
    return [(name, value) for name, value in state.pairs() if name in keep]


def document_state(doc_id: str) -> SearchState:
    """The search a document was opened from (all search parameters); a 404 for absurd ids."""
    if len(doc_id) > MAX_ID_CHARS:
        raise DocumentNotFound("Kein Dokument mit dieser ID.")
    return parse_state(request.args)


@bp.get("/documents/<path:doc_id>", **READ_ONLY)
def document(doc_id: str):
    state = document_state(doc_id)
    view = service().document(doc_id, state.query, state.to_request().filters)
    base = url_for("web.search")
    hits = sum(len(paragraph.marks) for paragraph in view.paragraphs)  # query words and entity mentions
    return render_template("document.html", doc=view, query=state.query, base=base, back_url=base + state.query_string(),
                           entity_links=entity_links(view, state, base), hit_count=hits, max_jump_links=MAX_JUMP_LINKS)


@dataclass(frozen=True)
class EntityLink:
    """An entity on the document page: ``url`` adds it to the search the page was opened
    from, ``alone_url`` searches for it alone (empty when that is the same search);
    ``selected`` when the search already filters by it."""

    label: str
    url: str
    alone_url: str
    selected: bool
    page_url: str  # the entity's page


def entity_links(view, state: SearchState, base: str) -> list[tuple[str, list[EntityLink]]]:
    """(heading, links) for persons, countries and organisations."""
    groups = ((facet.label, facet.param, getattr(view, facet.attribute)) for facet in ENTITY_FACETS)
    return [(heading, [entity_link(state, param, value, base) for value in values])
            for heading, param, values in groups if values]


def entity_link(state: SearchState, param: str, value: str, base: str) -> EntityLink:
    selected = any(selects(typed, value) for typed in state.filters.get(param, ()))
    added = base + (state.at_page(1) if selected else state.with_value(param, value)).query_string()
    alone = base + SearchState().with_value(param, value).query_string()
    page = url_for("entities.page", facet=by_param(param).name, name=value)
    return EntityLink(value, added, alone if alone != added else "", selected, page)


def selects(typed: str, value: str) -> bool:
    """Whether a filter value as typed selects ``value``, as the service resolves it: equal
    when folded, or by whole words (``putin`` selects ``Wladimir Putin``)."""
    wanted, words = fold(typed), fold(value).split()
    return bool(wanted) and (wanted == fold(value) or set(wanted.split()) <= set(words))
