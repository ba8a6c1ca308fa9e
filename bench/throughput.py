"""Benchmark: pages per second of our whole crawl against plain trafilatura, same pages, same machine.

    sudo .venv/bin/python bench/throughput.py [--pages 990] [--outlets 9] [--rounds 3]

Builds a local news web from the real pages of
``../shared/data/extraction-trafilatura/html/`` (990 pages, mostly German,
also English, French, Spanish, Polish, Chinese): ``--outlets`` outlets, each
on its own loopback address (127.0.8.1, 127.0.8.2, …) with an RSS feed of its
share of the pages. Then, one after the other:

* ``bare_pps``: a plain loop of ``trafilatura.bare_extraction(html, url=…,
  with_metadata=True, include_comments=False)`` over the same pages (decoded
  beforehand, as Scrapy decodes them for our crawl), in this one process;
* ``trafilatura_cli_pps``: ``trafilatura --feed`` over the outlets' feeds,
  with a config file that turns its SSRF protection off (loopback) and its
  per-host sleep to 0; its own default parallelism;
* ``ours_pps``: ``scrapy crawl feeds`` over the same feeds, every pipeline,
  storing into a fresh SQLite file, politeness delays off
  (``DOWNLOAD_DELAY=0``, AutoThrottle off);
* ``peak_rss_mb``: the peak resident memory of our crawl, all its processes
  together (the crawl, its forkserver and its workers), sampled every 50 ms
  as the sum of their PSS (a page shared by the forked workers counted once);
  ``peak_rss_sum_mb`` is the naive sum of their RSS, which counts shared
  pages once per process.

The two crawls run ``--rounds`` times each (default 3), in alternating order
(CLI then ours, ours then CLI, …): one run of either swings by about ±10 %
on this shared machine, CLI and ours alike but not together. Reported: the
round whose CPU ratio is the median (``cpu_ratio_rounds`` lists every round's,
``cpu_ms_rounds`` every round's CLI and ours ms per page), and the highest
peak memory of all rounds.

Both crawls are timed from process start to exit, pages = pages served.
trafilatura refuses bare IP hosts, so the outlets get host names
(``outletN.throughput.test``): this script adds them to ``/etc/hosts`` in one
block between marker lines (replacing any block an earlier run left, so it
is idempotent) and removes the block when it ends; it needs root for that.
It prints one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.httpserve import send  # noqa: E402
from bench.procstat import process_stat  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "extraction-trafilatura" / "html"
SEED = ROOT.parent / "shared" / "seed" / "source-article-fr.txt"
HOSTS = Path("/etc/hosts")
BEGIN, END = "# >>> bench/throughput.py outlets >>>", "# <<< bench/throughput.py outlets <<<"
BIN = Path(sys.executable).parent


def log(message: str) -> None:
    print(f"throughput: {message}", file=sys.stderr, flush=True)


# -- the local news web -----------------------------------------------------------------

class Outlet(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: str, host: str, pages: dict[str, bytes]):
        super().__init__((address, 0), Handler)
        self.host, self.pages = host, pages
        self.served = 0
        self.base = f"http://{host}:{self.server_address[1]}"
        stamp = format_datetime(datetime(2025, 2, 5, 12, 0, tzinfo=UTC))
        items = "".join(
            f"<item><title>Article {escape(path)}</title><link>{self.base}{path}</link>"
            f"<guid>{self.base}{path}</guid><pubDate>{stamp}</pubDate></item>"
            for path in pages)
        self.feed = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{host}</title>'
                     f"<link>{self.base}/</link><description>bench</description>{items}</channel></rss>").encode()


class Handler(BaseHTTPRequestHandler):
    server: Outlet
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/feed.xml":
            self._send(200, "application/rss+xml; charset=utf-8", self.server.feed)
        elif path in self.server.pages:
            self.server.served += 1
            self._send(200, "text/html", self.server.pages[path])
        else:
            self._send(404, "text/plain", b"not found")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        send(self, status, content_type, body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def start_web(pages: list[bytes], outlets: int) -> list[Outlet]:
    shares: list[dict[str, bytes]] = [{} for _ in range(outlets)]
    for n, body in enumerate(pages):
        shares[n % outlets][f"/{2025}/02/05/article-{n}.html"] = body
    servers = [Outlet(f"127.0.8.{i + 1}", f"outlet{i + 1}.throughput.test", share) for i, share in enumerate(shares)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    return servers


def set_hosts(servers: list[Outlet] | None) -> None:
    """Replace our block in /etc/hosts (None: just remove it).

    Each run marks its block with its pid: another run of this bench (another
    checkout, same machine) that ends must not remove the names this one still
    uses. Blocks of runs that are gone are removed.
    """
    text = HOSTS.read_text()
    lines, inside, keep = [], False, False
    for line in text.splitlines():
        if line.startswith(BEGIN):
            inside = True
            owner = line[len(BEGIN):].strip()
            # An older version's block (no pid) is its own to remove; a dead run's is ours.
            keep = not owner or (owner.isdigit() and int(owner) != os.getpid() and Path(f"/proc/{owner}").exists())
            if keep:
                lines.append(line)
        elif line.startswith(END):
            if keep:
                lines.append(line)
            inside = keep = False
        elif not inside or keep:
            lines.append(line)
    if servers:
        lines += [f"{BEGIN} {os.getpid()}", *(f"{s.server_address[0]} {s.host}" for s in servers), f"{END} {os.getpid()}"]
    HOSTS.write_text("\n".join(lines) + "\n")


# -- the three measurements ---------------------------------------------------------------

def bare(pages: list[bytes]) -> float:
    import trafilatura
    from w3lib.encoding import html_to_unicode

    texts = [html_to_unicode("text/html", body)[1] for body in pages]
    started = time.perf_counter()
    for n, text in enumerate(texts):
        trafilatura.bare_extraction(text, url=f"http://bench.test/{n}", with_metadata=True, include_comments=False)
    return len(texts) / (time.perf_counter() - started)


CPU_SECONDS: dict[int, float] = {}  # pid → latest utime+stime seen
LAST_CPU: dict[str, float] = {}  # command → CPU seconds of its last run
PEAK_PSS: dict[tuple[str, int], int] = {}  # (role, pid) → peak PSS in kB during the last run


def tree_memory_kb(root: int) -> tuple[int, int]:
    """Summed (PSS, RSS) in kB of ``root`` and all its descendants.

    PSS charges a page shared by n processes 1/n to each, so its sum is the
    memory the crawl really holds; the RSS sum counts pages the forked
    workers share with their forkserver once per process.
    """
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = process_stat(entry)
            if stat is None:
                continue
            parents[int(entry)], CPU_SECONDS[-int(entry)] = stat
    family, changed = {root}, True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in family and pid not in family:
                family.add(pid)
                changed = True
    for pid in family:
        CPU_SECONDS[pid] = CPU_SECONDS.get(-pid, 0.0)
    pss = rss = 0
    for pid in family:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                pss += int(line.split()[1])
                role = "crawl" if pid == root else ("forkserver" if parents.get(pid) == root else "worker")
                PEAK_PSS[(role, pid)] = max(PEAK_PSS.get((role, pid), 0), int(line.split()[1]))
            elif line.startswith("Rss:"):
                rss += int(line.split()[1])
    return pss, rss


def timed_run(command: list[str], *, cwd: Path, env: dict[str, str], log_path: Path) -> tuple[float, float, float]:
    """Wall seconds, peak summed PSS and peak summed RSS (MB) of a command and its children.

    The CPU seconds of the process tree (as last sampled) are logged: they do
    not depend on what else the machine runs meanwhile.
    """
    CPU_SECONDS.clear()
    PEAK_PSS.clear()
    with log_path.open("w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        peak_pss = peak_rss = 0
        while process.poll() is None:
            pss, rss = tree_memory_kb(process.pid)
            peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
            time.sleep(0.05)
        seconds = time.perf_counter() - started
    cpu = sum(v for k, v in CPU_SECONDS.items() if k > 0)
    roles: dict[str, float] = {}
    for (role, pid) in PEAK_PSS:
        roles[role] = roles.get(role, 0.0) + CPU_SECONDS.get(pid, 0.0)
    log("CPU seconds by role: " + ", ".join(f"{role} {cpu:.1f}" for role, cpu in sorted(roles.items())))
    peaks = sorted(PEAK_PSS.items(), key=lambda kv: -kv[1])[:6]
    log("peak PSS by process: " + ", ".join(f"{role} {pid} {kb / 1024:.0f} MB" for (role, pid), kb in peaks))
    LAST_CPU[command[0]] = cpu
    log(f"{Path(command[0]).name} {command[1] if len(command) > 1 else ''}: {seconds:.1f} s wall, "
        f"~{cpu:.1f} s CPU in its processes, load average {os.getloadavg()[0]:.1f}")
    if process.returncode != 0:
        raise SystemExit(f"throughput: {command[:4]} failed ({process.returncode}); see {log_path}")
    return seconds, peak_pss / 1024, peak_rss / 1024


def trafilatura_cli(servers: list[Outlet], work: Path) -> float:
    import trafilatura

    config = (Path(trafilatura.__file__).parent / "settings.cfg").read_text()
    config = config.replace("SLEEP_TIME = 5.0", "SLEEP_TIME = 0").replace("SSRF_PROTECTION = on",
                                                                          "SSRF_PROTECTION = off")
    (work / "trafilatura.cfg").write_text(config)
    (work / "feeds.txt").write_text("".join(f"{s.base}/feed.xml\n" for s in servers))
    command = [str(BIN / "trafilatura"), "--config-file", str(work / "trafilatura.cfg"), "-i",
               str(work / "feeds.txt"), "--feed", "-o", str(work / "cli-out")]
    seconds, _, _ = timed_run(command, cwd=work, env=dict(os.environ), log_path=work / "cli.log")
    return seconds


def sources_toml(servers: list[Outlet]) -> str:
    lines = ["[[story]]", 'name = "deepseek-ai-minds"', 'url = "https://baonghean.vn/fr/deepseek"',
             f"file = {json.dumps(str(SEED))}", "title = \"Que disent les plus grands esprits de l'IA au monde à propos de DeepSeek ?\"", 'language = "fr"', "published = 2025-02-03",
             "since = 2025-01-20", 'terms = ["DeepSeek", "Liang Wenfeng"]']
    for n, server in enumerate(servers):
        lines += ["", "[[source]]", f'name = "outlet{n + 1}"', 'language = "de"',
                  f'feeds = ["{server.base}/feed.xml"]', 'every = "30m"']
    return "\n".join(lines) + "\n"


def ours(servers: list[Outlet], work: Path, project: Path) -> tuple[float, float, float, dict[str, int]]:
    (work / "sources.toml").write_text(sources_toml(servers))
    db = work / "bench.db"
    command = [sys.executable, "-m", "scrapy", "crawl", "feeds", "-s", f"MONITOR_SOURCES={work / 'sources.toml'}",
               "-s", f"MONITOR_DB={db}", "-s", "MONITOR_ALLOWED_HOSTS=127.0.0.0/8", "-s", "DOWNLOAD_DELAY=0",
               "-s", "AUTOTHROTTLE_ENABLED=False"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    if os.environ.get("PYSPY"):  # profiling run: py-spy samples every process of the crawl
        command = [os.environ["PYSPY"], "record", "--subprocesses", "-r", "50", "-f", "raw",
                   "-o", str(work / "ours.pyspy.txt"), "--", *command]
    seconds, peak_pss, peak_rss = timed_run(command, cwd=project, env=env, log_path=work / "ours.log")
    from storage import open_db

    store = open_db(db)
    outcomes = {f"{r['status']}/{r['reason']}": r["n"] for r in store.query(
        "SELECT status, reason, count(*) AS n FROM urls WHERE url LIKE '%/article-%' GROUP BY status, reason")}
    store.close()
    return seconds, peak_pss, peak_rss, outcomes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=990)
    parser.add_argument("--outlets", type=int, default=9)
    parser.add_argument("--skip-bare", action="store_true", help="for profiling runs: only the two crawls")
    parser.add_argument("--keep", type=Path, help="keep logs, store and outputs in this folder")
    parser.add_argument("--project", type=Path, default=ROOT, help="crawl with this checkout (e.g. an older commit)")
    parser.add_argument("--skip-cli", action="store_true", help="for profiling runs: only our crawl")
    parser.add_argument("--rounds", type=int, default=3,
                        help="CLI and ours this many times each, in alternating order; the median round is reported")
    args = parser.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"throughput: {DATA} is absent (third-party data lives in ../shared beside the project)")
    if args.outlets < 8:
        raise SystemExit("throughput: --outlets must be at least 8")
    if os.geteuid() != 0:
        raise SystemExit("throughput: needs root to give the outlets host names in /etc/hosts")
    pages = [gzip.decompress(p.read_bytes()) for p in sorted(DATA.glob("*.gz"))[:args.pages]]
    servers = start_web(pages, args.outlets)
    set_hosts(servers)
    rounds: list[dict[str, Any]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="throughput-") as tmp:
            base = args.keep or Path(tmp)
            base.mkdir(parents=True, exist_ok=True)
            bare_pps = 0.0 if args.skip_bare else bare(pages)
            log(f"bare: {bare_pps:.1f} pages/s")
            for number in range(1, args.rounds + 1):
                work = base / f"round-{number}" if args.rounds > 1 else base
                work.mkdir(parents=True, exist_ok=True)
                # The order alternates from round to round: a drift of the machine weighs on both sides.
                order = ("cli", "ours") if number % 2 else ("ours", "cli")
                figures: dict[str, Any] = {}
                for side in order:
                    before = sum(s.served for s in servers)
                    if side == "cli":
                        seconds = 1.0 if args.skip_cli else trafilatura_cli(servers, work)
                        served = sum(s.served for s in servers) - before
                        cpu = LAST_CPU.get(str(BIN / "trafilatura"), 0.0) if not args.skip_cli else 0.0
                        figures.update(cli_pages=served, cli_seconds=seconds, cli_cpu=cpu)
                        log(f"round {number}: trafilatura CLI: {served} pages in {seconds:.1f} s")
                    else:
                        seconds, peak, peak_rss, outcomes = ours(servers, work, args.project.resolve())
                        served = sum(s.served for s in servers) - before
                        figures.update(our_pages=served, our_seconds=seconds, our_cpu=LAST_CPU.get(sys.executable, 0.0),
                                       peak=peak, peak_rss=peak_rss, outcomes=outcomes)
                        log(f"round {number}: ours: {served} pages in {seconds:.1f} s, peak memory {peak:.0f} MB PSS "
                            f"({peak_rss:.0f} MB summed RSS), outcomes {outcomes}")
                figures["cli_ms"] = 1000 * figures["cli_cpu"] / max(1, figures["cli_pages"])
                figures["ours_ms"] = 1000 * figures["our_cpu"] / max(1, figures["our_pages"])
                figures["ratio"] = figures["cli_ms"] / figures["ours_ms"] if figures["ours_ms"] else None
                rounds.append(figures)
    finally:
        set_hosts(None)
        for server in servers:
            server.shutdown()
    # The median round: one run of each side swings by ±10 % on this shared machine (other tenants).
    middle = sorted(rounds, key=lambda r: r["ratio"] or 0.0)[(len(rounds) - 1) // 2]  # the lower of two
    cli_pps = middle["cli_pages"] / middle["cli_seconds"]
    ours_pps = middle["our_pages"] / middle["our_seconds"]
    outcomes = middle["outcomes"]
    result = {
        "pages": len(pages), "outlets": len(servers), "cores": os.cpu_count(), "rounds": len(rounds),
        "bare_pps": round(bare_pps, 2), "trafilatura_cli_pps": round(cli_pps, 2), "ours_pps": round(ours_pps, 2),
        "ours_vs_cli": round(ours_pps / cli_pps, 2) if cli_pps else None,
        "ours_vs_bare": round(ours_pps / bare_pps, 2) if bare_pps else None,
        "cli_cpu_ms_per_page": round(middle["cli_ms"], 1),
        "ours_cpu_ms_per_page": round(middle["ours_ms"], 1),
        # CPU per page of trafilatura's CLI (text alone) over ours (the whole chain), in the median round
        # of the ratio (every round's below): >= 1.0 is the goal.
        "cpu_ratio": round(middle["ratio"], 2) if middle["ratio"] else None,
        "cpu_ratio_rounds": [round(r["ratio"], 2) if r["ratio"] else None for r in rounds],
        "cpu_ms_rounds": [[round(r["cli_ms"], 1), round(r["ours_ms"], 1)] for r in rounds],
        "load_average": round(os.getloadavg()[0], 1),
        # The highest of every round: the budget holds in each.
        "peak_rss_mb": round(max(r["peak"] for r in rounds), 1),
        "peak_rss_sum_mb": round(max(r["peak_rss"] for r in rounds), 1),
        "ours_accounted": sum(outcomes.values()), "ours_outcomes": outcomes,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
