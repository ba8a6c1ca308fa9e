"""Datasette plugin: the journalist's desk over any store the monitor wrote.

Installed by the ``datasette`` entry point of pyproject.toml, so ``datasette serve
any-name.db`` loads it. Datasette names a database after its file, so nothing
here is keyed by a name: every hook first asks whether the database has the
monitor's tables (``articles``, ``urls``, ``stories``, ``crawl_runs``), and serves:

* canned queries (``canned_queries`` hook; the SQL is storage/coverage.py's);
* table descriptions, column descriptions, facets, sort orders and hidden
  tables (``get_metadata`` hook; desk/tables.py);
* ``/<database>/-/coverage``: the story's coverage, the page a journalist opens
  first: who covered it (per outlet), the follow-ups by publication date, the
  copies of the source and the wire-copy groups apart, and the timeline chart.
  The database page opens with the same coverage;
* the article page (the ``articles`` row page): the follow-up beside the source,
  shared passages marked, what it adds, and why it counts, in words (desk/compare.py);
* an ``.atom`` renderer (desk/atom.py) for the ``followups_feed`` query;
* links: outlets open the source's row, titles the article page; pages on the
  demo's local web are marked offline when it is not running (desk/links.py).
"""

from __future__ import annotations

import asyncio
import json
import weakref
from typing import Any

from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

import desk.atom as atom
import desk.chart as chart
import desk.compare as compare
import desk.links as links
from desk.tables import HIDDEN, store_tables
from pipelines import textsig
from storage import coverage

FEED_QUERY = "followups_feed"
CHART_TITLE = "Follow-ups per day, by language"
LINKED_SOURCE_TABLES = {"articles", "urls", "crawl_runs", "listings"}
OUTLET_COLUMNS = {"outlet"}

# Per Datasette instance: database name -> its table names, for the databases that are monitor stores.
_stores: weakref.WeakKeyDictionary[Any, dict[str, frozenset[str]]] = weakref.WeakKeyDictionary()


async def store_tables_of(datasette: Any, database: str) -> frozenset[str] | None:
    """The table names of ``database`` if the monitor wrote it (plus ``articles.kind`` if present), else None."""
    known = _stores.setdefault(datasette, {})
    if database in known:
        return known[database]
    db = datasette.databases.get(database)
    if db is None or db.is_memory or database.startswith("_"):
        return None
    names = set(await db.table_names())
    if not coverage.STORE_TABLES <= names:
        return None
    if "kind" in await db.table_columns("articles"):
        names.add("articles.kind")
    known[database] = frozenset(names)
    return known[database]


def _metadata_for(tables: frozenset[str]) -> dict[str, Any]:
    meta = store_tables(has_kind="articles.kind" in tables)
    for name in tables:
        if name.endswith("_ingested") or name in HIDDEN:
            meta[name] = {"hidden": True}
    return meta


@hookimpl
def startup(datasette: Any) -> Any:
    async def inner() -> None:
        for name in list(datasette.databases):
            await store_tables_of(datasette, name)
    return inner


@hookimpl
def get_metadata(datasette: Any, key: Any, database: Any, table: Any) -> dict[str, Any]:
    stores = _stores.get(datasette) or {}
    return {"databases": {name: {"tables": _metadata_for(tables)} for name, tables in stores.items()}}


@hookimpl
def canned_queries(datasette: Any, database: str, actor: Any) -> Any:
    async def inner() -> dict[str, Any]:
        if await store_tables_of(datasette, database) is None:
            return {}
        return {name: dict(query) for name, query in coverage.CANNED_QUERIES.items()}
    return inner


# --- Atom ------------------------------------------------------------------------------


def render_atom(datasette: Any, request: Any, columns: list[str], rows: list[Any], database: str,
                query_name: str | None) -> Response:
    title = (coverage.CANNED_QUERIES.get(query_name or "") or {}).get("title") or query_name or "Follow-ups"
    self_url = datasette.absolute_url(request, request.full_path)
    html_path = request.path.removesuffix(".atom")
    if request.query_string:
        html_path += "?" + request.query_string
    feed = atom.atom_feed(title=f"{title} ({database})", feed_id=datasette.absolute_url(request, request.path),
                          self_url=self_url, html_url=datasette.absolute_url(request, html_path),
                          rows=[dict(zip(columns, row, strict=False)) for row in rows])
    return Response(feed.decode("utf-8"), content_type="application/atom+xml; charset=utf-8")


@hookimpl
def register_output_renderer(datasette: Any) -> dict[str, Any]:
    return {"extension": "atom", "render": render_atom,
            "can_render": lambda columns: atom.FEED_COLUMNS.issubset(columns)}


# --- The coverage ----------------------------------------------------------------------


async def _rows(db: Any, sql: str, **params: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in (await db.execute(sql, params)).rows]


async def coverage_context(datasette: Any, database: str) -> dict[str, Any]:
    """Everything the coverage page shows, per story (one section each), read through Datasette's connection."""
    db = datasette.get_database(database)
    stories = await _rows(db, coverage.STORIES_SQL)
    names = [s["name"] for s in stories] or [""]
    sections: list[dict[str, Any]] = []
    for story in stories or [{"name": "", "title": None, "url": None}]:
        name = story["name"] if len(names) > 1 else ""
        counts = (await _rows(db, coverage.COUNTS_SQL, story=name))[0]
        sections.append({
            "story": story,
            "counts": {k: int(v or 0) for k, v in counts.items()},
            "outlets": await _rows(db, coverage.OUTLETS_SQL, story=name),
            "followups": await _rows(db, coverage.FOLLOWUPS_SQL, story=name),
            "copies": await _rows(db, coverage.COPIES_SQL, story=name),
            "groups": await _rows(db, coverage.DUPLICATE_GROUPS_SQL, story=name),
            "chart": chart.chart_context(await _rows(db, coverage.PER_DAY_SQL, story=name), title=CHART_TITLE),
        })
    urls = [s["story"].get("url") or "" for s in sections]
    urls += [r["url"] for s in sections for key in ("followups", "copies", "groups") for r in s[key]]
    down = await asyncio.to_thread(links.offline, urls)
    return {"sections": sections, "offline": down, "demo_offline": bool(down),
            "feed_url": datasette.urls.query(database, FEED_QUERY, format="atom"),
            "queries": coverage.CANNED_QUERIES,
            "followup_filter": "kind=followup" if "articles.kind" in (await store_tables_of(datasette, database) or ())
            else "label=followup&duplicate_of__isnull=1",
            "coverage_url": datasette.urls.database(database) + "/-/coverage"}


async def coverage_page(datasette: Any, request: Any) -> Response:
    database = request.url_vars["database"]
    if database not in datasette.databases:
        raise NotFound(f"Database not found: {database}")
    await datasette.ensure_permissions(request.actor, [("view-database", database), "view-instance"])
    if await store_tables_of(datasette, database) is None:
        raise NotFound(f"{database} is not a store of the follow-up monitor (it has no articles, urls, stories "
                       "and crawl_runs tables)")
    context = {"database": database, **await coverage_context(datasette, database)}
    return Response.html(await datasette.render_template("coverage.html", context, request=request))


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    return [(r"^/(?P<database>[^/]+)/-/coverage$", coverage_page)]


# --- The article beside its source -----------------------------------------------------


async def article_context(datasette: Any, database: str, article_id: int) -> dict[str, Any] | None:
    db = datasette.get_database(database)
    found = await _rows(db, coverage.ARTICLE_SQL, id=article_id)
    if not found:
        return None
    article = found[0]
    stories = await _rows(db, coverage.STORY_SQL, name=article.get("story") or "")
    story = stories[0] if stories else None
    source_text = (story or {}).get("text") or ""
    try:
        terms = json.loads((story or {}).get("terms") or "[]")
        signals = json.loads(article.get("signals") or "{}")
    except ValueError:
        terms, signals = [], {}
    title, text = article.get("title") or "", article.get("text") or ""
    evidence = compare.term_evidence(terms, title=title, text=text)
    markers = compare.shared_markers(textsig.anchors(f"{title}\n{text}"), textsig.anchors(source_text),
                                     f"{title}\n{text}")
    for line in (compare.copy_evidence(signals) if article.get("label") == "source_copy" else None, markers):
        if line:
            evidence.append(line)
    down = await asyncio.to_thread(links.offline, [article.get("url") or "", (story or {}).get("url") or ""])
    return {"article": article, "story": story, "evidence": evidence, "offline": down,
            "comparison": compare.compare(source_text, text) if source_text else None}


@hookimpl
def extra_template_vars(template: str, database: str | None, table: str | None, view_name: str,
                        request: Any, datasette: Any) -> Any:
    async def inner() -> dict[str, Any]:
        if view_name == "index":
            stores = [name for name in datasette.databases if await store_tables_of(datasette, name)]
            return {"desk_stores": stores}
        if not database or await store_tables_of(datasette, database) is None:
            return {}
        if view_name == "database":
            return {"desk": await coverage_context(datasette, database)}
        if view_name == "row" and table == "articles" and request is not None:
            try:
                article_id = int(tilde_decode(request.url_vars.get("pks", "")))
            except ValueError:
                return {}
            return {"desk_article": await article_context(datasette, database, article_id)}
        return {}
    return inner


# --- Links -----------------------------------------------------------------------------


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Any) -> Markup | None:
    if not isinstance(value, str) or not value or value == "*" or database not in (_stores.get(datasette) or {}):
        return None
    if (column == "source" and table in LINKED_SOURCE_TABLES) or (column in OUTLET_COLUMNS and table is None):
        href = datasette.urls.row(database, "sources", tilde_encode(value))
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    article_id = _get(row, "id")
    if column == "title" and table is None and isinstance(article_id, int):
        href = datasette.urls.row(database, "articles", str(article_id))
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    if column == "text" and table == "articles" and len(value) > 160:
        return Markup(f'<span title="the whole text is on the article page">{escape(value[:160])} …</span>')
    return None


def _get(row: Any, key: str) -> Any:
    try:
        return row[key]
    except (KeyError, IndexError, TypeError):
        return None


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    out = []
    for name in (_stores.get(datasette) or {}):
        out.append({"href": datasette.urls.database(name) + "/-/coverage", "label": f"{name}: coverage"})
        out.append({"href": datasette.urls.query(name, FEED_QUERY, format="atom"),
                    "label": f"{name}: feed of new follow-ups"})
    return out
