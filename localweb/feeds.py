"""The machine-readable side of an outlet: its feed (RSS 2.0, Atom, RSS 1.0/RDF or JSON
Feed), its sitemap index and Google News sitemap, and robots.txt.

Every function is pure: it takes data and the outlet's base URL and returns bytes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape as _xml_escape

from localweb.chrome import CHROME, iso, summary_of
from localweb.model import Outlet, Page
from localweb.site import is_tech, published_at

__all__ = [
    "FEED_CONTENT_TYPES",
    "http_date",
    "render_feed",
    "render_news_sitemap",
    "render_robots",
    "render_sitemap_index",
]

FEED_CONTENT_TYPES: dict[str, str] = {
    "rss2": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "rdf": "application/rdf+xml; charset=utf-8",
    "jsonfeed": "application/feed+json; charset=utf-8",
}


def _x(text: str) -> str:
    return _xml_escape(text, {'"': "&quot;"})


def http_date(when: datetime) -> str:
    """An RFC 7231 date for Last-Modified headers."""
    return format_datetime(when.astimezone(UTC), usegmt=True)


def render_robots(outlet: Outlet, base_url: str) -> bytes:
    """robots.txt allowing everything and pointing at the sitemap index."""
    return (
        f"# robots.txt for {outlet.name}\n"
        "User-agent: *\n"
        "Allow: /\n"
        "\n"
        f"Sitemap: {base_url}/sitemap_index.xml\n"
    ).encode()


def render_sitemap_index(base_url: str, lastmod: datetime) -> bytes:
    """A sitemap index with one news sitemap."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        "  <sitemap>\n"
        f"    <loc>{_x(base_url)}/sitemap-news.xml</loc>\n"
        f"    <lastmod>{iso(lastmod)}</lastmod>\n"
        "  </sitemap>\n"
        "</sitemapindex>\n"
    ).encode()


def _news_language(language: str) -> str:
    # Google News sitemaps use ISO 639 codes, except zh-cn / zh-tw for Chinese.
    return "zh-cn" if language == "zh" else language


def render_news_sitemap(outlet: Outlet, base_url: str, pages: list[Page]) -> bytes:
    """A Google News sitemap listing ``pages`` (newest first)."""
    entries = []
    for page in pages:
        when = iso(published_at(page))
        entries.append(
            "  <url>\n"
            f"    <loc>{_x(base_url + page.path)}</loc>\n"
            f"    <lastmod>{when}</lastmod>\n"
            "    <news:news>\n"
            "      <news:publication>\n"
            f"        <news:name>{_x(outlet.name)}</news:name>\n"
            f"        <news:language>{_news_language(page.language)}</news:language>\n"
            "      </news:publication>\n"
            f"      <news:publication_date>{when}</news:publication_date>\n"
            f"      <news:title>{_x(page.title)}</news:title>\n"
            "    </news:news>\n"
            "  </url>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"\n'
        '        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        + "".join(entries)
        + "</urlset>\n"
    ).encode("utf-8")


def render_feed(outlet: Outlet, base_url: str, pages: list[Page]) -> bytes:
    """The outlet's feed in its format, entries in the order given (newest first)."""
    renderers = {
        "rss2": _render_rss2,
        "atom": _render_atom,
        "rdf": _render_rdf,
        "jsonfeed": _render_jsonfeed,
    }
    return renderers[outlet.feed_format](outlet, base_url, pages)


def _newest(pages: list[Page]) -> datetime:
    if not pages:
        return datetime(2025, 1, 1, tzinfo=UTC)
    return max(published_at(page) for page in pages)


def _render_rss2(outlet: Outlet, base_url: str, pages: list[Page]) -> bytes:
    chrome = CHROME[outlet.language]
    items = []
    for page in pages:
        url = base_url + page.path
        items.append(
            "    <item>\n"
            f"      <title>{_x(page.title)}</title>\n"
            f"      <link>{_x(url)}</link>\n"
            f'      <guid isPermaLink="true">{_x(url)}</guid>\n'
            f"      <description>{_x(summary_of(page))}</description>\n"
            f"      <pubDate>{format_datetime(published_at(page))}</pubDate>\n"
            f"      <dc:creator>{_x(page.author)}</dc:creator>\n"
            f"      <category>{_x(chrome['section'] if is_tech(page) else chrome['latest'])}</category>\n"
            "    </item>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:atom="http://www.w3.org/2005/Atom">\n'
        "  <channel>\n"
        f"    <title>{_x(outlet.name)}</title>\n"
        f"    <link>{_x(base_url)}/</link>\n"
        f'    <atom:link href="{_x(base_url + outlet.feed_path)}" rel="self" type="application/rss+xml"/>\n'
        f"    <description>{_x(chrome['latest'])}</description>\n"
        f"    <language>{outlet.language}</language>\n"
        f"    <lastBuildDate>{format_datetime(_newest(pages))}</lastBuildDate>\n"
        + "".join(items)
        + "  </channel>\n</rss>\n"
    ).encode("utf-8")


def _render_atom(outlet: Outlet, base_url: str, pages: list[Page]) -> bytes:
    chrome = CHROME[outlet.language]
    entries = []
    for page in pages:
        url = base_url + page.path
        when = iso(published_at(page))
        entries.append(
            f'  <entry xml:lang="{page.language}">\n'
            f"    <title>{_x(page.title)}</title>\n"
            f'    <link rel="alternate" type="text/html" href="{_x(url)}"/>\n'
            f"    <id>{_x(url)}</id>\n"
            f"    <published>{when}</published>\n"
            f"    <updated>{when}</updated>\n"
            f"    <author><name>{_x(page.author)}</name></author>\n"
            f'    <summary type="text">{_x(summary_of(page))}</summary>\n'
            "  </entry>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.language}">\n'
        f"  <title>{_x(outlet.name)}</title>\n"
        f"  <subtitle>{_x(chrome['latest'])}</subtitle>\n"
        f'  <link rel="self" type="application/atom+xml" href="{_x(base_url + outlet.feed_path)}"/>\n'
        f'  <link rel="alternate" type="text/html" href="{_x(base_url)}/"/>\n'
        f"  <id>{_x(base_url)}/</id>\n"
        f"  <updated>{iso(_newest(pages))}</updated>\n"
        + "".join(entries)
        + "</feed>\n"
    ).encode("utf-8")


def _render_rdf(outlet: Outlet, base_url: str, pages: list[Page]) -> bytes:
    chrome = CHROME[outlet.language]
    seq = "".join(f'        <rdf:li rdf:resource="{_x(base_url + p.path)}"/>\n' for p in pages)
    items = []
    for page in pages:
        url = base_url + page.path
        items.append(
            f'  <item rdf:about="{_x(url)}">\n'
            f"    <title>{_x(page.title)}</title>\n"
            f"    <link>{_x(url)}</link>\n"
            f"    <description>{_x(summary_of(page))}</description>\n"
            f"    <dc:date>{iso(published_at(page))}</dc:date>\n"
            f"    <dc:creator>{_x(page.author)}</dc:creator>\n"
            f"    <dc:language>{page.language}</dc:language>\n"
            "  </item>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
        '         xmlns="http://purl.org/rss/1.0/"\n'
        '         xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'  <channel rdf:about="{_x(base_url + outlet.feed_path)}">\n'
        f"    <title>{_x(outlet.name)}</title>\n"
        f"    <link>{_x(base_url)}/</link>\n"
        f"    <description>{_x(chrome['latest'])}</description>\n"
        f"    <dc:language>{outlet.language}</dc:language>\n"
        f"    <dc:date>{iso(_newest(pages))}</dc:date>\n"
        "    <items>\n      <rdf:Seq>\n" + seq + "      </rdf:Seq>\n    </items>\n"
        "  </channel>\n" + "".join(items) + "</rdf:RDF>\n"
    ).encode("utf-8")


def _render_jsonfeed(outlet: Outlet, base_url: str, pages: list[Page]) -> bytes:
    chrome = CHROME[outlet.language]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": outlet.name,
        "home_page_url": base_url + "/",
        "feed_url": base_url + outlet.feed_path,
        "description": chrome["latest"],
        "language": outlet.language,
        "items": [
            {
                "id": base_url + page.path,
                "url": base_url + page.path,
                "title": page.title,
                "summary": summary_of(page),
                "date_published": iso(published_at(page)),
                "authors": [{"name": page.author}],
                "language": page.language,
                "tags": [chrome["section"] if is_tech(page) else chrome["latest"]],
            }
            for page in pages
        ],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

