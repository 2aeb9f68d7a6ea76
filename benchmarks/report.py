"""Summaries and tables of the peer benchmark: percentiles, per category, ratios, worst queries.

    python -m benchmarks.report out/peers-100000.json                      # the tables in Markdown
    python -m benchmarks.report out/peers-100000.json out/peers-300000.json   # growth from one size to the other
"""

from __future__ import annotations

import numpy as np

from benchmarks.engine import Built
from benchmarks.queries import CATEGORIES, BenchQuery

PERCENTILES = (50, 95, 99)


def stats(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {}
    values = np.asarray(samples)
    found = {f"p{p}": round(float(np.percentile(values, p)), 2) for p in PERCENTILES}
    found["max"] = round(float(values.max()), 2)
    return found


def pooled(per_query: dict[str, list[float]], labels) -> list[float]:
    return [ms for label in labels for ms in per_query[label]]


def engine_summary(built: Built, modes: dict, queries: list[BenchQuery]) -> dict:
    labels = [q.label for q in queries]
    summary = {"build": {"documents": built.documents, "seconds": round(built.seconds, 1),
                         "docs_per_s": round(built.docs_per_second, 1), "size_mb": round(built.size_bytes / 1e6, 1),
                         "note": built.note}}
    for mode, per_query in modes.items():
        summary[mode] = stats(pooled(per_query, labels))
        summary[f"{mode}_best"] = stats([min(per_query[label]) for label in labels])
    summary["categories"] = {
        category: {mode: stats(pooled(per_query, [q.label for q in queries if q.category == category]))
                   for mode, per_query in modes.items()}
        for category in CATEGORIES
    }
    return summary


def ratios(engines: dict) -> dict:
    """Product time / peer time per mode and percentile (below 1: the product is faster)."""
    product = engines.get("product")
    if not product:
        return {}
    found = {}
    for name, peer in engines.items():
        if name == "product":
            continue
        found[name] = {f"{mode}_{p}": round(product[mode][p] / peer[mode][p], 2)
                       for mode in ("plain", "facets", "plain_best", "facets_best") for p in ("p50", "p95", "p99")
                       if peer[mode].get(p)}
    return found


def per_query(times: dict, outcomes: dict, queries: list[BenchQuery]) -> dict:
    table = {}
    for query in queries:
        row = {"category": query.category}
        for name in times:
            outcome = outcomes[name].get(query.label)
            row[name] = {"plain_ms": round(float(np.median(times[name]["plain"][query.label])), 2),
                         "facets_ms": round(float(np.median(times[name]["facets"][query.label])), 2),
                         "max_ms": round(max(times[name]["facets"][query.label] + times[name]["plain"][query.label]), 2),
                         "total": outcome.total if outcome else None,
                         "group_top": next(iter(outcome.facets.get("group", {})), None) if outcome else None}
        table[query.label] = row
    return table


def summarise(built: dict, times: dict, outcomes: dict, queries: list[BenchQuery]) -> dict:
    engines = {name: engine_summary(built[name], times[name], queries) for name in times}
    table = per_query(times, outcomes, queries)
    worst = sorted(((row["product"]["facets_ms"], row["product"]["max_ms"], label) for label, row in table.items()
                    if "product" in row), reverse=True)[:12]
    return {"engines": engines, "ratios": ratios(engines), "queries": table,
            "worst_product": [{"query": label, "facets_p50_ms": p50, "max_ms": top} for p50, top, label in worst]}


def fmt(values: dict) -> str:
    return " ".join(f"{values.get(p, float('nan')):7.1f}" for p in ("p50", "p95", "p99"))


def print_report(summary: dict) -> None:
    engines = summary["engines"]
    print("\nengine    docs/s     MB |  plain p50     p95     p99 | facets p50     p95     p99 |    max")
    for name, e in engines.items():
        b = e["build"]
        print(f"{name:8} {b['docs_per_s']:7.0f} {b['size_mb']:6.0f} | {fmt(e['plain'])} | {fmt(e['facets'])}  "
              f"| {e['facets'].get('max', 0):6.0f}")
    print("\nbest of rounds per query (less sensitive to a busy machine):")
    print("engine  |  plain p50     p95     p99 | facets p50     p95     p99 |    max")
    for name, e in engines.items():
        print(f"{name:8}| {fmt(e['plain_best'])} | {fmt(e['facets_best'])}  | {e['facets_best'].get('max', 0):6.0f}")
    print("\np50 / p95 ms with facets, per category")
    print("category " + "".join(f"{name:>16}" for name in engines))
    for category in CATEGORIES:
        cells = [e["categories"][category]["facets"] for e in engines.values()]
        print(f"{category:8} " + "".join(f"{c.get('p50', 0):8.1f}{c.get('p95', 0):8.1f}" for c in cells))
    for name, values in summary["ratios"].items():
        print(f"product / {name}: " + "  ".join(f"{k} {v}" for k, v in values.items()))
    print("\nslowest product queries (facets p50, max ms):")
    for row in summary["worst_product"]:
        print(f"  {row['query']:45} {row['facets_p50_ms']:8.1f} {row['max_ms']:8.1f}")
    print("\nper query: median ms with facets (total hits)")
    print(f"{'query':45}" + "".join(f"{name:>18}" for name in engines))
    for label, row in summary["queries"].items():
        print(f"{label[:45]:45}" + "".join(f"{row[n]['facets_ms']:9.1f}{row[n]['total'] or 0:9d}" for n in engines))


def cells(values: dict) -> str:
    return " / ".join(f"{values.get(p, float('nan')):.1f}" for p in ("p50", "p95", "p99"))


def markdown(summary: dict) -> str:
    """The result tables in Markdown (for benchmarks/README.md)."""
    engines, setup = summary["engines"], summary.get("setup", {})
    load = [f"{setup[k][0]:.1f}" if k in setup else "?" for k in ("load_before", "load_after")]
    lines = [f"Corpus {setup.get('size', '?')} documents, {setup.get('rounds')} rounds, product entities: "
             f"{setup.get('product_entities')}, product code {setup.get('product_code', '?')}, "
             f"load average before/after {load[0]}/{load[1]} on {setup.get('cpus', '?')} CPUs.", "",
             "| engine | build docs/s | index MB | plain p50 / p95 / p99 ms | facets p50 / p95 / p99 ms | "
             "facets best-of-rounds p50 / p95 / p99 | max ms |", "|---|---|---|---|---|---|---|"]
    for name, e in engines.items():
        lines.append(f"| {name} | {e['build']['docs_per_s']:.0f} | {e['build']['size_mb']:.0f} | {cells(e['plain'])} | "
                     f"{cells(e['facets'])} | {cells(e.get('facets_best', {}))} | {e['facets']['max']:.0f} |")
    lines += ["", "p50 / p95 ms with facets per category:", "",
              "| category | " + " | ".join(engines) + " |", "|---" * (len(engines) + 1) + "|"]
    for category in CATEGORIES:
        row = [engines[n]["categories"][category]["facets"] for n in engines]
        lines.append(f"| {category} | " + " | ".join(f"{c.get('p50', 0):.1f} / {c.get('p95', 0):.1f}" for c in row) + " |")
    lines += ["", "Product time / peer time (above 1: the product is slower):", "",
              "| peer | plain p50 | plain p95 | facets p50 | facets p95 | facets p99 | best-of facets p50 | best-of facets p95 |",
              "|---|---|---|---|---|---|---|---|"]
    for name, r in summary["ratios"].items():
        lines.append(f"| {name} | {r.get('plain_p50')} | {r.get('plain_p95')} | {r.get('facets_p50')} | "
                     f"{r.get('facets_p95')} | {r.get('facets_p99')} | {r.get('facets_best_p50')} | "
                     f"{r.get('facets_best_p95')} |")
    lines += ["", "Slowest product queries (median with facets / slowest round, ms): " + ", ".join(
        f"`{w['query']}` {w['facets_p50_ms']:.0f} / {w['max_ms']:.0f}" for w in summary["worst_product"][:8]) + "."]
    return "\n".join(lines)


def growth(small: dict, large: dict, against: str = "xapian") -> str:
    """How each engine's p50 / p95 with facets grew from the ``small`` run to the ``large``
    one, overall and per category, and the product's growth over ``against``'s (at most 1:
    the product grows no steeper). Markdown."""
    sizes = [run.get("setup", {}).get("size", "?") for run in (small, large)]
    engines = [name for name in large["engines"] if name in small["engines"]]
    lines = [f"Growth from {sizes[0]} to {sizes[1]} documents, with facets: large / small time, p50 / p95; "
             f"product / {against}: the product's growth over {against}'s; per query: the geometric mean "
             f"over the category's queries of each query's growth over {against}'s (medians of the rounds).", "",
             "| category | " + " | ".join(engines) + f" | product / {against} | per query |",
             "|---" * (len(engines) + 3) + "|"]
    for category in ("all",) + CATEGORIES:
        ratios = {name: [growth_of(small, large, name, category, p) for p in ("p50", "p95")] for name in engines}
        versus = [round(p / a, 2) if p and a else None for p, a in zip(ratios["product"], ratios.get(against, [None, None]))]
        lines.append(f"| {category} | " + " | ".join(f"{r[0]} / {r[1]}" for r in ratios.values())
                     + f" | {versus[0]} / {versus[1]} | {per_query_growth(small, large, category, against)} |")
    return "\n".join(lines)


def per_query_growth(small: dict, large: dict, category: str, against: str) -> float | None:
    """The geometric mean over a category's queries of the product's growth over ``against``'s:
    below 1, the typical query grows less. Unlike a category's percentile it does not hang
    on its slowest query or on which query sits at the median."""
    logs = []
    for label, row in small.get("queries", {}).items():
        other = large.get("queries", {}).get(label)
        if other is None or category not in ("all", row.get("category")):
            continue
        times = [run[name]["facets_ms"] for run in (row, other) for name in ("product", against)]
        if all(times):
            logs.append(np.log((times[2] / times[0]) / (times[3] / times[1])))
    return round(float(np.exp(np.mean(logs))), 2) if logs else None


def growth_of(small: dict, large: dict, engine: str, category: str, percentile: str) -> float | None:
    def value(run):
        e = run["engines"][engine]
        cell = e["facets"] if category == "all" else e["categories"].get(category, {}).get("facets", {})
        return cell.get(percentile)
    before, after = value(small), value(large)
    return round(after / before, 2) if before and after else None


if __name__ == "__main__":
    import json
    import sys

    runs = [json.loads(open(path, encoding="utf-8").read()) for path in sys.argv[1:3]]
    print(markdown(runs[-1]) if len(runs) == 1 else growth(*runs))
