"""Reads and writes of the webhook alerts (table ``alerts``, see jobs/alerts.py).

One row per (webhook, batch of finished runs): queued as ``pending`` before
anything is sent, so a crash between queueing and sending loses nothing,
then closed as ``delivered`` or ``failed`` with the attempts, the last HTTP
status and the error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlite_utils import Database

from storage.db import inserted_id
from storage.writes import now

FOLLOWUP_FIELDS = ("id", "story", "source", "language", "published", "title", "url", "score", "first_seen")


def new_followups(db: Database, run_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Follow-ups (not duplicates) stored by the given crawl runs, oldest first."""
    ids = sorted({int(i) for i in run_ids})
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    return list(db.query(
        f"SELECT {', '.join(FOLLOWUP_FIELDS)} FROM articles WHERE label = 'followup' "
        f"AND duplicate_of IS NULL AND run_id IN ({marks}) ORDER BY id", ids))


def queue(db: Database, *, webhooks: Sequence[str], run_ids: Sequence[int],
          articles: Sequence[dict[str, Any]], payload: dict[str, Any]) -> list[int]:
    """One pending alert per webhook, in one transaction. Returns their ids."""
    ids = []
    with db.atomic():
        table = db.table("alerts")
        for webhook in webhooks:
            table.insert({
                "webhook": webhook, "run_ids": json.dumps(list(run_ids)),
                "article_ids": json.dumps([a["id"] for a in articles]), "followups": len(articles),
                "payload": json.dumps(payload, ensure_ascii=False), "status": "pending", "attempts": 0,
                "created": now(),
            })
            ids.append(inserted_id(table))
    return ids


def pending(db: Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT id, webhook, payload FROM alerts WHERE status = 'pending' ORDER BY id"))


def finish(db: Database, alert_id: int, *, delivered: bool, attempts: int, http_status: int | None,
           error: str | None) -> None:
    with db.atomic():
        db.table("alerts").update(alert_id, {
            "status": "delivered" if delivered else "failed", "attempts": attempts,
            "http_status": http_status, "error": error, "finished": now(),
        })
