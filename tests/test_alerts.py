"""Webhook alerts: new follow-ups POSTed after each run, retried, failures recorded, never blocking."""

from __future__ import annotations

import html
import json
import threading

from jobs.alerts import AlertConfig, notify, send
from storage import alerts as store
from storage import open_db, writes
from tests.receiver import Receiver, dead_url

FAST = dict(retries=2, backoff=0.01, timeout=5)


def test_scheduler_posts_every_new_followup_and_records_the_outcomes(desk_store):
    db = open_db(desk_store["path"])
    followups = {r["id"] for r in db.query(
        "select id from articles where label = 'followup' and duplicate_of is null")}
    rows = list(db.query("select * from alerts order by id"))
    db.close()
    received = desk_store["received"]
    # One per job: --once runs the three spiders as one job, whose runs all go in one alert.
    assert len(received) == 1 and len(received[0]["json"]["runs"]) == 3
    assert all(r["content_type"].startswith("application/json") for r in received)
    sent = [f for r in received for f in r["json"]["followups"]]
    assert {f["id"] for f in sent} == followups and len(sent) == len(followups) == 29
    assert all(r["json"]["event"] == "new_followups" and r["json"]["count"] == len(r["json"]["followups"])
               for r in received)
    assert {"title", "url", "source", "language", "published"} <= set(sent[0])
    chat = received[0]["json"]  # chat-ready: Slack's text, Matrix's formatted body
    assert chat["text"].startswith("*29 new follow-ups (mystory)*") and f"|{sent[0]['title']}>" in chat["text"]
    assert chat["msgtype"] == "m.text" and chat["formatted_body"] == chat["html"]
    assert html.escape(sent[0]["title"]) in chat["html"]

    good = [r for r in rows if r["webhook"] == desk_store["receiver"]]
    dead = [r for r in rows if r["webhook"] == desk_store["dead"]]
    assert [r["status"] for r in good] == ["delivered"] and all(r["attempts"] == 1 for r in good)
    assert [r["status"] for r in dead] == ["failed"]
    assert all(r["attempts"] == 3 and "Connection" in r["error"] for r in dead)
    stderr = desk_store["result"].stderr
    assert "failed after 3 attempt(s)" in stderr
    assert "Traceback" not in stderr
    assert "follow-ups: 29" in desk_store["result"].stdout  # the crawl and its summary went on


def test_server_errors_are_retried_until_delivered():
    with Receiver([500, 503, 200]) as receiver:
        ok, attempts, status, error = send(receiver.url, {"x": 1}, AlertConfig(**FAST))
    assert (ok, attempts, status, error) == (True, 3, 200, None)
    assert receiver.answered == [500, 503, 200] and receiver.received[0]["json"] == {"x": 1}


def test_a_refusal_is_not_retried_and_exhausted_retries_fail():
    with Receiver([400]) as receiver:
        assert send(receiver.url, {}, AlertConfig(**FAST)) == (False, 1, 400, "HTTP 400")
    with Receiver([500, 500, 500, 500]) as receiver:
        assert send(receiver.url, {}, AlertConfig(**FAST)) == (False, 3, 500, "HTTP 500")
    ok, attempts, status, error = send(dead_url(), {}, AlertConfig(**FAST))
    assert (ok, attempts, status) == (False, 3, None) and error == "Connection refused"
    assert send("ftp://example.org/x", {}, AlertConfig(**FAST)) == (False, 0, None,
                                                                     "not an http(s) URL: 'ftp://example.org/x'")


def _store_with_one_followup(tmp_path):
    db = open_db(tmp_path / "coverage.db")
    run = writes.start_run(db, spider="feeds", source=None, pid=1)
    writes.store_article(db, {"url": "https://news.example/a", "canonical_url": "https://news.example/a",
                              "source": "ex", "story": "s", "title": "DeepSeek again", "text": "t",
                              "language": "en", "label": "followup", "published": "2025-02-04"},
                         run_id=run, ledger_urls=["https://news.example/a"], signature=None, bands=[])
    db.close()
    return tmp_path / "coverage.db", run


def test_delivery_runs_in_the_background_and_does_not_block_the_caller(tmp_path):
    path, run = _store_with_one_followup(tmp_path)
    hold = threading.Event()
    with Receiver(hold=hold) as receiver:
        thread = notify(path, [{"id": run}], AlertConfig(webhooks=(receiver.url,), **FAST))
        # notify() has returned while the receiver still holds the request: nothing waited for it.
        assert thread is not None and thread.is_alive()
        db = open_db(path)
        assert [r["status"] for r in db.query("select status from alerts")] == ["pending"]
        db.close()
        hold.set()
        thread.join(timeout=60)
    db = open_db(path)
    row = next(iter(db.query("select * from alerts")))
    db.close()
    assert row["status"] == "delivered" and json.loads(row["article_ids"]) == [1]
    assert receiver.received[0]["json"]["followups"][0]["title"] == "DeepSeek again"


def test_no_webhooks_no_alerts_and_pending_ones_survive_a_crash(tmp_path):
    path, run = _store_with_one_followup(tmp_path)
    assert notify(path, [{"id": run}], AlertConfig(webhooks=())) is None
    db = open_db(path)
    assert db["alerts"].count == 0
    # an alert queued by a process that died before sending is sent by the next delivery
    with Receiver() as receiver:
        store.queue(db, webhooks=[receiver.url], run_ids=[run], articles=[{"id": 1}], payload={"left": "over"})
        thread = notify(path, [], AlertConfig(webhooks=(receiver.url,), **FAST), wait=True)
    assert thread is not None
    assert [r["json"] for r in receiver.received] == [{"left": "over"}]
    assert [r["status"] for r in db.query("select status from alerts")] == ["delivered"]
    db.close()
