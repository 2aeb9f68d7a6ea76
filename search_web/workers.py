"""Several ``search-web`` processes on one listening socket (POSIX): searching is CPU-bound
Python, and one process holds the GIL for each search in turn, so a second core needs a
second process.

    with listening("127.0.0.1", 8000) as sock:
        serve_forked(sock, workers=2, start=lambda s: make_server_on(s, index, threads))

The parent binds the socket and forks the workers; each worker opens its own index
snapshot after the fork (no file handle is shared, a snapshot's reads are seek + read) and
accepts on the inherited socket, the kernel spreading connections between them. A worker
that dies is replaced; SIGINT or SIGTERM to the parent stops them all.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import time
from typing import Callable

log = logging.getLogger("search_web")
RESTART_PAUSE = 1.0  # seconds before a crashed worker is replaced (no busy loop of crashes)


def listening(host: str, port: int) -> socket.socket:
    """A bound, listening TCP socket (``port`` 0: a free one); ``with`` closes it."""
    return socket.create_server((host, port), backlog=1024)


def serve_forked(sock: socket.socket, workers: int, start: Callable[[socket.socket], object]) -> None:
    """Runs ``workers`` processes, each ``start(sock).run()``, until SIGINT/SIGTERM."""
    children: set[int] = set()
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        for _ in range(workers):
            children.add(fork_worker(sock, start, previous))
        while children:
            pid = wait_child()
            if pid is None:
                continue
            children.discard(pid)
            if not stopping:
                log.warning("Arbeitsprozess %d beendet; starte einen neuen", pid)
                time.sleep(RESTART_PAUSE)
                children.add(fork_worker(sock, start, previous))
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def wait_child() -> int | None:
    try:
        pid, _ = os.wait()
    except ChildProcessError:
        return None
    except InterruptedError:  # a signal arrived; the handler has done its part
        return None
    return pid


def fork_worker(sock: socket.socket, start: Callable[[socket.socket], object], handlers: dict) -> int:
    """The child's pid; the child serves until SIGTERM and never returns."""
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        for s, handler in handlers.items():
            signal.signal(s, handler)
        server = start(sock)
        signal.signal(signal.SIGTERM, lambda *_: server.close() or os._exit(0))
        server.run()
    except KeyboardInterrupt:
        pass
    except BaseException:  # noqa: BLE001 - a worker must never fall back into the parent's loop
        log.exception("Arbeitsprozess %d fehlgeschlagen", os.getpid())
        code = 1
    finally:
        os._exit(code)
