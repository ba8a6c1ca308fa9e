"""Push new follow-ups to webhooks after each crawl run.

    MONITOR_ALERT_WEBHOOKS=https://hooks.example.org/a,https://hooks.example.org/b python scheduler.py

After a crawl finishes, the scheduler calls :func:`notify` with the runs it
recorded. The follow-ups those runs stored (duplicates left out) become one
JSON POST per webhook, chat-ready (jobs/chat.py: ``text`` for Slack, ``html`` and
the Matrix message fields for Matrix) with the data beside it::

    {"text": "*2 new follow-ups (coverage)* ...", "html": "<p>...", "msgtype": "m.text",
     "body": "...", "format": "org.matrix.custom.html", "formatted_body": "<p>...",
     "event": "new_followups", "count": 2, "runs": [7], "store": "coverage",
     "followups": [{"id": 41, "story": "...", "source": "...", "language": "de",
                    "published": "...", "title": "...", "url": "...", "score": 0.9,
                    "first_seen": "..."}, ...]}

Each alert is first recorded as ``pending`` in the ``alerts`` table, then
sent from a background thread, so the crawls never wait for a slow or dead
receiver. A connection error, a timeout, HTTP 429 or 5xx is retried
``MONITOR_ALERT_RETRIES`` times with a doubling delay from
``MONITOR_ALERT_BACKOFF`` seconds; any other answer but 2xx fails at once.
The outcome (``delivered`` or ``failed``, attempts, last HTTP status, error)
is written to the row and failures are logged. Alerts left ``pending`` by a
process that died are sent on the next delivery.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jobs import chat
from storage import alerts as store
from storage import open_db, queries

logger = logging.getLogger(__name__)

USER_AGENT = "followup-monitor/0.1 alerts"
_delivery_lock = threading.Lock()  # one delivery loop at a time per process: nothing is sent twice


@dataclass(frozen=True)
class AlertConfig:
    webhooks: tuple[str, ...] = ()
    retries: int = 3
    timeout: float = 10.0
    backoff: float = 2.0

    @classmethod
    def from_settings(cls) -> AlertConfig:
        """Read the ``MONITOR_ALERT_*`` settings (crawler/settings.py, or the environment)."""
        from crawler import settings

        hooks = tuple(u.strip() for u in str(settings.MONITOR_ALERT_WEBHOOKS).split(",") if u.strip())
        return cls(webhooks=hooks, retries=int(settings.MONITOR_ALERT_RETRIES),
                   timeout=float(settings.MONITOR_ALERT_TIMEOUT), backoff=float(settings.MONITOR_ALERT_BACKOFF))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirected POST would become a GET without the body: report it instead


def post_json(url: str, payload: Mapping[str, Any], *, timeout: float) -> int:
    """POST ``payload`` as JSON; the HTTP status (raises URLError/OSError when nothing answered)."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def send(url: str, payload: Mapping[str, Any], config: AlertConfig) -> tuple[bool, int, int | None, str | None]:
    """Send one alert with retries: (delivered, attempts, last HTTP status, last error)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False, 0, None, f"not an http(s) URL: {url!r}"
    status: int | None = None
    error: str | None = None
    attempts = 0
    for attempt in range(config.retries + 1):
        if attempt:
            time.sleep(config.backoff * 2 ** (attempt - 1))
        attempts += 1
        try:
            status = post_json(url, payload, timeout=config.timeout)
        except (OSError, ValueError) as exc:  # URLError, timeouts and refused connections are OSErrors
            status, error = None, _describe(exc)
            continue
        if 200 <= status < 300:
            return True, attempts, status, None
        error = f"HTTP {status}"
        if status != 429 and status < 500:
            break  # the receiver refuses this alert: retrying will not help
    return False, attempts, status, error


def _describe(exc: BaseException) -> str:
    """'Connection refused', 'timed out', … rather than a class name and an errno."""
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, OSError) and reason.strerror:
        return str(reason.strerror)
    return str(reason) or type(reason).__name__


def deliver_pending(db_path: str | Path, config: AlertConfig) -> int:
    """Send every pending alert of the store; returns how many were delivered."""
    delivered = 0
    with _delivery_lock:
        db = open_db(db_path)
        try:
            for alert in store.pending(db):
                ok, attempts, status, error = send(alert["webhook"], json.loads(alert["payload"]), config)
                store.finish(db, alert["id"], delivered=ok, attempts=attempts, http_status=status, error=error)
                if ok:
                    delivered += 1
                    logger.info("alert %s delivered to %s", alert["id"], alert["webhook"])
                else:
                    logger.error("alert %s to %s failed after %d attempt(s): %s",
                                 alert["id"], alert["webhook"], attempts, error)
        finally:
            db.close()
    return delivered


def notify(db_path: str | Path, runs: Iterable[Mapping[str, Any]], config: AlertConfig | None = None,
           *, wait: bool = False) -> threading.Thread | None:
    """Queue the new follow-ups of ``runs`` for every webhook, and send them in the background.

    Never raises: a failure to queue is logged and the crawl goes on.
    """
    try:
        config = config or AlertConfig.from_settings()
        if not config.webhooks:
            return None
        run_ids = [int(r["id"]) for r in runs]
        db = open_db(db_path)
        try:
            articles = store.new_followups(db, run_ids)
            if articles:
                titles = {s["name"]: s["title"] for s in queries.stories(db) if s.get("title")}
                message = chat.render(f"{chat.plural(len(articles), 'new follow-up')} ({Path(db_path).stem})",
                                      chat.by_story(articles, titles))
                payload = chat.payload(message, {"event": "new_followups", "store": Path(db_path).stem,
                                                 "runs": run_ids, "count": len(articles), "followups": articles})
                store.queue(db, webhooks=config.webhooks, run_ids=run_ids, articles=articles, payload=payload)
        finally:
            db.close()
    except Exception:  # alerts must never stop the monitor
        logger.exception("could not queue alerts for runs %s", [r.get("id") for r in runs])
        return None
    thread = threading.Thread(target=_deliver_quietly, args=(db_path, config), name="alerts")
    thread.start()
    if wait:
        thread.join()
    return thread


def _deliver_quietly(db_path: str | Path, config: AlertConfig) -> None:
    try:
        deliver_pending(db_path, config)
    except Exception:  # a background thread has no caller to raise to
        logger.exception("alert delivery stopped")
