"""The body of a worker process of :mod:`pipelines.pool`.

Apart from the pool on purpose: a worker forked from the forkserver unpickles
its target, which imports the target's module; from ``pipelines.pool`` that
was Scrapy, Twisted and OpenSSL, imported again by every new worker (about a
millisecond of CPU per page over a crawl, since workers are renewed every
``MONITOR_WORKER_MAX_TASKS`` tasks). This module imports nothing the
forkserver has not already loaded.
"""

from __future__ import annotations

import logging
import signal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection


def worker_main(conn: Connection) -> None:
    """Answer tasks until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
        logging.getLogger().addHandler(handler)
        logging.getLogger().setLevel(logging.WARNING)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        function, args, kwargs = task
        try:
            answer: tuple[bool, Any] = (True, function(*args, **kwargs))
        except Exception as exc:  # report, never die on a task's exception
            answer = (False, f"{type(exc).__name__}: {exc}"[:1000])
        try:
            conn.send(answer)
        except (OSError, ValueError):
            return
