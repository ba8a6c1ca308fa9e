"""Datasette plugin: the analyst's desk over the monitor's store.

Loaded by ``make browse`` (``datasette serve … --plugins-dir plugins
--template-dir templates``). It adds, with no JavaScript and nothing fetched
from the internet:

* ``/<database>/-/coverage``: follow-ups per day, by language, as a stacked
  bar chart (inline SVG) with the numbers beside it. It draws the canned query
  named in ``metadata.json`` (``plugins.followup-desk.chart``), so the chart
  and the ``coverage_per_day`` query never disagree;
* an ``.atom`` renderer for any query returning ``atom_id``, ``atom_title``
  and ``atom_updated`` (optional: ``atom_link``, ``atom_summary``,
  ``atom_published``, ``atom_author``): the ``followups_feed`` canned query is
  the feed of new follow-ups a feed reader subscribes to. An empty result is
  a valid empty feed, not an error;
* links: an article's ``source`` cell opens the source's row, and the menu
  links every database's chart and feed.
"""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET
from typing import Any

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

PLUGIN = "followup-desk"
ATOM = "http://www.w3.org/2005/Atom"
FEED_COLUMNS = {"atom_id", "atom_title", "atom_updated"}
DEFAULT_CHART = {"query": "coverage_per_day", "x": "day", "y": "followups", "series": "language",
                 "title": "Follow-ups per day, by language"}
FEED_QUERY = "followups_feed"
# Distinguishable on white, also for the most common colour blindness (Okabe-Ito, then Tableau).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
           "#9467bd", "#8c564b", "#7f7f7f", "#bcbd22"]
LINKED_SOURCE_TABLES = {"articles", "urls", "crawl_runs"}


# --- Atom -------------------------------------------------------------------------

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


def render_atom(datasette: Any, request: Any, columns: list[str], rows: list[Any], database: str,
                query_name: str | None) -> Response:
    title = "Follow-ups"
    if query_name:
        query = (datasette.metadata("queries", database=database) or {}).get(query_name) or {}
        title = query.get("title") or query_name
    self_url = datasette.absolute_url(request, request.full_path)
    html_path = request.path.removesuffix(".atom")
    if request.query_string:
        html_path += "?" + request.query_string
    feed = atom_feed(title=title, feed_id=datasette.absolute_url(request, request.path), self_url=self_url,
                     html_url=datasette.absolute_url(request, html_path),
                     rows=[dict(zip(columns, row)) for row in rows])
    return Response(feed.decode("utf-8"), content_type="application/atom+xml; charset=utf-8")


@hookimpl
def register_output_renderer(datasette: Any) -> dict[str, Any]:
    return {"extension": "atom", "render": render_atom,
            "can_render": lambda columns: FEED_COLUMNS.issubset(columns)}


# --- The coverage chart -------------------------------------------------------------

def nice_step(top: int, ticks: int = 5) -> int:
    raw = max(1.0, top / ticks)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)


def day_axis(days: list[str]) -> list[str]:
    """Every day from the first to the last (gaps shown as empty days), unless the span is huge."""
    try:
        first, last = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
    except ValueError:
        return days
    span = (last - first).days
    if span > 400:
        return days
    return [(first + dt.timedelta(days=i)).isoformat() for i in range(span + 1)]


def chart_svg(counts: dict[str, dict[str, int]], series: list[str], colours: dict[str, str], *,
              title: str) -> Markup:
    """A stacked bar chart: one bar per day, one colour per series."""
    days = day_axis(sorted(counts))
    width, height, left, right, top, bottom = 960, 360, 48, 12, 16, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((sum(counts.get(d, {}).values()) for d in days), default=0) or 1
    step = nice_step(peak)
    y_max = step * math.ceil(peak / step)
    slot = plot_w / max(1, len(days))
    bar = max(1.0, slot * 0.8)
    parts = [f'<svg class="coverage-chart" viewBox="0 0 {width} {height}" role="img" '
             f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
             f'<title>{escape(title)}</title>']
    for tick in range(0, y_max + 1, step):
        y = top + plot_h - plot_h * tick / y_max
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12">{tick}</text>')
    label_every = max(1, math.ceil(len(days) / 24))
    for i, day in enumerate(days):
        x = left + i * slot + (slot - bar) / 2
        base = top + plot_h
        for name in series:
            n = counts.get(day, {}).get(name, 0)
            if not n:
                continue
            h = plot_h * n / y_max
            base -= h
            parts.append(f'<rect class="bar" data-day="{day}" data-series="{escape(name)}" data-count="{n}" '
                         f'x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colours[name]}">'
                         f'<title>{day} · {escape(name)}: {n}</title></rect>')
        if i % label_every == 0:
            cx = left + i * slot + slot / 2
            parts.append(f'<text x="{cx:.1f}" y="{top + plot_h + 14}" font-size="11" text-anchor="end" '
                         f'transform="rotate(-45 {cx:.1f} {top + plot_h + 14})">{day[5:] if len(day) == 10 else escape(day)}</text>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#333"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


async def coverage_page(datasette: Any, request: Any) -> Response:
    database = request.url_vars["database"]
    try:
        db = datasette.get_database(database)
    except KeyError:
        raise NotFound(f"Database not found: {database}") from None
    config = {**DEFAULT_CHART, **((datasette.plugin_config(PLUGIN) or {}).get("chart") or {})}
    await datasette.ensure_permissions(request.actor, [("view-query", (database, config["query"])),
                                                       ("view-database", database), "view-instance"])
    query = await datasette.get_canned_query(database, config["query"], request.actor)
    if query is None:
        raise NotFound(f"No canned query {config['query']!r} in {database} (see metadata.json)")
    result = await db.execute(query["sql"])
    counts: dict[str, dict[str, int]] = {}
    undated = 0
    totals: dict[str, int] = {}
    for row in result.rows:
        day, name, n = row[config["x"]], row[config["series"]] or "und", int(row[config["y"]] or 0)
        totals[name] = totals.get(name, 0) + n
        if not day:
            undated += n
            continue
        counts.setdefault(str(day), {})[name] = counts.setdefault(str(day), {}).get(name, 0) + n
    series = sorted(totals, key=lambda s: (-totals[s], s))
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}
    context = {
        "database": database, "colour": "ff0000", "title": config["title"], "series": series, "colours": colours,
        "totals": totals, "undated": undated, "total": sum(totals.values()),
        "svg": chart_svg(counts, series, colours, title=config["title"]) if counts else None,
        "days": sorted(counts, reverse=True), "counts": counts,
        "query_url": datasette.urls.query(database, config["query"]),
        "feed_url": datasette.urls.query(database, FEED_QUERY, format="atom"),
    }
    return Response.html(await datasette.render_template("coverage.html", context, request=request))


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    return [(r"^/(?P<database>[^/]+)/-/coverage$", coverage_page)]


# --- Links ---------------------------------------------------------------------------

@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Markup | None:
    if column == "source" and table in LINKED_SOURCE_TABLES and isinstance(value, str) and value and value != "*":
        href = datasette.urls.row(database, "sources", tilde_encode(value))
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    return None


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    links = []
    for name, db in datasette.databases.items():
        if db.is_memory or name.startswith("_"):
            continue
        links.append({"href": datasette.urls.database(name) + "/-/coverage", "label": f"{name}: coverage chart"})
        links.append({"href": datasette.urls.query(name, FEED_QUERY, format="atom"),
                      "label": f"{name}: feed of new follow-ups"})
    return links
