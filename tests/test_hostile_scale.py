"""Every parser and heuristic that walks links, nodes, entries or text, fed 100,000 of them.

Each is linear or capped with a reason, so each of these finishes in about a
second; a quadratic one would run for hours (the cost per item is measured
in bench/hostile.py, not asserted here).
"""

from __future__ import annotations

import json

import lxml.html

from core.boundedjson import JSONTooDeep, loads
from crawler.discovery import _ld_types, feed_links, page_kind, scan_links
from crawler.feeds import read_feed
from crawler.sitemaps import parse_sitemap, robots_sitemaps

N = 100_000
PAGE = "https://ex.com/hub"


def links_page(n: int = N, *, bad_every: int = 0) -> str:
    items = []
    for i in range(n):
        href = "http://[::1" if bad_every and i % bad_every == 0 else f"/2025/02/05/story-{i}-a-b-c"
        items.append(f'<li><a href="{href}">Headline number {i} of a long list</a><time datetime="2025-02-05">'
                     "d</time></li>")
    return "<html><body><ul>" + "".join(items) + "</ul></body></html>"


def test_scan_links_is_linear_on_one_list_of_100k_links_and_a_bad_href_costs_nothing_else():
    scan = scan_links(links_page(bad_every=1000), page_url=PAGE, limit=300, max_anchors=N)
    assert scan.total == N - N // 1000 and len(scan.entries) == 300 and not scan.truncated
    assert scan.entries[0].published == "2025-02-05"  # the teaser date, found without asking every ancestor


def test_scan_links_stops_at_max_anchors_and_says_so():
    scan = scan_links(links_page(), page_url=PAGE, limit=300)
    assert scan.truncated and scan.total == 10_000


def test_page_kind_of_a_page_of_100k_links_is_a_capped_listing():
    facts = page_kind(links_page(), url=PAGE)
    assert facts.kind == "listing" and "too_many_links" in facts.reason


def test_feed_links_of_100k_link_tags_keeps_a_handful():
    head = "".join(f'<link rel="alternate" type="application/rss+xml" href="/feed{i}.xml">' for i in range(N))
    assert len(feed_links(f"<html><head>{head}</head></html>", base_url=PAGE)) == 20


def test_json_ld_of_100k_graph_nodes_and_of_100k_levels():
    graph = json.dumps({"@graph": [{"@type": "Thing"} for _ in range(N)] + [{"@type": "NewsArticle"}]}, separators=(",", ":"))
    deep = "[" * N + "]" * N
    root = lxml.html.fromstring(f'<html><head><script type="application/ld+json">{graph}</script>'
                                f'<script type="application/ld+json">{deep}</script></head><body></body></html>')
    assert _ld_types(root) == {"thing", "newsarticle"}


def test_bounded_json_refuses_100k_levels_as_a_value_error():
    for doc in ("[" * N + "]" * N, '{"a":' * N + "1" + "}" * N):
        try:
            loads(doc)
        except JSONTooDeep:
            continue
        raise AssertionError("not refused")
    assert loads("[" * 10 + "]" * 10) == [[[[[[[[[[]]]]]]]]]]


def test_an_rss_feed_of_100k_entries_keeps_the_first_thousand():
    items = "".join(f"<item><title>t{i}</title><link>https://ex.com/a/{i}</link></item>" for i in range(N))
    feed = read_feed(f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode(), url=PAGE)
    assert (len(feed.entries), feed.total, feed.truncated) == (1000, N, True)


def test_a_json_feed_of_100k_items_keeps_the_first_thousand():
    body = json.dumps({"items": [{"url": f"https://ex.com/a/{i}"} for i in range(N)]}).encode()
    feed = read_feed(body, url=PAGE, content_type="application/feed+json")
    assert (len(feed.entries), feed.total) == (1000, N)


def test_a_sitemap_of_100k_urls_is_streamed_and_capped():
    urls = "".join(f"<url><loc>https://ex.com/a/{i}</loc><lastmod>2025-02-05</lastmod></url>" for i in range(N))
    sitemap = parse_sitemap(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode(),
                            max_urls=50_000)
    assert len(sitemap.entries) == 50_000 and sitemap.truncated


def test_a_robots_txt_of_100k_sitemap_lines_is_read_to_its_cap():
    body = "".join(f"Sitemap: https://ex.com/s{i}.xml\n" for i in range(N))
    found = robots_sitemaps(body)
    assert 0 < len(found) < N and found[0] == "https://ex.com/s0.xml"  # the first 500 KiB
