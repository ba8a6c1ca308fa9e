"""Benchmark: crawl a hostile local web of 10,000 pages, kill the crawl now and then, count what survives.

    python bench/faults.py [--pages 10000] [--per-class 30] [--kills 20] [--seed N]

The web (``tests/faults/server.py``) serves good articles next to pages of
every article-level fault class of FAULTS.md (timeouts, bombs, loops, bad
redirects, broken bodies, SSRF bait, bad URLs, odd charsets...), listed in
news sitemaps. The ``sitemaps`` spider crawls it with the shipped settings
(circuit breaker on), except a shorter timeout. ``--kills`` times, the crawl
is killed with SIGKILL at a random moment and started again (the ``urls``
ledger tells the next run what is left); then one last run finishes it.
A baseline crawl of good pages only, in the same run, gives the speed ratio.

The last line printed is one JSON object: ``pages``, ``faulty``, ``classes``,
``crashes`` (tracebacks or abnormal ends, kills excluded), ``good_stored``,
``good_expected``, ``accounted`` (stored + skipped with a reason + failed with
a reason), ``duplicates``, ``integrity``, ``kills``, ``peak_rss_mb`` (largest
crawl process), ``seconds``, ``pages_per_s`` and ``baseline_pages_per_s``;
``charset_suspect`` counts the stored articles per charset code.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.urls import clean_url  # noqa: E402
from tests.faults.server import ARTICLE_FAULTS, SECRET, FaultWeb, urlset  # noqa: E402
from tests.faults.site import ROOT as _ROOT  # noqa: E402
from tests.faults.site import crawl_command, crawl_env, crawl_settings, write_config

CHUNK = 500  # URLs per sitemap
# Faults whose every instance pauses a whole host for a moment: a few are enough.
FEW = {"retry-after-once": 5}


def build_web(web: FaultWeb, folder: Path, *, pages: int, per_class: int, prefix: str,
              faults: bool = True) -> tuple[list[str], dict[str, list[str]], Path]:
    rng = random.Random(prefix)
    faulty: dict[str, list[str]] = {}
    if faults:
        for name in ARTICLE_FAULTS:
            faulty[name] = [web.fault_url(name, f"{prefix}{i}") for i in range(FEW.get(name, per_class))]
    count = sum(len(v) for v in faulty.values())
    good = [web.good_url(f"{prefix}{i}") for i in range(pages - count)]
    listed = good + [u for urls in faulty.values() for u in urls]
    rng.shuffle(listed)
    sitemaps = [web.publish(f"/sitemaps/{prefix}-{i // CHUNK}.xml", urlset(listed[i:i + CHUNK]))
                for i in range(0, len(listed), CHUNK)]
    sources = write_config(folder, [{"name": prefix, "language": "en", "feeds": [], "sitemaps": sitemaps,
                                     "every": "1h"}])
    return good, faulty, sources


def settings(web: FaultWeb) -> dict[str, str]:
    return crawl_settings(web, MONITOR_BREAKER_FAILURES=5, MONITOR_SITEMAP_MAX_URLS=50000, DOWNLOAD_TIMEOUT=5,
                          RETRY_TIMES=1, CONCURRENT_REQUESTS=32, CONCURRENT_REQUESTS_PER_DOMAIN=16,
                          LOG_LEVEL="INFO")


def crawl(sources: Path, db: Path, web: FaultWeb, *, kill_after: float | None = None) -> tuple[int, str, bool]:
    """One ``scrapy crawl sitemaps``; returns (exit status, log, killed)."""
    log_path = db.with_suffix(f".{time.monotonic_ns()}.log")
    with log_path.open("w") as log:
        process = subprocess.Popen(crawl_command("sitemaps", sources=sources, db=db, settings=settings(web)),
                                   cwd=_ROOT, env=crawl_env(), stdout=subprocess.DEVNULL, stderr=log)
        killed = False
        try:
            process.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            killed = True
    return process.returncode, log_path.read_text(errors="replace"), killed


def crashes_in(log: str, returncode: int, killed: bool) -> int:
    if killed:
        return log.count("Traceback")
    bad_end = returncode != 0 or "'finish_reason': 'finished'" not in log
    return log.count("Traceback") + int(bad_end)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--per-class", type=int, default=30)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--baseline", type=int, default=1000, help="good pages in the baseline crawl")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    (folder / "canary.txt").write_text(SECRET)
    web = FaultWeb(canary_file=str(folder / "canary.txt")).start()
    try:
        # Baseline: good pages only, same settings, same machine, same run.
        base_dir = folder / "baseline"
        base_dir.mkdir()
        _, _, base_sources = build_web(web, base_dir, pages=args.baseline, per_class=0, prefix="base", faults=False)
        started = time.monotonic()
        crawl(base_sources, base_dir / "base.db", web)
        baseline_rate = args.baseline / (time.monotonic() - started)

        run_dir = folder / "faults"
        run_dir.mkdir()
        good, faulty, sources = build_web(web, run_dir, pages=args.pages, per_class=args.per_class, prefix="w")
        db = run_dir / "faults.db"
        crashes = kills = lost = 0
        before: set[str] = set()
        integrity_ok = True
        started = time.monotonic()
        for _ in range(args.kills):
            code, log, killed = crawl(sources, db, web, kill_after=rng.uniform(4.0, 15.0))
            kills += killed
            crashes += crashes_in(log, code, killed)
            if db.exists():
                conn = sqlite3.connect(db)
                integrity_ok &= conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                now = {r[0] for r in conn.execute("SELECT url FROM articles")}
                conn.close()
                lost += len(before - now)
                before = now
            if not killed:
                break
        code, log, killed = crawl(sources, db, web)
        crashes += crashes_in(log, code, killed)
        seconds = time.monotonic() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

        conn = sqlite3.connect(db)
        integrity_ok &= conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ledger = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT url, status, reason FROM urls")}
        articles = [r[0] for r in conn.execute("SELECT url FROM articles")]
        charset_suspect = dict(conn.execute("SELECT charset_suspect, count(*) FROM articles"
                                            " WHERE charset_suspect IS NOT NULL GROUP BY 1").fetchall())
        conn.close()
        lost += len(before - set(articles))
        stored = set(articles)

        def row(url: str) -> tuple[str, str] | None:
            if url in ledger:
                return ledger[url]
            try:
                return ledger.get(clean_url(url))
            except ValueError:
                return None

        expected = good + [u for name, urls in faulty.items() if ARTICLE_FAULTS[name].stored for u in urls]
        good_stored = sum(1 for u in expected if u in stored or clean_url(u) in stored)
        listed = good + [u for urls in faulty.values() for u in urls]
        accounted = 0
        for url in listed:
            found = row(url)
            if found and (found[0] == "stored" or (found[0] in ("skipped", "error") and found[1])):
                accounted += 1
        faulty_count = sum(len(v) for v in faulty.values())
        secret_leaked = any(SECRET.encode() in p.read_bytes() for p in run_dir.glob("faults.db*"))
        result = {
            "pages": len(listed), "faulty": faulty_count, "classes": len(faulty), "crashes": crashes,
            "good_stored": good_stored, "good_expected": len(expected), "accounted": accounted,
            "lost_after_kill": lost, "duplicates": len(articles) - len(stored),
            "integrity": "ok" if integrity_ok else "FAILED", "kills": kills,
            "canary_hits": web.canary_hits, "secret_in_db": secret_leaked, "charset_suspect": charset_suspect,
            "peak_rss_mb": round(peak_kb / 1024, 1), "seconds": round(seconds, 1),
            "pages_per_s": round(len(listed) / seconds, 1), "baseline_pages_per_s": round(baseline_rate, 1),
            "speed_ratio": round(len(listed) / seconds / baseline_rate, 2), "seed": seed,
        }
    finally:
        web.stop()
    unaccounted = [u for u in listed if not row(u)][:5]
    if unaccounted:
        print("unaccounted, e.g.:", *unaccounted, sep="\n  ", file=sys.stderr)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
