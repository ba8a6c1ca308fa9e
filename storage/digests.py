"""Reads and writes of the daily digest's deliveries (table ``digests``, see jobs/digest.py).

One row per channel (an e-mail to its recipients, or one webhook) and digest:
queued as ``pending`` before anything is sent, so a crash between queueing and
sending loses nothing, then closed as ``delivered`` or ``failed`` with the
attempts and the last error, like the alerts (storage/alerts.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from storage.db import inserted_id
from storage.writes import now


def queue(db: Database, *, channels: Sequence[tuple[str, str, Any]], since: str, until: str,
          article_ids: Sequence[int]) -> list[int]:
    """One pending digest per ``(channel, target, payload)``, in one transaction. Returns their ids."""
    ids = []
    with db.atomic():
        table = db.table("digests")
        for channel, target, payload in channels:
            table.insert({
                "channel": channel, "target": target, "since": since, "until": until,
                "followups": len(article_ids), "article_ids": json.dumps(list(article_ids)),
                "payload": payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False),
                "status": "pending", "attempts": 0, "created": now(),
            })
            ids.append(inserted_id(table))
    return ids


def pending(db: Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT id, channel, target, payload FROM digests WHERE status = 'pending' ORDER BY id"))


def finish(db: Database, digest_id: int, *, delivered: bool, attempts: int, error: str | None) -> None:
    with db.atomic():
        db.table("digests").update(digest_id, {"status": "delivered" if delivered else "failed", "attempts": attempts,
                                         "error": error, "finished": now()})


def last_until(db: Database) -> str | None:
    """The end of the last digest queued, where the next scheduled one starts."""
    rows = list(db.query("SELECT max(until) AS until FROM digests"))
    return rows[0]["until"] if rows else None


def history(db: Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM digests ORDER BY id"))
