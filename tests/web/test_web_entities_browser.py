"""Reaching an entity page in real headless Chromium (Playwright, Debian's /usr/bin/chromium),
against ``search-web`` (waitress) over the web test index: from a facet of the search page and
from the document page, then onwards to a related entity and the search for both together."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from indexer.facets import by_name


pytestmark = pytest.mark.browser


def count(page) -> int:
    return int(page.locator(".entity-head .count strong").inner_text().replace(".", ""))


def test_from_a_facet_to_the_entity_page_and_its_timeline(page):
    page.goto("/?q=Nordkorea")
    page.locator("#facet-country li", has=page.locator('input[value="Russland"]')).locator("a.entity-page").click()
    page.wait_for_url(re.compile(r"/entities/country/Russland$"))
    assert page.locator("h1").inner_text() == "Russland" and count(page) >= 5
    assert page.locator("#related-country a.related-page", has_text="Nordkorea").is_visible()
    assert page.locator(".entity-hits .hit").count() >= 1
    page.locator(".entity-timeline .histogram a", has_text="2024").click()
    page.wait_for_url(re.compile(r"/entities/country/Russland\?from=2024-01-01&to=2024-12-31"))
    assert page.locator(".months-title").inner_text() == "Monat 2024"
    assert page.get_by_role("link", name="Eingrenzung entfernen: Zeitraum: 2024").is_visible()


def test_the_facet_checkbox_still_filters(page):
    page.goto("/?q=Nordkorea")
    page.locator('#facet-country input[value="Japan"]').check()
    page.wait_for_url(re.compile(r"country=Japan"))
    assert "/entities/" not in page.url


def test_from_a_document_to_an_entity_and_on_to_both_together(page):
    page.goto("/documents/w-nk-3?q=Nordkorea")
    page.locator(".entities li", has_text="Kim Jong Un").locator("a.entity-page").click()
    page.wait_for_url(re.compile(r"/entities/person/Kim%20Jong%20Un$"))
    assert page.locator("h1").inner_text() == "Kim Jong Un" and page.locator(".entity-kind").inner_text() == by_name("person").singular.upper()
    page.fill("#entity-q", "Moskau")
    page.press("#entity-q", "Enter")
    page.wait_for_url(re.compile(r"q=Moskau"))
    assert count(page) == 1
    page.goto("/entities/country/Nordkorea")
    row = page.locator("#related-country tr", has=page.locator("a.related-page", has_text="Russland"))
    together = int(row.locator("td.num").first.inner_text())
    row.locator("a.together").click()  # two countries: the second one goes into the query (AND, not OR)
    page.wait_for_url(re.compile(r"/\?q=country"))
    assert unquote(page.url.split("?", 1)[1]).replace("+", " ") == 'q=country:"Russland"&country=Nordkorea'
    assert int(page.locator(".count strong").inner_text()) == together


def test_phone_width_has_no_horizontal_scroll(browser, live_url):
    context = browser.new_context(base_url=live_url, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto("/entities/country/Nordkorea")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
