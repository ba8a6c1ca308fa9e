"""An Atom feed from the rows of a query (the ``.atom`` renderer of the desk).

Any query returning ``atom_id``, ``atom_title`` and ``atom_updated`` (optional:
``atom_link``, ``atom_summary``, ``atom_published``, ``atom_author``) renders as a
feed; the ``followups_feed`` canned query is the feed of new follow-ups a feed
reader subscribes to. An empty result is a valid empty feed, not an error.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

ATOM = "http://www.w3.org/2005/Atom"
FEED_COLUMNS = {"atom_id", "atom_title", "atom_updated"}


def atom_date(value: Any) -> str | None:
    """An RFC 3339 date for Atom, from an ISO date or datetime (naive ones are taken as UTC)."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.isoformat(timespec="seconds").replace("+00:00", "Z")


def atom_feed(*, title: str, feed_id: str, self_url: str, html_url: str, rows: list[dict[str, Any]]) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=self_url)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=html_url)
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "followup-monitor (Datasette)"
    entries = []
    for row in rows:
        updated = atom_date(row.get("atom_updated"))
        if updated is None:
            continue
        entries.append((updated, row))
    stamps = [u for u, _ in entries]
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = max(stamps) if stamps else now
    for updated, row in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = str(row["atom_id"])
        ET.SubElement(entry, f"{{{ATOM}}}title").text = str(row["atom_title"] or row["atom_id"])
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = updated
        published = atom_date(row.get("atom_published"))
        if published:
            ET.SubElement(entry, f"{{{ATOM}}}published").text = published
        if row.get("atom_link"):
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=str(row["atom_link"]))
        if row.get("atom_author"):
            author = ET.SubElement(entry, f"{{{ATOM}}}author")
            ET.SubElement(author, f"{{{ATOM}}}name").text = str(row["atom_author"])
        if row.get("atom_summary"):
            ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = str(row["atom_summary"])
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False)
