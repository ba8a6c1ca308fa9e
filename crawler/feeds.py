"""Read a feed (RSS 0.9x/1.0/2.0, Atom, JSON Feed) into entries.

Our one wrapper around feedparser, plus JSON Feed (which feedparser does not
read). ``parse_feed`` raises :class:`NotAFeed` for a body that is no feed
(an HTML page, a broken document), so the spider can record the reason.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import logging
import re
import time
from typing import Any

import feedparser

from crawler.entries import Entry

logger = logging.getLogger(__name__)


class NotAFeed(ValueError):
    pass


_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)


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


def parse_feed(body: bytes, *, url: str, content_type: str = "") -> list[Entry]:
    """Entries of the feed in ``body`` (fetched from ``url``)."""
    head = body[:512].lstrip()
    if "json" in content_type.lower() or head[:1] in (b"{", b"["):
        return _json_feed(body, url=url)
    if _ENTITY_DECLARATION.search(body[:65536]):
        # No real feed declares entities; billion-laughs and external-entity (XXE) attacks do.
        raise NotAFeed("not a feed (declares XML entities: refused, as in billion-laughs or XXE attacks)")
    parsed = feedparser.parse(body, response_headers={"content-location": url, "content-type": content_type or "application/xml"})
    version = parsed.get("version") or ""
    if not version:
        problem = parsed.get("bozo_exception")
        raise NotAFeed(f"not a feed ({problem or 'no RSS, Atom or RDF root element'})")
    language = _text(parsed.feed.get("language"))
    entries = []
    for raw in parsed.entries:
        link = _text(raw.get("link"))
        if not link:
            continue
        entries.append(Entry(
            url=link,
            title=_text(raw.get("title")),
            summary=_text(raw.get("summary")),
            published=_iso(_plain(raw, "published_parsed") or _plain(raw, "updated_parsed")
                           or _plain(raw, "created_parsed")),
            language=language,
        ))
    return entries


def _json_feed(body: bytes, *, url: str) -> list[Entry]:
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise NotAFeed(f"not a JSON Feed ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise NotAFeed("not a JSON Feed (no 'items' list)")
    language = _text(data.get("language"))
    entries = []
    for raw in data["items"]:
        if not isinstance(raw, dict):
            continue
        link = _text(raw.get("url")) or _text(raw.get("external_url"))
        if not link:
            continue
        entries.append(Entry(
            url=link,
            title=_text(raw.get("title")),
            summary=_text(raw.get("summary")) or _text(raw.get("content_text")),
            published=_text(raw.get("date_published")) or _text(raw.get("date_modified")),
            language=_text(raw.get("language")) or language,
        ))
    return entries
