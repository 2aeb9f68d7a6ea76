"""Atom feeds: ``/feed`` takes the search's parameters and lists its newest documents.

    /feed?q=Nordkorea&country=Russland      -> the 50 newest hits, newest first

A feed reader that follows a search sees a document as soon as ``search-index add`` has
indexed it (the service reopens the index after every commit). Each entry's id is a
``tag:`` URI of the document id alone, so it stays the same across feeds, pages and hosts
(the authority is the ``feed_authority`` setting). Errors are plain text with a hint: a
feed reader shows text, not an HTML page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from urllib.parse import quote
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, request, url_for

from indexer.search.results import Hit, SearchPage
from indexer.search.service import check_request
from indexer.settings import setting

from search_web import present
from search_web.params import SearchState, parse_state
from search_web.views import READ_ONLY, service

bp = Blueprint("feeds", __name__)
ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
FEED_ENTRIES = 50
TAG_DATE = "2026"  # the date part of the tag: URIs; never change it, readers would see every entry anew
NO_DATE = dt.date(1970, 1, 1)  # a feed without any dated entry (Atom needs an updated time)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 does not allow


@bp.get("/feed", **READ_ONLY)
def feed():
    asked = parse_state(request.args)
    check_request(asked.to_request())  # the search's checks, also of what the feed then ignores (sort, page)
    state = asked.for_feed()
    newest = replace(state.to_request(), sort="date", page=1, page_size=FEED_ENTRIES, with_facets=False)
    page = service().search(newest)
    return Response(atom(state, page), content_type=f"{MEDIA_TYPE}; charset=utf-8")


def feed_title(state: SearchState) -> str:
    """``Suche: „Nordkorea“ · Land: Russland``; ``Suche: alle Artikel`` without query or filter."""
    parts = [f"„{state.query}“"] if state.query else []
    parts += [chip.label for chip in present.chips(state, "")]
    return "Suche: " + (" · ".join(parts) or "alle Artikel")


def atom(state: SearchState, page: SearchPage) -> bytes:
    """The Atom document (RFC 4287) of ``page``'s hits, newest first."""
    dated = [hit.date for hit in page.hits if hit.date]
    updated, oldest = max(dated, default=NO_DATE), min(dated, default=NO_DATE)
    root = ET.Element("feed", xmlns=ATOM)
    add(root, "title", feed_title(state))
    add(root, "id", tag("suche" + state.query_string()))
    add(root, "updated", timestamp(updated))
    ET.SubElement(root, "link", rel="self", type=MEDIA_TYPE, href=request.url)
    ET.SubElement(root, "link", rel="alternate", type="text/html",
                  href=url_for("web.search", _external=True) + state.query_string())
    add(ET.SubElement(root, "author"), "name", "Nachrichtensuche")
    for hit in page.hits:
        root.append(entry(hit, state, oldest))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def entry(hit: Hit, state: SearchState, fallback: dt.date) -> ET.Element:
    """One document: title, its date, the document page with the search, first snippet. Atom
    needs a date: an undated document (listed last) takes the oldest entry's, so the order holds."""
    item = ET.Element("entry")
    add(item, "title", hit.title or hit.id)
    add(item, "id", tag("dokument/" + quote(hit.id, safe="")))
    add(item, "updated", timestamp(hit.date or fallback))
    if hit.date:
        add(item, "published", timestamp(hit.date))
    ET.SubElement(item, "link", rel="alternate", type="text/html",
                  href=url_for("web.document", doc_id=hit.id, _external=True) + state.query_string())
    if hit.speaker:
        add(ET.SubElement(item, "author"), "name", hit.speaker)
    if hit.snippets:
        add(item, "summary", hit.snippets[0].text, type="text")
    return item


def add(parent: ET.Element, name: str, text: str, **attributes) -> ET.Element:
    element = ET.SubElement(parent, name, **attributes)
    element.text = NOT_XML.sub("", text)
    return element


def tag(specific: str) -> str:
    """``tag:localhost,2026:dokument/ID2017812200`` (RFC 4151)."""
    return f"tag:{setting('feed_authority')},{TAG_DATE}:{specific}"


def timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"
