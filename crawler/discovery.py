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

Pages are untrusted and may be built to hurt: every walk here is linear in
the page (one pass over the tree, each ancestor summarised once), reads at
most ``max_anchors`` links (more is said as ``too_many_links``), reads
JSON-LD with a depth limit, and drops an href no URL parser accepts
(``http://[::1``) without losing the others.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from core.boundedjson import loads as load_json
from crawler.entries import Entry
from crawler.urls import clean_url, join_url
from storage.vocabulary import Reason, http_reason

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
# Links read from one page at most (MONITOR_PAGE_MAX_LINKS); a real front page has a few hundred.
MAX_ANCHORS = 10_000
# Feeds taken from one page's <link rel=alternate> (a real home page announces a handful).
MAX_FEED_LINKS = 20
# JSON-LD characters read per page: a real block is a few kB.
MAX_JSONLD_CHARS = 2_000_000
TOO_MANY_LINKS = Reason.TOO_MANY_LINKS


# Failures that say nothing about a site's feeds or sitemaps, only about this moment:
# a discovery that ended on one is not remembered, so a Sitemap: line or a feed the
# site had all along is found at the next run instead of a week later.
TRANSIENT_REASONS = frozenset({Reason.TIMEOUT, Reason.CONNECTION_REFUSED, Reason.DNS_ERROR, Reason.HOST_PAUSED,
                               Reason.RATE_LIMITED, Reason.DATA_LOSS, Reason.FETCH_ERROR, http_reason(429)})


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


@dataclass(frozen=True)
class LinkScan:
    """The article-looking links of one page."""

    entries: list[Entry]  # at most ``limit``
    total: int  # article-looking links found among those read
    truncated: bool  # the page has more than ``max_anchors`` links: the rest were not read (too_many_links)


def _parse(html: str) -> lxml.html.HtmlElement | None:
    if not html or not html.strip():
        return None
    try:
        return lxml.html.fromstring(html)
    except (etree.LxmlError, ValueError):
        return None


def _site(host: str | None) -> str:
    return (host or "").lower().removeprefix("www.")


def feed_links(html: str, *, base_url: str, limit: int = MAX_FEED_LINKS) -> list[str]:
    """Feeds the page announces with ``<link rel="alternate" type=…>``, in page order, comment feeds left out."""
    root = _parse(html)
    if root is None:
        return []
    found: dict[str, None] = {}
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" not in rel or kind not in FEED_TYPES or not href:
            continue
        if "comment" in href.lower() or "comment" in (link.get("title") or "").lower():
            continue
        url = join_url(base_url, href)
        if url and url.startswith(("http://", "https://")):
            found[url] = None
            if len(found) >= limit:
                break
    return list(found)


def is_dated_url(url: str) -> bool:
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    return bool(_DATED_PATH_RE.search(path))


def headline_like(text: str) -> bool:
    """Link text that reads like a headline, not like "Home", "Next month" or "Read more"."""
    text = " ".join(text.split())
    if len(_CJK_RE.findall(text)) >= 8:
        return True
    return len(text) >= 25 and len(text.split()) >= 4


def _slug_like(path: str) -> bool:
    last = path.rstrip("/").rsplit("/", 1)[-1]
    stem = last.rsplit(".", 1)[0]
    # Ends in five digits (an article id); tested on the tail, as a regex search is quadratic on long digit runs.
    return stem.count("-") >= 3 or (len(stem) >= 5 and stem[-5:].isascii() and stem[-5:].isdigit())


_MULTI = object()  # an element holding links to more than one href


def _anchors(root: lxml.html.HtmlElement, max_anchors: int) -> tuple[list[tuple[Any, bool]], bool]:
    """The page's ``<a>`` elements in order, each with whether it is in navigation chrome; one pass."""
    anchors: list[tuple[Any, bool]] = []
    chrome = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if tag in _CHROME_TAGS:
            chrome += 1 if event == "start" else -1
        elif tag == "a" and event == "start":
            if len(anchors) >= max_anchors:
                return anchors, True
            anchors.append((element, chrome > 0))
    return anchors, False


def _href_owners(anchors: list[tuple[Any, bool]]) -> dict[Any, Any]:
    """For each ancestor of a link: the one href under it, or ``_MULTI``.

    Each element changes at most twice (none → an href → several), and a
    link's walk up stops at the first ancestor that already knows, so this
    is linear in the page, where asking every ancestor for its links is
    quadratic (100,000 links in one list: hours).
    """
    owners: dict[Any, Any] = {}
    missing = object()
    for anchor, _ in anchors:
        href = anchor.get("href")
        node = anchor.getparent()
        while node is not None:
            known = owners.get(node, missing)
            if known is missing:
                owners[node] = href
            elif known is _MULTI or known == href:
                break
            else:
                owners[node] = _MULTI
            node = node.getparent()
    return owners


def _teaser_date(anchor: Any, owners: dict[Any, Any]) -> str | None:
    """The ``<time datetime>`` of the teaser around ``anchor`` (an ancestor holding only this link)."""
    href = anchor.get("href")
    node = anchor
    for _ in range(3):
        node = node.getparent()
        if node is None:
            return None
        owner = owners.get(node, _MULTI)
        if owner is _MULTI or owner != href:
            return None
        for time in node.iter("time"):
            if time.get("datetime"):
                return time.get("datetime").strip()
    return None


def scan_links(html: str, *, page_url: str, limit: int, max_anchors: int = MAX_ANCHORS) -> LinkScan:
    """Same-site links of ``html`` that look like articles (at most ``limit``), how many, and whether cut."""
    root = _parse(html)
    if root is None:
        return LinkScan([], 0, False)
    return _scan(root, page_url=page_url, limit=limit, max_anchors=max_anchors)


def article_links(html: str, *, page_url: str, limit: int,
                  max_anchors: int = MAX_ANCHORS) -> tuple[list[Entry], int]:
    """Same-site links of ``html`` that look like articles (at most ``limit``), and how many there were."""
    scan = scan_links(html, page_url=page_url, limit=limit, max_anchors=max_anchors)
    return scan.entries, scan.total


def _scan(root: lxml.html.HtmlElement, *, page_url: str, limit: int, max_anchors: int) -> LinkScan:
    try:
        site = _site(urlsplit(page_url).hostname)
        page = clean_url(page_url)
    except ValueError:
        return LinkScan([], 0, False)
    anchors, truncated = _anchors(root, max_anchors)
    owners = _href_owners(anchors) if limit > 0 else {}
    found: dict[str, Entry] = {}
    seen: set[str] = set()
    for anchor, in_chrome in anchors:
        href = (anchor.get("href") or "").strip()
        if not href or in_chrome or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        url = join_url(page_url, href)
        if url is None:
            continue
        try:
            parts = urlsplit(url)
            host = parts.hostname
        except ValueError:
            continue
        if (parts.scheme not in ("http", "https") or _site(host) != site or url == page
                or parts.path in ("", "/") or parts.path.lower().endswith(_SKIP_EXTENSIONS)):
            continue
        if url in seen:
            continue
        text = " ".join(anchor.text_content().split()) or (anchor.get("title") or "").strip()
        if not (is_dated_url(url) or headline_like(text) or _slug_like(parts.path)):
            continue
        seen.add(url)
        if len(found) < limit:
            found[url] = Entry(url=url, title=text or None, published=_teaser_date(anchor, owners))
    return LinkScan(list(found.values()), len(seen), truncated)


def _ld_types(root: lxml.html.HtmlElement) -> set[str]:
    types: set[str] = set()
    budget = MAX_JSONLD_CHARS
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        budget -= len(script.text)
        if budget < 0:
            break
        try:
            data = load_json(script.text)
        except ValueError:  # not JSON, or nested past the limit
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
                if "@graph" in node:
                    stack.append(node["@graph"])
    return types


def page_kind(html: str, *, url: str, listing_links: int = 8, max_anchors: int = MAX_ANCHORS) -> PageFacts:
    """Whether a fetched page is an article, a list page, or unclear (left to the pipelines)."""
    return read_page(html, url=url, limit=0, listing_links=listing_links, max_anchors=max_anchors)[0]


def read_page(html: str, *, url: str, limit: int, listing_links: int = 8,
              max_anchors: int = MAX_ANCHORS) -> tuple[PageFacts, LinkScan]:
    """:func:`page_kind` and :func:`scan_links` of one page, parsed once."""
    root = _parse(html)
    if root is None:
        return PageFacts("unknown", None, 0, "no HTML"), LinkScan([], 0, False)
    og_values = root.xpath("//meta[@property='og:type']/@content")
    og_type = og_values[0].strip().lower() if og_values else None
    ld = _ld_types(root) & _ARTICLE_LD_TYPES
    scan = _scan(root, page_url=url, limit=limit, max_anchors=max_anchors)
    count = scan.total
    cut = f"; {TOO_MANY_LINKS}: only the first {max_anchors} links read" if scan.truncated else ""
    if og_type == "article" or ld:
        facts = PageFacts("article", og_type, count, (f"og:type={og_type}" if og_type == "article" else
                                                      f"JSON-LD {sorted(ld)[0]}") + cut)
    elif og_type in _NOT_ARTICLE_OG and not is_dated_url(url):
        facts = PageFacts("listing", og_type, count, f"og:type={og_type}, {count} article links{cut}")
    elif count >= listing_links and not is_dated_url(url):
        facts = PageFacts("listing", og_type, count, f"{count} article links, no article markup{cut}")
    else:
        facts = PageFacts("unknown", og_type, count, "no article or list markup" + cut)
    return facts, scan
