"""URL hygiene before the ledger lookup: no fragment, no tracking parameters."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from storage.vocabulary import Reason

TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "ga_", "hsa_")
TRACKING_NAMES = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid",
    "_ga", "_gl", "ref_src", "ref_url", "cmpid", "xtor", "ito", "ns_mchannel", "ns_source", "ns_campaign",
    "ns_linkname", "ns_fee", "ocid", "smid", "cid", "sr_share", "traffic_source", "__twitter_impression",
}


def clean_url(url: str) -> str:
    """``url`` without its fragment and tracking parameters; host lower-cased, query sorted."""
    parts = urlsplit(url.strip())
    query = sorted(  # sorted: ?a=1&b=2 and ?b=2&a=1 are one page
        (key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith(TRACKING_PREFIXES) and key.lower() not in TRACKING_NAMES
    )
    netloc = parts.netloc.lower() if "@" not in parts.netloc else parts.netloc
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query, doseq=True), ""))


def join_url(base: str, href: str) -> str | None:
    """``href`` read against ``base`` and cleaned (:func:`clean_url`); None when it is no URL at all.

    Pages supply hrefs no URL parser accepts (``http://[::1``, a port of
    ``99999999999``): ``urljoin`` and ``urlsplit`` raise ``ValueError`` for
    them, and one such link must not cost the page its other links.
    """
    try:
        return clean_url(urljoin(base, href))
    except ValueError:
        return None


MAX_URL_LENGTH = 2083  # what old browsers and many servers accept; Scrapy's URLLENGTH_LIMIT
MAX_PATH_SEGMENTS = 16
MAX_SEGMENT_REPEATS = 3


def url_problem(url: str) -> tuple[str, str] | None:
    """Why a discovered ``url`` should not be fetched, as (reason, detail); None when it is fine.

    Over-long URLs, URLs with credentials, unparsable ones, and the shapes
    spider traps take (a path segment repeated again and again, as in
    ``/a/b/a/b/a/b/``, or an endless depth of segments).
    """
    if len(url) > MAX_URL_LENGTH:
        return Reason.URL_TOO_LONG, f"{len(url)} characters (limit {MAX_URL_LENGTH})"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        if parts.port is not None and not 0 < parts.port < 65536:  # urlsplit raises for most bad ports
            return Reason.INVALID_URL, f"port {parts.port}"
    except ValueError as exc:
        return Reason.INVALID_URL, str(exc)
    if parts.scheme not in ("http", "https"):
        return Reason.BLOCKED_SCHEME, f"scheme {parts.scheme!r} is not http(s)"
    if not host:
        return Reason.INVALID_URL, "no host"
    if "@" in parts.netloc:
        return Reason.URL_USERINFO, "user name or password in the URL"
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > MAX_PATH_SEGMENTS:
        return Reason.SPIDER_TRAP, f"{len(segments)} path segments"
    counts: dict[str, int] = {}
    for segment in segments:
        counts[segment] = counts.get(segment, 0) + 1
        if counts[segment] >= MAX_SEGMENT_REPEATS and not segment.isdigit():
            return Reason.SPIDER_TRAP, f"path segment {segment[:40]!r} repeated {counts[segment]} times"
    return None
