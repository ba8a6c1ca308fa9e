from __future__ import annotations

import json

from pipelines import textsig
from storage import open_db, queries, writes
from storage.schema import migrations


def test_open_db_sets_wal_and_migrates(tmp_path):
    path = tmp_path / "sub" / "x.db"
    db = open_db(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 10000
    # Checkpoints every 16 MiB of WAL, and a WAL grown by a big transaction cut back (issue 21).
    assert db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 4000
    assert db.execute("PRAGMA journal_size_limit").fetchone()[0] == 64 << 20
    assert {"stories", "sources", "articles", "urls", "crawl_runs", "articles_fts"} <= set(db.table_names())
    assert not migrations.pending(db)
    db.close()
    open_db(path).close()  # reopening applies nothing twice


def article(url: str, text: str, **extra):
    row = {"url": url, "canonical_url": url, "source": "s", "story": "st", "title": "DeepSeek " + url,
           "text": text, "language": "en", "label": "followup", "score": 0.9, "matched": ["DeepSeek"],
           "signals": {"title": 0.45}, "found_via": "feed"}
    row.update(extra)
    return row


def test_store_article_writes_ledger_fts_and_bands(db):
    run = writes.start_run(db, spider="feeds", source=None, pid=1)
    text = "DeepSeek released R1 and the markets reacted strongly to the news from Hangzhou."
    sig = textsig.signature(text)
    article_id = writes.store_article(db, article("https://a/1", text), run_id=run,
                                      ledger_urls=["https://a/1", "https://a/1?x"],
                                      signature=textsig.pack(sig), bands=textsig.bands(sig))
    rows = {r["url"]: r for r in db["urls"].rows}
    assert rows["https://a/1"]["status"] == "stored" and rows["https://a/1?x"]["article_id"] == article_id
    assert json.loads(db["articles"].get(article_id)["matched"]) == ["DeepSeek"]
    hits = list(db.query("select rowid from articles_fts where articles_fts match 'Hangzhou'"))
    assert [h["rowid"] for h in hits] == [article_id]
    found = queries.lsh_candidates(db, textsig.bands(sig), "en")
    assert [r["article_id"] for r in found] == [article_id]
    assert queries.lsh_candidates(db, textsig.bands(sig), "fr") == []
    assert queries.settled_urls(db, ["https://a/1", "https://a/2"]) == {"https://a/1"}


def test_ledger_upsert_and_final_errors(db):
    writes.record_url(db, url="u1", status="error", reason="timeout", source="s", run_id=None)
    writes.record_url(db, url="u2", status="error", reason="http_404", source="s", run_id=None)
    writes.record_url(db, url="u3", status="skipped", reason="too_old", source="s", run_id=None)
    assert queries.settled_urls(db, ["u1", "u2", "u3"]) == {"u2", "u3"}  # a timeout is retried
    writes.record_url(db, url="u1", status="skipped", reason="off_topic", source="s", run_id=None)
    assert db["urls"].get("u1")["reason"] == "off_topic" and db["urls"].count == 3


def test_runs_and_summary(db):
    run = writes.start_run(db, spider="feeds", source="paper", pid=1)
    writes.finish_run(db, run, finish_reason="finished",
                      counts={"stored/followup": 2, "stored/duplicate": 1, "skipped/too_old": 3, "error/http_404": 1},
                      error_messages=["http_404: u"])
    row = db["crawl_runs"].get(run)
    assert (row["status"], row["followups"], row["duplicates"], row["skipped"], row["errors"]) == ("finished", 2, 1, 3, 1)
    first = writes.store_article(db, article("https://a/1", "one two three"), run_id=run, ledger_urls=["https://a/1"],
                                 signature=None, bands=[])
    writes.store_article(db, article("https://b/1", "one two three", duplicate_of=first), run_id=run,
                         ledger_urls=["https://b/1"], signature=None, bands=[])
    summary = queries.summary(db)
    assert summary["followups_by_language"] == {"en": 1}
    assert summary["duplicates"] == 1 and summary["duplicate_groups"] == 1
    assert db["urls"].get("https://b/1")["reason"] == "duplicate"


def test_stale_runs_are_marked_crashed(db):
    run = writes.start_run(db, spider="feeds", source=None, pid=999_999)
    assert writes.close_stale_runs(db, pid_alive=lambda pid: False) == 1
    assert db["crawl_runs"].get(run)["status"] == "crashed"
