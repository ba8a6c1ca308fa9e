"""A small hostile web for discovery tests: bad feeds and sitemaps, traps, home-page-only outlets.

Served from the test process on 127.0.0.10 (traps) and 127.0.0.11-12
(outlets that give only a home page), so tests can count the requests each
path received. Everything is rendered on the fly.
"""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

UNDATED_TEXT = (
    "DeepSeek, the Chinese start-up behind the R1 reasoning model, keeps drawing attention from "
    "regulators and investors. Analysts say the DeepSeek release changed how companies think about "
    "the cost of training large language models, and several governments are reviewing its app. "
    "Liang Wenfeng, the founder of DeepSeek, has said little in public since the launch."
)
STORY_TEXT = (
    "DeepSeek R1 stunned the AI world. The Chinese start-up DeepSeek, founded by Liang Wenfeng, released "
    "an open reasoning model trained at a fraction of the usual cost, and Nvidia lost 589 billion dollars "
    "of market value in one day as investors questioned the AI spending boom."
)


def _html(title: str, body: str, *, og_type: str = "website", head: str = "") -> bytes:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="og:type" content="{og_type}">{head}</head><body>{body}</body></html>').encode()


def _rss(items: list[tuple[str, str, str | None]]) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><link>/</link>']
    for link, title, date in items:
        out.append(f"<item><title>{title}</title><link>{link}</link>"
                   + (f"<pubDate>{date}</pubDate>" if date else "") + "</item>")
    out.append("</channel></rss>")
    return "".join(out).encode()


class _Handler(BaseHTTPRequestHandler):
    server: TrapServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        parts = urlsplit(self.path)
        self.server.hits[parts.path] += 1
        self.server.hits["*"] += 1
        status, kind, body = self.server.route(parts.path, parse_qs(parts.query), self)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        pass


HTML = "text/html; charset=utf-8"
XML = "application/xml"
RSS = "application/rss+xml"
NOT_FOUND = (404, HTML, b"<html><body>not found</body></html>")


class TrapServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, routes: Any):
        super().__init__((host, 0), _Handler)
        self.route = routes
        self.hits: Counter[str] = Counter()

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


def traps(path: str, query: dict[str, list[str]], handler: _Handler) -> tuple[int, str, bytes]:
    if path == "/robots.txt":
        return 200, "text/plain", b"User-agent: *\nAllow: /\n"
    if path == "/huge/":  # a section page with 10,000 article-looking links
        links = "".join(f'<li><a href="/2025/02/{1 + i % 28:02d}/story-number-{i}.html">Story number {i} of '
                        f"the day in full</a></li>" for i in range(10_000))
        return 200, HTML, _html("Everything", f"<ul>{links}</ul>")
    if path == "/calendar/":  # a calendar that links to the next month for ever
        year, month = (int(x) for x in query.get("m", ["2025-01"])[0].split("-"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        link = f'<a href="/calendar/?m={year}-{month:02d}">Events calendar for {year}-{month:02d}: the full programme</a>'
        return 200, HTML, _html("Calendar", f"<h1>Calendar</h1><p>{link}</p>")
    if path == "/sitemap-self.xml":  # an index that lists itself
        base = f"http://{handler.headers['Host']}"
        return 200, XML, (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                          f"<sitemap><loc>{base}/sitemap-self.xml</loc></sitemap></sitemapindex>").encode()
    if path == "/sitemap-html.xml":  # a sitemap that is not XML
        return 200, XML, b"<html><body><p>Sitemap moved</body>"
    if path == "/feed-html.xml":  # a feed that is an HTML page
        return 200, RSS, _html("Home", "<p>Welcome to our site</p>")
    if path == "/feed-empty.xml":
        return 200, RSS, _rss([])
    return NOT_FOUND


def home_only(path: str, query: dict[str, list[str]], handler: _Handler) -> tuple[int, str, bytes]:
    """An outlet known only by its home page: the feed is announced, the sitemap is in robots.txt."""
    base = f"http://{handler.headers['Host']}"
    if path == "/":
        head = f'<link rel="alternate" type="application/rss+xml" title="News" href="{base}/news/rss">' \
               f'<link rel="alternate" type="application/rss+xml" title="Comments" href="/comments/rss">'
        return 200, HTML, _html("Home only", '<a href="/about">About us</a> <a href="/stories/deepseek-keeps-'
                                'regulators-busy">DeepSeek keeps regulators busy as scrutiny grows</a>', head=head)
    if path == "/robots.txt":
        return 200, "text/plain", f"User-agent: *\nAllow: /\nSitemap: {base}/map.xml\n".encode()
    if path == "/news/rss":
        return 200, RSS, _rss([(f"{base}/stories/deepseek-keeps-regulators-busy", "DeepSeek keeps regulators busy",
                                None)])
    if path == "/map.xml":
        return 200, XML, (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                          f"<url><loc>{base}/stories/deepseek-keeps-regulators-busy</loc></url></urlset>").encode()
    if path == "/stories/deepseek-keeps-regulators-busy":  # no date anywhere: kept and flagged
        return 200, HTML, _html("DeepSeek keeps regulators busy",
                                f"<article><h1>DeepSeek keeps regulators busy</h1><p>{UNDATED_TEXT}</p></article>",
                                og_type="article")
    return NOT_FOUND


def usual_path(path: str, query: dict[str, list[str]], handler: _Handler) -> tuple[int, str, bytes]:
    """An outlet whose home page names no feed; its feed sits at a usual path."""
    base = f"http://{handler.headers['Host']}"
    if path == "/":
        return 200, HTML, _html("No links", "<p>Nothing announced here.</p>")
    if path == "/rss.xml":
        return 200, RSS, _rss([(f"{base}/2024/01/02/old-news.html", "Old news", "Tue, 02 Jan 2024 10:00:00 GMT")])
    return NOT_FOUND


class TrapWeb:
    def __init__(self) -> None:
        self.traps = TrapServer("127.0.0.10", traps)
        self.home_only = TrapServer("127.0.0.11", home_only)
        self.usual = TrapServer("127.0.0.12", usual_path)
        self.threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
                        for s in (self.traps, self.home_only, self.usual)]
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        for server in (self.traps, self.home_only, self.usual):
            server.shutdown()
            server.server_close()

    def sources_toml(self, story_file: str) -> str:
        t, h, u = self.traps.base, self.home_only.base, self.usual.base
        return f"""
[[story]]
name = "deepseek"
url = "{h}/story"
file = "{story_file}"
title = "DeepSeek R1"
language = "en"
since = 2025-01-20
terms = ["DeepSeek", "Liang Wenfeng"]

[[source]]
name = "traps"
language = "en"
feeds = ["{t}/feed-html.xml", "{t}/feed-empty.xml"]
sitemaps = ["{t}/sitemap-self.xml", "{t}/sitemap-html.xml"]
sections = ["{t}/huge/", "{t}/calendar/?m=2025-01"]

[[source]]
name = "homeonly"
language = "en"
sections = ["{h}/"]

[[source]]
name = "usualpath"
language = "en"
sections = ["{u}/"]
"""
