"""Read sitemaps, sitemap indexes, Google News sitemaps and robots.txt ``Sitemap:`` lines.

Scrapy's own sitemap reader drops the nested ``<news:news>`` fields
(publication date, title, language), which are what lets us skip an old
article before fetching it; so we read them here, namespace-blind (real
sitemaps use ``news:``, ``n:`` or no prefix) and with entities off.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass, field
from itertools import islice

from lxml import etree
from scrapy.utils.gz import gunzip as scrapy_gunzip
from scrapy.utils.sitemap import sitemap_urls_from_robots

from crawler.entries import Entry
from storage.vocabulary import Reason

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit, uncompressed
MAX_URLS = 50_000  # the sitemaps.org limit per file (MONITOR_SITEMAP_MAX_URLS)
MAX_ROBOTS_BYTES = 500 * 1024  # what Google reads of a robots.txt; the rest is ignored
_FIELDS = ("loc", "title", "publication_date", "lastmod", "language")


class NotASitemap(ValueError):
    reason = Reason.NOT_A_SITEMAP


class SitemapBomb(NotASitemap):
    """A gzipped sitemap that inflates past the limit (a decompression bomb)."""

    reason = Reason.DECOMPRESSION_BOMB


@dataclass
class Sitemap:
    kind: str  # "index" | "urlset"
    sitemaps: list[str] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    truncated: bool = False  # more than max_urls entries: the rest were not read


def gunzip(body: bytes, *, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """Uncompress a gzipped sitemap (Scrapy's reader), refusing to inflate past ``limit`` bytes.

    Like Scrapy's sitemap spider, a truncated stream gives what it inflated
    before the cut (the XML reader then keeps the entries that are whole).
    """
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        return scrapy_gunzip(body, max_size=limit)
    except ValueError:  # Scrapy's "decompressed past max_size" is a ValueError (tests/test_discovery.py)
        raise SitemapBomb(f"gzipped sitemap inflates past {limit // (1024 * 1024)} MB") from None
    except (OSError, EOFError, zlib.error, struct.error) as exc:
        raise NotASitemap(f"broken gzip data ({exc})") from None


def _fields(node: etree._Element) -> dict[str, str]:
    """The first text of each field under one ``<url>`` or ``<sitemap>``, namespace-blind, in one pass."""
    found: dict[str, str] = {}
    for child in node.iter():
        if not isinstance(child.tag, str) or not child.text:
            continue
        name = _local(child.tag)
        if name in _FIELDS and name not in found:
            found[name] = "".join(child.text.split()) if name == "loc" else child.text.strip()
    return found


def parse_sitemap(body: bytes, *, max_urls: int = MAX_URLS) -> Sitemap:
    """The sitemap (index) in ``body``: its first ``max_urls`` URLs or child sitemaps."""
    body = gunzip(body)
    events = etree.iterparse(io.BytesIO(body.lstrip()), events=("start", "end"), resolve_entities=False,
                             no_network=True, huge_tree=False, recover=True, remove_comments=True, load_dtd=False)
    root = None
    sitemap = Sitemap("urlset")
    kept = 0
    try:
        for event, node in events:
            if root is None:
                root = node
                kind = _local(root.tag) if isinstance(root.tag, str) else "?"
                if kind not in ("urlset", "sitemapindex"):
                    raise NotASitemap(f"root element <{kind}> is neither <urlset> nor <sitemapindex>")
                sitemap.kind = "index" if kind == "sitemapindex" else "urlset"
                continue
            if event != "end" or node.getparent() is not root:
                continue
            if _is(node, "sitemap" if sitemap.kind == "index" else "url"):
                if kept >= max_urls:
                    sitemap.truncated = True
                    break
                kept += _keep(sitemap, _fields(node))
            node.clear()  # read: let it go, and the siblings before it
            while node.getprevious() is not None:
                del root[0]
    except etree.XMLSyntaxError as exc:
        if root is None:
            raise NotASitemap(f"not XML ({exc})") from None
    if root is None:
        raise NotASitemap("empty document")
    return sitemap


def _keep(sitemap: Sitemap, found: dict[str, str]) -> int:
    loc = found.get("loc")
    if not loc:
        return 0
    if sitemap.kind == "index":
        sitemap.sitemaps.append(loc)
    else:
        sitemap.entries.append(Entry(url=loc, title=found.get("title"),
                                     published=found.get("publication_date") or found.get("lastmod"),
                                     language=found.get("language")))
    return 1


def _is(node: etree._Element, name: str) -> bool:
    return isinstance(node.tag, str) and _local(node.tag) == name


def _local(tag: str) -> str:
    """``{namespace}name`` or ``prefix:name`` (an undeclared prefix, kept by lxml's recovery) without either."""
    return tag.rpartition("}")[2].rpartition(":")[2]


def robots_sitemaps(body: str | bytes, base_url: str = "", *, limit: int = MAX_URLS) -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt's first ``MAX_ROBOTS_BYTES`` (Scrapy's reader), joined to
    ``base_url``, at most ``limit``, once each; empty ones left out."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    found = dict.fromkeys(url for url in sitemap_urls_from_robots(data[:MAX_ROBOTS_BYTES], base_url=base_url)
                          if url and url != base_url)
    return list(islice(found, limit))
