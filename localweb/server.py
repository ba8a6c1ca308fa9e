"""Serve the local news web: one ``ThreadingHTTPServer`` per outlet, each on its own
loopback address (Linux routes all of 127.0.0.0/8 to ``lo``).

Every response is rendered once, when the web starts (the base URLs, hence the port,
must be known first). Feeds and sitemaps answer conditional GETs with 304.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from localweb.feeds import (
    FEED_CONTENT_TYPES,
    http_date,
    render_feed,
    render_news_sitemap,
    render_robots,
    render_sitemap_index,
)
from localweb.model import Outlet, Page
from localweb.render import related_pages, render_article, render_list_page, render_no_text
from localweb.site import OUTLETS, PAGES, is_tech, pages_of, published_at

__all__ = [
    "BindError",
    "LocalWeb",
    "Resource",
    "build_resources",
    "render_article",
    "render_feed",
    "render_list_page",
    "render_news_sitemap",
    "render_sitemap_index",
    "start",
]

logger = logging.getLogger(__name__)

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"

_LIST_TITLES: dict[str, tuple[str, str, str]] = {
    # language: (home page intro, section title, section intro)
    "fr": ("L'actualité du jour, en continu.", "Tech", "Toute l'actualité du numérique."),
    "en": ("Today's news, as it happens.", "Technology", "All our technology coverage."),
    "de": ("Die Nachrichten des Tages.", "Digitales", "Alle Artikel aus dem Ressort Digitales."),
    "es": ("La actualidad, al minuto.", "Tecnología", "Toda la información de tecnología."),
    "zh": ("今日要闻，实时更新。", "科技", "科技频道最新报道。"),
    "vi": ("Tin tức trong ngày, cập nhật liên tục.", "Công nghệ", "Tin tức công nghệ mới nhất."),
    "ja": ("きょうのニュースを随時更新。", "テクノロジー", "テクノロジーの最新記事。"),
}


class BindError(OSError):
    """An outlet's address could not be bound."""


@dataclass(frozen=True)
class Resource:
    """One pre-rendered response."""

    status: int
    content_type: str
    body: bytes
    conditional: bool = False  # answer If-None-Match / If-Modified-Since with 304
    last_modified: datetime | None = None

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:20] + '"'


def build_resources(outlet: Outlet, base_url: str) -> dict[str, Resource]:
    """Every path the outlet serves, rendered for ``base_url``."""
    pages = pages_of(outlet.key)  # newest first
    resources: dict[str, Resource] = {}

    resources["/robots.txt"] = Resource(
        200, "text/plain; charset=utf-8", render_robots(outlet, base_url)
    )

    feed_pages = [page for page in pages if page.in_feed]
    resources[outlet.feed_path] = Resource(
        200,
        FEED_CONTENT_TYPES[outlet.feed_format],
        render_feed(outlet, base_url, feed_pages),
        conditional=True,
        last_modified=_newest(feed_pages),
    )
    sitemap_pages = [page for page in pages if page.in_sitemap]
    newest_sitemap = _newest(sitemap_pages)
    resources["/sitemap_index.xml"] = Resource(
        200, XML, render_sitemap_index(base_url, newest_sitemap), True, newest_sitemap
    )
    resources["/sitemap-news.xml"] = Resource(
        200, XML, render_news_sitemap(outlet, base_url, sitemap_pages), True, newest_sitemap
    )

    home_intro, tech_title, tech_intro = _LIST_TITLES[outlet.language]
    resources["/"] = Resource(
        200,
        HTML,
        render_list_page(
            outlet, base_url, path="/", title=outlet.name, intro=home_intro, pages=pages
        ),
    )
    tech_pages = [page for page in pages if is_tech(page)]
    resources["/tech/"] = Resource(
        200,
        HTML,
        render_list_page(
            outlet, base_url, path="/tech/", title=tech_title, intro=tech_intro, pages=tech_pages
        ),
    )

    for page in pages:
        resources[page.path] = _page_resource(page, outlet, base_url, pages, tech_pages)
    return resources


def _newest(pages: list[Page]) -> datetime:
    if not pages:
        return datetime(2025, 1, 1, tzinfo=UTC)
    return max(published_at(page) for page in pages).astimezone(UTC)


def _page_resource(
    page: Page, outlet: Outlet, base_url: str, pages: list[Page], tech_pages: list[Page]
) -> Resource:
    if page.expect == "http_404":
        return _not_found()
    if page.expect == "empty_body":
        return Resource(200, HTML, b"")
    if page.expect == "no_text":
        return Resource(200, HTML, render_no_text(page))
    if page.expect == "not_article":
        listed = [other for other in tech_pages if other.path != page.path]
        body = render_list_page(
            outlet,
            base_url,
            path=page.path,
            title=page.title,
            intro=" ".join(page.paragraphs),
            pages=listed,
            language=page.language,
        )
        return Resource(200, HTML, body)
    body = render_article(page, outlet, base_url, related_pages(page, pages))
    return Resource(200, HTML, body)


def _not_found() -> Resource:
    body = (
        b"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>404 Not Found</title>"
        b"</head><body><h1>404 Not Found</h1></body></html>\n"
    )
    return Resource(404, HTML, body)


_NOT_FOUND = _not_found()


class _OutletServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], outlet: Outlet) -> None:
        super().__init__(address, _Handler)
        self.outlet = outlet
        self.resources: dict[str, Resource] = {}

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that hang up mid-response are normal for a crawler test target.
        logger.debug("error while serving %s", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    server: _OutletServer
    protocol_version = "HTTP/1.1"
    server_version = "localweb/1.0"
    timeout = 30

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, *, send_body: bool) -> None:
        path = urlsplit(self.path).path or "/"
        resource = self.server.resources.get(path, _NOT_FOUND)
        if resource.conditional and self._not_modified(resource):
            self.send_response(304)
            self.send_header("ETag", resource.etag)
            if resource.last_modified is not None:
                self.send_header("Last-Modified", http_date(resource.last_modified))
            self.end_headers()
            return
        self.send_response(resource.status)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(resource.body)))
        if resource.conditional:
            self.send_header("ETag", resource.etag)
            self.send_header("Cache-Control", "max-age=0, must-revalidate")
        if resource.last_modified is not None:
            self.send_header("Last-Modified", http_date(resource.last_modified))
        self.end_headers()
        if send_body and resource.body:
            self.wfile.write(resource.body)

    def _not_modified(self, resource: Resource) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or resource.etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since and resource.last_modified is not None:
            try:
                since = parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError, IndexError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return resource.last_modified.replace(microsecond=0) <= since
        return False

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        logger.info("%s %s %s", self.server.outlet.key, self.address_string(), format % args)


class LocalWeb:
    """The running web: one server thread per outlet."""

    def __init__(self, servers: list[_OutletServer], threads: list[threading.Thread]) -> None:
        self._servers = servers
        self._threads = threads
        self.base_urls: dict[str, str] = {
            server.outlet.key: _base_url(server) for server in servers
        }

    @property
    def outlets(self) -> tuple[Outlet, ...]:
        return tuple(server.outlet for server in self._servers)

    def url(self, page: Page) -> str:
        """The page's absolute URL on the running web."""
        return self.base_urls[page.outlet] + page.path

    def stop(self) -> None:
        """Stop every outlet and release its socket (idempotent)."""
        for server in self._servers:
            server.shutdown()
        for server in self._servers:
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers = []
        self._threads = []

    def __enter__(self) -> LocalWeb:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _base_url(server: _OutletServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"


def start(port: int = 0, host_prefix: str = "127.0.0.") -> LocalWeb:
    """Start every outlet on ``host_prefix + <last octet of its address>``.

    With ``port=0`` each outlet gets a port chosen by the OS; otherwise every outlet
    uses the same port on its own address. Raises ``BindError`` if an address cannot
    be bound (the outlets already started are stopped first).
    """
    servers: list[_OutletServer] = []
    for outlet in OUTLETS:
        host = host_prefix + outlet.address.rsplit(".", 1)[1]
        try:
            server = _OutletServer((host, port), outlet)
        except OSError as exc:
            for started in servers:
                started.server_close()
            reason = exc.strerror or str(exc)
            raise BindError(
                exc.errno, f"cannot bind {host}:{port} for outlet {outlet.key}: {reason}"
            ) from exc
        servers.append(server)
    for server in servers:
        server.resources = build_resources(server.outlet, _base_url(server))
    threads = []
    for server in servers:
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"localweb-{server.outlet.key}",
            daemon=True,
        )
        thread.start()
        threads.append(thread)
    logger.info("local web started: %d outlets, %d pages", len(servers), len(PAGES))
    return LocalWeb(servers, threads)
