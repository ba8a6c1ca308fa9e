"""Every read the crawler, the scheduler and the command line need."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

from storage import coverage
from storage.writes import FINAL_ERROR_REASONS, FINAL_STATUSES


def settled_urls(db: Database, urls: Iterable[str]) -> set[str]:
    """The subset of ``urls`` whose journey already ended (stored, skipped, or gone for good)."""
    urls = list(dict.fromkeys(urls))
    found: set[str] = set()
    statuses = ", ".join("?" for _ in FINAL_STATUSES)
    reasons = ", ".join("?" for _ in FINAL_ERROR_REASONS)
    for start in range(0, len(urls), 500):
        chunk = urls[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        rows = db.query(
            f"SELECT url FROM urls WHERE (status IN ({statuses}) OR (status = 'error' AND reason IN ({reasons})))"
            f" AND url IN ({marks})",
            [*FINAL_STATUSES, *FINAL_ERROR_REASONS, *chunk],
        )
        found.update(r["url"] for r in rows)
    return found


def article_by_url(db: Database, url: str) -> dict[str, Any] | None:
    rows = list(db.query(
        "SELECT id, url, canonical_url, duplicate_of, label FROM articles "
        "WHERE url = ? OR canonical_url = ? LIMIT 1", [url, url]))
    return rows[0] if rows else None


def published_of(db: Database, article_id: int) -> str | None:
    rows = list(db.query("SELECT published FROM articles WHERE id = ?", [article_id]))
    return rows[0]["published"] if rows else None


def article_by_text_hash(db: Database, text_hash: str) -> dict[str, Any] | None:
    rows = list(db.query(
        "SELECT id, duplicate_of FROM articles WHERE text_hash = ? ORDER BY id LIMIT 1", [text_hash]))
    return rows[0] if rows else None


def lsh_candidates(db: Database, bands: Iterable[tuple[int, int]], language: str | None) -> list[dict[str, Any]]:
    """Stored articles sharing at least one LSH band with ``bands``, same language."""
    pairs = list(bands)
    if not pairs:
        return []
    where = " OR ".join("(b.band = ? AND b.hash = ?)" for _ in pairs)
    params: list[Any] = [v for pair in pairs for v in pair]
    sql = (
        "SELECT DISTINCT s.article_id, s.signature, a.duplicate_of FROM lsh b "
        "JOIN signatures s ON s.article_id = b.article_id "
        f"JOIN articles a ON a.id = s.article_id WHERE ({where})"
    )
    if language:
        sql += " AND s.language = ?"
        params.append(language)
    return list(db.query(sql + " ORDER BY s.article_id", params))


def story_text(db: Database, name: str) -> str | None:
    rows = list(db.query("SELECT text FROM stories WHERE name = ?", [name]))
    return rows[0]["text"] if rows and rows[0]["text"] else None


def runs_since(db: Database, first_id: int) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM crawl_runs WHERE id >= ? ORDER BY id", [first_id]))


def last_run_id(db: Database) -> int:
    rows = list(db.query("SELECT max(id) AS id FROM crawl_runs"))
    return int(rows[0]["id"] or 0)


def last_runs(db: Database) -> dict[tuple[str, str], dict[str, Any]]:
    """The latest run of every (spider, source) pair."""
    rows = db.query(
        "SELECT * FROM crawl_runs WHERE id IN (SELECT max(id) FROM crawl_runs GROUP BY spider, source)")
    return {(r["spider"], r["source"]): r for r in rows}


def summary(db: Database) -> dict[str, Any]:
    """What the store holds: follow-ups per language, copies, duplicates, skips."""
    def pairs(sql: str) -> dict[str, int]:
        return {str(r["k"]): int(r["n"]) for r in db.query(sql)}

    return {
        "followups_by_language": pairs(  # the one definition of a counted follow-up (storage/coverage.py)
            f"SELECT a.language AS k, count(*) AS n FROM articles a WHERE {coverage.FOLLOWUP} "
            "GROUP BY a.language ORDER BY n DESC, k"),
        "mentions": pairs(
            "SELECT language AS k, count(*) AS n FROM articles WHERE label = 'mention' "
            "AND duplicate_of IS NULL GROUP BY language ORDER BY n DESC, k"),
        "source_copies": pairs(
            "SELECT language AS k, count(*) AS n FROM articles WHERE label = 'source_copy' "
            "GROUP BY language ORDER BY n DESC, k"),
        "duplicates": int(next(iter(db.query(
            "SELECT count(*) AS n FROM articles WHERE duplicate_of IS NOT NULL")))["n"]),
        "duplicate_groups": int(next(iter(db.query(
            "SELECT count(DISTINCT duplicate_of) AS n FROM articles WHERE duplicate_of IS NOT NULL")))["n"]),
        "skipped_by_reason": pairs(
            "SELECT reason AS k, count(*) AS n FROM urls WHERE status = 'skipped' "
            "GROUP BY reason ORDER BY n DESC, k"),
        "errors_by_reason": pairs(
            "SELECT reason AS k, count(*) AS n FROM urls WHERE status = 'error' "
            "GROUP BY reason ORDER BY n DESC, k"),
        "runs": int(next(iter(db.query("SELECT count(*) AS n FROM crawl_runs")))["n"]),
    }


def decode(value: str | None) -> Any:
    return json.loads(value) if value else None


# --- Discovery state -------------------------------------------------


def listing_validators(db: Database, url: str) -> tuple[str | None, str | None]:
    """The ``ETag`` and ``Last-Modified`` of the last good fetch of a feed, sitemap or section."""
    rows = list(db.query("SELECT etag, last_modified FROM listings WHERE url = ?", [url]))
    return (rows[0]["etag"], rows[0]["last_modified"]) if rows else (None, None)


def discovered(db: Database, source: str) -> dict[str, Any]:
    """What feed discovery found for ``source``: feeds, sitemaps (lists or None), and when."""
    rows = list(db.query(
        "SELECT discovered_feeds, discovered_sitemaps, discovered_at FROM sources WHERE name = ?", [source]))
    if not rows:
        return {"feeds": None, "sitemaps": None, "at": None}
    row = rows[0]
    return {"feeds": decode(row["discovered_feeds"]), "sitemaps": decode(row["discovered_sitemaps"]),
            "at": row["discovered_at"]}


def changed_entries(db: Database, dates: dict[str, str]) -> set[str]:
    """URLs whose listing date (UTC ISO) is newer than the one they had when last fetched."""
    changed: set[str] = set()
    urls = list(dates)
    for start in range(0, len(urls), 500):
        chunk = urls[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in db.query(f"SELECT url, listed FROM entry_dates WHERE url IN ({marks})", chunk):
            if row["listed"] and dates[row["url"]] > row["listed"]:
                changed.add(row["url"])
    return changed


def source_health(db: Database) -> list[dict[str, Any]]:
    return list(db.query(
        "SELECT name, last_success, last_error, consecutive_failures, unhealthy, unhealthy_reason "
        "FROM sources ORDER BY name"))

def runs_by_id(db: Database, run_ids: Iterable[int]) -> list[dict[str, Any]]:
    ids = [int(i) for i in run_ids]
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    return list(db.query(f"SELECT * FROM crawl_runs WHERE id IN ({marks}) ORDER BY id", ids))


def source_run_stats(db: Database) -> dict[str, dict[str, int]]:
    """Per source: how many crawl runs, and how many did not finish well."""
    rows = db.query(
        "SELECT source, count(*) AS runs, sum(status NOT IN ('finished', 'running')) AS bad "
        "FROM crawl_runs GROUP BY source")
    return {r["source"]: {"runs": int(r["runs"]), "bad": int(r["bad"] or 0)} for r in rows}


def job_event_counts(db: Database) -> dict[tuple[str, str], int]:
    """How many times each (job, event) happened, e.g. ``("source:x", "overlap_skipped")``."""
    if "job_events" not in db.table_names():
        return {}
    rows = db.query("SELECT job, event, count(*) AS n FROM job_events GROUP BY job, event")
    return {(r["job"], r["event"]): int(r["n"]) for r in rows}


def job_events(db: Database, job: str | None = None) -> list[dict[str, Any]]:
    if job is None:
        return list(db.query("SELECT * FROM job_events ORDER BY id"))
    return list(db.query("SELECT * FROM job_events WHERE job = ? ORDER BY id", [job]))


def running_runs(db: Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT id, spider, source, pid, started FROM crawl_runs WHERE status = 'running'"))


def all_settled_urls(db: Database) -> Iterable[str]:
    """Every URL whose journey ended (as :func:`settled_urls`), for the distributed ledger."""
    statuses = ", ".join("?" for _ in FINAL_STATUSES)
    reasons = ", ".join("?" for _ in FINAL_ERROR_REASONS)
    for row in db.query(
        f"SELECT url FROM urls WHERE status IN ({statuses}) OR (status = 'error' AND reason IN ({reasons}))",
        [*FINAL_STATUSES, *FINAL_ERROR_REASONS],
    ):
        yield row["url"]


def ingested(db: Database, ids: Iterable[str]) -> set[str]:
    """The subset of distributed-ingest message ``ids`` already committed."""
    ids = list(ids)
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        found.update(r["id"] for r in db.query(f"SELECT id FROM ingested_messages WHERE id IN ({marks})", chunk))
    return found


def stories(db: Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM stories ORDER BY name"))


# --- What one crawl did, and the outlet report (the `monitor` command) ----------


def listing_outcomes(db: Database, since: str) -> dict[str, dict[str, Any]]:
    """Per source, its listings fetched at or after ``since``: how many answered, and why the others failed.

    A listing answered when its last fetch succeeded with an HTTP status (a
    robots.txt that could not be read while looking for sitemaps leaves a
    note, not a success). The cause of a failure is its reason code, the
    first word of ``last_error``.
    """
    out: dict[str, dict[str, Any]] = {}
    for row in db.query(
            "SELECT source, last_status, last_success, last_error, last_error_at FROM listings "
            "WHERE last_fetched >= ?", [since]):
        entry = out.setdefault(row["source"], {"fetched": 0, "failed": {}})
        if row["last_success"] and row["last_success"] >= since and row["last_status"] is not None:
            entry["fetched"] += 1
        elif row["last_error_at"] and row["last_error_at"] >= since:
            cause = (row["last_error"] or "fetch_error").split(":")[0].split()[0]
            entry["failed"][cause] = entry["failed"].get(cause, 0) + 1
    return out


def failure_causes(outcome: Mapping[str, dict[str, Any]]) -> tuple[list[str], Counter[str]]:
    """The sources of ``outcome`` (:func:`listing_outcomes`) none of whose listings answered, and their
    failures counted by cause."""
    failed = sorted(name for name, o in outcome.items() if not o["fetched"])
    causes: Counter[str] = Counter()
    for name in failed:
        causes.update(outcome[name]["failed"])
    return failed, causes


def causes_text(causes: Counter[str]) -> str:
    """Failures counted by cause, most frequent first: "dns_error 177, http_404 2"."""
    return ", ".join(f"{cause} {n}" for cause, n in causes.most_common()) or "no listing was fetched"


def source_counts(db: Database, run_ids: Iterable[int]) -> dict[str, dict[str, int]]:
    """Per source, what the runs ``run_ids`` left in the ledger: follow-ups, duplicates, skipped, errors."""
    ids = [int(i) for i in run_ids]
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    out: dict[str, dict[str, int]] = {}
    for row in db.query(
            "SELECT source, sum(status = 'stored' AND reason = 'followup') AS followups, "
            "sum(status = 'stored' AND reason = 'duplicate') AS duplicates, "
            "sum(status = 'skipped') AS skipped, sum(status = 'error') AS errors "
            f"FROM urls WHERE run_id IN ({marks}) GROUP BY source", ids):
        out[row["source"]] = {k: int(row[k] or 0) for k in ("followups", "duplicates", "skipped", "errors")}
    return out


def articles_of_runs(db: Database, run_ids: Iterable[int]) -> list[dict[str, Any]]:
    """The articles the runs ``run_ids`` stored, by story, oldest publication first."""
    ids = [int(i) for i in run_ids]
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    return list(db.query(
        "SELECT id, story, source, published, language, label, duplicate_of, title, url FROM articles "
        f"WHERE run_id IN ({marks}) ORDER BY story, published IS NULL, datetime(published), id", ids))


# One row per outlet: when it first followed the story up, how often, in which languages, with
# which links. Copies of the source and near-duplicates (wire copies) are counted apart: they
# are not coverage of their own. `:since` (a date, or '' for all) bounds the publication date.
OUTLET_REPORT_SQL = """
WITH kept AS (
    SELECT * FROM articles
    WHERE (:since = '' OR coalesce(published, first_seen) >= :since)
      AND (:story = '' OR story = :story)
    ORDER BY published IS NULL, datetime(published), id  -- links come out oldest first
)
SELECT
    source AS outlet,
    (SELECT k.published FROM kept k WHERE k.source = kept.source AND k.label = 'followup'
        AND k.duplicate_of IS NULL ORDER BY k.published IS NULL, datetime(k.published) LIMIT 1) AS first_followup,
    sum(label = 'followup' AND duplicate_of IS NULL) AS followups,
    group_concat(DISTINCT CASE WHEN label = 'followup' AND duplicate_of IS NULL THEN language END)
        AS languages,
    sum(label = 'source_copy') AS source_copies,
    sum(duplicate_of IS NOT NULL) AS duplicates,
    count(DISTINCT duplicate_of) AS duplicate_groups,
    group_concat(DISTINCT duplicate_of) AS group_ids,
    group_concat(CASE WHEN label = 'followup' AND duplicate_of IS NULL THEN url END, ' ') AS links
FROM kept
GROUP BY source
HAVING followups > 0 OR source_copies > 0 OR duplicates > 0
ORDER BY first_followup IS NULL, first_followup, outlet
"""


def outlet_report(db: Database, *, since: str | None = None, story: str | None = None) -> list[dict[str, Any]]:
    """One row per outlet (see :data:`OUTLET_REPORT_SQL`)."""
    return list(db.query(OUTLET_REPORT_SQL, {"since": since or "", "story": story or ""}))


def job_runs(db: Database, *, after_id: int, source: str, spiders: list[str] | tuple[str, ...]) -> list[dict[str, Any]]:
    """The ``crawl_runs`` rows a job's spiders wrote (id above ``after_id``), oldest first."""
    marks = ", ".join("?" for _ in spiders)
    return list(db.query(f"SELECT id, spider, status, finish_reason FROM crawl_runs WHERE id > ? AND source = ? "
                         f"AND spider IN ({marks}) ORDER BY id", [after_id, source, *spiders]))


def outlet_memory(db: Database, source: str) -> dict[str, Any] | None:
    """What extraction learned about ``source`` in earlier crawls: ``{"boilerplate": ..., "title_affixes": ...}``."""
    rows = list(db.query("SELECT boilerplate, title_affixes FROM outlet_memory WHERE source = ?", [source]))
    if not rows:
        return None
    return {"boilerplate": decode(rows[0]["boilerplate"]), "title_affixes": decode(rows[0]["title_affixes"])}
