"""The story's coverage: what counts as a follow-up, and the reads built on that one definition.

**A follow-up is counted once per group of wire copies.** An article labelled
``followup`` that near-duplicates a stored one (``duplicate_of`` set: the same
agency dispatch on two sites) is shown in its duplicate group, never counted
again; mentions and copies of the source are not coverage either. So the
summary of ``scheduler.py --once``, the ``kind`` facet of the desk, the
coverage page, the Atom feed, the digest and the report all say the same
number. The ``articles.kind`` column (a generated column) carries the same
decision for faceting: ``followup``, ``duplicate``, ``source_copy`` or
``mention``.

The SQL lives here, in one place: the desk (desk/plugin.py) serves
:data:`CANNED_QUERIES` through Datasette's read-only connections, and the
functions below run the same statements on a sqlite-utils ``Database`` for
the command line and the digest.

Dates: ``published`` is ISO 8601, often with a UTC offset, so comparisons go
through SQLite's ``datetime()`` (UTC), and a day is ``date(published)``, a UTC
day. "New since" filters on publication, "found since" on ``first_seen`` (when
the crawler stored the article).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

# The one definition of a counted follow-up (``a`` is the articles table).
FOLLOWUP = "a.label = 'followup' AND a.duplicate_of IS NULL"


# Tables whose presence makes a database one the monitor wrote.
STORE_TABLES = frozenset({"articles", "urls", "stories", "crawl_runs"})

_LIST = ("a.id, a.story, date(a.published) AS published, a.title, a.source AS outlet, a.language, "
         "a.first_seen, a.url")

OUTLETS_SQL = f"""
SELECT a.story, a.source AS outlet, min(datetime(a.published)) AS first_published,
  count(*) AS followups, group_concat(DISTINCT a.language) AS languages,
  max(datetime(a.published)) AS latest_published
FROM articles a WHERE {FOLLOWUP} AND (:story = '' OR a.story = :story)
GROUP BY a.story, a.source
ORDER BY a.story, first_published IS NULL, first_published, a.source
"""

FOLLOWUPS_SQL = f"""
SELECT {_LIST} FROM articles a
WHERE {FOLLOWUP} AND (:story = '' OR a.story = :story)
ORDER BY a.published IS NULL, datetime(a.published) DESC, a.id DESC
"""

NEW_SINCE_SQL = f"""
SELECT {_LIST} FROM articles a
WHERE {FOLLOWUP} AND datetime(a.published) >= datetime(:since)
ORDER BY datetime(a.published) DESC, a.id DESC
"""

FOUND_SINCE_SQL = f"""
SELECT {_LIST} FROM articles a
WHERE {FOLLOWUP} AND a.first_seen >= :since
ORDER BY a.first_seen DESC, a.id DESC
"""

FOUND_BETWEEN_SQL = f"""
SELECT {_LIST} FROM articles a
WHERE {FOLLOWUP} AND a.first_seen >= :since AND a.first_seen < :until
ORDER BY a.story, a.published IS NULL, datetime(a.published), a.id
"""

PER_DAY_SQL = f"""
SELECT date(a.published) AS day, a.language, count(*) AS followups FROM articles a
WHERE {FOLLOWUP} AND (:story = '' OR a.story = :story)
GROUP BY day, a.language ORDER BY day DESC, followups DESC, a.language
"""

FEED_SQL = f"""
SELECT a.id, a.story, a.first_seen, a.published, a.language, a.source AS outlet, a.title,
  a.url AS atom_id, a.title AS atom_title, a.first_seen AS atom_updated, a.published AS atom_published,
  a.url AS atom_link, coalesce(a.author, a.source) AS atom_author,
  '[' || a.language || ', ' || a.source || '] ' || substr(a.text, 1, 300)
    || CASE WHEN length(a.text) > 300 THEN ' …' ELSE '' END AS atom_summary
FROM articles a WHERE {FOLLOWUP}
ORDER BY a.first_seen DESC, a.id DESC LIMIT 100
"""

MATCHING_SQL = f"""
SELECT a.id, date(a.published) AS published, a.title, a.source AS outlet, a.language,
  snippet(articles_fts, -1, '[', ']', ' … ', 16) AS passage, a.url
FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH '"' || replace(:term, '"', '""') || '"' AND {FOLLOWUP}
ORDER BY articles_fts.rank LIMIT 200
"""

COPIES_SQL = """
SELECT a.id, a.story, date(a.published) AS published, a.title, a.source AS outlet, a.language, a.url
FROM articles a WHERE a.label = 'source_copy' AND (:story = '' OR a.story = :story)
ORDER BY a.published IS NULL, datetime(a.published), a.id
"""

DUPLICATE_GROUPS_SQL = """
SELECT coalesce(a.duplicate_of, a.id) AS group_id,
  CASE WHEN a.duplicate_of IS NULL THEN 'original' ELSE 'copy' END AS role,
  a.id, date(a.published) AS published, a.title, a.source AS outlet, a.language,
  a.duplicate_similarity AS similarity, a.url
FROM articles a
WHERE (a.duplicate_of IS NOT NULL OR a.id IN (SELECT duplicate_of FROM articles WHERE duplicate_of IS NOT NULL))
  AND (:story = '' OR a.story = :story)
ORDER BY group_id, a.duplicate_of IS NOT NULL, a.published, a.id
"""

COUNTS_SQL = """
SELECT
  sum(label = 'followup' AND duplicate_of IS NULL) AS followups,
  sum(duplicate_of IS NOT NULL) AS duplicates,
  count(DISTINCT duplicate_of) AS duplicate_groups,
  sum(label = 'source_copy') AS source_copies,
  sum(label = 'mention' AND duplicate_of IS NULL) AS mentions,
  count(DISTINCT CASE WHEN label = 'followup' AND duplicate_of IS NULL THEN source END) AS outlets,
  count(DISTINCT CASE WHEN label = 'followup' AND duplicate_of IS NULL THEN language END) AS languages
FROM articles WHERE (:story = '' OR story = :story)
"""

STORIES_SQL = "SELECT name, title, url, language, published, since, terms, text FROM stories ORDER BY name"

ARTICLE_SQL = "SELECT * FROM articles WHERE id = :id"

STORY_SQL = "SELECT name, title, url, language, published, since, terms, text FROM stories WHERE name = :name"

# Canned queries of the desk: title, description, SQL. Parameters a query does
# not show in its form (``:story``) default to '' (every story) in the desk.
CANNED_QUERIES: dict[str, dict[str, str]] = {
    "coverage_by_outlet": {
        "title": "Who covered the story",
        "description": "One row per outlet: its first follow-up's publication date (UTC), how many follow-ups "
                       "(wire copies counted once) and in which languages",
        "sql": OUTLETS_SQL,
    },
    "followups": {
        "title": "Follow-ups by publication date",
        "description": "Every follow-up, newest publication first (wire copies counted once)",
        "sql": FOLLOWUPS_SQL,
    },
    "new_since": {
        "title": "New follow-ups published since a date",
        "description": "Follow-ups published on or after :since (YYYY-MM-DD, UTC), newest first",
        "sql": NEW_SINCE_SQL,
    },
    "found_since": {
        "title": "Follow-ups the monitor found since a date",
        "description": "Follow-ups first stored by the crawler on or after :since (YYYY-MM-DD, UTC), "
                       "whatever their publication date; newest find first",
        "sql": FOUND_SINCE_SQL,
    },
    "followups_feed": {
        "title": "New follow-ups",
        "description": "The latest 100 follow-ups the crawler found: subscribe to this query's .atom link "
                       "in a feed reader",
        "sql": FEED_SQL,
    },
    "coverage_per_day": {
        "title": "Coverage per day and language",
        "description": "Follow-ups per publication day (UTC) and language. Drawn as a chart on the coverage page",
        "sql": PER_DAY_SQL,
    },
    "followups_matching": {
        "title": "Follow-ups that mention a search term",
        "description": "Full-text search of title and text for :term (a word or phrase, any language), "
                       "best matches first, with the passage that matched",
        "sql": MATCHING_SQL,
    },
    "source_copies": {
        "title": "Copies and translations of the source article",
        "description": "Republications, syndications and translations of the source: not counted as coverage",
        "sql": COPIES_SQL,
    },
    "duplicate_groups": {
        "title": "Duplicate groups",
        "description": "Each original (the earliest stored) followed by every near-copy of it (wire copies)",
        "sql": DUPLICATE_GROUPS_SQL,
    },
    "skipped_by_reason": {
        "title": "Skipped and failed URLs by reason",
        "description": "Why pages were not kept: every URL the crawler met has a reason in the urls table",
        "sql": "SELECT status, reason, count(*) AS urls FROM urls WHERE status != 'stored' "
               "GROUP BY status, reason ORDER BY urls DESC",
    },
    "runs_with_errors": {
        "title": "Crawl runs with errors",
        "description": "Crawls that failed, crashed or met errors, newest first",
        "sql": "SELECT id, spider, source, started, finished, finish_reason, status, errors, error_messages "
               "FROM crawl_runs WHERE errors > 0 OR status != 'finished' ORDER BY id DESC",
    },
    "unhealthy_sources": {
        "title": "Unhealthy sources",
        "description": "Sources flagged unhealthy (3 bad runs in a row), whose configured feeds or sitemaps "
                       "fail, whose last own run failed, or whose URLs mostly end in errors",
        "sql": """
SELECT * FROM (SELECT s.name AS source, s.unhealthy, s.unhealthy_reason, s.consecutive_failures, s.last_error,
  (SELECT group_concat(u.url || ' (' || u.reason || ')', '; ') FROM urls u WHERE u.source = s.name
     AND u.found_via = 'config' AND (u.status = 'error' OR u.reason IN ('not_a_feed', 'not_a_sitemap')))
     AS broken_config_urls,
  (SELECT count(*) FROM urls u WHERE u.source = s.name AND u.status = 'error') AS errors,
  (SELECT count(*) FROM urls u WHERE u.source = s.name) AS urls,
  (SELECT r.status FROM crawl_runs r WHERE r.source = s.name ORDER BY r.id DESC LIMIT 1) AS last_own_run,
  (SELECT max(u.last_seen) FROM urls u WHERE u.source = s.name AND u.status = 'stored') AS last_stored
  FROM sources s)
WHERE coalesce(unhealthy, 0) = 1 OR broken_config_urls IS NOT NULL OR last_own_run IN ('failed', 'crashed')
  OR (urls >= 4 AND errors * 2 >= urls)
ORDER BY errors DESC, source
""",
    },
    "failed_alerts": {
        "title": "Webhook alerts that failed",
        "description": "Alerts of new follow-ups that no webhook accepted, after every retry",
        "sql": "SELECT id, created, webhook, followups, attempts, http_status, error, finished FROM alerts "
               "WHERE status = 'failed' ORDER BY id DESC",
    },
    "failed_digests": {
        "title": "Digests that failed",
        "description": "Daily digests (e-mail or webhook) that were not delivered, after every retry",
        "sql": "SELECT id, created, channel, target, since, until, followups, attempts, error, finished "
               "FROM digests WHERE status = 'failed' ORDER BY id DESC",
    },
}


def _rows(db: Database, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return list(db.query(sql, params))


def counts(db: Database, story: str = "") -> dict[str, int]:
    """Follow-ups (counted once), duplicates and their groups, copies of the source, mentions, outlets, languages."""
    row = _rows(db, COUNTS_SQL, {"story": story})[0]
    return {key: int(value or 0) for key, value in row.items()}


def outlets(db: Database, story: str = "") -> list[dict[str, Any]]:
    """Per outlet: first follow-up published, how many, in which languages (first to cover it first)."""
    return _rows(db, OUTLETS_SQL, {"story": story})


def followups(db: Database, story: str = "") -> list[dict[str, Any]]:
    """Every counted follow-up, newest publication first (no text)."""
    return _rows(db, FOLLOWUPS_SQL, {"story": story})


def published_since(db: Database, since: str) -> list[dict[str, Any]]:
    return _rows(db, NEW_SINCE_SQL, {"since": since})


def found_between(db: Database, since: str, until: str) -> list[dict[str, Any]]:
    """Follow-ups the crawler stored in [since, until) (``first_seen``), by story, oldest publication first."""
    return _rows(db, FOUND_BETWEEN_SQL, {"since": since, "until": until})


def per_day(db: Database, story: str = "") -> list[dict[str, Any]]:
    return _rows(db, PER_DAY_SQL, {"story": story})


def source_copies(db: Database, story: str = "") -> list[dict[str, Any]]:
    return _rows(db, COPIES_SQL, {"story": story})


def duplicate_groups(db: Database, story: str = "") -> list[dict[str, Any]]:
    return _rows(db, DUPLICATE_GROUPS_SQL, {"story": story})


def stories(db: Database) -> list[dict[str, Any]]:
    return _rows(db, STORIES_SQL, {})
