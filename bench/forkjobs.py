"""Preloaded by the standard library's forkserver in bench/launch.py: what jobs/launcher.py preloads,
and the body of a job forked from it."""

from __future__ import annotations

import os
import signal
import sys
from multiprocessing.connection import Connection

from jobs import launcher

FAILED = launcher.preload()


def job(argv: list[str], env: dict[str, str], cwd: str, out: Connection) -> None:
    """A job as jobs/launcher.py forks it: own session, output on the runner's pipe, its env and cwd."""
    os.setsid()
    for signum in (signal.SIGTERM, signal.SIGUSR1):
        signal.signal(signum, signal.SIG_DFL)
    os.dup2(out.fileno(), 1)
    os.dup2(out.fileno(), 2)
    out.close()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    sys.exit(launcher._run(argv))
