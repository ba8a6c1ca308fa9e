"""Incremental crawling benchmark: a 1,000+ article local news web, crawled twice, then grown by 10.

    .venv/bin/python bench/recrawl.py [--outlets 4] [--articles 260]

Builds a synthetic news web on 127.0.0.20+ (each outlet: an RSS feed of its
newest 60 articles, a news sitemap of all of them behind robots.txt, and a
/latest/ section page of the newest 100; feeds and sitemaps answer
conditional GETs), then runs one scheduler job of every spider (feeds,
sitemaps, sections), as scheduler.py does (jobs/runner.py: forked from the
warm launcher, which the first crawl starts; ``--no-preload``: a new Python
process each time), three times against one store:

1. first crawl: everything is new (the baseline);
2. second crawl, site unchanged: should cost one 304 per feed and sitemap,
   one fetch per section page, and no article fetch;
3. third crawl after 10 new articles: should fetch exactly those 10.

Requests are counted by the server. The last line printed is one JSON
object: ``first_s``, ``second_s``, ``ratio`` (second/first),
``article_fetches_second``, and the figures of the third crawl.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobs.runner import CrawlSettings, run_crawl  # noqa: E402 - after the path

SPIDERS = ("feeds", "sitemaps", "sections")
START = datetime(2025, 1, 21, 6, 0, tzinfo=UTC)
WORDS = ("market investors model company chips cloud training data regulators analysts energy price "
         "startup government research network users software court budget election weather city "
         "football council hospital school factory export shares growth bank inflation results "
         "engineers release strategy platform security privacy license open weights reasoning").split()
STORY = ("DeepSeek R1 stunned the AI world. The Chinese start-up DeepSeek, founded by Liang Wenfeng, released an "
         "open reasoning model trained at a fraction of the usual cost, and Nvidia lost 589 billion dollars of "
         "market value in one day as investors questioned the AI spending boom.")


def article_text(rng: random.Random, about_story: bool) -> tuple[str, list[str]]:
    words = list(WORDS) + (["DeepSeek"] * 6 if about_story else [])
    title = " ".join(rng.choice(WORDS) for _ in range(7)).capitalize()
    if about_story:
        title = "DeepSeek: " + title
    paragraphs = []
    for _ in range(5):
        sentences = [" ".join(rng.choice(words) for _ in range(rng.randint(9, 16))).capitalize() + "."
                     for _ in range(4)]
        paragraphs.append(" ".join(sentences))
    return title, paragraphs


class Outlet:
    def __init__(self, index: int, articles: int):
        self.index = index
        self.rng = random.Random(index)
        self.articles: list[dict[str, Any]] = []
        self.resources: dict[str, tuple[str, bytes, bool]] = {}
        self.base = ""
        for _ in range(articles):
            self.add()

    def add(self) -> None:
        n = len(self.articles)
        when = START + timedelta(minutes=37 * n + self.index)
        title, paragraphs = article_text(self.rng, about_story=n % 5 == 0)
        path = f"/{when:%Y/%m/%d}/o{self.index}-story-{n}.html"
        self.articles.append({"path": path, "title": title, "paragraphs": paragraphs, "when": when})

    def render(self) -> None:
        base, newest = self.base, sorted(self.articles, key=lambda a: a["when"], reverse=True)
        res: dict[str, tuple[str, bytes, bool]] = {}
        res["/robots.txt"] = ("text/plain", f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n".encode(), False)
        items = "".join(f"<item><title>{a['title']}</title><link>{base}{a['path']}</link>"
                        f"<pubDate>{format_datetime(a['when'], usegmt=True)}</pubDate></item>" for a in newest[:60])
        res["/feed.xml"] = ("application/rss+xml", (f'<?xml version="1.0"?><rss version="2.0"><channel>'
                                                    f"<title>Outlet {self.index}</title>{items}</channel></rss>").encode(), True)
        urls = "".join(f"<url><loc>{base}{a['path']}</loc><news:news><news:publication_date>{a['when'].isoformat()}"
                       f"</news:publication_date><news:title>{a['title']}</news:title></news:news></url>" for a in newest)
        res["/sitemap.xml"] = ("application/xml", (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>').encode(), True)
        teasers = "".join(f'<li><h3><a href="{a["path"]}">{a["title"]}</a></h3>'
                          f'<time datetime="{a["when"].isoformat()}"></time></li>' for a in newest[:100])
        res["/latest/"] = ("text/html; charset=utf-8", (
            '<html lang="en"><head><meta charset="utf-8"><title>Latest</title>'
            f'<meta property="og:type" content="website"></head><body><ul>{teasers}</ul></body></html>').encode(), False)
        for a in self.articles:
            body = "".join(f"<p>{p}</p>" for p in a["paragraphs"])
            res[a["path"]] = ("text/html; charset=utf-8", (
                f'<html lang="en"><head><meta charset="utf-8"><title>{a["title"]}</title>'
                f'<meta property="og:type" content="article">'
                f'<meta property="article:published_time" content="{a["when"].isoformat()}"></head>'
                f'<body><article><h1>{a["title"]}</h1>{body}</article></body></html>').encode(), False)
        self.resources = res


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        path = urlsplit(self.path).path
        found = self.server.outlet.resources.get(path)
        kind = "article" if path.endswith(".html") else "listing"
        self.server.hits[kind] += 1
        if found is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        content_type, body, conditional = found
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if conditional and self.headers.get("If-None-Match") == etag:
            self.server.hits["not_modified"] += 1
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if conditional:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, outlet: Outlet):
        super().__init__((f"127.0.0.{20 + outlet.index}", 0), Handler)
        self.outlet = outlet
        self.hits: Counter[str] = Counter()
        host, port = self.server_address[:2]
        outlet.base = f"http://{host}:{port}"
        outlet.render()


def sources_toml(outlets: list[Outlet], story_file: Path) -> str:
    out = [f'[[story]]\nname = "bench"\nurl = "{outlets[0].base}/story"\nfile = "{story_file}"\n'
           f'title = "DeepSeek R1"\nlanguage = "en"\nsince = 2025-01-20\nterms = ["DeepSeek", "Liang Wenfeng"]\n']
    for o in outlets:
        out.append(f'[[source]]\nname = "outlet{o.index}"\nlanguage = "en"\nfeeds = ["{o.base}/feed.xml"]\n'
                   f'sitemaps = ["{o.base}/robots.txt"]\nsections = ["{o.base}/latest/"]\n')
    return "\n".join(out)


def crawl(sources: Path, db: Path, servers: list[Server], preload: bool) -> tuple[float, Counter[str]]:
    """One crawl of every source with every spider, as the scheduler runs it (jobs/runner.py: one job)."""
    before = sum((s.hits for s in servers), Counter())
    settings = CrawlSettings(sources=str(sources), db=str(db), allowed_hosts="127.0.0.0/8", log_level="WARNING",
                             preload=preload, extra=("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False",
                                                     "CONCURRENT_REQUESTS_PER_DOMAIN=8"))
    started = time.perf_counter()
    result = run_crawl(SPIDERS, None, settings)
    seconds = time.perf_counter() - started
    if not result.ok:
        sys.exit(f"bench: scrapy job {','.join(SPIDERS)} failed ({result.returncode}):\n{result.log_tail}")
    return seconds, sum((s.hits for s in servers), Counter()) - before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outlets", type=int, default=4)
    parser.add_argument("--articles", type=int, default=260, help="articles per outlet")
    parser.add_argument("--no-preload", dest="preload", action="store_false",
                        help="start every job as a new Python process (MONITOR_CRAWL_PRELOAD=false)")
    args = parser.parse_args()
    outlets = [Outlet(i, args.articles) for i in range(args.outlets)]
    servers = [Server(o) for o in outlets]
    for server in servers:
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            story, sources, db = Path(folder) / "story.txt", Path(folder) / "sources.toml", Path(folder) / "b.db"
            story.write_text(STORY, encoding="utf-8")
            sources.write_text(sources_toml(outlets, story), encoding="utf-8")
            total = sum(len(o.articles) for o in outlets)
            first_s, first = crawl(sources, db, servers, args.preload)
            print(f"first crawl: {first_s:.1f}s, {first['article']} article fetches", file=sys.stderr)
            second_s, second = crawl(sources, db, servers, args.preload)
            print(f"second crawl: {second_s:.1f}s, {second['article']} article fetches", file=sys.stderr)
            for i in range(10):
                outlets[i % len(outlets)].add()
            for outlet in outlets:
                outlet.render()
            third_s, third = crawl(sources, db, servers, args.preload)
            print(f"after adding 10: {third_s:.1f}s, {third['article']} article fetches", file=sys.stderr)
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    print(json.dumps({
        "articles": total,
        "first_s": round(first_s, 2),
        "second_s": round(second_s, 2),
        "ratio": round(second_s / first_s, 4),
        "article_fetches_first": first["article"],
        "article_fetches_second": second["article"],
        "listing_requests_second": second["listing"],
        "not_modified_second": second["not_modified"],
        "preload": args.preload,
        "added": 10,
        "article_fetches_after_adding": third["article"],
        "third_s": round(third_s, 2),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
