"""Memory of an export: is it flat in the number of rows?

    python -m benchmarks.export_memory [--index DIR] [--documents FILE] [--docs 12000] [--query ""]

Without ``--index`` it builds one in ``benchmarks/out/export-<docs>/`` (once; without entity
recognition, about a minute and a half) from the first ``--docs`` Berlin police reports of
``../shared/data/corpora`` (short dated documents), or from ``--documents``. Then it exports
the search's result set as CSV, 1,000 and then 10,000 rows, three ways, and prints for each
the peak of Python allocations during the export (``tracemalloc``, after a warm-up export
that opened the index and its arrays), the process's resident memory and the time:

- ``service``: ``SearchService.export`` -> ``indexer.export.export_chunks`` -> a sink that
  only counts bytes (what ``search --format csv > file`` does);
- ``web``: ``GET /api/export`` through the Flask test client, the body read chunk by chunk
  as a client downloads it;
- ``list``: the same hits first collected in a list (what streaming avoids), for contrast.

Prints a table; asserts nothing. Times are with tracemalloc on (slower than without).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import resource
import time
import tracemalloc
from pathlib import Path

from indexer.export import export_chunks
from indexer.index.writer import BuildOptions, build
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
POLICE = ROOT.parent / "shared" / "data" / "corpora" / "berlin_police_reports.jsonl.gz"


def ensure_index(index: Path | None, documents: Path | None, docs: int) -> Path:
    if index is not None:
        return index
    index = OUT / f"export-{docs}"
    if (index / "CURRENT").exists():
        return index
    if documents is None:
        documents = OUT / f"export-police-{docs}.jsonl"
        with gzip.open(POLICE, "rt", encoding="utf-8") as source, documents.open("w", encoding="utf-8") as target:
            target.writelines(itertools.islice(source, docs))
    print(f"building {index} from {documents} (no entities) …", flush=True)
    report = build([documents], index, BuildOptions(entities=False))
    print(f"  {report.indexed} documents in {report.seconds:.1f} s", flush=True)
    return index


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def via_service(service: SearchService, request: SearchRequest, rows: int) -> int:
    return sum(len(chunk.encode("utf-8")) for chunk in export_chunks(service.export(request, rows), "csv"))


def via_list(service: SearchService, request: SearchRequest, rows: int) -> int:
    hits = list(service.export(request, rows))
    return sum(len(chunk.encode("utf-8")) for chunk in export_chunks(hits, "csv"))


def via_web(client, request: SearchRequest, rows: int) -> int:
    response = client.get(f"/api/export?q={request.query}&sort={request.sort}&limit={rows}", buffered=False)
    assert response.status_code == 200, response.status_code
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    return size


def measure(name: str, run, rows: int) -> dict:
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    size = run(rows)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"way": name, "rows": rows, "bytes": size, "peak_mb": peak / 2**20, "rss_mb": rss_mb(), "seconds": seconds}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=None)
    parser.add_argument("--documents", type=Path, default=None)
    parser.add_argument("--docs", type=int, default=12_000)
    parser.add_argument("--query", default="", help="the search to export (default: all documents, newest first)")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    index = ensure_index(args.index, args.documents, args.docs)
    request = SearchRequest(query=args.query, sort="date")
    from search_web import create_app

    app = create_app({"SEARCH_INDEX": str(index), "TESTING": True})
    service, client = app.extensions["search"], app.test_client()
    total = service.search(request).total
    via_service(service, request, 1000)  # warm-up: snapshot, arrays, caches
    via_web(client, request, 1000)
    ways = {"service": lambda n: via_service(service, request, n), "web": lambda n: via_web(client, request, n),
            "list": lambda n: via_list(service, request, n)}
    results = [measure(name, run, rows) for name, run in ways.items() for rows in (1000, 10_000)]
    print(f"\nindex {index}: {total} hits for {args.query!r}, sorted by date; "
          f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"{'way':8} {'rows':>6} {'CSV MB':>7} {'peak MB':>8} {'RSS MB':>7} {'s':>6}")
    for r in results:
        print(f"{r['way']:8} {r['rows']:>6} {r['bytes'] / 2**20:>7.1f} {r['peak_mb']:>8.2f} {r['rss_mb']:>7.0f} "
              f"{r['seconds']:>6.1f}")
    app.extensions["search"].close()


if __name__ == "__main__":
    main()
