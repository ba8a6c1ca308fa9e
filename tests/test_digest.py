"""The daily digest (jobs/digest.py) reaches a local SMTP server (aiosmtpd, STARTTLS and login, port 0)
and the local webhook receiver as chat-ready text; a failed send is retried and recorded."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import shutil
import ssl
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
from apscheduler.schedulers.background import BackgroundScheduler

from jobs import digest
from storage import digests as store
from storage import open_db
from tests.deskstore import build_store
from tests.receiver import Receiver, dead_url

USER, PASSWORD = "desk", "s3cret"


class MailServer:
    """aiosmtpd's SMTP protocol on 127.0.0.1, port 0, in its own event loop thread."""

    def __init__(self, tls: ssl.SSLContext) -> None:
        self.messages: list[Any] = []
        self.logins: list[bytes] = []
        self.loop = asyncio.new_event_loop()
        owner = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
                owner.messages.append(envelope)
                return "250 OK"

        def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
            ok = isinstance(data, LoginPassword) and data.login == USER.encode() and data.password == PASSWORD.encode()
            if ok:
                owner.logins.append(data.login)
            return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535

        def factory() -> SMTP:
            return SMTP(Handler(), hostname="desk.test", tls_context=tls, require_starttls=True,
                        authenticator=authenticate, auth_required=True, auth_exclude_mechanism=["LOGIN"])

        self.server = self.loop.run_until_complete(self.loop.create_server(factory, "127.0.0.1", 0))
        self.port = self.server.sockets[0].getsockname()[1]
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        async def stop() -> None:
            self.server.close()
            await self.server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    if not shutil.which("openssl"):
        pytest.skip("openssl not installed: cannot make the test server's certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


@pytest.fixture
def mail(certificate):
    cert, key = certificate
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    server = MailServer(tls)
    yield server
    server.close()


def config(mail: MailServer | None, certificate: tuple[Path, Path], **changes: Any) -> digest.DigestConfig:
    values: dict[str, Any] = dict(
        email_to=("desk@newsroom.test", "editor@newsroom.test"), email_from="monitor@newsroom.test",
        smtp_host="127.0.0.1", smtp_port=mail.port if mail else int(dead_url().rsplit(":", 1)[1].split("/")[0]),
        starttls=True, user=USER, password=PASSWORD, smtp_timeout=10, retries=2, backoff=0.01, webhook_timeout=5,
        tls_context=ssl.create_default_context(cafile=str(certificate[0])))
    values.update(changes)
    return digest.DigestConfig(**values)


def test_the_digest_reaches_a_local_smtp_server_and_the_webhook_as_chat_text(tmp_path, mail, certificate):
    path = tmp_path / "kestrel.db"
    build_store(path)
    with Receiver() as receiver:
        result = digest.send_digest(path, since="2025-02-05", until="2025-02-07",
                                    config=config(mail, certificate, webhooks=(receiver.url,)))
    assert result.followups == 3 and not result.failed and len(result.delivered) == 2
    assert mail.logins == [USER.encode()]
    envelope, = mail.messages
    assert envelope.rcpt_tos == ["desk@newsroom.test", "editor@newsroom.test"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "Follow-up monitor: 3 new follow-ups (kestrel, 2025-02-07)"
    plain = message.get_body(("plain",)).get_content()
    assert "“Ce que disent les grands noms de l'IA à propos de DeepSeek”: 3 new follow-ups" in plain
    assert plain.index("- 2025-01-27") < plain.index("- 2025-02-05") < plain.index("- 2025-02-06")  # by publication
    assert "DeepSeek rattles Wall Street — meridian (en)" in plain and "(wire)" not in plain  # wire copies once
    assert '<a href="https://meridian.example/en">' in message.get_body(("html",)).get_content()
    post, = [r["json"] for r in receiver.received]
    assert post["event"] == "digest" and post["count"] == 3
    assert "<https://meridian.example/en|DeepSeek rattles Wall Street> — meridian (en)" in post["text"]  # Slack
    assert post["msgtype"] == "m.text" and post["format"] == "org.matrix.custom.html"  # Matrix
    assert post["formatted_body"] == post["html"] and "DeepSeek rattles Wall Street" in post["body"]
    db = open_db(path)
    rows = store.history(db)
    db.close()
    assert [(r["channel"], r["status"], r["attempts"], r["followups"]) for r in rows] == [
        ("email", "delivered", 1, 3), ("webhook", "delivered", 1, 3)]


def test_a_failed_send_is_retried_and_recorded(tmp_path, certificate):
    path = tmp_path / "kestrel.db"
    build_store(path)
    with Receiver([503, 500, 502]) as receiver:
        result = digest.send_digest(path, since="2025-02-05", until="2025-02-07",
                                    config=config(None, certificate, webhooks=(receiver.url,)))
    assert result.delivered == [] and len(result.failed) == 2
    db = open_db(path)
    rows = {r["channel"]: r for r in store.history(db)}
    db.close()
    assert rows["email"]["status"] == "failed" and rows["email"]["attempts"] == 3
    assert "Connection refused" in rows["email"]["error"] or "ConnectionRefused" in rows["email"]["error"]
    assert rows["webhook"]["status"] == "failed" and rows["webhook"]["attempts"] == 3
    assert rows["webhook"]["error"] == "HTTP 502"


def test_a_refused_login_is_not_retried_and_pending_deliveries_go_out_later(tmp_path, mail, certificate):
    path = tmp_path / "kestrel.db"
    build_store(path)
    result = digest.send_digest(path, since="2025-02-05", until="2025-02-07",
                                config=config(mail, certificate, password="wrong"))
    db = open_db(path)
    row, = store.history(db)
    assert (row["status"], row["attempts"]) == ("failed", 1) and "SMTPAuthenticationError" in row["error"]
    # A delivery queued by a process that died before sending goes out with the next digest.
    store.queue(db, channels=[("email", "desk@newsroom.test", row["payload"])], since="x", until="y", article_ids=[])
    db.close()
    assert result.failed and mail.messages == []
    nothing = digest.send_digest(path, since="2030-01-01", config=config(mail, certificate))
    assert nothing.followups == 0 and nothing.delivered == ["email:desk@newsroom.test"]
    assert len(mail.messages) == 1


def test_nothing_new_nothing_sent_and_the_scheduled_digest_starts_where_the_last_ended(tmp_path, mail, certificate,
                                                                                         monkeypatch):
    path = tmp_path / "kestrel.db"
    build_store(path)
    assert digest.send_digest(path, since="2025-03-01", config=config(mail, certificate)).followups == 0
    assert mail.messages == []
    monkeypatch.setattr(digest.DigestConfig, "from_settings", classmethod(lambda cls: config(mail, certificate)))
    db = open_db(path)
    with db.atomic():  # the last digest, sent up to 02-06 10:00
        db["digests"].insert({"channel": "email", "target": "x", "since": "2025-02-01T00:00:00+00:00",
                              "until": "2025-02-06T10:00:00+00:00", "status": "delivered"})
    db.close()
    digest.run_scheduled(str(path))
    envelope, = mail.messages
    text = email.message_from_bytes(envelope.content, policy=email.policy.default).get_body(("plain",)).get_content()
    assert "1 new follow-up" in text and "ディープシーク" in text and "chercheurs" not in text  # found after 10:00


def test_the_scheduler_sends_it_at_the_configured_hour(certificate):
    scheduler = BackgroundScheduler(timezone=dt.UTC)
    scheduler.start(paused=True)
    try:
        assert digest.schedule(scheduler, "data/x.db", config(None, certificate, hour=18, timezone="Europe/Paris"))
        job = scheduler.get_job(digest.JOB_ID)
        assert job.kwargs == {"db": "data/x.db"} and job.func_ref == digest.JOB_FUNC
        assert str(job.trigger.timezone) == "Europe/Paris" and "hour='18'" in str(job.trigger)
        assert not digest.schedule(scheduler, "data/x.db", config(None, certificate, hour=None))
        assert scheduler.get_job(digest.JOB_ID) is None
        assert not digest.schedule(scheduler, "data/x.db", digest.DigestConfig(hour=7))  # no channel: no job
    finally:
        scheduler.shutdown(wait=False)
