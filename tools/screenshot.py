"""Refreshes the README screenshots ``docs/screenshot-search.png`` and ``docs/screenshot-entity.png``
(the tests never write them).

    python -m tools.screenshot                      # ./index (built from seeds/ if missing)
    python -m tools.screenshot --index index --out docs/screenshot-search.png
    python -m tools.screenshot --documents tests/fixtures/articles.jsonl --out /tmp/shot.png
    python -m tools.screenshot --index index --entity 'person:Wladimir Putin'   # -> docs/screenshot-entity.png

Starts ``search-web`` on 127.0.0.1 (a free port) over the index, opens
``/?q=Nordkorea&country=Russland`` in Debian's headless Chromium (``/usr/bin/chromium``,
through Playwright; no browser is downloaded) and saves a full-page PNG (``--entity facet:name``: that entity's page,
``/entities/<facet>/<name>``, into ``docs/screenshot-entity.png``). Without an index
it first builds one from ``seeds/`` (a few minutes, as ``search`` does on first use); with
``--documents`` it builds a temporary index of those files instead.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from indexer.index.store import current_generation
from indexer.index.writer import BuildOptions, build, entities_available
from indexer.settings import PROJECT_ROOT, index_dir, seeds_dir

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOT = PROJECT_ROOT / "docs" / "screenshot-search.png"
ENTITY_SCREENSHOT = PROJECT_ROOT / "docs" / "screenshot-entity.png"
PAGE = "/?q=Nordkorea&country=Russland"
VIEWPORT = {"width": 1280, "height": 900}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.screenshot", description=__doc__.splitlines()[0])
    parser.add_argument("--index", default=None, help="index directory (default: $NEWS_SEARCH_INDEX or ./index)")
    parser.add_argument("--documents", nargs="+", default=None, help="build a temporary index of these files instead")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"PNG to write (default: {SCREENSHOT}, with --entity {ENTITY_SCREENSHOT})")
    parser.add_argument("--page", default=PAGE, help=f"path and query string to show (default: {PAGE})")
    parser.add_argument("--entity", default=None, metavar="FACET:NAME",
                        help="show this entity's page instead, e.g. 'person:Wladimir Putin'")
    args = parser.parse_args(argv)
    if args.entity:
        facet, _, name = args.entity.partition(":")
        if not name.strip():
            parser.error("--entity takes FACET:NAME, e.g. 'person:Wladimir Putin'")
        args.page = entity_path(facet.strip(), name.strip())
    args.out = args.out or (ENTITY_SCREENSHOT if args.entity else SCREENSHOT)
    return args


def entity_path(facet: str, name: str) -> str:
    """``/entities/organisation/B%C3%BCndnis%2090/Die%20Gr%C3%BCnen``: quoted as the app's url_for quotes."""
    return f"/entities/{quote(facet, safe='')}/{quote(name, safe='/')}"


def ensure_index(path: Path, documents: list[str] | None) -> None:
    """Builds ``path`` from ``documents`` (or ``seeds/`` when it has no index yet)."""
    if documents is None and current_generation(path) is not None:
        return
    sources = documents or [str(seeds_dir())]
    print(f"building the index in {path} from {', '.join(sources)} …", file=sys.stderr)
    report = build(sources, path, BuildOptions(entities=entities_available()))
    print(f"indexed {report.indexed}, skipped {report.skipped}", file=sys.stderr)


def start_server(index: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """``search-web`` on a free loopback port; returns the process and its base URL."""
    with log.open("wb") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "search_web.serve", "--index", str(index),
                                    "--host", "127.0.0.1", "--port", "0", "--threads", "2"],
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        found = re.search(r"auf http://127\.0\.0\.1:(\d+)/", log.read_text(encoding="utf-8", errors="replace"))
        if found:
            return process, f"http://127.0.0.1:{found[1]}"
        time.sleep(0.05)
    stop(process)
    raise SystemExit(f"search-web did not start:\n{log.read_text(encoding='utf-8', errors='replace')[-2000:]}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def take(base_url: str, page_path: str, out: Path) -> None:
    """A full-page screenshot of ``page_path`` in headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(base_url=base_url, viewport=VIEWPORT, locale="de-DE")
            page = context.new_page()
            response = page.goto(page_path)
            if response is None or response.status != 200 or page.locator(".hit").count() == 0:
                raise SystemExit(f"{page_path}: no hits to show (HTTP {response and response.status})")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), full_page=True)
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not CHROMIUM.exists():
        raise SystemExit(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="screenshot-") as work:
        index = Path(work) / "index" if args.documents else index_dir(args.index)
        ensure_index(index, args.documents)
        process, base_url = start_server(index, Path(work) / "search-web.log")
        try:
            take(base_url, args.page, args.out)
        finally:
            stop(process)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
