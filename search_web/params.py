"""URL parameters <-> search state: every page state lives in GET parameters.

    /?q=Nordkorea&country=Russland&country=Ukraine&from=2024-01-01&to=2024-12-31&sort=date&page=2

``SearchState`` is parsed strictly (a bad value raises ``BadRequestError``, shown as a
friendly 400) and turned back into stable query strings for links, so a bookmarked or
shared URL shows exactly the same page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

from indexer.errors import BadRequestError, DateFormatError
from indexer.facets import DATE_BOUNDS, DATE_PARAMS, FACET_PARAMS, FACETS
from indexer.search.results import WORDS, SearchRequest
from indexer.text.dates import parse_bound
from indexer.text.numbers import german_number

#: URL parameter -> facet name of the service (``org`` -> ``organisation``), from indexer.facets
FILTER_PARAMS = {facet.param: facet.name for facet in FACETS}
FIND_PARAMS = {facet.find_param: facet.param for facet in FACETS}
SCALAR_PARAMS = ("q", *DATE_PARAMS, "sort", "page", "size", "words", "autocorrect")
KNOWN_PARAMS = frozenset((*SCALAR_PARAMS, *FILTER_PARAMS, *FIND_PARAMS, "more"))

DEFAULT_SIZE = 10
FACET_LIMIT = 10  # values shown per facet
MORE_LIMIT = 100  # values shown after "alle anzeigen" and of a filter box's matches
MAX_VALUES = 20  # selected values per facet
MAX_VALUE_CHARS = 200
MAX_FIND_CHARS = 100


@dataclass(frozen=True)
class SearchState:
    """What the user asked for, in URL terms (``org``, not ``organisation``)."""

    query: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # person/country/org/... -> values
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "relevance"
    page: int = 1
    size: int = DEFAULT_SIZE
    more: frozenset[str] = frozenset()
    find: dict[str, str] = field(default_factory=dict)  # person/country/org/... -> text of the filter box
    words: str | None = None  # "all" or "any"; None: the service decides (any for a question)
    autocorrect: bool = True  # False: search the query as typed even when it finds nothing

    # --- towards the service -----------------------------------------------------------

    def to_request(self) -> SearchRequest:
        return SearchRequest(
            query=self.query, filters={FILTER_PARAMS[p]: v for p, v in self.filters.items() if v},
            date_from=self.date_from, date_to=self.date_to, sort=self.sort, page=self.page,
            page_size=self.size, facet_limit=self.facet_limit(), words=self.words, autocorrect=self.autocorrect,
            facet_find={FILTER_PARAMS[p]: text for p, text in self.find.items() if text},
        )

    def facet_limit(self) -> int:
        return MORE_LIMIT if self.more or self.find else FACET_LIMIT

    def limit_for(self, param: str) -> int:
        """Values of one facet to show: the first ``MORE_LIMIT`` after "alle anzeigen" or of the
        matches of its filter box (the service searches all values)."""
        return MORE_LIMIT if param in self.more or param in self.find else FACET_LIMIT

    @property
    def has_filters(self) -> bool:
        return any(self.filters.values()) or bool(self.date_from or self.date_to)

    # --- back to URLs -------------------------------------------------------------------

    def pairs(self) -> list[tuple[str, str]]:
        """The state as ordered query pairs; defaults are left out so URLs stay short."""
        out: list[tuple[str, str]] = [("q", self.query)] if self.query else []
        for param in FILTER_PARAMS:
            out += [(param, value) for value in self.filters.get(param, ())]
        out += [(bound.param, getattr(self, bound.attribute).isoformat())
                for bound in DATE_BOUNDS if getattr(self, bound.attribute)]
        if self.sort != "relevance":
            out.append(("sort", self.sort))
        if self.size != DEFAULT_SIZE:
            out.append(("size", str(self.size)))
        if self.words:
            out.append(("words", self.words))
        if not self.autocorrect:
            out.append(("autocorrect", "0"))
        out += [("more", param) for param in FILTER_PARAMS if param in self.more]
        out += [(f"{param}_find", text) for param, text in self.find.items() if text]
        if self.page != 1:
            out.append(("page", str(self.page)))
        return out

    def query_string(self) -> str:
        pairs = self.pairs()
        return "?" + urlencode(pairs) if pairs else ""

    # --- derived states (each resets to page 1 unless it is about paging) --------------

    def at_page(self, page: int) -> SearchState:
        return replace(self, page=page)

    def sorted_by(self, sort: str) -> SearchState:
        return replace(self, sort=sort, page=1)

    def with_words(self, words: str) -> SearchState:
        return replace(self, words=words, page=1)

    def as_typed(self) -> SearchState:
        """The query searched as typed, without its spelling correction."""
        return replace(self, autocorrect=False, page=1)

    def with_value(self, param: str, value: str) -> SearchState:
        values = self.filters.get(param, ())
        if value in values:
            return replace(self, page=1)
        return replace(self, filters={**self.filters, param: values + (value,)}, page=1)

    def without_value(self, param: str, value: str) -> SearchState:
        values = tuple(v for v in self.filters.get(param, ()) if v != value)
        return replace(self, filters={**self.filters, param: values}, page=1)

    def between(self, start: dt.date | None, end: dt.date | None) -> SearchState:
        return replace(self, date_from=start, date_to=end, page=1)

    def without_filters(self) -> SearchState:
        return replace(self, filters={}, date_from=None, date_to=None, page=1, find={})

    def result_set(self) -> SearchState:
        """What chooses the hits, not how a page shows them: query, filters, dates, sort
        (for the export and feed links)."""
        return replace(self, page=1, size=DEFAULT_SIZE, more=frozenset(), find={})

    def for_feed(self) -> SearchState:
        """The search of its Atom feed: the result set without a sort (a feed is newest first)."""
        return replace(self.result_set(), sort="relevance")

    def expanded(self, param: str, on: bool = True) -> SearchState:
        more = self.more | {param} if on else self.more - {param}
        find = self.find if on else {p: t for p, t in self.find.items() if p != param}
        return replace(self, more=frozenset(more), find=find)


def parse_state(args) -> SearchState:
    """``request.args`` (a MultiDict) -> SearchState; ``BadRequestError`` with a hint when off."""
    unknown = sorted(set(args) - KNOWN_PARAMS)
    if unknown:
        raise BadRequestError(f"Unbekannter Parameter {unknown[0][:40]!r}.",
                              f"Möglich: {', '.join(('q', *FACET_PARAMS, *DATE_PARAMS, 'sort', 'page', 'size', 'words'))}.")
    for name in SCALAR_PARAMS:
        if len(args.getlist(name)) > 1:
            raise BadRequestError(f"Parameter {name!r} mehrfach angegeben.", "Jeden dieser Parameter nur einmal angeben.")
    days = {bound.attribute: parse_day(args.get(bound.param, ""), bound.param, bound.last) for bound in DATE_BOUNDS}
    return SearchState(
        query=args.get("q", "").strip(), filters=parse_filters(args), **days,
        sort=args.get("sort", "").strip() or "relevance", page=parse_int(args.get("page", ""), "page", 1),
        size=parse_int(args.get("size", ""), "size", DEFAULT_SIZE), more=parse_more(args), find=parse_find(args),
        words=parse_choice(args.get("words", ""), "words", WORDS),
        autocorrect=parse_choice(args.get("autocorrect", ""), "autocorrect", ("0", "1")) != "0",
    )


def split_args(args, names: tuple[str, ...]) -> tuple[dict[str, str], MultiDict]:
    """``names`` taken out of ``args`` (each at most once), and the rest for ``parse_state``:
    ``/api/export?q=…&format=csv`` -> ``({"format": "csv"}, {"q": …})``."""
    rest = MultiDict(args)
    taken = {}
    for name in names:
        values = rest.poplist(name)
        if len(values) > 1:
            raise BadRequestError(f"Parameter {name!r} mehrfach angegeben.", "Jeden dieser Parameter nur einmal angeben.")
        if values and values[0].strip():
            taken[name] = values[0].strip()
    return taken, rest


def parse_choice(raw: str, name: str, choices: tuple[str, ...]) -> str | None:
    """One of ``choices``, or None when absent: ``words=any``."""
    raw = raw.strip()
    if raw and raw not in choices:
        raise BadRequestError(f"Unbekannter Wert {raw[:20]!r} für {name!r}.", f"Möglich: {', '.join(choices)}.")
    return raw or None


def parse_filters(args) -> dict[str, tuple[str, ...]]:
    filters = {}
    for param in FILTER_PARAMS:
        values = tuple(dict.fromkeys(v.strip() for v in args.getlist(param) if v.strip()))
        if len(values) > MAX_VALUES:
            raise BadRequestError(f"Zu viele Werte für {param!r} ({len(values)}, höchstens {MAX_VALUES}).",
                                  "Weniger Werte auswählen.")
        if any(len(v) > MAX_VALUE_CHARS for v in values):
            raise BadRequestError(f"Wert für {param!r} zu lang (höchstens {german_number(MAX_VALUE_CHARS)} Zeichen).")
        if values:
            filters[param] = values
    return filters


def parse_more(args) -> frozenset[str]:
    more = frozenset(v for v in args.getlist("more") if v)
    unknown = sorted(more - set(FILTER_PARAMS))
    if unknown:
        raise BadRequestError(f"Unbekannte Facette {unknown[0][:40]!r}.", f"Möglich: {', '.join(FACET_PARAMS)}.")
    return more


def parse_find(args) -> dict[str, str]:
    find = {}
    for name, param in FIND_PARAMS.items():
        text = " ".join(args.get(name, "").split())
        if len(text) > MAX_FIND_CHARS:
            raise BadRequestError(f"Suchtext für {param!r} zu lang (höchstens {german_number(MAX_FIND_CHARS)} Zeichen).")
        if text:
            find[param] = text
    return find


def parse_int(raw: str, name: str, default: int) -> int:
    raw = raw.strip()
    if not raw:
        return default
    if not re.fullmatch(r"[+-]?[0-9]{1,9}", raw):
        raise BadRequestError(f"{name!r} muss eine ganze Zahl sein, nicht {raw[:20]!r}.",
                              f"Beispiel: {name}={default}")
    return int(raw)


def parse_day(raw: str, name: str, last: bool = False) -> dt.date | None:
    """``2024-10-28`` or ``28.10.2024``; also ``2024`` or ``2024-10`` (first or ``last`` day)."""
    try:
        return parse_bound(raw, last)
    except DateFormatError:
        raise DateFormatError(f"Ungültiges Datum {raw.strip()[:20]!r} in {name!r}.") from None
