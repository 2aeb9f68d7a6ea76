"""Small load test of ``search-web`` on loopback: requests/s and p50/p95 latency.

    python benchmarks/web_load.py --index /tmp/demo-index --seconds 10 --clients 2

Starts ``search-web`` as a subprocess on 127.0.0.1 (a free port), then for the search
page and for the JSON API in turn lets a few client threads (urllib) send German queries
for a bounded time and a bounded number of requests. Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import itertools
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

QUERIES = ["Nordkorea", "Bundeswehr", "Ukraine Russland", "Sanktionen", "Klimaschutz", "Haushalt",
           '"Auswärtiges Amt"', "Bundes*", "Rente ODER Pflege", ""]
VARIANTS = [{}, {"sort": "date"}, {"page": "2"}]
MAX_REQUESTS = 5000  # per target
MAX_SECONDS = 60


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, help="a built index (search-index build seeds/ --index DIR)")
    parser.add_argument("--seconds", type=float, default=10.0, help=f"per target, at most {MAX_SECONDS}")
    parser.add_argument("--clients", type=int, default=2, help="concurrent client threads (1-8)")
    parser.add_argument("--threads", type=int, default=4, help="waitress worker threads")
    args = parser.parse_args()
    args.seconds = min(max(args.seconds, 1.0), MAX_SECONDS)
    args.clients = min(max(args.clients, 1), 8)
    return args


def server_command(index: str, threads: int) -> list[str]:
    script = Path(sys.executable).with_name("search-web")
    launcher = [str(script)] if script.exists() else ([shutil.which("search-web")] if shutil.which("search-web")
                                                       else [sys.executable, "-m", "search_web.serve"])
    return [*launcher, "--index", index, "--host", "127.0.0.1", "--port", "0", "--threads", str(threads)]


def start_server(index: str, threads: int, log: Path) -> tuple[subprocess.Popen, str]:
    with log.open("wb") as stderr:
        process = subprocess.Popen(server_command(index, threads), stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        found = re.search(r"auf (http://127\.0\.0\.1:\d+)/", log.read_text(encoding="utf-8", errors="replace"))
        if found:
            return process, found[1]
        time.sleep(0.05)
    process.kill()
    process.wait()
    sys.exit(f"search-web did not start:\n{log.read_text(encoding='utf-8', errors='replace')[-2000:]}")


def urls(base: str, path: str) -> itertools.cycle:
    pairs = [{**({"q": q} if q else {}), **variant} for q in QUERIES for variant in VARIANTS]
    return itertools.cycle([f"{base}{path}?{urlencode(p)}" if p else f"{base}{path}" for p in pairs])


def fetch(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status == 200
    except urllib.error.HTTPError as error:
        error.close()
        return False
    except OSError:
        return False


def run_target(base: str, path: str, seconds: float, clients: int) -> dict:
    """Latencies (ms) of all requests by ``clients`` threads for ``seconds``."""
    source, lock = urls(base, path), threading.Lock()
    latencies: list[float] = []
    errors = [0]
    stop_at = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < stop_at:
            with lock:
                if len(latencies) + errors[0] >= MAX_REQUESTS:
                    return
                url = next(source)
            started = time.perf_counter()
            ok = fetch(url)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed) if ok else errors.__setitem__(0, errors[0] + 1)

    started = time.monotonic()
    threads = [threading.Thread(target=client, name=f"client-{i}") for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(path, latencies, errors[0], time.monotonic() - started)


def summary(path: str, latencies: list[float], errors: int, wall: float) -> dict:
    ordered = sorted(latencies) or [0.0]
    return {
        "target": path, "requests": len(latencies), "errors": errors, "rps": len(latencies) / wall,
        "p50": statistics.median(ordered), "p95": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
    }


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        process, base = start_server(args.index, args.threads, Path(tmp) / "search-web.log")
        try:
            for path in ("/", "/api/search"):  # warm up: open the index, fill caches
                fetch(base + path + "?q=Nordkorea")
            results = [run_target(base, path, args.seconds, args.clients) for path in ("/", "/api/search")]
        finally:
            process.terminate()
            process.wait(timeout=10)
    print(f"search-web on {base}, index {args.index}, {args.clients} clients, {args.threads} server threads, "
          f"{args.seconds:g} s per target")
    print(f"{'target':<12} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for r in results:
        print(f"{r['target']:<12} {r['requests']:>8} {r['errors']:>6} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f}")
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
