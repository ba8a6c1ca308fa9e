"""Every write to the store. Each public function is one transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

from storage.db import inserted_id
from storage.vocabulary import Reason, Status

# A URL with one of these statuses is settled: it is not fetched again...
FINAL_STATUSES = ("stored", "skipped")
# ...and so is a failed one whose failure is permanent (gone, not there).
FINAL_ERROR_REASONS = ("http_404", "http_410")


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def start_run(db: Database, *, spider: str, source: str | None, pid: int) -> int:
    with db.atomic():
        table = db.table("crawl_runs")
        table.insert(
            {"spider": spider, "source": source or "*", "started": now(), "status": "running", "pid": pid}
        )
        return inserted_id(table)


def finish_run(
    db: Database,
    run_id: int,
    *,
    finish_reason: str,
    counts: Mapping[str, int],
    error_messages: list[str],
) -> None:
    failed = finish_reason not in ("finished", "closespider_timeout")
    with db.atomic():
        db.table("crawl_runs").update(
            run_id,
            {
                "finished": now(),
                "finish_reason": finish_reason,
                "status": "failed" if failed else "finished",
                **run_count_columns(counts),
                "error_messages": json.dumps(error_messages[-50:], ensure_ascii=False),
            },
        )


def run_count_columns(counts: Mapping[str, int]) -> dict[str, Any]:
    """The ``crawl_runs`` columns that hold a run's counts."""
    return {
        "followups": counts.get("stored/followup", 0),
        "source_copies": counts.get("stored/source_copy", 0),
        "duplicates": counts.get("stored/duplicate", 0),
        "skipped": sum(v for k, v in counts.items() if k.startswith("skipped/")),
        "errors": sum(v for k, v in counts.items() if k.startswith("error/")),
        "already_known": counts.get("already_known", 0),
        "counts": json.dumps(dict(sorted(counts.items())), ensure_ascii=False),
    }


def record_url(
    db: Database,
    *,
    url: str,
    status: str,
    reason: str,
    source: str,
    run_id: int | None,
    found_via: str = "",
    detail: str | None = None,
    article_id: int | None = None,
) -> None:
    """Write one ledger row: where the URL's journey ended, and why."""
    with db.atomic():
        _ledger(db, url=url, status=status, reason=reason, source=source, run_id=run_id,
                found_via=found_via, detail=detail, article_id=article_id)


def _ledger(db: Database, *, url: str, status: str, reason: str, source: str, run_id: int | None,
            found_via: str, detail: str | None, article_id: int | None) -> None:
    stamp = now()
    db.execute(
        """
        INSERT INTO urls (url, status, reason, source, found_via, detail, article_id,
                          run_id, first_seen, last_seen)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(url) DO UPDATE SET
            status = excluded.status, reason = excluded.reason,
            source = excluded.source, found_via = excluded.found_via,
            detail = excluded.detail, article_id = excluded.article_id,
            run_id = excluded.run_id, last_seen = excluded.last_seen
        """,
        [url, status, reason, source, found_via, detail, article_id, run_id, stamp, stamp],
    )


def store_article(
    db: Database,
    row: dict[str, Any],
    *,
    run_id: int | None,
    ledger_urls: Iterable[str],
    signature: bytes | None,
    bands: Iterable[tuple[int, int]],
) -> int:
    """Store one article, its ledger rows and its near-duplicate bands atomically."""
    with db.atomic():
        return _insert_article(db, row, run_id=run_id, ledger_urls=ledger_urls, signature=signature, bands=bands)


def _insert_article(db: Database, row: dict[str, Any], *, run_id: int | None, ledger_urls: Iterable[str],
                    signature: bytes | None, bands: Iterable[tuple[int, int]]) -> int:
    """Insert one article with its ledger rows, signature and LSH bands (inside a transaction)."""
    article = dict(row, run_id=run_id, first_seen=now())
    for key in ("matched", "signals"):
        if not isinstance(article.get(key), (str, type(None))):
            article[key] = json.dumps(article[key], ensure_ascii=False)
    table = db.table("articles")
    table.insert(article)
    article_id = inserted_id(table)
    reason = Reason.DUPLICATE if row.get("duplicate_of") else str(row.get("label"))
    for url in dict.fromkeys(ledger_urls):
        _ledger(db, url=url, status=Status.STORED, reason=reason, source=str(row.get("source")),
                run_id=run_id, found_via=str(row.get("found_via") or ""), detail=None,
                article_id=article_id)
    if signature is not None:
        db.table("signatures").insert(
            {"article_id": article_id, "language": row.get("language"), "signature": signature}
        )
        db.conn.executemany("INSERT OR IGNORE INTO lsh (band, hash, article_id) VALUES (?, ?, ?)",
                       [(band, value, article_id) for band, value in bands])
    return article_id


def promote_original(db: Database, *, group_root: int, new_root: int, similarity: float | None) -> None:
    """Make ``new_root`` (published earlier) the original of ``group_root``'s duplicate group."""
    with db.atomic():
        db.execute("UPDATE articles SET duplicate_of = ? WHERE duplicate_of = ?", [new_root, group_root])
        db.execute("UPDATE articles SET duplicate_of = ?, duplicate_similarity = ? WHERE id = ?",
                   [new_root, similarity, group_root])
        db.execute("UPDATE urls SET reason = 'duplicate' WHERE article_id = ? AND status = 'stored'", [group_root])


def upsert_story(db: Database, row: dict[str, Any]) -> None:
    with db.atomic():
        db.table("stories").upsert(dict(row, loaded_at=now()), pk="name")


def upsert_sources(db: Database, rows: Iterable[dict[str, Any]]) -> None:
    with db.atomic():
        db.table("sources").upsert_all([dict(r, updated_at=now()) for r in rows], pk="name")


def close_stale_runs(db: Database, *, pid_alive: Any) -> int:
    """Mark runs left 'running' by a crashed crawl as 'crashed'. Returns how many."""
    stale = [r["id"] for r in db.query("SELECT id, pid FROM crawl_runs WHERE status = 'running'")
             if not pid_alive(r["pid"])]
    with db.atomic():
        for run_id in stale:
            db.table("crawl_runs").update(run_id, {"status": "crashed", "finish_reason": "crashed", "finished": now()})
    return len(stale)


# --- Discovery state -------------------------------------------------


def record_discovery(db: Database, source: str, *, feeds: list[str] | None = None,
                     sitemaps: list[str] | None = None) -> None:
    """Remember the feeds and/or sitemaps found for ``source`` (home page, usual paths, robots.txt)."""
    row: dict[str, Any] = {"discovered_at": now()}
    if feeds is not None:
        row["discovered_feeds"] = json.dumps(feeds)
    if sitemaps is not None:
        row["discovered_sitemaps"] = json.dumps(sitemaps)
    with db.atomic():
        db.execute(f"UPDATE sources SET {', '.join(f'{k} = ?' for k in row)} WHERE name = ?",
                   [*row.values(), source])


def record_listing(
    db: Database,
    *,
    url: str,
    source: str,
    kind: str,
    status: int | None,
    error: str | None = None,
    entries: int | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    note: str | None = None,
    unhealthy_after: int = 3,
) -> None:
    """One fetch of a feed, sitemap, section or home page, and the source's health after it.

    ``error`` is None for a success (including a 304); validators are only
    replaced on a success, so a broken body is fetched in full next time.
    """
    stamp = now()
    with db.atomic():
        rows = list(db.query("SELECT * FROM listings WHERE url = ?", [url]))
        old = rows[0] if rows else {}
        row: dict[str, Any] = {"url": url, "source": source, "kind": kind, "last_status": status,
                               "last_fetched": stamp}
        if status != 304:
            row["note"] = note
        if error is None:
            row.update(last_success=stamp, consecutive_failures=0)
            if status != 304:
                row.update(etag=etag, last_modified=last_modified)
            if entries is not None:
                row["entries"] = entries
        else:
            row.update(last_error=error[:500], last_error_at=stamp,
                       consecutive_failures=int(old.get("consecutive_failures") or 0) + 1)
            if entries is not None:
                row["entries"] = entries
        db.table("listings").upsert(row, pk="url")
        if error is None:
            # The listing answers now: an error row a failed fetch left for it in the ledger is stale.
            db.execute("DELETE FROM urls WHERE url = ? AND status = 'error'", [url])
        _source_health(db, source, unhealthy_after)


def _source_health(db: Database, source: str, unhealthy_after: int) -> None:
    listings = list(db.query("SELECT * FROM listings WHERE source = ?", [source]))
    if not listings:
        return
    successes = [r["last_success"] for r in listings if r["last_success"]]
    # Only listings failing now: an error a later good fetch answered is history, not the source's state.
    errors = sorted((r for r in listings if r["last_error_at"] and int(r["consecutive_failures"] or 0) > 0),
                    key=lambda r: r["last_error_at"])
    worst = max(listings, key=lambda r: int(r["consecutive_failures"] or 0))
    failures = int(worst["consecutive_failures"] or 0)
    unhealthy = failures >= unhealthy_after
    reason = (f"{worst['kind']} {worst['url']}: {worst['last_error']} ({failures} runs in a row)"
              if unhealthy else None)
    db.execute(
        "UPDATE sources SET last_success = ?, last_error = ?, last_error_at = ?, consecutive_failures = ?, "
        "unhealthy = ?, unhealthy_reason = ? WHERE name = ?",
        [max(successes) if successes else None,
         f"{errors[-1]['kind']} {errors[-1]['url']}: {errors[-1]['last_error']}" if errors else None,
         errors[-1]["last_error_at"] if errors else None, failures, int(unhealthy), reason, source],
    )


def remember_entry_dates(db: Database, dates: Mapping[str, str]) -> None:
    """The feed or sitemap date (UTC ISO) of each URL about to be fetched."""
    if not dates:
        return
    with db.atomic():
        db.table("entry_dates").upsert_all([{"url": u, "listed": d} for u, d in dates.items()], pk="url")


def refresh_article(db: Database, article_id: int, fields: Mapping[str, Any]) -> None:
    """A stored article fetched again because its listing date changed: new text and metadata."""
    if not fields:
        return
    with db.atomic():
        db.table("articles").update(article_id, dict(fields))
        db.execute("UPDATE urls SET last_seen = ? WHERE article_id = ?", [now(), article_id])

def update_run(db: Database, run_id: int, fields: Mapping[str, Any]) -> None:
    """Set fields of one ``crawl_runs`` row (its final status, reason, log tail)."""
    db.table("crawl_runs").update(run_id, dict(fields))


def insert_run(db: Database, row: Mapping[str, Any]) -> int:
    """A ``crawl_runs`` row written on a spider's behalf (one that never wrote its own); its id."""
    table = db.table("crawl_runs")
    table.insert(dict(row))
    return inserted_id(table)


def record_job_event(db: Database, *, job: str, event: str, detail: str = "") -> None:
    """One scheduler event of a job: ``overlap_skipped``, ``catch_up`` or ``missed``."""
    with db.atomic():
        db.table("job_events").insert({"job": job, "event": event, "at": now(), "detail": detail})

def write_batch(
    db: Database,
    operations: Iterable[tuple[str, dict[str, Any]]],
    *,
    run_id: int | None,
    counts: Mapping[str, int] | None = None,
) -> dict[int, int]:
    """Apply queued writes in order, in ONE transaction; return provisional → real article ids.

    ``operations`` are ``("ledger", {url, status, reason, source, found_via,
    detail, article_id})`` and ``("article", {key, row, ledger_urls,
    signature, bands})``. An article's ``key`` is a negative provisional id;
    ``duplicate_of`` in a row and ``article_id`` in a ledger row may name one
    (of an article earlier in the same batch) and are rewritten to the real
    id. ``counts`` (the run's counts so far) are written to ``crawl_runs`` in
    the same transaction, so the run row always agrees with the ledger.
    """
    ids: dict[int, int] = {}

    def real(value: Any) -> Any:
        return ids.get(value, value) if isinstance(value, int) and value < 0 else value

    with db.atomic():
        for kind, op in operations:
            if kind == "article":
                row = dict(op["row"], duplicate_of=real(op["row"].get("duplicate_of")))
                ids[op["key"]] = _insert_article(db, row, run_id=run_id, ledger_urls=op["ledger_urls"],
                                                 signature=op["signature"], bands=op["bands"])
            else:
                _ledger(db, **dict(op, article_id=real(op.get("article_id"))), run_id=run_id)
        if counts is not None and run_id is not None:
            db.table("crawl_runs").update(run_id, run_count_columns(counts))
    return ids


def mark_ingested(db: Database, ids: Iterable[str]) -> None:
    """Record distributed-ingest messages as committed (inside the batch's transaction)."""
    with db.atomic():
        stamp = now()
        db.conn.executemany("INSERT OR IGNORE INTO ingested_messages (id, ingested_at) VALUES (?, ?)",
                            [(i, stamp) for i in ids])


def save_outlet_memory(db: Database, rows: Mapping[str, Mapping[str, Any]]) -> None:
    """Keep what extraction learned per source (``{source: {"boilerplate": ..., "title_affixes": ...}}``)."""
    stamp = now()
    with db.atomic():
        db.table("outlet_memory").upsert_all(
            [{"source": source, "boilerplate": json.dumps(state.get("boilerplate"), separators=(",", ":")),
              "title_affixes": json.dumps(state.get("title_affixes"), ensure_ascii=False, separators=(",", ":")),
              "updated_at": stamp} for source, state in rows.items()],
            pk="source")
