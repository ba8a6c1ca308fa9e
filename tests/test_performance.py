"""The worker pool (crashes, timeouts, replacement) and batched writes (same-batch dedup, flush on close)."""

from __future__ import annotations

import asyncio
import os
import time

import pytest
from scrapy.utils.test import get_crawler

from core.items import ArticleItem
from pipelines import textsig
from pipelines.batch import WriteBatch
from pipelines.dedup import find_duplicate
from pipelines.drops import ExtractCrash, ExtractTimeout
from pipelines.dupindex import PendingAwareIndex, StoreIndex
from pipelines.pool import ProcessPool, TaskError, WorkerCrashed, WorkerTimeout
from storage import open_db, writes

TEXT = ("Shares of Nvidia fell 17% after the Chinese start-up DeepSeek released its R1 model, "
        "which it says was trained for 5.6 million dollars on older chips. ") * 8


# Module-level, so that worker processes can import them by name.
def crash(*args: object, **kwargs: object) -> None:
    os._exit(3)


def sleep_forever(*args: object, **kwargs: object) -> None:
    time.sleep(60)


def fail(*args: object, **kwargs: object) -> None:
    raise ValueError("bad page")


def pid(*args: object) -> int:
    return os.getpid()


@pytest.fixture(scope="module")
def pool():
    pool = ProcessPool(2, timeout=2, preload=["tests.test_performance"])
    pool.start()
    yield pool
    pool.close()


def test_pool_runs_tasks_in_other_processes(pool):
    results = [pool.submit(pid).result(timeout=30) for _ in range(6)]
    assert os.getpid() not in results
    assert len(set(results)) <= 2


def test_a_worker_is_renewed_after_its_task_quota():
    pool = ProcessPool(1, timeout=5, preload=["tests.test_performance"], max_tasks=2)
    try:
        results = [pool.submit(pid).result(timeout=30) for _ in range(6)]
    finally:
        pool.close()
    # One worker at a time, two tasks each: three processes answered, in turn.
    assert [results[0]] * 2 + [results[2]] * 2 + [results[4]] * 2 == results
    assert len(set(results)) == 3
    assert pool.recycled == 3  # the third one too, after its second task
    assert pool.crashes == 0


def test_a_crashed_worker_fails_only_its_task_and_is_replaced(pool):
    before = set(pool.pids())
    doomed = pool.submit(crash)
    others = [pool.submit(pid) for _ in range(4)]
    with pytest.raises(WorkerCrashed, match="code 3"):
        doomed.result(timeout=30)
    assert all(isinstance(f.result(timeout=30), int) for f in others)
    assert pool.submit(pid).result(timeout=30) > 0
    deadline = time.monotonic() + 30
    while len(pool.pids()) < 2 and time.monotonic() < deadline:  # the replacement is starting
        time.sleep(0.05)
    assert len(pool.pids()) == 2 and set(pool.pids()) != before


def test_a_stuck_worker_is_killed_and_replaced(pool):
    with pytest.raises(WorkerTimeout):
        pool.submit(sleep_forever).result(timeout=30)
    assert pool.submit(pid).result(timeout=30) > 0


def test_an_exception_in_a_task_is_reported_not_fatal(pool):
    with pytest.raises(TaskError, match="ValueError: bad page"):
        pool.submit(fail).result(timeout=30)
    assert pool.submit(pid).result(timeout=30) > 0


def _crawler(tmp_path, **settings):
    crawler = get_crawler(settings_dict={"MONITOR_DB": str(tmp_path / "t.db"), "MONITOR_WORKERS": 1,
                                         "MONITOR_WORKER_TIMEOUT": 2, "MONITOR_MIN_TEXT_CHARS": 150,
                                         "EXTENSIONS": {"pipelines.pool.CpuPool": 0}, **settings})
    crawler._apply_settings()
    return crawler


def test_extract_pipeline_turns_a_worker_crash_into_a_reason(tmp_path, monkeypatch):
    """A page that kills its worker is dropped with extract_crash; the next page is read normally."""
    from pipelines import extract
    from pipelines.pool import CpuPool

    crawler = _crawler(tmp_path)
    pipeline = extract.ExtractPipeline.from_crawler(crawler)
    cpu = CpuPool.of(crawler)
    cpu.pool.preload = ["pipelines.extract", "tests.test_performance"]
    html = f"<html lang='en'><body><article><h1>DeepSeek</h1><p>{TEXT}</p></article></body></html>"

    async def scenario():
        monkeypatch.setattr(extract, "read_page", crash)
        with pytest.raises(ExtractCrash) as dropped:
            await pipeline.process_item(ArticleItem(url="http://a.test/1", source="s", found_via="feed", html=html))
        monkeypatch.setattr(extract, "read_page", sleep_forever)
        with pytest.raises(ExtractTimeout):
            await pipeline.process_item(ArticleItem(url="http://a.test/2", source="s", found_via="feed", html=html))
        monkeypatch.undo()
        item = await pipeline.process_item(ArticleItem(url="http://a.test/3", source="s", found_via="feed", html=html))
        return dropped.value, item

    try:
        dropped, item = asyncio.run(scenario())
    finally:
        cpu.pool.close()
    assert dropped.reason == "extract_crash" and dropped.status == "error"
    assert "exited with code 3" in (dropped.detail or "")
    assert item.html is None and "DeepSeek" in (item.text or "")


def test_a_duplicate_in_the_same_batch_is_found(tmp_path):
    """Dedup sees articles queued but not yet written, and the flush rewrites provisional ids."""
    db = open_db(tmp_path / "b.db")
    run_id = writes.start_run(db, spider="feeds", source=None, pid=os.getpid())
    batch = WriteBatch(max_items=100, max_seconds=60)
    sig = textsig.signature(TEXT)
    row = {"url": "http://a.test/1", "canonical_url": "http://a.test/1", "source": "a", "label": "followup",
           "language": "en", "text": TEXT, "text_hash": textsig.text_hash(TEXT), "published": "2025-02-01"}
    key = batch.add_article(row, ledger_urls=["http://a.test/1"], signature=sig, packed=textsig.pack(sig),
                            bands=textsig.bands(sig))
    assert key < 0 and batch.article_by_url("http://a.test/1") == {"id": key}
    copy = TEXT + " (with agencies)"
    found = find_duplicate(PendingAwareIndex(StoreIndex(db), batch), text_hash=textsig.text_hash(copy),
                           signature=textsig.signature(copy), language="en", threshold=0.6)
    assert found is not None and found[0] == key
    batch.add_article(dict(row, url="http://b.test/2", canonical_url="http://b.test/2", duplicate_of=key,
                           text=copy, text_hash=textsig.text_hash(copy)),
                      ledger_urls=["http://b.test/2"], signature=None, packed=None, bands=[])
    batch.add_ledger(url="http://b.test/9", status="skipped", reason="off_topic", source="b")
    assert db["articles"].count == 0
    ids = writes.write_batch(db, batch.take(), run_id=run_id, counts={"stored/followup": 1, "skipped/off_topic": 1})
    assert len(batch) == 0
    first, second = ids[key], ids[key - 1]
    assert db["articles"].get(second)["duplicate_of"] == first
    ledger = {r["url"]: (r["status"], r["reason"], r["article_id"]) for r in db.query("select * from urls")}
    assert ledger == {"http://a.test/1": ("stored", "followup", first),
                      "http://b.test/2": ("stored", "duplicate", second),
                      "http://b.test/9": ("skipped", "off_topic", None)}
    run = db["crawl_runs"].get(run_id)
    assert (run["followups"], run["skipped"]) == (1, 1)
    db.close()


def test_batch_is_due_by_size_or_age():
    batch = WriteBatch(max_items=3, max_seconds=0.05)
    assert not batch.due()
    batch.add_ledger(url="u1", status="skipped", reason="too_old", source="s")
    assert not batch.due()
    time.sleep(0.06)
    assert batch.due()
    batch.take()
    for n in range(3):
        batch.add_ledger(url=f"u{n}", status="skipped", reason="too_old", source="s")
    assert batch.due()
