"""What a home or section page tells us: its feeds, its article links, whether it is a list page.

Pure functions over decoded HTML, our one place that reads pages with
lxml for discovery (the spiders call these, tests target them directly).

* :func:`feed_links` — ``<link rel="alternate">`` to RSS, Atom, RDF and
  JSON Feed; :data:`USUAL_FEED_PATHS` are tried when there are none.
* :func:`article_links` — links of a list page that look like articles:
  same site, and a dated URL, a headline-like link text or a long slug;
  each with the date of its teaser (``<time datetime>``) when there is one,
  so an old entry is gated before it is fetched.
* :func:`transient` — whether a failed discovery fetch said something about
  the site (remembered for ``MONITOR_REDISCOVER_DAYS``) or only about this
  moment (not remembered: the next run looks again).
* :func:`page_kind` — ``article`` (``og:type=article``, JSON-LD
  ``NewsArticle``/``Article``…), ``listing`` (declares itself a website,
  or is mostly links to articles) or ``unknown`` (the pipelines decide).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from crawler.entries import Entry
from crawler.urls import clean_url

logger = logging.getLogger(__name__)

FEED_TYPES = {
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json",
    "application/json", "application/x-rss+xml", "text/xml",
}
# Tried in this order, one request at a time, when a home page names no feed.
USUAL_FEED_PATHS = ("/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml", "/feed.json",
                    "/rss.rdf", "/feeds/posts/default")

_DATED_PATH_RE = re.compile(
    r"(?:/|\b)(?:19|20)\d{2}(?:[/-](?:0?[1-9]|1[0-2])[/-](?:0?[1-9]|[12]\d|3[01])|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(?:/|[-_.]|$)")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_SKIP_EXTENSIONS = (".xml", ".rss", ".rdf", ".json", ".atom", ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".svg",
                    ".mp3", ".mp4", ".zip", ".css", ".js")
_ARTICLE_LD_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
                     "opinionnewsarticle", "backgroundnewsarticle", "blogposting", "report", "liveblogposting"}
_NOT_ARTICLE_OG = {"website", "profile", "video.other", "book", "music.song", "object"}
_CHROME_TAGS = {"nav", "footer"}


# Failures that say nothing about a site's feeds or sitemaps, only about this moment:
# a discovery that ended on one is not remembered, so a Sitemap: line or a feed the
# site had all along is found at the next run instead of a week later.
TRANSIENT_REASONS = frozenset({"timeout", "connection_refused", "dns_error", "host_paused", "rate_limited",
                               "data_loss", "fetch_error", "http_429"})


def transient(reason: str) -> bool:
    """True for a failure worth retrying at the next run (server errors included)."""
    return reason in TRANSIENT_REASONS or reason.startswith("http_5")


@dataclass(frozen=True)
class PageFacts:
    """What discovery read from one page."""

    kind: str  # article | listing | unknown
    og_type: str | None
    article_links: int  # article-looking same-site links on the page
    reason: str  # why this kind, for the ledger's detail


def _parse(html: str) -> lxml.html.HtmlElement | None:
    if not html or not html.strip():
        return None
    try:
        return lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _site(host: str | None) -> str:
    return (host or "").lower().removeprefix("www.")


def feed_links(html: str, *, base_url: str) -> list[str]:
    """Feeds the page announces with ``<link rel="alternate" type=…>``, in page order, comment feeds left out."""
    root = _parse(html)
    if root is None:
        return []
    found: list[str] = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" not in rel or kind not in FEED_TYPES or not href:
            continue
        if "comment" in href.lower() or "comment" in (link.get("title") or "").lower():
            continue
        url = urljoin(base_url, href)
        if url.startswith(("http://", "https://")) and url not in found:
            found.append(url)
    return found


def is_dated_url(url: str) -> bool:
    return bool(_DATED_PATH_RE.search(urlsplit(url).path))


def headline_like(text: str) -> bool:
    """Link text that reads like a headline, not like "Home", "Next month" or "Read more"."""
    text = " ".join(text.split())
    if len(_CJK_RE.findall(text)) >= 8:
        return True
    return len(text) >= 25 and len(text.split()) >= 4


def _slug_like(path: str) -> bool:
    last = path.rstrip("/").rsplit("/", 1)[-1]
    stem = last.rsplit(".", 1)[0]
    return stem.count("-") >= 3 or bool(re.search(r"\d{5,}$", stem))


def _in_chrome(anchor: lxml.html.HtmlElement) -> bool:
    return any(parent.tag in _CHROME_TAGS for parent in anchor.iterancestors())


def _teaser_date(anchor: lxml.html.HtmlElement) -> str | None:
    """The ``<time datetime>`` of the teaser around ``anchor`` (an ancestor holding only this link)."""
    href = anchor.get("href")
    node = anchor
    for _ in range(3):
        node = node.getparent()
        if node is None:
            return None
        hrefs = {a.get("href") for a in node.iter("a")}
        if len(hrefs) > 1 or hrefs != {href}:
            return None
        for time in node.iter("time"):
            if time.get("datetime"):
                return time.get("datetime").strip()
    return None


def article_links(html: str, *, page_url: str, limit: int) -> tuple[list[Entry], int]:
    """Same-site links of ``html`` that look like articles (at most ``limit``), and how many there were."""
    root = _parse(html)
    if root is None:
        return [], 0
    site = _site(urlsplit(page_url).hostname)
    page = clean_url(page_url)
    found: dict[str, Entry] = {}
    total = 0
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")) or _in_chrome(anchor):
            continue
        url = clean_url(urljoin(page_url, href))
        parts = urlsplit(url)
        if (parts.scheme not in ("http", "https") or _site(parts.hostname) != site or url == page
                or parts.path in ("", "/") or parts.path.lower().endswith(_SKIP_EXTENSIONS)):
            continue
        text = " ".join(anchor.text_content().split()) or (anchor.get("title") or "").strip()
        if not (is_dated_url(url) or headline_like(text) or _slug_like(parts.path)):
            continue
        if url in found:
            continue
        total += 1
        if len(found) < limit:
            found[url] = Entry(url=url, title=text or None, published=_teaser_date(anchor))
    return list(found.values()), total


def _ld_types(root: lxml.html.HtmlElement) -> set[str]:
    types: set[str] = set()
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                kind = node.get("@type")
                for value in kind if isinstance(kind, list) else [kind]:
                    if isinstance(value, str):
                        types.add(value.lower())
                stack.extend(v for k, v in node.items() if k == "@graph")
    return types


def page_kind(html: str, *, url: str, listing_links: int = 8) -> PageFacts:
    """Whether a fetched page is an article, a list page, or unclear (left to the pipelines)."""
    root = _parse(html)
    if root is None:
        return PageFacts("unknown", None, 0, "no HTML")
    og_values = root.xpath("//meta[@property='og:type']/@content")
    og_type = og_values[0].strip().lower() if og_values else None
    ld = _ld_types(root) & _ARTICLE_LD_TYPES
    links, _ = article_links(html, page_url=url, limit=10_000)
    count = len(links)
    if og_type == "article" or ld:
        return PageFacts("article", og_type, count, f"og:type={og_type}" if og_type == "article" else
                         f"JSON-LD {sorted(ld)[0]}")
    if og_type in _NOT_ARTICLE_OG and not is_dated_url(url):
        return PageFacts("listing", og_type, count, f"og:type={og_type}, {count} article links")
    if count >= listing_links and not is_dated_url(url):
        return PageFacts("listing", og_type, count, f"{count} article links, no article markup")
    return PageFacts("unknown", og_type, count, "no article or list markup")
