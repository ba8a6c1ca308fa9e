"""Read a feed (RSS 0.9x/1.0/2.0, Atom, JSON Feed) into entries.

Our one wrapper around feedparser, plus JSON Feed (which feedparser does not
read). ``parse_feed`` raises :class:`NotAFeed` for a body that is no feed
(an HTML page, a broken document), so the spider can record the reason.

Feeds come from servers nobody here controls, so the body is first read by
lxml with entities, DTDs and the network off (``resolve_entities=False``,
``load_dtd=False``, ``no_network=True``, ``huge_tree`` off), and the
decision is taken on what was parsed, not on the first bytes:

* a document that declares entities (billion laughs, XXE, an 8 MB entity)
  is refused, wherever the declaration sits (after 100 KB of comment) and
  in whatever encoding (UTF-16, UTF-32, UTF-7...); it is also looked for in
  the UTF-8 that feedparser itself would read, should the two decoders
  disagree;
* feedparser costs about 0.2 ms per entry and 0.4 s per MB of markup in
  its text, so a feed keeps its first ``max_entries`` entries and at most
  ``MAX_FIELD_CHARS`` of each text (the spider records the cut as
  ``feed_limit``), and a large body that is no feed (an HTML page) is
  refused without feedparser's slow lenient reader;
* JSON is read with a depth limit (:mod:`core.boundedjson`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any

import feedparser
from feedparser.encodings import convert_to_utf8
from lxml import etree

from core.boundedjson import loads as load_json
from crawler.entries import Entry

logger = logging.getLogger(__name__)

MAX_ENTRIES = 1000  # MONITOR_FEED_MAX_ENTRIES
MAX_FIELD_CHARS = 4000  # characters of one text of a feed given to feedparser (titles, summaries)
LENIENT_MAX_BYTES = 1024 * 1024  # past this, a body lxml cannot read as a feed is not given to feedparser
FEED_ROOTS = {"rss", "feed", "rdf", "channel"}


class NotAFeed(ValueError):
    pass


@dataclass
class Feed:
    entries: list[Entry] = field(default_factory=list)
    total: int = 0  # entries in the feed, kept or not

    @property
    def truncated(self) -> bool:
        return self.total > len(self.entries)


_ENTITY_DECLARATION = re.compile(
    b"|".join(re.escape("<!ENTITY".encode(codec)) for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le",
                                                                 "utf-32-be")), re.I)
_REFUSED = "not a feed (declares XML entities: refused, as in billion-laughs or XXE attacks)"


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           recover=True, remove_comments=True, remove_pis=True)


def _iso(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC).isoformat()
    except (OverflowError, ValueError, OSError):
        return None


def _plain(entry: Any, key: str) -> Any:
    """A field as parsed, bypassing feedparser's deprecated key aliases (which warn)."""
    return dict.get(entry, key)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def parse_feed(body: bytes, *, url: str, content_type: str = "", max_entries: int = MAX_ENTRIES) -> list[Entry]:
    """Entries of the feed in ``body`` (fetched from ``url``), at most ``max_entries``."""
    return read_feed(body, url=url, content_type=content_type, max_entries=max_entries).entries


def read_feed(body: bytes, *, url: str, content_type: str = "", max_entries: int = MAX_ENTRIES) -> Feed:
    """The feed in ``body``: its first ``max_entries`` entries, and how many it has."""
    head = body[:512].lstrip()
    if "json" in content_type.lower() or head[:1] in (b"{", b"["):
        return _json_feed(body, max_entries=max_entries)
    body, rewritten = _vetted_xml(body, content_type=content_type, max_entries=max_entries)
    if rewritten is not None:  # lxml wrote it out again, as UTF-8
        content_type = "application/xml; charset=utf-8"
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    version = parsed.get("version") or ""
    if not version:
        problem = parsed.get("bozo_exception")
        raise NotAFeed(f"not a feed ({problem or 'no RSS, Atom or RDF root element'})")
    language = _text(parsed.feed.get("language"))
    feed = Feed(total=len(parsed.entries))
    for raw in parsed.entries[:max_entries]:
        link = _text(raw.get("link"))
        if not link:
            continue
        feed.entries.append(Entry(
            url=link,
            title=_text(raw.get("title")),
            summary=_text(raw.get("summary")),
            published=_iso(_plain(raw, "published_parsed") or _plain(raw, "updated_parsed")
                           or _plain(raw, "created_parsed")),
            language=language,
        ))
    feed.total = max(feed.total, rewritten or 0)
    return feed


def local_name(tag: str) -> str:
    """``{namespace}name`` or ``prefix:name`` (an undeclared prefix, kept by lxml's recovery) without either."""
    return tag.rpartition("}")[2].rpartition(":")[2]


def _vetted_xml(body: bytes, *, content_type: str, max_entries: int) -> tuple[bytes, int | None]:
    """``body`` as feedparser may read it, and the original's entry count if it had to be cut.

    Raises :class:`NotAFeed` for a body that declares entities, or a large
    one that is no feed.
    """
    if _ENTITY_DECLARATION.search(body):
        raise NotAFeed(_REFUSED)
    try:
        root = etree.fromstring(body, parser=_safe_parser())
    except (etree.LxmlError, ValueError):
        root = None
    if root is not None:
        doctype = root.getroottree().docinfo.internalDTD
        if doctype is not None and any(True for _ in doctype.iterentities()):
            raise NotAFeed(_REFUSED)
    # What feedparser itself will read (its own choice of encoding), should lxml's differ.
    if _ENTITY_DECLARATION.search(convert_to_utf8({"content-type": content_type or "application/xml"}, body, {})):
        raise NotAFeed(_REFUSED)
    kind = local_name(root.tag) if root is not None and isinstance(root.tag, str) else "none"
    if kind.lower() not in FEED_ROOTS:
        if len(body) > LENIENT_MAX_BYTES:
            raise NotAFeed(f"not a feed (a {len(body) // 1024} KB document whose root element is <{kind}>)")
        return body, None
    return _trimmed(root, body, max_entries=max_entries)


def _trimmed(root: etree._Element, body: bytes, *, max_entries: int) -> tuple[bytes, int | None]:
    """At most ``max_entries`` entries and ``MAX_FIELD_CHARS`` per text; ``body`` itself when within both."""
    entries = list(root.iter("{*}item", "{*}entry"))  # lxml's C loop; "{*}": any namespace or none
    long_texts = root.xpath("//*[string-length(text()) > $n]", n=MAX_FIELD_CHARS)
    if len(entries) <= max_entries and not long_texts:
        return body, None
    for element in long_texts:
        element.text = element.text[:MAX_FIELD_CHARS]
    for element in entries[max_entries:]:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True), len(entries)


def _json_feed(body: bytes, *, max_entries: int) -> Feed:
    try:
        data = load_json(body)
    except ValueError as exc:  # not JSON, not UTF-8, or nested past the limit
        raise NotAFeed(f"not a JSON Feed ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise NotAFeed("not a JSON Feed (no 'items' list)")
    language = _text(data.get("language"))
    feed = Feed(total=len(data["items"]))
    for raw in data["items"][:max_entries]:
        if not isinstance(raw, dict):
            continue
        link = _text(raw.get("url")) or _text(raw.get("external_url"))
        if not link:
            continue
        feed.entries.append(Entry(
            url=link,
            title=_text(raw.get("title")),
            summary=_text(raw.get("summary")) or _text(raw.get("content_text")),
            published=_text(raw.get("date_published")) or _text(raw.get("date_modified")),
            language=_text(raw.get("language")) or language,
        ))
    return feed
