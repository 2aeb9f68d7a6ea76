"""Wall and CPU time of ``search QUERY`` as a whole process (start, imports, open, search, print).

    python -m benchmarks.startup --index /work/bench/demo-final --runs 10 Nordkorea
    python -m benchmarks.startup --code /work/main --code . --runs 10 Nordkorea   # two checkouts, interleaved

Each run is ``python -c "from indexer.cli import search_command; ..."`` (what the ``search``
console script runs) with ``PYTHONPATH`` set to the checkout, output to /dev/null. With
several ``--code`` checkouts the runs alternate, so a busy machine slows each alike. Prints
min / median / max of the wall time and the median CPU time (user + system) per checkout,
and the load average before and after. Nothing is asserted.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import click

ENTRY = "import sys; sys.argv[0] = 'search'; from indexer.cli import search_command; sys.exit(search_command())"


def run_once(code: Path, args: list[str]) -> tuple[float, float]:
    """(wall s, CPU s) of one ``search`` process on the checkout ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", ENTRY, *args], env=env, cwd=code, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1)
@click.option("--index", "index", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--runs", default=10, show_default=True)
@click.option("--code", "codes", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Checkout to run (repeatable: runs alternate). Default: this one.")
def main(args, index, runs, codes):
    codes = [c.resolve() for c in codes] or [Path(__file__).resolve().parents[1]]
    argv = [*(args or ("Nordkorea",)), "--index", str(Path(index).resolve())]
    print(f"search {' '.join(argv)}; {runs} runs per checkout; PYTHONDONTWRITEBYTECODE="
          f"{os.environ.get('PYTHONDONTWRITEBYTECODE', '')}; load before {load()}")
    for code in codes:
        run_once(code, argv)  # not counted: OS page cache and byte code (when written) warm
    samples: dict[Path, list[tuple[float, float]]] = {code: [] for code in codes}
    for _ in range(runs):
        for code in codes:
            samples[code].append(run_once(code, argv))
    for code, runs_of in samples.items():
        walls, cpus = sorted(w for w, _ in runs_of), [c for _, c in runs_of]
        print(f"{str(code):40s} wall min {walls[0]:.3f} median {statistics.median(walls):.3f} "
              f"max {walls[-1]:.3f} s; CPU median {statistics.median(cpus):.3f} s")
    print(f"load after {load()}")


if __name__ == "__main__":
    main()
