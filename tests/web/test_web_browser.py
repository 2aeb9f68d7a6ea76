"""End to end in real headless Chromium (Playwright), against the app under waitress.

Uses the system browser at /usr/bin/chromium (never downloads one); skipped without it.
Screenshots go to tmp_path: the README's docs/screenshot-search.png is refreshed by
``python -m tools.screenshot``, never by a test.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
README_SCREENSHOT = ROOT / "docs" / "screenshot-search.png"

pytestmark = pytest.mark.browser


def params(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def total(page) -> int:
    return int(page.locator(".count strong").inner_text().replace(".", ""))


def hit_titles(page) -> list[str]:
    return page.locator(".hit h2 a").all_inner_texts()


def country_box(page, name: str):
    return page.locator(f'#facet-country input[value="{name}"]')


def country_count(page, name: str) -> int:
    item = page.locator("#facet-country li", has=page.locator(f'input[value="{name}"]'))
    return int(item.locator(".count").inner_text())


def test_type_query_pick_country_and_remove_chip(page):
    page.goto("/")
    page.fill("#q", "Nordkorea")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=Nordkorea"))
    assert page.locator(".hit mark").first.inner_text() == "Nordkorea"
    before, japan = total(page), country_count(page, "Japan")
    with page.expect_navigation():
        page.locator("#facet-country label", has_text="Russland").click()  # JS submits on click
    assert params(page)["country"] == ["Russland"]
    assert country_box(page, "Russland").is_checked()
    assert total(page) < before and total(page) == country_count(page, "Russland")
    assert country_count(page, "Japan") == japan  # disjunctive: other countries keep their counts
    chip = page.get_by_role("link", name="Filter entfernen: Land: Russland")
    with page.expect_navigation():
        chip.click()
    assert "country" not in params(page) and total(page) == before


def test_keyboard_toggles_a_facet_checkbox(page):
    page.goto("/?q=Nordkorea")
    box = country_box(page, "Japan")
    box.focus()
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert params(page)["country"] == ["Japan"]
    assert country_box(page, "Japan").is_checked()
    assert page.evaluate("[document.activeElement.name, document.activeElement.value]") == ["country", "Japan"]


def test_page_forward_and_back_with_the_browser(page):
    page.goto("/?q=Nordkorea&size=3")
    first = hit_titles(page)
    page.get_by_role("link", name="Weiter →").click()
    page.wait_for_url(re.compile(r"page=2"))
    second = hit_titles(page)
    assert second and not set(first) & set(second)
    page.get_by_role("link", name="Seite 3").click()
    page.wait_for_url(re.compile(r"page=3"))
    page.go_back()
    page.wait_for_url(re.compile(r"page=2"))
    assert hit_titles(page) == second
    page.go_back()
    assert "page" not in params(page) and hit_titles(page) == first


def test_open_a_document_and_follow_an_entity(page):
    page.goto("/?q=Kursk&sort=date")
    title = hit_titles(page)[0]
    page.locator(".hit h2 a").first.click()
    page.wait_for_url(re.compile(r"/documents/"))
    assert page.locator("h1").inner_text() == title
    assert page.locator(".body mark").count() >= 1
    page.locator(".entities a", has_text="Wolodymyr Selenskyj").click()
    page.wait_for_url(re.compile(r"person="))
    assert page.get_by_role("link", name="Filter entfernen: Erwähnte Person: Wolodymyr Selenskyj").is_visible()


def test_year_bar_drills_down_to_months(page):
    page.goto("/?q=Nordkorea")
    page.locator(".histogram a", has_text="2024").click()
    page.wait_for_url(re.compile(r"to=2024-12-31"))
    assert page.locator(".months-title").inner_text() == "Monat 2024"
    page.locator(".histogram.months a", has_text="Oktober").click()
    page.wait_for_url(re.compile(r"from=2024-10-01"))
    assert page.get_by_role("link", name="Filter entfernen: Zeitraum: Oktober 2024").is_visible()


def test_slash_focuses_the_search_box_and_filter_box_narrows(page):
    page.goto("/?more=country")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.fill("#find-country", "korea")  # the server answers (/api/facets/country) and the URL follows
    page.wait_for_function("() => location.search.includes('country_find=korea')")
    visible = page.locator("#facet-country li:visible .value").all_inner_texts()
    assert visible == ["Nordkorea", "Südkorea"]


def test_script_title_is_shown_as_text(page):
    page.goto("/?q=Sicherheitsl%C3%BCcke")
    assert page.locator(".hit h2 a").first.inner_text().startswith("<script>alert(1)</script>")


def test_phone_width_has_no_horizontal_scroll(browser, live_url, tmp_path):
    context = browser.new_context(base_url=live_url, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto("/?q=Nordkorea&country=Russland")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(tmp_path / "screenshot-phone.png"), full_page=True)
    context.close()


def test_screenshot_of_results_with_a_country_selected(page, tmp_path):
    page.goto("/?q=Nordkorea&country=Russland")
    assert page.locator(".hit").count() >= 3
    shot = tmp_path / "screenshot-search.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_screenshot_command_writes_where_it_is_told(web_index_dir, tmp_path):
    """The README's refresh command runs and, given --out, leaves docs/ alone."""
    before = digest(README_SCREENSHOT)
    out = tmp_path / "shot.png"
    done = subprocess.run([sys.executable, "-m", "tools.screenshot", "--index", str(web_index_dir), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert out.read_bytes().startswith(b"\x89PNG") and out.stat().st_size > 10_000
    assert digest(README_SCREENSHOT) == before


@pytest.fixture(scope="module", autouse=True)
def browser_tests_write_no_tracked_file():
    """Checked around this module as well as around the whole run (conftest.py)."""
    before = digest(README_SCREENSHOT)
    yield
    assert digest(README_SCREENSHOT) == before, "a browser test rewrote docs/screenshot-search.png"


@pytest.mark.parametrize("typed", ["SUED", "süd", "Sud"])
def test_filter_box_folds_like_the_server(page, typed):
    page.goto(f"/?more=country&country_find={typed}")  # the server's narrowing
    served = page.locator("#facet-country li .value").all_inner_texts()
    page.goto("/?more=country")
    page.fill("#find-country", typed)  # the script asks the same server
    page.wait_for_function("() => location.search.includes('country_find=')")
    assert page.locator("#facet-country li:visible .value").all_inner_texts() == served == ["Südkorea"]


# --- navigation (issue 13): phone drawer, skip link, timeline gaps, facet value search ---------

PHONE = {"width": 390, "height": 844}
TAP = 44  # px, the smallest tap target


def phone_page(browser, live_url, script: bool = True):
    context = browser.new_context(base_url=live_url, viewport=PHONE, locale="de-DE", java_script_enabled=script,
                                  has_touch=True, is_mobile=True)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def too_small(locator) -> list[tuple[str, float, float]]:
    """The visible elements of ``locator`` whose box is under 44 x 44 px (measured with boundingBox)."""
    small = []
    for element in locator.all():
        box = element.bounding_box()
        if box and (box["height"] < TAP or box["width"] < TAP):
            small.append((element.inner_text()[:30], box["width"], box["height"]))
    return small


DRAWER_TARGETS = ("#filter .facet-values label, #filter .histogram a, #filter .facet-more a, #filter .drawer-close, "
                  "#filter .apply, #filter .facet-find input, #filter .range input")


def test_phone_filters_open_in_a_drawer_with_44px_targets(browser, live_url):
    context, page = phone_page(browser, live_url)
    page.goto("/?q=Nordkorea&country=Russland")
    toggle = page.locator("#filter-toggle")
    assert page.locator("#filter").is_hidden() and toggle.is_visible() and toggle.inner_text() == "Filter (1)"
    assert toggle.bounding_box()["y"] < page.locator(".hit").first.bounding_box()["y"]  # at the top of the results
    assert too_small(toggle) == [] and too_small(page.locator(".sort a, .sort strong, .chips a")) == []
    toggle.click()
    assert page.locator("#filter").is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.id") == "filter"
    targets = page.locator(DRAWER_TARGETS)
    assert targets.count() > 15 and too_small(targets) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.keyboard.press("Escape")
    assert page.locator("#filter").is_hidden() and page.evaluate("document.activeElement.id") == "filter-toggle"
    toggle.click()
    with page.expect_navigation():
        page.locator("#facet-country label", has_text="Japan").click()  # applies at once ...
    assert params(page)["country"] == ["Russland", "Japan"]
    assert page.locator("#filter").is_visible()  # ... and the drawer stays open for the next pick
    with page.expect_navigation():
        page.locator("#filter .histogram a", has_text="2024").click()
    assert page.locator("#filter").is_visible() and page.locator("#filter .months-title").is_visible()
    page.locator("#filter .drawer-close").click()
    assert page.locator("#filter").is_hidden()
    context.close()


def test_phone_drawer_without_script_is_a_link_to_the_filters(browser, live_url):
    context, page = phone_page(browser, live_url, script=False)
    page.goto("/?q=Nordkorea")
    assert page.locator("#filter").is_hidden()
    page.locator("#filter-toggle").click()
    page.wait_for_url(re.compile(r"#filter$"))
    assert page.locator("#filter").is_visible()  # :target
    assert too_small(page.locator(DRAWER_TARGETS)) == []
    page.locator("#facet-country label", has_text="Japan").click()
    with page.expect_navigation():
        page.locator("#filter .apply").click()
    assert params(page)["country"] == ["Japan"] and page.locator("#filter").is_hidden()
    page.locator("#filter-toggle").click()
    page.locator("#filter .drawer-close").click()
    page.wait_for_url(re.compile(r"#results$"))
    assert page.locator("#filter").is_hidden()
    context.close()


def test_skip_link_takes_keyboard_users_to_the_filters(page):
    page.goto("/?q=Nordkorea")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Zum Inhalt springen"
    page.keyboard.press("Tab")
    skip = page.locator("a.skip", has_text="Zu den Filtern")
    assert page.evaluate("document.activeElement.textContent") == "Zu den Filtern" and skip.is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the first control of the filters, not the first of the hits
    assert page.evaluate("Boolean(document.activeElement.closest('#filters'))")


def test_timeline_shows_empty_years_and_months(page):
    page.goto("/?country=Japan")  # 2022 and 2024
    rows = page.locator(".histogram li")
    assert rows.locator(".label").all_inner_texts() == ["2022", "2023", "2024"]
    empty = page.locator(".histogram li.gap")
    assert empty.locator(".label").all_inner_texts() == ["2023"] and empty.locator("a").count() == 0
    assert empty.locator(".count").inner_text() == "0" and empty.bounding_box()["height"] > 0
    page.goto("/?from=2024-01-01&to=2024-12-31")
    months = page.locator(".histogram.months li.gap .label").all_inner_texts()
    assert months == ["März", "April", "Juli", "August"]


def test_facet_value_search_with_script_asks_the_server(page):
    page.goto("/")
    assert country_box(page, "Polen").count() == 0  # not among the ten shown
    with page.expect_response(lambda response: "/api/facets/country?" in response.url):
        page.locator("#find-country").press_sequentially("pol")
    page.wait_for_function("() => location.search.includes('country_find=pol')")
    assert page.locator("#facet-country li .value").all_inner_texts() == ["Polen"]
    assert page.evaluate("document.activeElement.id") == "find-country"  # typing goes on
    page.locator("#find-country").fill("Atlantis")
    page.wait_for_function("() => location.search.includes('country_find=Atlantis')")
    assert page.locator("#facet-country .facet-none").inner_text() == "„Atlantis“: keine Übereinstimmung"
    page.locator("#find-country").fill("pol")
    page.wait_for_function("() => location.search.endsWith('country_find=pol')")
    with page.expect_navigation():
        page.locator("#facet-country label", has_text="Polen").click()
    assert params(page)["country"] == ["Polen"] and total(page) == 1


def test_facet_value_search_without_script_submits_the_form(browser, live_url):
    context = browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.fill("#find-country", "pol")
    with page.expect_navigation():
        page.press("#find-country", "Enter")
    assert params(page)["country_find"] == ["pol"]
    assert page.locator("#facet-country li .value").all_inner_texts() == ["Polen"]
    context.close()


SEED_DOCUMENT = "/documents/000_923481393c34947e?q=Nordkorea&person=Putin"


def current_mark(page) -> str:
    return page.locator(".body mark.current").get_attribute("id")


def in_viewport(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= page.viewport_size["height"]


def test_jump_buttons_move_from_mark_to_mark(browser, live_url):
    """With the script, "Vorheriger"/"Nächster" are buttons: they mark the current hit, scroll
    it into view, put its anchor in the URL and wrap around at both ends."""
    context = browser.new_context(base_url=live_url, viewport={"width": 1000, "height": 420}, locale="de-DE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(SEED_DOCUMENT)
    count = page.locator(".body mark").count()
    assert count >= 4 and page.locator(".hit-count strong").inner_text() == str(count)
    assert page.locator(".body mark", has_text="Putin").count() >= 1  # the person filter is marked too
    following = page.get_by_role("button", name="Nächster")
    previous = page.get_by_role("button", name="Vorheriger")
    for number in (1, 2, 3):
        following.click()
        assert current_mark(page) == f"treffer-{number}"
        page.wait_for_url(re.compile(rf"#treffer-{number}$"))
        page.wait_for_function(f"() => {{ const r = document.getElementById('treffer-{number}').getBoundingClientRect();"
                               " return r.top >= 0 && r.bottom <= window.innerHeight; }")
    assert f"Treffer 3 von {count}" in page.locator(".hit-position").inner_text()
    previous.click()
    assert current_mark(page) == "treffer-2"
    for _ in range(2):
        previous.click()
    assert current_mark(page) == f"treffer-{count}"  # before the first: the last
    page.wait_for_function(f"() => document.getElementById('treffer-{count}').getBoundingClientRect().bottom"
                           " <= window.innerHeight")
    context.close()
    assert not problems, problems  # no CSP violations, no script errors


def test_without_script_the_jumps_are_anchor_links(browser, live_url):
    context = browser.new_context(base_url=live_url, viewport={"width": 1000, "height": 420}, locale="de-DE",
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto(SEED_DOCUMENT)
    assert page.locator(".hit-jumps button").count() == 0
    assert page.locator("a.jump", has_text="Nächster").get_attribute("href") == "#treffer-1"
    page.get_by_role("link", name="Treffer 3", exact=True).click()
    page.wait_for_url(re.compile(r"#treffer-3$"))
    assert in_viewport(page, "#treffer-3")
    page.locator("a.jump", has_text="Vorheriger").click()  # from the top: the last one
    page.wait_for_url(re.compile(rf"#treffer-{page.locator('.body mark').count()}$"))


@pytest.mark.parametrize("script", [True, False], ids=["with-js", "no-js"])
def test_words_switch_and_correction_are_plain_links(browser, live_url, script):
    """The switch "alle Wörter / beliebige Wörter" and "Stattdessen suchen nach" work with and
    without JavaScript; a filter applied afterwards keeps the chosen words."""
    context = browser.new_context(base_url=live_url, java_script_enabled=script, locale="de-DE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/")
    page.fill("#q", "Wo sind Soldaten der Bundeswehr?")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=Wo"))
    assert page.locator(".words strong").inner_text() == "beliebige Wörter"
    anyword = total(page)
    page.click(".words a:text('alle Wörter')")
    page.wait_for_url(re.compile(r"words=all"))
    assert page.locator(".words strong").inner_text() == "alle Wörter" and total(page) < anyword
    page.locator("#facet-country input").first.check()
    if not script:
        page.click("button.apply")
    page.wait_for_url(re.compile(r"country="))
    assert params(page)["words"] == ["all"]
    page.goto("/?q=Nordkroea")
    assert page.locator(".corrected strong").inner_text() == "Nordkorea" and total(page) > 0
    page.click(".corrected a")
    page.wait_for_url(re.compile(r"autocorrect=0"))
    assert total(page) == 0 and page.locator(".suggestion a").inner_text() == "Nordkorea"
    context.close()
