"""Schema of the store, as migrations (applied in order, once each, by open_db)."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("followup_monitor")

# Migrations are named for what they hold. Stores written before they were renamed
# recorded the old names: open_db renames those records first (rename_recorded), so
# nothing runs twice, then renamed_ingest_table renames the one table named after one.
FORMER_NAMES = {
    "m001_initial": "initial_schema",
    "m4_lsh_clustered": "lsh_bands_clustered",
    "m6_alerts_and_source_health": "alert_deliveries",
    "m3_discovery_state": "discovery_state",
    "m5_scheduler": "job_events",
    "m9_ingested": "ingested_messages",
    "m7b_charset": "page_charset",
}


def rename_recorded(db: Database) -> None:
    """Record the migrations a store applied under their former names under their current ones."""
    if not db[migrations.migrations_table].exists():
        return
    # Read first: a store opened while another process writes must not wait for a write lock here.
    if not {m.name for m in migrations.applied(db)} & set(FORMER_NAMES):
        return
    with db.atomic():
        for old, new in FORMER_NAMES.items():
            db.execute(f"UPDATE {migrations.migrations_table} SET name = ? WHERE migration_set = ? AND name = ?",
                       [new, migrations.name, old])


@migrations()
def initial_schema(db: Database) -> None:
    db.table("stories").create(
        {
            "name": str, "url": str, "title": str, "language": str,
            "published": str, "since": str, "terms": str,
            "text": str, "text_from": str, "loaded_at": str,
        },
        pk="name",
    )
    db.table("sources").create(
        {
            "name": str, "language": str, "feeds": str, "sitemaps": str,
            "sections": str, "every": str, "updated_at": str,
        },
        pk="name",
    )
    db.table("crawl_runs").create(
        {
            "id": int, "spider": str, "source": str, "started": str,
            "finished": str, "finish_reason": str, "status": str,
            "followups": int, "source_copies": int, "duplicates": int,
            "skipped": int, "errors": int, "already_known": int,
            "counts": str, "error_messages": str, "pid": int,
        },
        pk="id",
    )
    db.table("articles").create(
        {
            "id": int, "url": str, "canonical_url": str, "source": str,
            "story": str, "title": str, "author": str, "text": str,
            "language": str, "language_reason": str, "published": str,
            "published_from": str, "label": str, "score": float,
            "matched": str, "signals": str, "duplicate_of": int,
            "duplicate_similarity": float, "text_hash": str, "found_via": str,
            "sitename": str, "first_seen": str, "run_id": int,
        },
        pk="id",
        foreign_keys=[("duplicate_of", "articles", "id"), ("run_id", "crawl_runs", "id")],
    )
    db.table("articles").create_index(["url"], unique=True)
    db.table("articles").create_index(["canonical_url"], unique=True)
    db.table("articles").create_index(["text_hash"])
    db.table("articles").create_index(["published"])
    db.table("articles").create_index(["label", "language"])
    db.table("articles").enable_fts(["title", "text"], create_triggers=True)
    db.table("urls").create(
        {
            "url": str, "status": str, "reason": str, "source": str,
            "found_via": str, "detail": str, "article_id": int, "run_id": int,
            "first_seen": str, "last_seen": str,
        },
        pk="url",
        foreign_keys=[("article_id", "articles", "id"), ("run_id", "crawl_runs", "id")],
    )
    db.table("urls").create_index(["status", "reason"])
    db.table("urls").create_index(["source"])
    # MinHash signatures and their LSH bands (pipelines/textsig.py computes them).
    db.table("signatures").create(
        {"article_id": int, "language": str, "signature": bytes},
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("lsh_bands").create({"band": int, "hash": int, "article_id": int})
    db.table("lsh_bands").create_index(["band", "hash"])


@migrations()
def lsh_bands_clustered(db: Database) -> None:
    """LSH bands in one clustered B-tree (WITHOUT ROWID): a lookup is one seek per band."""
    db.execute(
        "CREATE TABLE lsh (band INTEGER NOT NULL, hash INTEGER NOT NULL, article_id INTEGER NOT NULL "
        "REFERENCES articles(id), PRIMARY KEY (band, hash, article_id)) WITHOUT ROWID"
    )
    db.execute("INSERT INTO lsh (band, hash, article_id) SELECT band, hash, article_id FROM lsh_bands")
    db.table("lsh_bands").drop()


@migrations()
def alert_deliveries(db: Database) -> None:
    """Webhook deliveries of new follow-ups (jobs/alerts.py)."""
    db.table("alerts").create(
        {
            "id": int, "webhook": str, "run_ids": str, "article_ids": str,
            "followups": int, "payload": str, "status": str, "attempts": int,
            "http_status": int, "error": str, "created": str, "finished": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db.table("alerts").create_index(["status"], if_not_exists=True)


@migrations()
def discovery_state(db: Database) -> None:
    """Discovery: what was found on each source, its health, conditional-GET state.

    * ``sources`` gains what feed discovery found (JSON lists) and the
      source's health: last success, last error, consecutive failed runs,
      and ``unhealthy`` with its reason after too many in a row;
    * ``listings``: one row per feed, sitemap, section or home page URL
      fetched, with its ``ETag`` / ``Last-Modified`` validators and health;
    * ``entry_dates``: the feed or sitemap date of each article URL when it
      was last fetched, so a changed ``lastmod`` can be fetched again;
    * ``articles.undated``: 1 when no date was found anywhere (kept, flagged).
    """
    for column, kind in (
        ("discovered_feeds", str), ("discovered_sitemaps", str), ("discovered_at", str),
        ("last_success", str), ("last_error", str), ("last_error_at", str),
        ("consecutive_failures", int), ("unhealthy", int), ("unhealthy_reason", str),
    ):
        db.table("sources").add_column(column, kind)
    db.table("listings").create(
        {
            "url": str, "source": str, "kind": str, "etag": str, "last_modified": str,
            "last_status": int, "last_fetched": str, "last_success": str, "last_error": str,
            "last_error_at": str, "consecutive_failures": int, "entries": int, "note": str,
        },
        pk="url",
    )
    db.table("listings").create_index(["source"])
    db.table("entry_dates").create({"url": str, "listed": str}, pk="url")
    db.execute("ALTER TABLE articles ADD COLUMN undated INTEGER GENERATED ALWAYS AS "
               "(published IS NULL OR published = '') VIRTUAL")


@migrations()
def job_events(db: Database) -> None:
    """What the scheduler records: the log tail of a crawl that did not finish well,
    and events of its jobs (runs skipped because the last one was still going,
    catch-up runs after downtime, runs missed)."""
    db.table("crawl_runs").add_column("log_tail", str)
    db.table("job_events").create({"id": int, "job": str, "event": str, "at": str, "detail": str}, pk="id")
    db.table("job_events").create_index(["job", "event"])


@migrations()
def ingested_messages(db: Database) -> None:
    """Messages of the distributed ingest already committed (distributed/ingest.py), so none is stored twice."""
    db.table("ingested_messages").create({"id": str, "ingested_at": str}, pk="id")


@migrations()
def page_charset(db: Database) -> None:
    """How each article's page was decoded (crawler/charset.py): the codec, a
    ``charset_suspect`` code when the declared or guessed charset was wrong or
    the text still has unreadable characters, and the share of U+FFFD."""
    db.table("articles").add_column("charset", str)
    db.table("articles").add_column("charset_suspect", str)
    db.table("articles").add_column("replacement_ratio", float)


@migrations()
def renamed_ingest_table(db: Database) -> None:
    """The ingest's table of committed messages, once named after its migration."""
    if db["m9_ingested"].exists():
        db.execute("ALTER TABLE m9_ingested RENAME TO ingested_messages")


@migrations()
def articles_kind_and_digests(db: Database) -> None:
    """What an article counts as, for facets, and the deliveries of the daily digest.

    * ``articles.kind`` (generated): ``followup``, ``duplicate`` (a wire copy of a
      stored follow-up, never counted twice), ``source_copy`` or ``mention``: the
      definition of storage/coverage.py, so a facet shows the same count as the
      summary, the feed and the report;
    * ``digests``: one row per channel (``email`` or ``webhook``) and digest, queued
      ``pending`` before sending, closed ``delivered`` or ``failed`` (jobs/digest.py).
    """
    db.execute("ALTER TABLE articles ADD COLUMN kind TEXT GENERATED ALWAYS AS "
               "(CASE WHEN duplicate_of IS NOT NULL THEN 'duplicate' ELSE label END) VIRTUAL")
    db.table("digests").create(
        {
            "id": int, "channel": str, "target": str, "since": str, "until": str, "followups": int,
            "article_ids": str, "payload": str, "status": str, "attempts": int, "error": str,
            "created": str, "finished": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db.table("digests").create_index(["status"], if_not_exists=True)


@migrations()
def outlet_memory(db: Database) -> None:
    """What extraction learned about each outlet across crawls, as JSON: the lines that recur
    on its pages (``boilerplate``) and the parts its titles repeat (``title_affixes``).
    One row per source, rewritten whole; the JSON is bounded by the learners themselves."""
    db.table("outlet_memory").create(
        {"source": str, "boilerplate": str, "title_affixes": str, "updated_at": str},
        pk="source",
        if_not_exists=True,
    )
