"""Which URL a page is stored under: its own, or the canonical URL it claims, when that is believable."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit


def _family(path: str) -> str:
    """A path without what only spells the same page differently: case, trailing slash, AMP, index page."""
    path = path.lower().rstrip("/")
    for suffix in ("/amp", ".amp", "/index.html", "/index.htm", "/index.php"):
        path = path.removesuffix(suffix)
    return path.replace("/amp/", "/", 1).replace(".amp.", ".", 1)


def canonical_claim(url: str, canonical: str | None) -> tuple[str, str | None]:
    """The URL to store ``url`` under, and why its ``canonical`` was not believed (None: believed or none).

    A page's canonical link is the page's own word. It is believed only
    when it names the page's own URL family: same host (``www.`` aside) and
    the same path up to spelling (case, trailing slash, AMP, ``index.html``),
    with no query parameter the page does not have. Anything else (another
    article of the outlet, the home page, another domain) would let one page
    take another's place in the store (the other then skipped as a
    ``duplicate_url``), so it stays a claim, kept in ``signals``.
    """
    if not canonical or canonical == url:
        return url, None
    try:
        page, claim = urlsplit(url), urlsplit(canonical)
        page_host, claim_host = page.hostname, claim.hostname
    except ValueError:
        return url, "unparsable"
    if claim.scheme.lower() not in ("http", "https") or not claim_host:
        return url, "not an http(s) URL"
    if (page_host or "").removeprefix("www.") != claim_host.removeprefix("www."):
        return url, "another host"
    if _family(page.path) != _family(claim.path):
        return url, "another page of the site"
    if not set(parse_qsl(claim.query)) <= set(parse_qsl(page.query)):
        return url, "a query the page does not have"
    return canonical, None
