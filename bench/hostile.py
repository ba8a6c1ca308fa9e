"""Cost per item of every page-content path, from 1,000 to 100,000 items: flat, or falling under a cap.

Each path is timed on inputs of 1k, 10k and 100k items (links in one list,
feed entries, sitemap URLs, JSON-LD nodes, robots.txt lines, nesting levels),
in the same run; the ratio of the cost per item at 100k to that at 1k is
what matters (1.0: linear; below: capped; the old teaser-date walk gave 20
at 8k). The worst single call is what one response can hold the reactor.

    python bench/hostile.py            # about a minute on 2 cores

The last line is one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import lxml.html  # noqa: E402

from core.boundedjson import loads  # noqa: E402
from crawler.discovery import _ld_types, page_kind, scan_links  # noqa: E402
from crawler.feeds import read_feed  # noqa: E402
from crawler.sitemaps import parse_sitemap, robots_sitemaps  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
PAGE = "https://ex.com/hub"


def links(n: int) -> str:
    return "<html><body><ul>" + "".join(
        f'<li><a href="/2025/02/05/story-{i}-a-b-c">Headline number {i} of a long list</a>'
        f'<time datetime="2025-02-05">d</time></li>' for i in range(n)) + "</ul></body></html>"


def rss(n: int) -> bytes:
    items = "".join(f"<item><title>t{i}</title><link>https://ex.com/a/{i}</link></item>" for i in range(n))
    return f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


def json_feed(n: int) -> bytes:
    return json.dumps({"items": [{"url": f"https://ex.com/a/{i}"} for i in range(n)]}).encode()


def sitemap(n: int) -> bytes:
    urls = "".join(f"<url><loc>https://ex.com/a/{i}</loc><lastmod>2025-02-05</lastmod></url>" for i in range(n))
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


def json_ld(n: int) -> lxml.html.HtmlElement:
    graph = json.dumps({"@graph": [{"@type": "Thing"} for _ in range(n)]}, separators=(",", ":"))
    return lxml.html.fromstring(f'<html><head><script type="application/ld+json">{graph}</script></head></html>')


PATHS: dict[str, tuple[Callable[[int], object], Callable[[object], object]]] = {
    # every link read (no cap): the path that was quadratic
    "scan_links_uncapped": (links, lambda html: scan_links(html, page_url=PAGE, limit=300, max_anchors=10**6)),
    "page_kind": (links, lambda html: page_kind(html, url=PAGE)),
    "rss_feed": (rss, lambda body: read_feed(body, url=PAGE)),
    "json_feed": (json_feed, lambda body: read_feed(body, url=PAGE, content_type="application/json")),
    "sitemap": (sitemap, lambda body: parse_sitemap(body)),
    "json_ld_nodes": (json_ld, _ld_types),
    "robots_lines": (lambda n: "".join(f"Sitemap: https://ex.com/s{i}.xml\n" for i in range(n)), robots_sitemaps),
    "deep_json": (lambda n: "[" * n + "]" * n, lambda doc: _refused(loads, doc)),
}


def _refused(function: Callable[[object], object], value: object) -> None:
    try:
        function(value)
    except ValueError:
        pass


def measure(make: Callable[[int], object], run: Callable[[object], object], n: int) -> float:
    """Seconds of the best of a few runs on an input of ``n`` items."""
    value = make(n)
    repeats = 5 if n <= 10_000 else 2
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run(value)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    result: dict[str, object] = {}
    worst_call = 0.0
    for name, (make, run) in PATHS.items():
        seconds = {n: measure(make, run, n) for n in SIZES}
        per_item = {n: seconds[n] / n * 1e6 for n in SIZES}  # microseconds
        ratio = per_item[SIZES[-1]] / per_item[SIZES[0]]
        worst_call = max(worst_call, seconds[SIZES[-1]])
        print(f"{name:22} " + "  ".join(f"{n:>7}: {per_item[n]:8.2f} us/item" for n in SIZES)
              + f"  ratio 100k/1k {ratio:.2f}", flush=True)
        result[name] = round(ratio, 3)
    result["worst_ratio"] = max(v for v in result.values() if isinstance(v, float))
    result["worst_call_s_at_100k"] = round(worst_call, 3)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
