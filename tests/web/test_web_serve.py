"""``search-web``: options, early failure without an index, the real waitress server."""

from __future__ import annotations

import gc
import json
import os
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from search_web.serve import frozen, main, parse_args


def fetch(url: str, method: str = "GET"):
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read().decode("utf-8")


def test_defaults_and_options():
    args = parse_args([])
    assert (args.host, args.port, args.index, args.threads) == ("127.0.0.1", 8000, None, 4)
    args = parse_args(["--host", "0.0.0.0", "--port", "9000", "--index", "ix", "--threads", "8"])
    assert (args.host, args.port, args.index, args.threads) == ("0.0.0.0", 9000, "ix", 8)


@pytest.mark.parametrize("argv", [["--threads", "0"], ["--port", "70000"], ["--port", "x"]])
def test_bad_options_exit_with_usage(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(argv)
    assert exit_info.value.code == 2
    assert "search-web" in capsys.readouterr().err


def test_missing_index_fails_before_serving(tmp_path, capsys):
    assert main(["--index", str(tmp_path / "fehlt"), "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [f"Fehler: Kein Index in {tmp_path / 'fehlt'}",
                                "Hinweis: Zuerst einen Index bauen: search-index build seeds/"]


def test_waitress_serves_pages_api_and_headers(live_url):
    status, headers, body = fetch(f"{live_url}/?q=Nordkorea")
    assert status == 200 and "<mark>Nordkorea</mark>" in body
    assert headers["X-Frame-Options"] == "DENY" and "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Server"] == "search-web"
    status, _, body = fetch(f"{live_url}/api/search?q=Putin")
    assert status == 200 and json.loads(body)["total"] >= 1


def test_waitress_answers_errors_and_methods(live_url):
    assert fetch(f"{live_url}/?page=abc")[0] == 400
    assert fetch(f"{live_url}/documents/nichts")[0] == 404
    status, headers, _ = fetch(f"{live_url}/api/search", method="POST")
    assert status == 405 and "POST" not in headers["Allow"]


def test_a_serving_process_takes_what_its_start_made_out_of_collections():
    """``search-web`` freezes the objects of its warm-up (``gc.freeze``) before it serves; the
    subprocess servers of these tests serve that way."""
    before, server = gc.get_freeze_count(), object()
    try:
        assert frozen(server) is server and gc.get_freeze_count() > before
    finally:
        gc.unfreeze()


def test_workers_option():
    assert parse_args([]).workers == 1
    assert parse_args(["--workers", "3", "--threads", "2"]).workers == 3
    with pytest.raises(SystemExit):
        parse_args(["--workers", "0"])


def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc").is_dir(), reason="--workers forks (POSIX, Linux /proc)")
def test_workers_share_one_port_replace_a_dead_one_and_stop_together(web_index_dir, tmp_path, search_web_server):
    log = tmp_path / "stderr.log"
    process, url = search_web_server(web_index_dir, log, "--threads", "1", "--workers", "2")
    assert all(fetch(f"{url}/api/search?q=Nordkorea")[0] == 200 for _ in range(6))
    workers = children_of(process.pid)
    assert len(workers) == 2
    os.kill(workers[0], signal.SIGKILL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (len(children_of(process.pid)) < 2 or workers[0] in children_of(process.pid)):
        time.sleep(0.2)
    replaced = children_of(process.pid)
    assert len(replaced) == 2 and workers[0] not in replaced and workers[1] in replaced
    assert all(fetch(f"{url}/?q=Nordkorea")[0] == 200 for _ in range(6))
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in replaced)
    assert "Arbeitsprozess" in log.read_text(encoding="utf-8")


def test_workers_check_the_index_before_forking(tmp_path, capsys):
    assert main(["--index", str(tmp_path / "fehlt"), "--port", "0", "--workers", "2"]) == 2
    assert capsys.readouterr().err.splitlines()[0] == f"Fehler: Kein Index in {tmp_path / 'fehlt'}"
