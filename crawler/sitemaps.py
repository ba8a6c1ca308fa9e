"""Read sitemaps, sitemap indexes, Google News sitemaps and robots.txt ``Sitemap:`` lines.

Scrapy's own sitemap reader drops the nested ``<news:news>`` fields
(publication date, title, language), which are what lets us skip an old
article before fetching it; so we read them here, namespace-blind (real
sitemaps use ``news:``, ``n:`` or no prefix) and with entities off.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field

from lxml import etree
from scrapy.utils.gz import gunzip as scrapy_gunzip
from scrapy.utils.sitemap import sitemap_urls_from_robots

from crawler.entries import Entry

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit, uncompressed


class NotASitemap(ValueError):
    reason = "not_a_sitemap"


class SitemapBomb(NotASitemap):
    """A gzipped sitemap that inflates past the limit (a decompression bomb)."""

    reason = "decompression_bomb"


@dataclass
class Sitemap:
    kind: str  # "index" | "urlset"
    sitemaps: list[str] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


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


def _child_text(node: etree._Element, name: str) -> str | None:
    for child in node.iter():
        if isinstance(child.tag, str) and etree.QName(child).localname == name and child.text:
            return "".join(child.text.split()) if name == "loc" else child.text.strip()
    return None


def parse_sitemap(body: bytes) -> Sitemap:
    body = gunzip(body)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True,
                             remove_comments=True, load_dtd=False)
    try:
        root = etree.fromstring(body.lstrip(), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise NotASitemap(f"not XML ({exc})") from None
    if root is None:
        raise NotASitemap("empty document")
    kind = etree.QName(root).localname
    if kind == "sitemapindex":
        locs = [_child_text(node, "loc") for node in root if _is(node, "sitemap")]
        return Sitemap("index", sitemaps=[loc for loc in locs if loc])
    if kind != "urlset":
        raise NotASitemap(f"root element <{kind}> is neither <urlset> nor <sitemapindex>")
    entries = []
    for node in root:
        if not _is(node, "url"):
            continue
        loc = _child_text(node, "loc")
        if not loc:
            continue
        entries.append(Entry(
            url=loc,
            title=_child_text(node, "title"),
            published=_child_text(node, "publication_date") or _child_text(node, "lastmod"),
            language=_child_text(node, "language"),
        ))
    return Sitemap("urlset", entries=entries)


def _is(node: etree._Element, name: str) -> bool:
    return isinstance(node.tag, str) and etree.QName(node).localname == name


def robots_sitemaps(body: str | bytes, base_url: str = "") -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt (Scrapy's reader), joined to ``base_url``; empty ones left out."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    return [url for url in sitemap_urls_from_robots(data, base_url=base_url) if url and url != base_url]
