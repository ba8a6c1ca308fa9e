"""Every write to the store. Each public function is one transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

# A URL with one of these statuses is settled: it is not fetched again...
FINAL_STATUSES = ("stored", "skipped")
# ...and so is a failed one whose failure is permanent (gone, not there).
FINAL_ERROR_REASONS = ("http_404", "http_410")


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def start_run(db: Database, *, spider: str, source: str | None, pid: int) -> int:
    with db.atomic():
        table = db["crawl_runs"]
        table.insert(
            {"spider": spider, "source": source or "*", "started": now(), "status": "running", "pid": pid}
        )
        return int(table.last_pk)  # type: ignore[arg-type]


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
        db["crawl_runs"].update(
            run_id,
            {
                "finished": now(),
                "finish_reason": finish_reason,
                "status": "failed" if failed else "finished",
                "followups": counts.get("stored/followup", 0),
                "source_copies": counts.get("stored/source_copy", 0),
                "duplicates": counts.get("stored/duplicate", 0),
                "skipped": sum(v for k, v in counts.items() if k.startswith("skipped/")),
                "errors": sum(v for k, v in counts.items() if k.startswith("error/")),
                "already_known": counts.get("already_known", 0),
                "counts": json.dumps(dict(sorted(counts.items())), ensure_ascii=False),
                "error_messages": json.dumps(error_messages[-50:], ensure_ascii=False),
            },
        )


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
        article = dict(row, run_id=run_id, first_seen=now())
        for key in ("matched", "signals"):
            if not isinstance(article.get(key), (str, type(None))):
                article[key] = json.dumps(article[key], ensure_ascii=False)
        table = db["articles"]
        table.insert(article)
        article_id = int(table.last_pk)  # type: ignore[arg-type]
        reason = "duplicate" if row.get("duplicate_of") else str(row.get("label"))
        for url in dict.fromkeys(ledger_urls):
            _ledger(db, url=url, status="stored", reason=reason, source=str(row.get("source")),
                    run_id=run_id, found_via=str(row.get("found_via") or ""), detail=None,
                    article_id=article_id)
        if signature is not None:
            db["signatures"].insert(
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
        db["stories"].upsert(dict(row, loaded_at=now()), pk="name")


def upsert_sources(db: Database, rows: Iterable[dict[str, Any]]) -> None:
    with db.atomic():
        db["sources"].upsert_all([dict(r, updated_at=now()) for r in rows], pk="name")


def close_stale_runs(db: Database, *, pid_alive: Any) -> int:
    """Mark runs left 'running' by a crashed crawl as 'crashed'. Returns how many."""
    stale = [r["id"] for r in db.query("SELECT id, pid FROM crawl_runs WHERE status = 'running'")
             if not pid_alive(r["pid"])]
    with db.atomic():
        for run_id in stale:
            db["crawl_runs"].update(run_id, {"status": "crashed", "finish_reason": "crashed", "finished": now()})
    return len(stale)


def mark_ingested(db: Database, ids: Iterable[str]) -> None:
    """Record distributed-ingest messages as committed (inside the batch's transaction)."""
    with db.atomic():
        stamp = now()
        db.conn.executemany("INSERT OR IGNORE INTO m9_ingested (id, ingested_at) VALUES (?, ?)",
                            [(i, stamp) for i in ids])
