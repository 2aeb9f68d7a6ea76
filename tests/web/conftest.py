"""Web fixtures: a small index with known entities -> app -> client.

The index holds the root fixture articles (``documents_dir``), the speeches with speaker,
party and source (``tests/fixtures/speeches.jsonl``) plus a few web articles,
with entities taken from the literal mapping below instead of the NER model, so facet
tests behave the same whether or not the model is installed.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import indexer.index.writer
from indexer.index.writer import BuildOptions, build

from search_web import create_app

WEB_FIXTURES = Path(__file__).parent / "fixtures"
FIXTURES = Path(__file__).parent.parent / "fixtures"
SEED_ID_PREFIX = "000_"


@dataclass(frozen=True)
class Found:
    persons: tuple = ()
    countries: tuple = ()  # (name, ISO code)
    organisations: tuple = ()
    mentioned_dates: tuple = ()


RU, UA, KP, KR, DE = ("Russland", "RU"), ("Ukraine", "UA"), ("Nordkorea", "KP"), ("Südkorea", "KR"), ("Deutschland", "DE")
ENTITIES = {
    "nk-1": Found(("Mark Rutte", "Wladimir Putin"), (KP, RU), ("NATO",)),
    "uk-1": Found(("Wolodymyr Selenskyj",), (UA, RU)),
    "bw-1": Found(("Boris Pistorius",), (("Mali", "ML"), DE), ("Bundeswehr",)),
    "sk-1": Found((), (KR, ("USA", "US"))),
    "es-1": Found((), (("Belgien", "BE"),), ("Europäische Union",)),
    "w-nk-2": Found(("Kim Jong Un",), (KP, ("Japan", "JP"), KR)),
    "w-nk-3": Found(("Kim Jong Un", "Wladimir Putin"), (KP, RU)),
    "w-nk-4": Found((), (KP, RU), ("Europäische Union",)),
    "w-nk-5": Found(("Wolodymyr Selenskyj",), (KP, UA, RU)),
    "w-nk-6": Found((), (KP, KR)),
    "w-nk-7": Found(("Xi Jinping",), (KP, ("China", "CN"))),
    "w-nk-8": Found((), (KP, ("Japan", "JP"))),
    "w-nk-9": Found((), (KP, ("USA", "US")), ("Vereinte Nationen",)),
    "w-de-1": Found(("Boris Pistorius",), (DE, UA), ("Bundestag", "Bundeswehr")),
    "w-de-2": Found(("Olaf Scholz",), (("USA", "US"), UA, RU, ("Frankreich", "FR"), ("Polen", "PL"))),
}
SEED_ENTITIES = Found(("Mark Rutte", "Wladimir Putin"), (RU, UA), ("NATO",))


def known_entities(articles, options):
    """Stands in for ``indexer.index.writer.extract_entities``: entities by article id."""
    return [SEED_ENTITIES if a.id.startswith(SEED_ID_PREFIX) else ENTITIES.get(a.id, Found()) for a in articles]


@pytest.fixture(scope="session")
def web_documents_dir(tmp_path_factory, documents_dir) -> Path:
    """``documents_dir`` (root fixtures + seed article) plus the web test articles."""
    path = tmp_path_factory.mktemp("web-documents")
    for source in [*documents_dir.iterdir(), *WEB_FIXTURES.glob("*.jsonl"), FIXTURES / "speeches.jsonl"]:
        (path / source.name).write_bytes(source.read_bytes())
    return path


@pytest.fixture(scope="session")
def web_index_dir(tmp_path_factory, web_documents_dir) -> Path:
    path = tmp_path_factory.mktemp("web-index")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(indexer.index.writer, "extract_entities", known_entities)
        report = build([web_documents_dir], path, BuildOptions(entities=True))
    assert report.skipped == 0, report.problems
    return path


@pytest.fixture(scope="session")
def app(web_index_dir):
    app = create_app({"SEARCH_INDEX": str(web_index_dir), "TESTING": True})
    yield app
    app.extensions["search"].close()


@pytest.fixture()
def client(app):
    return app.test_client()


def start_search_web(index: Path, log: Path, *options: str) -> tuple[subprocess.Popen, str]:
    """``search-web`` itself (waitress) in a subprocess on a free loopback port: (process, base URL)."""
    with log.open("wb") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "search_web.serve", "--index", str(index),
                                    "--host", "127.0.0.1", "--port", "0", *options],
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        return process, f"http://127.0.0.1:{wait_for_port(process, log)}"
    except BaseException:
        process.kill()
        process.wait(timeout=10)
        raise


@pytest.fixture
def search_web_server():
    """``start(index, log, *options)`` -> (process, URL); what is still running is killed after the test."""
    started = []

    def start(index: Path, log: Path, *options: str):
        process, url = start_search_web(index, log, *options)
        started.append(process)
        return process, url

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def live_url(web_index_dir, tmp_path_factory):
    """``search-web`` itself (waitress) in a subprocess on a free loopback port."""
    process, url = start_search_web(web_index_dir, tmp_path_factory.mktemp("search-web") / "stderr.log", "--threads", "2")
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_for_port(process: subprocess.Popen, log: Path, timeout: float = 30.0) -> int:
    """The port ``search-web`` announces on stderr ("... auf http://127.0.0.1:PORT/")."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r"auf http://127\.0\.0\.1:(\d+)/", log.read_text(encoding="utf-8", errors="replace"))
        if found:
            return int(found[1])
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    process.wait()
    raise RuntimeError(f"search-web did not start: {log.read_text(encoding='utf-8', errors='replace')[-2000:]}")


# --- the browser (Playwright with Debian's Chromium; never a downloaded browser) -----------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(config, items):
    """Tests marked ``browser`` skip with a reason where Debian's Chromium is missing."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason="no Chromium at /usr/bin/chromium (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e .[test])")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, live_url):
    """A desktop page on the live server that fails the test on any script error or CSP violation."""
    context = browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 900}, locale="de-DE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems, problems  # no CSP violations, no script errors

