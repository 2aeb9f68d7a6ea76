"""A SearchPage plus the SearchState -> what the templates and the API show.

Facets are trimmed per facet (limit, "mehr", filter box), chips and pagination carry
ready-made URLs, and histogram bars get a width class (no inline styles: the CSP
forbids them).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace

from flask import url_for

from indexer.facets import DATE_PARAMS, FACETS, PERIOD_LABEL, by_param, month_name
from indexer.search.results import Facet, SearchPage
from indexer.settings import setting
from indexer.text.numbers import german_number

from search_web.params import MORE_LIMIT, SearchState

PARAM_OF = {facet.name: facet.param for facet in FACETS}
DATE_PARAM = "/".join(DATE_PARAMS)  # what sets the year and month facets: from/to
PAGE_WINDOW = 2  # page links either side of the current page


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool = False
    page: str = ""  # a chip of an entity filter: the entity's page


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    width: int  # 0..20, a CSS class w0..w20 (5 % steps)
    url: str | None  # drills down; on a selected bar, goes back up (year -> all, month -> year); None: empty
    selected: bool


@dataclass(frozen=True)
class ValueFacet:
    """A facet of values to tick (entities and metadata; not the date histogram)."""

    param: str
    facet: Facet  # values already trimmed
    hidden: int  # values not shown
    find: str
    toggle: Link | None  # "alle N anzeigen" / "weniger anzeigen"
    note: str = ""  # "Die ersten 100 von 967 …" when the long list is cut

    @property
    def no_match(self) -> bool:
        """The filter box's text matches no value (selected values may still show)."""
        return bool(self.find) and not self.facet.total_values


def value_facets(state: SearchState, page: SearchPage, base: str) -> list[ValueFacet]:
    return [value_facet(state, f.param, facet, base) for f in FACETS if (facet := page.facet(f.name))]


def value_facet(state: SearchState, param: str, facet: Facet, base: str) -> ValueFacet:
    """One facet's box: values cut to the limit, the toggle link and a note on what is cut."""
    trimmed = trim_facet(state, param, facet)
    shown = sum(not v.selected for v in trimmed.values)
    return ValueFacet(param, trimmed, max(0, facet.total_values - len(trimmed.values)), state.find.get(param, ""),
                      toggle_link(state, param, facet, base), cut_note(state, param, shown, facet.total_values))


def cut_note(state: SearchState, param: str, shown: int, total: int) -> str:
    """Says that an expanded list or a filter box's matches show only the first ``MORE_LIMIT``."""
    if total <= shown or state.limit_for(param) != MORE_LIMIT:
        return ""
    if param in state.find:
        return f"Die ersten {german_number(shown)} von {german_number(total)} Übereinstimmungen."
    return f"Die ersten {german_number(shown)} von {german_number(total)}; das Suchfeld findet alle."


def trim_facet(state: SearchState, param: str, facet: Facet) -> Facet:
    """Selected values always stay (the service already narrowed to the filter box's matches)."""
    limit, shown, unselected = state.limit_for(param), [], 0
    for value in facet.values:
        if value.selected or unselected < limit:
            shown.append(value)
            unselected += not value.selected
    return replace(facet, values=shown)


def toggle_link(state: SearchState, param: str, facet: Facet, base: str) -> Link | None:
    if param in state.more or param in state.find:
        return Link("weniger anzeigen", base + state.expanded(param, on=False).query_string())
    if facet.total_values <= state.limit_for(param):
        return None
    return Link(f"alle {german_number(facet.total_values)} anzeigen", base + state.expanded(param).query_string())


WORD_LABELS = {"all": "alle Wörter", "any": "beliebige Wörter"}


def words_links(state: SearchState, page: SearchPage, base: str) -> list[Link]:
    """The switch "alle Wörter / beliebige Wörter": when the words were searched as any, or the user chose."""
    if not page.words or (page.words == "all" and not state.words):
        return []
    return [Link(label, base + state.with_words(words).query_string(), page.words == words)
            for words, label in WORD_LABELS.items()]


def api_facets(state: SearchState, page: SearchPage) -> list[dict]:
    """Facets for JSON: value facets trimmed like on the page, dates as they are."""
    out = []
    for facet in page.facets:
        param = PARAM_OF.get(facet.name)
        shown = trim_facet(state, param, facet) if param else facet
        out.append({"name": facet.name, "param": param or DATE_PARAM, "label": facet.label,
                    "total_values": facet.total_values,
                    "values": [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                               for v in shown.values]})
    return out


def year_bars(state: SearchState, page: SearchPage, base: str) -> list[Bar]:
    facet = page.facet("year")
    if facet is None:
        return []
    peak = max((v.count for v in facet.values), default=0)
    return [Bar(v.label, v.count, width(v.count, peak),
                bar_url(v, base, state.between(*((None, None) if v.selected else year_range(int(v.value))))),
                v.selected) for v in facet.values]


def bar_url(value, base: str, target: SearchState) -> str | None:
    """An empty bar (a gap in the timeline) links nowhere unless it is selected."""
    return base + target.query_string() if value.count or value.selected else None


def month_bars(state: SearchState, page: SearchPage, base: str) -> tuple[str, list[Bar]]:
    facet = page.facet("month")
    if facet is None:
        return "", []
    peak = max((v.count for v in facet.values), default=0)
    year = year_range(int(facet.values[0].value[:4])) if facet.values else (None, None)
    bars = [Bar(v.label, v.count, width(v.count, peak),
                bar_url(v, base, state.between(*(year if v.selected else month_range(v.value)))),
                v.selected) for v in facet.values]
    return facet.label, bars


def width(count: int, peak: int) -> int:
    if not count or not peak:
        return 0
    return max(1, round(20 * count / peak))


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def month_range(value: str) -> tuple[dt.date, dt.date]:
    year, month = (int(part) for part in value.split("-"))
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def chips(state: SearchState, base: str) -> list[Link]:
    """Active filters, each with the URL that removes it."""
    out = [Link(f"{label_of(param)}: {value}", base + state.without_value(param, value).query_string(),
                page=url_for("entities.page", facet=by_param(param).name, name=value))
           for param, values in state.filters.items() for value in values]
    if state.date_from or state.date_to:
        out.append(Link(f"{PERIOD_LABEL}: {date_span(state.date_from, state.date_to)}",
                        base + state.between(None, None).query_string()))
    return out


def label_of(param: str) -> str:
    """A chip's label: ``org`` -> ``Organisation``."""
    return by_param(param).singular


def date_span(start: dt.date | None, end: dt.date | None) -> str:
    if start and end and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    if start and end and start.year == end.year and start.month == end.month and start.day == 1 \
            and end.day == calendar.monthrange(end.year, end.month)[1]:
        return f"{month_name(start.month)} {start.year}"
    left = german_date(start) if start else "…"
    right = german_date(end) if end else "…"
    return f"{left} – {right}"


def german_date(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def last_page(page: SearchPage) -> int:
    """The deepest page the service will serve (bounded by ``max_depth``)."""
    return max(1, min(page.pages, setting("max_depth") // page.page_size))


def pagination(state: SearchState, page: SearchPage, base: str) -> dict:
    last = last_page(page)
    current = state.page
    numbers = sorted({1, last, *range(max(1, current - PAGE_WINDOW), min(last, current + PAGE_WINDOW) + 1)})
    links, previous = [], 0
    for number in numbers:
        if number - previous > 1:
            links.append(None)  # a gap: "…"
        links.append(Link(str(number), base + state.at_page(number).query_string(), number == current))
        previous = number
    return {
        "prev": base + state.at_page(current - 1).query_string() if 1 < current <= last + 1 else None,
        "next": base + state.at_page(current + 1).query_string() if current < last else None,
        "links": links if last > 1 else [],
        "truncated": last < page.pages,
    }
