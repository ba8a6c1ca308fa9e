"""Benchmark: how long a job takes to start and end, forked from the launcher or as a new process.

    .venv/bin/python -m bench.launch [--runs 10] [--command list] [--project PATH]

Each run is ``python -m scrapy <command>`` (default ``list``: Scrapy starts,
loads the spiders, prints their names, exits), timed from the request to its
exit status, its output read; the median of ``--runs`` runs, the two ways
interleaved, so the ratio holds on a loaded machine. ``--project`` measures
another checkout's launcher (e.g. an older commit, unpacked with
``git archive``). Prints JSON.

On a loaded 2-core machine (load 6), 5 runs: a new process 2.76 s; the
home-made fork server this project had (``jobs/launcher.py`` before it used
the standard library) 0.052 s; the standard library's forkserver with the
same preload 0.078 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def new_process(project: Path, argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, *argv], cwd=project, capture_output=True, text=True, check=True)
    return time.perf_counter() - started


def forked(launcher, project: Path, argv: list[str]) -> float:  # noqa: ANN001
    started = time.perf_counter()
    job = launcher.launch(argv, project, dict(os.environ))
    with job.stdout:
        out = job.stdout.read()
    if job.wait(timeout=60) != 0:
        raise SystemExit(f"bench.launch: the job failed: {out[-2000:]}")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--command", default="list")
    parser.add_argument("--project", type=Path, default=ROOT)
    args = parser.parse_args()
    project = args.project.resolve()
    sys.path.insert(0, str(project))
    os.chdir(project)
    from jobs.launcher import Launcher

    argv = ["-m", "scrapy", args.command]
    started = time.perf_counter()
    launcher = Launcher()
    launcher.start()
    ready = time.perf_counter() - started
    times: dict[str, list[float]] = {"new_process": [], "launcher": []}
    for _ in range(args.runs):
        times["new_process"].append(new_process(project, argv))
        times["launcher"].append(forked(launcher, project, argv))
    launcher.close()
    result: dict[str, object] = {f"{name}_s": round(statistics.median(v), 3) for name, v in times.items()}
    result.update(launcher_vs_new_process=round(statistics.median(times["launcher"])
                                                / statistics.median(times["new_process"]), 3),
                  launcher_ready_s=round(ready, 2), runs=args.runs, project=str(project),
                  load_average=round(os.getloadavg()[0], 1))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
