"""The daily digest: the follow-ups found since the last one, per story, by e-mail and on the webhooks.

    send_digest("data/coverage.db", since="2025-02-04")      # what `monitor digest --since DATE` calls

The scheduler sends it every day at ``MONITOR_DIGEST_HOUR`` (in
``MONITOR_DIGEST_TIMEZONE``), covering the follow-ups the crawler stored since
the end of the previous digest (the last 24 hours the first time). "New" means
found by the monitor in that window (``first_seen``), listed per story by
publication date; a follow-up is counted as everywhere else (storage/coverage.py:
wire copies once). Nothing new, nothing sent.

Channels: an e-mail (``MONITOR_DIGEST_TO`` through ``MONITOR_SMTP_*``: smtplib,
STARTTLS or SMTPS, optional login), plain text with an HTML alternative; and a
chat-ready JSON post to every ``MONITOR_DIGEST_WEBHOOKS`` (jobs/chat.py). Each
delivery is queued ``pending`` in the ``digests`` table first, then sent; a
connection error, a timeout or a temporary (4xx) SMTP answer is retried
``MONITOR_ALERT_RETRIES`` times with a doubling delay, as the alerts are, and the
outcome is recorded. Deliveries left pending by a process that died go out with
the next digest.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
import ssl
import time
import zoneinfo
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from crawler import settings as defaults
from jobs import alerts, chat
from storage import coverage, open_db, queries
from storage import digests as store

logger = logging.getLogger(__name__)

JOB_ID = "digest"
JOB_FUNC = "jobs.digest:run_scheduled"
FIRST_WINDOW = dt.timedelta(days=1)


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in str(value).split(",") if part.strip())


@dataclass(frozen=True)
class DigestConfig:
    email_to: tuple[str, ...] = ()
    email_from: str = "followup-monitor@localhost"
    smtp_host: str = ""
    smtp_port: int = 587
    starttls: bool = True
    smtps: bool = False
    user: str = ""
    password: str = field(default="", repr=False)
    smtp_timeout: float = 30.0
    webhooks: tuple[str, ...] = ()
    retries: int = 3
    backoff: float = 2.0
    webhook_timeout: float = 10.0
    hour: int | None = 7
    timezone: str = "UTC"
    # The certificates a TLS connection trusts; None: the system's (a test trusts its own).
    tls_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_settings(cls) -> DigestConfig:
        """Read the ``MONITOR_DIGEST_*``, ``MONITOR_SMTP_*`` and retry settings (crawler/settings.py)."""
        hour = str(defaults.MONITOR_DIGEST_HOUR).strip()
        return cls(
            email_to=_split(defaults.MONITOR_DIGEST_TO), email_from=defaults.MONITOR_DIGEST_FROM,
            smtp_host=defaults.MONITOR_SMTP_HOST, smtp_port=int(defaults.MONITOR_SMTP_PORT),
            starttls=bool(defaults.MONITOR_SMTP_STARTTLS), smtps=bool(defaults.MONITOR_SMTP_SSL),
            user=defaults.MONITOR_SMTP_USER, password=defaults.MONITOR_SMTP_PASSWORD,
            smtp_timeout=float(defaults.MONITOR_SMTP_TIMEOUT), webhooks=_split(defaults.MONITOR_DIGEST_WEBHOOKS),
            retries=int(defaults.MONITOR_ALERT_RETRIES), backoff=float(defaults.MONITOR_ALERT_BACKOFF),
            webhook_timeout=float(defaults.MONITOR_ALERT_TIMEOUT), hour=int(hour) if hour else None,
            timezone=defaults.MONITOR_DIGEST_TIMEZONE)

    @property
    def email(self) -> bool:
        return bool(self.email_to and self.smtp_host)

    @property
    def channels(self) -> bool:
        return self.email or bool(self.webhooks)


@dataclass
class DigestResult:
    since: str
    until: str
    followups: int
    delivered: list[str] = field(default_factory=list)  # "email:<to>" / "webhook:<url>"
    failed: list[str] = field(default_factory=list)


def _utc(moment: str | dt.date | dt.datetime) -> dt.datetime:
    """A moment in UTC from a date ('2025-02-04': its midnight, UTC), a datetime or an ISO string."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment.strip())
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")  # the format of articles.first_seen


def compose(articles: list[dict[str, Any]], titles: dict[str, str], *, since: dt.datetime, until: dt.datetime,
            store_name: str) -> tuple[str, chat.Message]:
    """The subject and the message of a digest."""
    window = f"{since:%Y-%m-%d %H:%M} – {until:%Y-%m-%d %H:%M} UTC"
    heading = f"{chat.plural(len(articles), 'new follow-up')} found {window} ({store_name})"
    subject = f"Follow-up monitor: {chat.plural(len(articles), 'new follow-up')} ({store_name}, {until:%Y-%m-%d})"
    return subject, chat.render(heading, chat.by_story(articles, titles))


def email_message(subject: str, message: chat.Message, config: DigestConfig) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = subject
    mail["From"] = config.email_from
    mail["To"] = ", ".join(config.email_to)
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=config.email_from.rpartition("@")[2] or None)
    # Quoted-printable keeps the message 7-bit, so any server relays it as it is stored.
    mail.set_content(message.plain, cte="quoted-printable")
    mail.add_alternative(f"<!doctype html><html><body>{message.html}</body></html>", subtype="html",
                         cte="quoted-printable")
    return mail


def _permanent(exc: BaseException) -> bool:
    """A refusal that retrying will not change: bad login, refused recipients, a 5xx answer."""
    if isinstance(exc, (smtplib.SMTPAuthenticationError, smtplib.SMTPRecipientsRefused,
                        smtplib.SMTPNotSupportedError, ssl.SSLCertVerificationError)):
        return True
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def send_email(raw: str, recipients: list[str], config: DigestConfig) -> tuple[bool, int, str | None]:
    """Send one e-mail (``raw``, as queued) with retries: (delivered, attempts, last error)."""
    error = None
    attempts = 0
    context = config.tls_context or ssl.create_default_context()
    for attempt in range(config.retries + 1):
        if attempt:
            time.sleep(config.backoff * 2 ** (attempt - 1))
        attempts += 1
        try:
            smtp: smtplib.SMTP
            if config.smtps:
                smtp = smtplib.SMTP_SSL(config.smtp_host, config.smtp_port, timeout=config.smtp_timeout,
                                        context=context)
            else:
                smtp = smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.smtp_timeout)
            with smtp:
                if config.starttls and not config.smtps:
                    smtp.starttls(context=context)
                if config.user:
                    smtp.login(config.user, config.password)
                smtp.sendmail(config.email_from, recipients, raw)
            return True, attempts, None
        except (smtplib.SMTPException, OSError) as exc:
            error = f"{type(exc).__name__}: {exc}"
            if _permanent(exc):
                break
    return False, attempts, error


def deliver_pending(db_path: str | Path, config: DigestConfig) -> DigestResult:
    """Send every pending delivery of the store; what was delivered and what failed."""
    result = DigestResult(since="", until="", followups=0)
    db = open_db(db_path)
    try:
        hook_config = alerts.AlertConfig(retries=config.retries, timeout=config.webhook_timeout,
                                         backoff=config.backoff)
        for item in store.pending(db):
            name = f"{item['channel']}:{item['target']}"
            if item["channel"] == "email":
                ok, attempts, error = send_email(item["payload"], list(_split(item["target"])), config)
            else:
                ok, attempts, _status, error = alerts.send(item["target"], json.loads(item["payload"]), hook_config)
            store.finish(db, item["id"], delivered=ok, attempts=attempts, error=error)
            (result.delivered if ok else result.failed).append(name)
            if ok:
                logger.info("digest %s delivered (%s)", item["id"], name)
            else:
                logger.error("digest %s (%s) failed after %d attempt(s): %s", item["id"], name, attempts, error)
    finally:
        db.close()
    return result


def send_digest(db: str | Path, *, since: str | dt.date | dt.datetime,
                until: str | dt.date | dt.datetime | None = None, config: DigestConfig | None = None,
                send_empty: bool = False) -> DigestResult:
    """Send the digest of the follow-ups found in [since, until) (until: now) to every configured channel.

    ``since`` and ``until`` are dates (midnight UTC) or datetimes. With no new
    follow-up nothing is sent unless ``send_empty``. Deliveries still pending from
    an earlier digest are sent too. Returns what was found, delivered and failed.
    """
    config = config or DigestConfig.from_settings()
    start, end = _utc(since), _utc(until) if until is not None else dt.datetime.now(dt.UTC)
    store_db = open_db(db)
    try:
        articles = coverage.found_between(store_db, _iso(start), _iso(end))
        titles = {s["name"]: s["title"] for s in queries.stories(store_db) if s.get("title")}
        if config.channels and (articles or send_empty):
            subject, message = compose(articles, titles, since=start, until=end, store_name=Path(db).stem)
            channels: list[tuple[str, str, Any]] = []
            if config.email:
                channels.append(("email", ", ".join(config.email_to), email_message(subject, message, config)
                                 .as_string()))
            data = {"event": "digest", "store": Path(db).stem, "since": _iso(start), "until": _iso(end),
                    "count": len(articles), "followups": articles}
            channels += [("webhook", url, chat.payload(message, data)) for url in config.webhooks]
            store.queue(store_db, channels=channels, since=_iso(start), until=_iso(end),
                        article_ids=[a["id"] for a in articles])
    finally:
        store_db.close()
    result = deliver_pending(db, config)
    result.since, result.until, result.followups = _iso(start), _iso(end), len(articles)
    return result


def run_scheduled(db: str) -> None:
    """The scheduler's daily job: the follow-ups found since the last digest. Never raises."""
    try:
        config = DigestConfig.from_settings()
        store_db = open_db(db)
        try:
            last = store.last_until(store_db)
        finally:
            store_db.close()
        now = dt.datetime.now(dt.UTC)
        result = send_digest(db, since=last or now - FIRST_WINDOW, until=now, config=config)
        logger.info("digest: %d new follow-up(s) since %s; delivered %d, failed %d", result.followups,
                    result.since, len(result.delivered), len(result.failed))
    except Exception:  # a digest must never stop the monitor
        logger.exception("digest: could not be sent")


def schedule(scheduler: Any, db: str, config: DigestConfig | None = None) -> bool:
    """Add (or re-time) the daily digest job, or remove it when no hour or no channel is configured."""
    config = config or DigestConfig.from_settings()
    if config.hour is None or not config.channels:
        if scheduler.get_job(JOB_ID):
            scheduler.remove_job(JOB_ID)
        return False
    trigger = CronTrigger(hour=config.hour, minute=0, timezone=zoneinfo.ZoneInfo(config.timezone))
    scheduler.add_job(JOB_FUNC, trigger, id=JOB_ID, name=JOB_ID, kwargs={"db": db}, replace_existing=True,
                      coalesce=True, max_instances=1, misfire_grace_time=6 * 3600)
    logger.info("digest job: every day at %02d:00 %s", config.hour, config.timezone)
    return True
