"""Drive the production web server on loopback as hard as it goes, and print what it held.

    python -m benchmarks.load --index index [--duration 60] [--clients 8] [--server-threads 4] [--server-workers 2]

Starts ``search-web --index DIR --port 0`` as a subprocess (waitress, as in production),
reads the port from its log line, and runs a closed-loop load: ``--clients`` threads, each
with one keep-alive HTTP/1.1 connection, sending the next request as soon as the last one
is answered (search API, search page, document page; German queries, some sorted by date,
some on page 2, and the empty query that lists the newest articles). A warm-up round opens
the index and fills its caches first. Bounded: loopback only, at most ``--duration`` seconds
(<= 600) and ``--max-requests`` requests. Prints requests/s, p50/p95/p99 latency (also per
kind of page), errors, the server's resident memory (VmRSS) at start and end and its CPU
use (a Python server's threads hold the GIL in turn: near 100 % of one core, more threads
only overlap what runs without it: numpy, file reads, socket I/O); the exit
code is 1 when a request failed. The client runs in Python on the same machine: on a small
box it competes with the server for CPU, so the figure is a lower bound of what the server
alone sustains.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

HOST = "127.0.0.1"
READY = re.compile(r"http://127\.0\.0\.1:(\d+)/")
QUERIES = ["Nordkorea", "Bundeswehr Mali", '"russische Soldaten"', "Sanktion*", "Russland OR Ukraine",
           "Nordkroea", "Ukraine -Russland", "date:2023", "NATO Gipfel", "Putin", '"Auswärtiges Amt"',
           "Rente ODER Pflege", ""]
VARIANTS = ["", "", "&sort=date", "&page=2"]  # most searches by relevance on page 1
KINDS = ("api", "page", "document")


@dataclass
class Tally:
    """What one client thread saw."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def server_command(index: str, threads: int, workers: int = 1) -> list[str]:
    script = shutil.which("search-web", path=str(Path(sys.executable).parent))
    args = ["--index", index, "--host", HOST, "--port", "0", "--threads", str(threads)]
    args += ["--workers", str(workers)] if workers > 1 else []
    if script:
        return [script, *args]
    return [sys.executable, "-c", "import sys; from search_web.serve import main; sys.exit(main())", *args]


def start_server(index: str, threads: int, timeout: float = 60, workers: int = 1) -> tuple[subprocess.Popen, int]:
    """The server process and its port, once it logs that it listens."""
    server = subprocess.Popen(server_command(index, threads, workers), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
    deadline, seen = time.monotonic() + timeout, []
    for line in server.stderr:
        match = READY.search(line)
        if match:
            threading.Thread(target=server.stderr.read, daemon=True).start()  # keep draining the log
            return server, int(match.group(1))
        seen.append(line)
        if time.monotonic() > deadline:
            break
    server.kill()
    server.wait(timeout=15)
    raise SystemExit("search-web did not start:\n" + "".join(seen)[-2000:])


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=15)


def process_tree(pid: int) -> list[int]:
    """``pid`` and its children (the ``--workers`` processes), from Linux ``/proc``."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *map(int, children)]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of the server and its workers so far (Linux ``/proc``), NaN elsewhere."""
    try:
        stats = [Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split() for p in process_tree(pid)]
    except OSError:
        return float("nan")
    return sum(int(fields[11]) + int(fields[12]) for fields in stats) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of the server and its workers together."""
    total = 0.0
    for p in process_tree(pid):
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return round(total, 1) if total else float("nan")


def get(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


def document_ids(port: int) -> list[str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    ids = []
    for query in QUERIES[:4]:
        status, body = get(connection, f"/api/search?q={quote(query)}&size=10")
        if status == 200:
            ids += [hit["id"] for hit in json.loads(body)["hits"]]
    connection.close()
    return ids or ["fehlt"]


def request_paths(ids: list[str], rng: random.Random):
    """An endless mix of (kind, path): 60 % search API, 25 % search page, 15 % document page."""
    while True:
        roll, query, variant = rng.random(), quote(rng.choice(QUERIES)), rng.choice(VARIANTS)
        if roll < 0.6:
            yield "api", f"/api/search?q={query}{variant}"
        elif roll < 0.85:
            yield "page", f"/?q={query}{variant}"
        else:
            yield "document", f"/documents/{quote(rng.choice(ids), safe='')}?q={query}"


def warm_up(port: int, ids: list[str]) -> None:
    """Every query once on each kind of page: the index is open and its caches are filled."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    for query in QUERIES:
        for path in (f"/api/search?q={quote(query)}", f"/?q={quote(query)}"):
            get(connection, path)
    get(connection, f"/documents/{quote(ids[0], safe='')}?q=Nordkorea")
    connection.close()


def client(port: int, ids: list[str], stop: threading.Event, budget: "Budget", tally: Tally, seed: int) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    for kind, path in request_paths(ids, random.Random(seed)):
        if stop.is_set() or not budget.take():
            break
        started = time.perf_counter()
        try:
            status, _ = get(connection, path)
        except (OSError, http.client.HTTPException) as error:
            tally.error(type(error).__name__)
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=30)
            continue
        tally.latencies[kind].append(time.perf_counter() - started)
        if status != 200:
            tally.error(f"HTTP {status}")
    connection.close()


class Budget:
    """At most ``limit`` requests in all, shared by the client threads."""

    def __init__(self, limit: int):
        self.left, self.lock = limit, threading.Lock()

    def take(self) -> bool:
        with self.lock:
            self.left -= 1
            return self.left >= 0


def drive(port: int, clients: int, duration: float, max_requests: int, pid: int) -> tuple[list[Tally], float, float]:
    """(what each client saw, seconds of load, CPU seconds the server spent meanwhile)."""
    ids, stop, budget = document_ids(port), threading.Event(), Budget(max_requests)
    warm_up(port, ids)
    tallies = [Tally() for _ in range(clients)]
    threads = [threading.Thread(target=client, args=(port, ids, stop, budget, t, i), daemon=True)
               for i, t in enumerate(tallies)]
    started, cpu = time.monotonic(), cpu_seconds(pid)
    for thread in threads:
        thread.start()
    stop.wait(duration)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    return tallies, time.monotonic() - started, cpu_seconds(pid) - cpu


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(tallies: list[Tally], seconds: float, rss: tuple[float, float]) -> dict:
    by_kind = {kind: [x for t in tallies for x in t.latencies[kind]] for kind in KINDS}
    latencies = [x for kind in KINDS for x in by_kind[kind]]
    errors: dict[str, int] = {}
    for tally in tallies:
        for kind, count in tally.errors.items():
            errors[kind] = errors.get(kind, 0) + count
    return {
        "requests": len(latencies), "seconds": round(seconds, 1),
        "requests_per_second": round(len(latencies) / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1), "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else float("nan"),
        "errors": sum(errors.values()), "error_kinds": errors,
        "rss_start_mb": round(rss[0], 1), "rss_end_mb": round(rss[1], 1),
        "by_kind": {kind: {"requests": len(values), "p50_ms": round(percentile(values, 0.50) * 1000, 1),
                           "p95_ms": round(percentile(values, 0.95) * 1000, 1)} for kind, values in by_kind.items()},
    }


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, help="index directory (build one with search-index build)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (at most 600)")
    parser.add_argument("--clients", type=int, default=8, help="client threads, one connection each")
    parser.add_argument("--server-threads", type=int, default=4, help="waitress threads of the server (per process)")
    parser.add_argument("--server-workers", type=int, default=1, help="search-web --workers: processes on one port")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="stop after this many requests")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not 0 < args.duration <= 600 or not 1 <= args.clients <= 64 or args.max_requests < 1:
        parser.error("--duration in (0, 600], --clients in [1, 64], --max-requests >= 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    server, port = start_server(args.index, args.server_threads, workers=args.server_workers)
    try:
        rss_start = rss_mb(server.pid)
        tallies, seconds, cpu = drive(port, args.clients, args.duration, args.max_requests, server.pid)
        rss_end = rss_mb(server.pid)
    finally:
        stop_server(server)
    result = summary(tallies, seconds, (rss_start, rss_end))
    result["server_cpu_percent"] = round(100 * cpu / seconds, 1) if seconds else float("nan")
    print(json.dumps(result, ensure_ascii=False) if args.json else report(result, args))
    return 1 if result["errors"] else 0


def report(result: dict, args: argparse.Namespace) -> str:
    return "\n".join([
        f"search-web on {HOST}, {args.server_workers} process(es) x {args.server_threads} server threads, "
        f"{args.clients} clients, {result['seconds']} s",
        f"requests:   {result['requests']} ({result['requests_per_second']}/s)",
        f"latency:    p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms",
        *[f"  {kind + ':':<9} {k['requests']} requests, p50 {k['p50_ms']} ms, p95 {k['p95_ms']} ms"
          for kind, k in result["by_kind"].items()],
        f"errors:     {result['errors']} {result['error_kinds'] or ''}".rstrip(),
        f"server RSS: {result['rss_start_mb']} MB at start, {result['rss_end_mb']} MB at end",
        f"server CPU: {result['server_cpu_percent']} % of one core during the load",
    ])


if __name__ == "__main__":
    sys.exit(main())
