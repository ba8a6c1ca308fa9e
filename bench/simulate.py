"""``bench/scaleout.py --simulate``: 1, 2, 3 and 4 workers, each on a simulated machine of its own.

Each worker (its crawl process and its extraction process) runs in a cgroup
with a CPU quota (``--quota`` cores, bench/cgroup.py), as if it were a small
machine; the bench web, Redis and the ingest stay outside the quotas (in one
group without a quota, weighted like the workers so that the shared
machine's other jobs do not starve them). The same bench web as the plain
run; for each number of workers n it reports

* ``pps_n`` and ``efficiency_n = pps_n / (n * pps_1)``;
* ``cpu_ms_per_page_n``: CPU per page by role (crawl, extract, redis, web);
* ``redis_calls_per_page_n`` and ``redis_bytes_per_page_n`` (INFO
  commandstats and net byte counters, the bench's own polling taken off);
* ``quota_use_n``: CPU the workers used over what their quotas allowed
  (1.0: the quota was the limit) and how often CFS throttled them, beside
  ``idle_cores_n``, the machine's idle CPU just before the run; when the
  workers did not use their quotas, ``limit_n`` says so;
* ``same_results_n``: after the ingest, the store holds the same URLs with
  the same labels, languages, stories, ledger reasons and duplicate groups
  (a partition: which copy is the group's first depends on arrival order)
  as one ``scrapy crawl feeds`` process over the same web.

Then ``ingest``: the single writer alone, draining the largest run's items
from a full list (saturation): items/s, CPU ms per item, and its share of a
core (near 1.0: its own CPU is the limit, not Redis or the disk).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

from bench.cgroup import CpuBox, available
from bench.procstat import CpuMeter, machine_cpu
from core.sources import load_config
from distributed.enqueue import enqueue_discovery
from distributed.frontier import ITEMS_KEY, connect

# Messages of the items list that stand for one fetched article each.
_ITEM_KINDS = ("article", "dropped", "error", "url")
_COUNT_ITEMS = """
local n = 0
for _, m in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  for _, kind in ipairs(ARGV) do
    if string.sub(m, 1, #kind) == kind then n = n + 1 break end
  end
end
return n
"""


class Polls:
    """The bench's own Redis commands while a run is timed, to take them off the workers' figures."""

    def __init__(self, server: Any):
        self.server, self.calls = server, {"llen": 0, "evalsha": 0}
        self._count = server.register_script(_COUNT_ITEMS)
        self.prefixes = [f'{{"kind":"{k}"' for k in _ITEM_KINDS]

    def llen(self) -> int:
        self.calls["llen"] += 1
        return int(self.server.llen(ITEMS_KEY))

    def items(self) -> int:
        self.calls["evalsha"] += 1
        return int(self._count(keys=[ITEMS_KEY], args=self.prefixes))


def add_simulate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--simulate", action="store_true",
                        help="1-4 workers, each in a CPU cgroup with a quota (bench/simulate.py)")
    parser.add_argument("--quota", type=float, default=0.35, help="--simulate: cores per worker (default 0.35)")
    parser.add_argument("--shares", type=int, default=8192, help="--simulate: cpu.shares of each box (default 8192)")
    parser.add_argument("--leases", type=int, default=8, help="--simulate: requests a worker holds (default 8)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3, 4],
                        help="--simulate: the runs (default 1 2 3 4)")


def idle_cores(seconds: float = 1.0) -> float:
    """The machine's idle CPU (cores) over the next ``seconds``."""
    before, _ = machine_cpu()
    time.sleep(seconds)
    busy, _ = machine_cpu()
    return max(0.0, (os.cpu_count() or 1) - (busy - before) / seconds)


def redis_stats(server: Any) -> tuple[dict[str, int], int]:
    calls = {name.removeprefix("cmdstat_"): int(stat["calls"]) for name, stat in server.info("commandstats").items()}
    stats = server.info("stats")
    return calls, int(stats["total_net_input_bytes"]) + int(stats["total_net_output_bytes"])


def run_boxed(workers: int, *, sources: Path, redis_url: str, redis_pid: int, total: int, env: dict[str, str],
              quota: float, shares: int, leases: int) -> dict[str, Any]:
    """``workers`` workers, each in its own CPU box, over the bench feeds; until every article is pushed."""
    server = connect(redis_url)
    server.flushall()
    boxes = [CpuBox(f"scaleout-{os.getpid()}-w{n + 1}", cores=quota, shares=shares) for n in range(workers)]
    logs = [tempfile.TemporaryFile() for _ in range(workers)]
    procs = [subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", "feeds", "-s", f"MONITOR_SOURCES={sources}",
         "-s", f"MONITOR_REDIS_URL={redis_url}", "-s", "MONITOR_REDIS_IDLE_CLOSE=1", "-s", "DOWNLOAD_DELAY=0",
         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", f"CONCURRENT_REQUESTS={leases}",
         "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={leases}", "-s", f"MONITOR_REDIS_MAX_LEASES={leases}",
         "-s", "LOG_LEVEL=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, preexec_fn=box.enter)
        for box, log in zip(boxes, logs, strict=False)]
    try:
        while server.llen(ITEMS_KEY) < workers:  # each worker says "config" once its profiles are loaded
            time.sleep(0.1)
            if any(p.poll() is not None for p in procs):
                raise SystemExit("a worker stopped before it was ready")
        roots = {os.getpid(): "web", redis_pid: "redis"} | {p.pid: f"worker{n + 1}" for n, p in enumerate(procs)}
        ready = {f"worker{n + 1}/extract" for n in range(workers)}
        while True:  # and each has its extraction process
            probe = CpuMeter(roots, workers={p.pid for p in procs})
            probe.sample(first=True)
            if ready <= set(probe.role.values()):
                break
            time.sleep(0.2)
        idle = idle_cores()
        polls = Polls(server)
        for box in boxes:
            box.reset()
        meter = CpuMeter(roots, workers={p.pid for p in procs})
        server.config_resetstat()
        # Timed from the moment the listings are queued: building the scheduler's Crawler to
        # queue them is the scheduler's start-up, not the workers' work.
        enqueue_discovery(redis_url, "feeds", load_config(sources).sources)
        meter.start()
        while polls.llen() < workers + total or polls.items() < total:
            time.sleep(0.05)
            if any(p.poll() is not None for p in procs):
                raise SystemExit("a worker stopped early")
        used = meter.stop()
        calls, traffic = redis_stats(server)
        throttled = [box.throttled() for box in boxes]
        for proc in procs:
            proc.wait(timeout=300)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        for box in boxes:
            box.remove()
        server.close()
    for name, count in polls.calls.items():  # the bench's own polling
        calls[name] = calls.get(name, 0) - count
    calls.pop("config|resetstat", None)
    calls.pop("script|load", None)
    traffic -= polls.calls["llen"] * 45 + polls.calls["evalsha"] * 120  # their RESP bytes, both ways
    return {"pps": total / meter.seconds, "seconds": meter.seconds, "cpu": used, "meter_cpu": meter.own,
            "machine": meter.machine, "calls": calls, "bytes": traffic, "idle": idle, "throttled": throttled}


def snapshot(db_path: Path) -> dict[str, Any]:
    """What a store holds, in a form two crawls of the same web can be compared by."""
    con = sqlite3.connect(db_path)
    try:
        rows = con.execute("SELECT id, url, label, language, story, duplicate_of FROM articles").fetchall()
        ledger = dict(((u, (s, r)) for u, s, r in con.execute("SELECT url, status, reason FROM urls")))
    finally:
        con.close()
    url_of = {r[0]: r[1] for r in rows}
    groups: dict[str, list[str]] = {}
    for _, url, *_, dup in rows:
        groups.setdefault(url_of[dup] if dup else url, []).append(url)
    grouped = {u for g in groups.values() if len(g) > 1 for u in g}
    # Which copy of a group came first (ledger reason: its label; the others': duplicate) is arrival order.
    return {"articles": {r[1]: list(r[2:5]) for r in rows},
            "ledger": {u: [s, "in_group" if u in grouped and s == "stored" else r] for u, (s, r) in ledger.items()},
            "groups": sorted(sorted(g) for g in groups.values() if len(g) > 1)}


def differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    out = []
    for part in ("articles", "ledger"):
        for url in sorted(set(a[part]) | set(b[part])):
            if a[part].get(url) != b[part].get(url):
                out.append(f"{part} {url}: {a[part].get(url)} vs {b[part].get(url)}")
    if a["groups"] != b["groups"]:
        out.append(f"duplicate groups differ: {len(a['groups'])} vs {len(b['groups'])}")
    return out


def reference(sources: Path, folder: str, env: dict[str, str]) -> dict[str, Any]:
    """One plain ``scrapy crawl feeds`` process (no Redis) over the same web: the results to match."""
    db = Path(folder) / "single.db"
    plain = {k: v for k, v in env.items() if k != "MONITOR_REDIS_URL"}
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "feeds", "-s", f"MONITOR_SOURCES={sources}",
                             "-s", f"MONITOR_DB={db}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                             "-s", "LOG_LEVEL=WARNING"], cwd=ROOT, env=plain, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"the single-process crawl failed: {result.stderr[-2000:]}")
    return snapshot(db)


def simulate(args: Any, *, drain: Callable[..., dict[str, Any]], sources: Path, redis_url: str, redis_pid: int,
             folder: str, total: int,
             env: dict[str, str], log: Callable[[str], None]) -> dict[str, Any]:
    why = available()
    if why:
        raise SystemExit(f"bench/scaleout.py --simulate: {why}")
    outside = CpuBox(f"scaleout-{os.getpid()}-outside", cores=None, shares=args.shares)
    outside.enter()  # this process (the bench web) and, below, Redis and the ingest
    outside.enter(redis_pid)
    try:
        expected = reference(sources, folder, env)
        log(f"single process: {len(expected['articles'])} articles, {len(expected['ledger'])} ledger rows, "
            f"{len(expected['groups'])} duplicate groups")
        runs: dict[int, dict[str, Any]] = {}
        for workers in args.workers:
            run = run_boxed(workers, sources=sources, redis_url=redis_url, redis_pid=redis_pid, total=total,
                            env=env, quota=args.quota, shares=args.shares, leases=args.leases)
            drained = drain(redis_url=redis_url, redis_pid=redis_pid, folder=folder, items=total,
                           preexec=outside.enter, keep=True)
            run["ingest"], run["same"] = drained, differences(expected, snapshot(drained["db"]))
            runs[workers] = run
            log(f"{workers} worker(s): {run['pps']:.1f} pages/s, idle cores before {run['idle']:.2f}, "
                f"throttled {[t['throttled_share'] for t in run['throttled']]}, "
                f"differences {run['same'][:5] or 'none'}")
        return figures(runs, args, total)
    finally:
        outside.remove()


def figures(runs: dict[int, dict[str, Any]], args: Any, total: int) -> dict[str, Any]:
    out: dict[str, Any] = {"mode": "simulate", "pages": total, "quota_cores": args.quota, "leases": args.leases}
    first = min(runs)
    for n, run in runs.items():
        cpu = dict(run["cpu"])
        cpu["web"] = max(0.0, cpu.get("web", 0.0) - run["meter_cpu"])
        roles: dict[str, float] = {}
        for role, seconds in cpu.items():
            key = role.split("/", 1)[1] if "/" in role else role
            roles[key] = roles.get(key, 0.0) + seconds
        worker_cpu = sum(v for k, v in cpu.items() if k.startswith("worker"))
        use = worker_cpu / (n * args.quota * run["seconds"])
        out[f"pps_{n}"] = round(run["pps"], 2)
        out[f"efficiency_{n}"] = round(run["pps"] / (n * runs[first]["pps"] / first), 3)
        out[f"cpu_ms_per_page_{n}"] = {k: round(1000 * v / total, 2) for k, v in sorted(roles.items())}
        out[f"redis_calls_per_page_{n}"] = round(sum(run["calls"].values()) / total, 2)
        out[f"redis_bytes_per_page_{n}"] = round(run["bytes"] / total)
        out[f"quota_use_{n}"] = round(use, 3)
        out[f"throttled_share_{n}"] = round(min(t["throttled_share"] for t in run["throttled"]), 3)
        out[f"idle_cores_{n}"] = round(run["idle"], 2)
        if use < 0.9:
            out[f"limit_{n}"] = (f"not the quotas: the workers used {use:.0%} of them "
                                 f"({n} x {args.quota} cores asked, {run['idle']:.2f} cores idle before the run)")
        elif n * args.quota > run["idle"]:
            out[f"limit_{n}"] = (f"the quotas, though {n} x {args.quota} cores exceeds the {run['idle']:.2f} "
                                 "idle before the run: the workers' weight (cpu.shares) got them their quotas")
        out[f"same_results_{n}"] = not run["same"]
    out["same_results"] = all(not run["same"] for run in runs.values())
    out["quotas_were_the_limit"] = all(f"limit_{n}" not in out or out[f"limit_{n}"].startswith("the quotas")
                                       for n in runs)
    big = runs[max(runs)]
    drain = big["ingest"]
    out["ingest"] = {"items": drain["items"], "items_per_s": round(drain["items_per_s"], 1),
                     "ms_per_item": round(drain["ms_per_item"], 2),
                     "cores_busy": round(drain["cpu"].get("ingest", 0.0) / drain["seconds"], 2),
                     "redis_ms_per_item": round(1000 * drain["cpu"].get("redis", 0.0) / drain["items"], 2)}
    out["calls_by_command_" + str(max(runs))] = {k: round(v / total, 2) for k, v in sorted(big["calls"].items()) if v}
    out["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return out
