"""Schema of the store, as migrations (applied in order, once each, by open_db)."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("followup_monitor")


@migrations()
def m001_initial(db: Database) -> None:
    db["stories"].create(
        {
            "name": str, "url": str, "title": str, "language": str,
            "published": str, "since": str, "terms": str,
            "text": str, "text_from": str, "loaded_at": str,
        },
        pk="name",
    )
    db["sources"].create(
        {
            "name": str, "language": str, "feeds": str, "sitemaps": str,
            "sections": str, "every": str, "updated_at": str,
        },
        pk="name",
    )
    db["crawl_runs"].create(
        {
            "id": int, "spider": str, "source": str, "started": str,
            "finished": str, "finish_reason": str, "status": str,
            "followups": int, "source_copies": int, "duplicates": int,
            "skipped": int, "errors": int, "already_known": int,
            "counts": str, "error_messages": str, "pid": int,
        },
        pk="id",
    )
    db["articles"].create(
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
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["canonical_url"], unique=True)
    db["articles"].create_index(["text_hash"])
    db["articles"].create_index(["published"])
    db["articles"].create_index(["label", "language"])
    db["articles"].enable_fts(["title", "text"], create_triggers=True)
    db["urls"].create(
        {
            "url": str, "status": str, "reason": str, "source": str,
            "found_via": str, "detail": str, "article_id": int, "run_id": int,
            "first_seen": str, "last_seen": str,
        },
        pk="url",
        foreign_keys=[("article_id", "articles", "id"), ("run_id", "crawl_runs", "id")],
    )
    db["urls"].create_index(["status", "reason"])
    db["urls"].create_index(["source"])
    # MinHash signatures and their LSH bands (see storage/lsh.py).
    db["signatures"].create(
        {"article_id": int, "language": str, "signature": bytes},
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["lsh_bands"].create({"band": int, "hash": int, "article_id": int})
    db["lsh_bands"].create_index(["band", "hash"])


@migrations()
def m4_lsh_clustered(db: Database) -> None:
    """LSH bands in one clustered B-tree (WITHOUT ROWID): a lookup is one seek per band."""
    db.execute(
        "CREATE TABLE lsh (band INTEGER NOT NULL, hash INTEGER NOT NULL, article_id INTEGER NOT NULL "
        "REFERENCES articles(id), PRIMARY KEY (band, hash, article_id)) WITHOUT ROWID"
    )
    db.execute("INSERT INTO lsh (band, hash, article_id) SELECT band, hash, article_id FROM lsh_bands")
    db["lsh_bands"].drop()


@migrations()
def m6_alerts_and_source_health(db: Database) -> None:
    """Webhook deliveries of new follow-ups (jobs/alerts.py).

    (The name is historical: the sources' health columns came with
    m3_discovery_state, not here.)
    """
    db["alerts"].create(
        {
            "id": int, "webhook": str, "run_ids": str, "article_ids": str,
            "followups": int, "payload": str, "status": str, "attempts": int,
            "http_status": int, "error": str, "created": str, "finished": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db["alerts"].create_index(["status"], if_not_exists=True)


@migrations()
def m3_discovery_state(db: Database) -> None:
    """Discovery (issue 3): what was found on each source, its health, conditional-GET state.

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
        db["sources"].add_column(column, kind)
    db["listings"].create(
        {
            "url": str, "source": str, "kind": str, "etag": str, "last_modified": str,
            "last_status": int, "last_fetched": str, "last_success": str, "last_error": str,
            "last_error_at": str, "consecutive_failures": int, "entries": int, "note": str,
        },
        pk="url",
    )
    db["listings"].create_index(["source"])
    db["entry_dates"].create({"url": str, "listed": str}, pk="url")
    db.execute("ALTER TABLE articles ADD COLUMN undated INTEGER GENERATED ALWAYS AS "
               "(published IS NULL OR published = '') VIRTUAL")


@migrations()
def m5_scheduler(db: Database) -> None:
    """What the scheduler records: the log tail of a crawl that did not finish well,
    and events of its jobs (runs skipped because the last one was still going,
    catch-up runs after downtime, runs missed)."""
    db["crawl_runs"].add_column("log_tail", str)
    db["job_events"].create({"id": int, "job": str, "event": str, "at": str, "detail": str}, pk="id")
    db["job_events"].create_index(["job", "event"])


@migrations()
def m9_ingested(db: Database) -> None:
    """Messages of the distributed ingest already committed (distributed/ingest.py), so none is stored twice."""
    db["m9_ingested"].create({"id": str, "ingested_at": str}, pk="id")


@migrations()
def m7b_charset(db: Database) -> None:
    """How each article's page was decoded (crawler/charset.py): the codec, a
    ``charset_suspect`` code when the declared or guessed charset was wrong or
    the text still has unreadable characters, and the share of U+FFFD."""
    db["articles"].add_column("charset", str)
    db["articles"].add_column("charset_suspect", str)
    db["articles"].add_column("replacement_ratio", float)


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
    db["digests"].create(
        {
            "id": int, "channel": str, "target": str, "since": str, "until": str, "followups": int,
            "article_ids": str, "payload": str, "status": str, "attempts": int, "error": str,
            "created": str, "finished": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db["digests"].create_index(["status"], if_not_exists=True)
