"""A hostile web: pages built to hurt a parser, the memory, or the store, beside good ones.

Served on the fault web's ``hostile`` host (127.0.1.9) and ``yearlong`` host
(127.0.1.10), with the routes registered here. Each class is what a server
nobody here wrote may send; :func:`hostile_site` lists them in the three
shapes the spiders read (feeds, sitemaps behind robots.txt, section pages)
with what each URL must end as:

* endless response headers → ``headers_too_large``;
* a 5 MB robots.txt (its ``Sitemap:`` line first) → read up to 500 KiB,
  and a listing row as a sitemap source;
* a section page of 100,000 links and a list page of 100,000 article-looking
  links → ``too_many_links``, the good links before them followed;
* JSON nested 100,000 levels (JSON Feed, JSON-LD) → ``not_a_feed`` / stored;
* hrefs and sitemap children no URL parser accepts (``http://[::1``) → the
  siblings are read;
* entity declarations after 100 KB of comment, in UTF-16 and UTF-32, an
  8 MB entity → ``not_a_feed``;
* feeds of 60,000 entries, a sitemap of 60,000 URLs → ``feed_limit`` /
  ``sitemap_limit``, memory flat;
* canonical poisoning (a page naming another article as its canonical) →
  both stored under their own URLs;
* ``Retry-After`` a year ahead → ``rate_limited``, capped;
* ``javascript:`` and ``JavaScript:`` redirects → ``bad_redirect_scheme``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.faults.server import ROLE_ROUTES, FaultWeb, good_html, rss, sitemap_index, urlset
from tests.faults.site import write_config

DEEP = 100_000  # nesting levels of the deep JSON
MANY = 100_000  # links on the big pages
LONG_LISTING = 60_000  # entries of the long feeds and sitemap (fits DOWNLOAD_MAXSIZE)
OLD_DATE = "Mon, 01 Jan 2018 10:00:00 +0000"


def _feed_with_entity(*, padding: int = 0, encoding: str = "utf-8", entity: str = "x") -> bytes:
    comment = f"<!-- {'p' * padding} -->" if padding else ""
    text = (f'<?xml version="1.0" encoding="{encoding}"?>{comment}<!DOCTYPE rss [<!ENTITY e "{entity}">]>'
            '<rss version="2.0"><channel><title>&e;</title><item><title>&e;</title>'
            "<link>http://entity.nx.test/a</link></item></channel></rss>")
    return text.encode(encoding)


def _section(web: FaultWeb, good: list[str], *, filler: int) -> str:
    base = web.base("hostile")
    links = "".join(f'<li><a href="{u}">DeepSeek follow-up number {i} about the open model</a></li>'
                    for i, u in enumerate(good))
    bad = ('<li><a href="http://[::1">A link no URL parser accepts, but long enough</a></li>'
           '<li><a href="http://[::1/2025/02/05/x">Another broken link with a long text here</a></li>'
           '<li><a href="/2025/02/05/&#x110000;&#0;">Numeric references out of range, long text</a></li>')
    special = (f'<li><a href="{base}/hsec/huge">The huge list of every headline we ever wrote</a></li>'
               f'<li><a href="{base}/hf/deep-jsonld/1">DeepSeek article with a very deep JSON-LD block</a></li>')
    rest = "".join(f'<a href="/t/{i}">x</a>' for i in range(filler))
    return ('<!DOCTYPE html [<!ENTITY boom "boom">]><html><head><title>Section</title></head><body><ul>'
            f"{links}{bad}{special}</ul><div>{rest}</div></body></html>")


def _huge_list() -> str:
    items = "".join(f'<li><a href="/hsec/l/{i}-a-b-c">Headline number {i} of a list</a></li>' for i in range(MANY))
    return f'<html><head><meta property="og:type" content="website"></head><body><ul>{items}</ul></body></html>'


def serve(handler: Any, path: str) -> None:  # noqa: PLR0911, PLR0912 - one branch per class
    web: FaultWeb = handler.server.web
    if handler.server.role == "yearlong":
        handler.send(503, "<h1>Back next year</h1>", headers={"Retry-After": "31536000"})
        return
    base = web.base("hostile")
    parts = [p for p in path.split("/") if p]
    if path == "/robots.txt":
        handler.send(200, f"User-agent: *\nAllow: /\nSitemap: {base}/hsm/index.xml\n" + "# padding\n" * 520_000,
                     content_type="text/plain")
    elif parts[:1] == ["good"] and len(parts) == 2:
        head = ""
        if parts[1].startswith("thief"):  # names another article of the outlet as itself
            head = f'<link rel="canonical" href="{base}/good/victim{parts[1].removeprefix("thief")}">'
        handler.send(200, good_html(parts[1], extra_head=head))
    elif parts[:2] == ["hf", "endless-headers"]:
        handler.close_connection = True
        lines = (f"X-Pad-{i}: {'v' * 90}\r\n".encode() for i in range(400_000))  # about 40 MB of headers
        try:
            handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
            for line in lines:  # never the blank line that would end them
                if handler.server.stopping.is_set():
                    return
                handler.wfile.write(line)
        except OSError:
            return
    elif parts[:2] == ["hf", "deep-jsonld"]:
        handler.send(200, good_html("deep-jsonld", extra_head='<script type="application/ld+json">'
                                    + "[" * DEEP + "]" * DEEP + "</script>"))
    elif parts[:2] == ["hf", "js-redirect"]:
        handler.send(302, "", headers={"Location": "javascript:alert(1)"})
    elif parts[:2] == ["hf", "JS-redirect"]:
        handler.send(302, "", headers={"Location": "JavaScript:alert(1)"})
    elif path == "/hsec/many-links":
        handler.send(200, _section(web, web.hostile_good_links, filler=MANY))
    elif path == "/hsec/huge":
        handler.send(200, _huge_list())
    elif path in web.listings:
        content_type, data = web.listings[path]
        handler.send(200, data, content_type=content_type)
    else:
        handler.send(404, "<h1>Not found</h1>")


ROLE_ROUTES["hostile"] = serve
ROLE_ROUTES["yearlong"] = serve


@dataclass
class HostileSite:
    sources: Path
    good: list[str] = field(default_factory=list)  # must end stored
    urls: dict[str, tuple[str, ...]] = field(default_factory=dict)  # URL -> acceptable reasons in `urls`
    listings: dict[str, tuple[str, ...]] = field(default_factory=dict)  # listing URL -> reasons or notes
    section: str = ""
    robots: str = ""


def hostile_site(web: FaultWeb, folder: Path) -> HostileSite:
    base = web.base("hostile")
    site = HostileSite(sources=folder / "sources.toml")
    feed_good = [f"{base}/good/hf{i}" for i in range(6)] + [f"{base}/good/thief1"]
    sitemap_good = [f"{base}/good/hs{i}" for i in range(6)] + [f"{base}/good/victim1"]
    section_good = [f"{base}/good/hsec{i}" for i in range(6)]
    web.hostile_good_links = section_good  # type: ignore[attr-defined]
    site.good = feed_good + sitemap_good + section_good
    site.urls = {
        f"{base}/hf/endless-headers/1": ("headers_too_large",),
        f"{base}/hf/js-redirect/1": ("bad_redirect_scheme",),
        f"{base}/hf/JS-redirect/1": ("bad_redirect_scheme",),
        f"{web.base('yearlong')}/good/y1": ("rate_limited",),
        "http://[::1/x": ("invalid_url",),  # a sitemap entry (feedparser drops such links itself)
        "http://[::1/sitemap.xml": ("invalid_url",),  # a child of the sitemap index
        f"{base}/hf/deep-jsonld/1": ("followup", "no_text", "off_topic", "mention"),
        f"{base}/hsec/huge": ("not_article",),
    }
    main_feed = web.publish("/feeds/hostile-main.xml", rss([*feed_good, *list(site.urls)[:4], "http://[::1/feed"]))
    old = [f"{base}/old/{i}" for i in range(LONG_LISTING)]
    old_rss = rss(old, date=OLD_DATE)
    old_json = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "old", "items": [
        {"id": u, "url": u, "date_published": "2018-01-01T10:00:00Z"} for u in old]})
    site.listings = {
        main_feed: ("ok",),
        web.publish("/feeds/hostile-deep.json", '{"items": ' + "[" * DEEP + "]" * DEEP + "}", "application/feed+json"):
            ("not_a_feed",),
        web.publish("/feeds/hostile-entity-after-comment.xml", _feed_with_entity(padding=100_000)): ("not_a_feed",),
        web.publish("/feeds/hostile-entity-utf16.xml", _feed_with_entity(encoding="utf-16")): ("not_a_feed",),
        web.publish("/feeds/hostile-entity-utf32.xml", _feed_with_entity(encoding="utf-32")): ("not_a_feed",),
        web.publish("/feeds/hostile-big-entity.xml", _feed_with_entity(entity="x" * 8_000_000)): ("not_a_feed",),
        web.publish("/feeds/hostile-long.xml", old_rss): ("feed_limit",),
        web.publish("/feeds/hostile-long.json", old_json, "application/feed+json"): ("feed_limit",),
    }
    children = [f"{base}/hsm/a.xml", "http://[::1/sitemap.xml", f"{base}/hsm/long.xml"]
    web.publish("/hsm/index.xml", sitemap_index(children))
    web.publish("/hsm/a.xml", urlset([*sitemap_good, "http://[::1/x"]))
    web.publish("/hsm/long.xml", urlset(old, lastmod="2018-01-01"))
    site.listings[f"{base}/hsm/long.xml"] = ("sitemap_limit",)
    site.listings[f"{base}/hsm/index.xml"] = ("ok",)
    site.robots = f"{base}/robots.txt"
    site.section = f"{base}/hsec/many-links"
    write_config(folder, [
        {"name": "hostile", "language": "en", "feeds": [u for u in site.listings if "/feeds/hostile-" in u],
         "sitemaps": [site.robots], "sections": [site.section], "every": "1h"},
    ])
    return site
