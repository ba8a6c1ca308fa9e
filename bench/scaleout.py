"""Benchmark: pages per second of 1 worker vs 2 workers on one shared Redis frontier.

    python bench/scaleout.py [--pages 150] [--hosts 4]

Starts a redis-server on a free loopback port, the local news web (for the
story's source article) and a bench web: ``--hosts`` outlets on 127.0.0.20+,
each with one RSS feed of ``--pages`` articles (the local web's articles,
served again under new URLs). Then, for 1 and for 2 workers (``scrapy crawl
feeds`` in distributed mode, one process — hence one extraction process —
each): wait until every worker has loaded its story profile, queue the feeds,
and time until every article has been fetched, extracted, classified and
pushed to Redis. The ingest is not part of the measure (it is one process
whatever the number of workers). Prints one JSON object as its last line:
``pps_1``, ``pps_2``, ``ratio``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not bench/: bench/incremental.py would shadow the incremental package

from crawler.frontier import ITEMS_KEY, connect, enqueue_discovery  # noqa: E402
from crawler.sources import load_config  # noqa: E402
from localweb.config import sources_toml  # noqa: E402
from localweb.server import start as start_localweb  # noqa: E402
from localweb.site import PAGES  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_web(hosts: int, pages: int, bodies: list[bytes]) -> tuple[list[str], list[ThreadingHTTPServer]]:
    def handler_for(base: str) -> type[BaseHTTPRequestHandler]:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                if self.path == "/feed.xml":
                    items = "".join(
                        f"<item><title>Article {i}</title><link>{base}/a/{i}.html</link>"
                        f"<pubDate>Mon, 10 Feb 2025 10:00:00 +0000</pubDate></item>" for i in range(pages))
                    body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title>'
                            f"<link>{base}/</link>{items}</channel></rss>").encode()
                    kind = "application/rss+xml"
                elif self.path.startswith("/a/") and self.path.endswith(".html"):
                    body, kind = bodies[int(self.path[3:-5]) % len(bodies)], "text/html; charset=utf-8"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        return Handler

    bases, servers = [], []
    for n in range(hosts):
        address = f"127.0.0.{20 + n}"
        server = ThreadingHTTPServer((address, 0), handler_for(""))
        base = f"http://{address}:{server.server_address[1]}"
        server.RequestHandlerClass = handler_for(base)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        bases.append(base)
        servers.append(server)
    return bases, servers


def measure(workers: int, *, sources: Path, redis_url: str, total: int, env: dict[str, str]) -> float:
    server = connect(redis_url)
    server.flushall()
    logs = [tempfile.TemporaryFile() for _ in range(workers)]
    procs = [subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "feeds", "-s", f"MONITOR_SOURCES={sources}",
                               "-s", f"MONITOR_REDIS_URL={redis_url}", "-s", "MONITOR_REDIS_IDLE_CLOSE=1",
                               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                               "-s", "CONCURRENT_REQUESTS=32", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "LOG_LEVEL=WARNING"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log) for log in logs]
    while server.llen(ITEMS_KEY) < workers:  # each worker says "config" once its profiles are loaded
        time.sleep(0.05)
    config = load_config(sources)
    started = time.monotonic()
    enqueue_discovery(redis_url, "feeds", [s for s in config.sources if s.name.startswith("bench")])
    while server.llen(ITEMS_KEY) < workers + total:
        time.sleep(0.02)
        if any(p.poll() is not None for p in procs):
            raise SystemExit("a worker stopped early")
    seconds = time.monotonic() - started
    for proc in procs:
        proc.wait(timeout=120)
    server.close()
    return total / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=150, help="articles per bench outlet (default 150)")
    parser.add_argument("--hosts", type=int, default=4, help="bench outlets (default 4)")
    args = parser.parse_args()
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        raise SystemExit("bench/scaleout.py: redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    folder = tempfile.mkdtemp()
    redis_proc = subprocess.Popen([redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                   "--appendonly", "no", "--dir", folder], stdout=subprocess.DEVNULL)
    web = start_localweb(port=0)
    try:
        bodies = [urlopen(web.url(p)).read() for p in PAGES if p.expect in ("followup", "off_topic")]
        bases, servers = bench_web(args.hosts, args.pages, bodies)
        sources = Path(folder) / "sources.toml"
        extra = "".join(f'\n[[source]]\nname = "bench{i}"\nlanguage = "en"\nfeeds = ["{base}/feed.xml"]\n'
                        f'every = "1h"\n' for i, base in enumerate(bases))
        sources.write_text(sources_toml(web) + extra, encoding="utf-8")
        env = dict(os.environ, MONITOR_ALLOWED_HOSTS="127.0.0.0/8", MONITOR_WORKERS="1")  # one extraction process per worker
        total = args.pages * args.hosts
        time.sleep(0.5)
        pps_1 = measure(1, sources=sources, redis_url=f"redis://127.0.0.1:{port}/0", total=total, env=env)
        pps_2 = measure(2, sources=sources, redis_url=f"redis://127.0.0.1:{port}/0", total=total, env=env)
        for server in servers:
            server.shutdown()
    finally:
        web.stop()
        redis_proc.terminate()
        redis_proc.wait()
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps({"pages": total, "cpus": os.cpu_count(), "pps_1": round(pps_1, 1), "pps_2": round(pps_2, 1),
                      "ratio": round(pps_2 / pps_1, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
