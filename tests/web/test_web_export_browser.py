"""The export link in real headless Chromium (Playwright) against search-web: it downloads a
CSV of the search with its current filters. Uses /usr/bin/chromium; skipped without it."""

from __future__ import annotations

import csv
import io
import re

import pytest

from indexer.export import BOM, HEADER

pytestmark = pytest.mark.browser


@pytest.fixture()
def page(browser, live_url):
    context = browser.new_context(base_url=live_url, accept_downloads=True, locale="de-DE")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_export_link_downloads_a_csv_of_the_filtered_search(page, tmp_path):
    page.goto("/?q=Nordkorea")
    page.locator('#facet-country input[value="Russland"]').check()  # the script applies it at once
    page.wait_for_url(re.compile(r"country=Russland"))
    shown = int(page.locator(".count strong").inner_text().replace(".", ""))
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename == "suche.csv"
    target = tmp_path / "suche.csv"
    download.save_as(target)
    text = target.read_bytes().decode("utf-8")
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text[len(BOM):], newline=""), delimiter=";"))
    assert tuple(rows[0]) == HEADER and len(rows) - 1 == shown > 1
    assert all("Russland" in dict(zip(HEADER, row))["countries"].split("; ") for row in rows[1:])
    assert page.locator('head link[rel="alternate"][type="application/atom+xml"]').get_attribute("href") \
        == "/feed?q=Nordkorea&country=Russland"
