"""A real Dask scheduler and workers as separate processes on 127.0.0.1, for the cluster tests.

``DaskProcesses(tmp_path)`` starts nothing by itself: ``scheduler()`` starts ``dask scheduler``
on a free port without a dashboard and returns its address; ``worker(address)`` starts one
``dask worker`` process (one thread, no nanny, so that a SIGKILL ends it for good) with this
checkout's code. ``stop()`` kills every process it started, by pid; fixtures call it in
their finalizer.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
START_SECONDS = 60


class DaskProcesses:
    def __init__(self, directory: Path):
        self.directory = directory
        self.processes: list[subprocess.Popen] = []
        self.logs = []

    def start(self, name: str, args: list[str], env: dict | None = None, prefix: list[str] = ()) -> subprocess.Popen:
        log = open(self.directory / f"{name}.log", "wb")
        self.logs.append(log)
        environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
        process = subprocess.Popen([*prefix, sys.executable, "-m", "dask", *args], cwd=self.directory,
                                   env=environment, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def scheduler(self) -> str:
        """Starts a scheduler on a free port; returns its address (``tcp://127.0.0.1:PORT``)."""
        path = self.directory / f"scheduler-{len(self.processes)}.json"
        process = self.start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                           "--scheduler-file", str(path)])
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"dask scheduler ended: {self.log_text('scheduler')}")
            try:
                return json.loads(path.read_text())["address"]
            except (OSError, ValueError, KeyError):
                time.sleep(0.1)
        raise RuntimeError("dask scheduler did not start")

    def worker(self, address: str, name: str, env: dict | None = None, prefix: list[str] = ()) -> subprocess.Popen:
        return self.start(name, ["worker", address, "--nworkers", "1", "--nthreads", "1", "--no-nanny",
                                 "--no-dashboard", "--name", name, "--host", "127.0.0.1"], env, prefix)

    def wait_for_workers(self, address: str, count: int) -> None:
        import distributed

        with distributed.Client(address, timeout=START_SECONDS) as client:
            client.wait_for_workers(count, timeout=START_SECONDS)

    def log_text(self, name: str) -> str:
        path = self.directory / f"{name}.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def kill(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self) -> None:
        for process in reversed(self.processes):
            self.kill(process)
        for log in self.logs:
            log.close()
        self.processes, self.logs = [], []
