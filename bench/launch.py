"""Benchmark: how long a job takes to start and end, three ways: a new process, forked from our
launcher (jobs/launcher.py), forked from the standard library's forkserver with the same preload.

    .venv/bin/python -m bench.launch [--runs 10] [--command list]

Each run is ``python -m scrapy <command>`` (default ``list``: Scrapy starts, loads the
spiders, prints their names, exits), timed from the request to the end of its output
and its exit status; the median of ``--runs`` runs, interleaved. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def new_process(argv: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, *argv], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - started, out


def ours(launcher, argv: list[str]) -> tuple[float, str]:  # noqa: ANN001
    started = time.perf_counter()
    job = launcher.launch(argv, ROOT, dict(os.environ))
    with job.stdout:
        out = job.stdout.read()
    assert job.wait(timeout=60) == 0, out
    return time.perf_counter() - started, out


def stdlib(context, argv: list[str]) -> tuple[float, str]:  # noqa: ANN001
    from bench.forkjobs import job

    started = time.perf_counter()
    read_fd, write_fd = os.pipe()
    writer = Connection(write_fd, readable=False)  # pickled for the child as an inherited descriptor
    process = context.Process(target=job, args=(argv, dict(os.environ), str(ROOT), writer))
    process.start()
    writer.close()
    with os.fdopen(read_fd, "r") as stream:
        out = stream.read()
    process.join()
    assert process.exitcode == 0, out
    return time.perf_counter() - started, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--command", default="list")
    args = parser.parse_args()
    from jobs.launcher import Launcher

    argv = ["-m", "scrapy", args.command]
    started = time.perf_counter()
    launcher = Launcher()
    launcher.start()
    ours_ready = time.perf_counter() - started
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["bench.forkjobs"])
    started = time.perf_counter()
    first, _ = stdlib(context, argv)  # starts the forkserver, which preloads
    stdlib_ready = time.perf_counter() - started - first
    times: dict[str, list[float]] = {"new_process": [], "launcher": [], "stdlib_forkserver": []}
    outputs = set()
    for _ in range(args.runs):
        for name, run in (("new_process", new_process), ("launcher", lambda a: ours(launcher, a)),
                          ("stdlib_forkserver", lambda a: stdlib(context, a))):
            seconds, out = run(argv)
            times[name].append(seconds)
            outputs.add(out)
    launcher.close()
    result = {f"{name}_s": round(statistics.median(values), 3) for name, values in times.items()}
    result.update(launcher_ready_s=round(ours_ready, 2), forkserver_ready_s=round(max(0.0, stdlib_ready), 2),
                  same_output=len(outputs) == 1, runs=args.runs, load_average=round(os.getloadavg()[0], 1))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
