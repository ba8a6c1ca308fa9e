"""Distributed mode against a real redis-server: workers, the shared frontier, the single-writer ingest.

Each test module run starts its own ``redis-server`` on a free loopback port
(no persistence); ``.ci/run`` installs Debian's redis-server. The crawls are
real ``scrapy crawl`` workers against the local news web, and the results are
compared, row for row, with a single-process crawl of the same web.
"""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

import pytest

from storage import open_db
from tests.conftest import ROOT, crawl_env, scrapy_crawl

REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None, reason="redis-server is not installed (.ci/run installs it: apt-get install redis-server)")

FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(folder)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    from distributed.frontier import connect

    client = connect(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except Exception:
            time.sleep(0.05)
    else:
        server.kill()
        pytest.fail("redis-server did not start")
    yield url
    client.close()
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def redis(redis_url):
    from distributed.frontier import connect

    client = connect(redis_url)
    client.flushall()
    yield client
    client.close()


def worker(spider: str, sources: Path, redis_url: str, *extra: str) -> subprocess.Popen[str]:
    """A worker process; its log goes to a file (``.log_path``), never a pipe nobody reads while it runs."""
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-s", f"MONITOR_SOURCES={sources}",
               "-s", f"MONITOR_REDIS_URL={redis_url}", "-s", "MONITOR_REDIS_IDLE_CLOSE=1",
               "-s", "LOG_LEVEL=DEBUG", *FAST, *extra]
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, env=crawl_env(), stdout=subprocess.DEVNULL, stderr=log,
                               text=True)
    process.log_path = Path(log.name)  # type: ignore[attr-defined]
    log.close()
    return process


def ingest(db: Path, redis_url: str, *extra: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "distributed.ingest", "--db", str(db), "--redis", redis_url,
                           "--until-empty", *extra], cwd=ROOT, env=crawl_env(), capture_output=True,
                          text=True, timeout=timeout)


def seed(sources: Path, db: Path, redis_url: str) -> None:
    result = subprocess.run([sys.executable, "scheduler.py", "--once", "--sources", str(sources), "--db", str(db)],
                            cwd=ROOT, env=crawl_env(MONITOR_REDIS_URL=redis_url), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "queued for the workers: feeds 8, sitemaps 8" in result.stdout


def finish(processes: list[subprocess.Popen[str]]) -> list[str]:
    logs = []
    for process in processes:
        process.wait(timeout=240)
        err = process.log_path.read_text(encoding="utf-8", errors="replace")  # type: ignore[attr-defined]
        process.log_path.unlink()  # type: ignore[attr-defined]
        assert process.returncode == 0, err[-3000:]
        assert "Traceback" not in err and "Deprecat" not in err, err[-3000:]
        logs.append(err)
    return logs


def snapshot(db_path: Path) -> tuple[dict, dict]:
    """What a crawl stored: articles (label, language, story, duplicate root URL) and ledger (status, reason)."""
    db = open_db(db_path)
    try:
        by_id = {r["id"]: r for r in db.query("select * from articles")}
        articles = {r["url"]: (r["label"], r["language"], r["story"], r["canonical_url"],
                               by_id[r["duplicate_of"]]["url"] if r["duplicate_of"] else None)
                    for r in by_id.values()}
        ledger = {r["url"]: (r["status"], r["reason"]) for r in db.query("select * from urls")}
    finally:
        db.close()
    return articles, ledger


def listings(db_path: Path) -> tuple[dict, dict]:
    """What the spiders' ledger recorded: each listing fetch, and each source's health."""
    db = open_db(db_path)
    try:
        fetches = {r["url"]: (r["source"], r["kind"], r["last_status"], r["consecutive_failures"], r["entries"],
                              bool(r["etag"] or r["last_modified"]))
                   for r in db.query("select * from listings")}
        health = {r["name"]: (bool(r["last_success"]), r["consecutive_failures"], r["unhealthy"])
                  for r in db.query("select * from sources")}
    finally:
        db.close()
    return fetches, health


@pytest.fixture(scope="module")
def single_db(localweb_sources, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("single") / "single.db"
    for spider in ("feeds", "sitemaps"):
        result = scrapy_crawl(spider, sources=localweb_sources, db=db)
        assert result.returncode == 0, result.stderr[-3000:]
    return db


@pytest.fixture(scope="module")
def single_process(single_db) -> tuple[dict, dict]:
    return snapshot(single_db)


def fetched_articles(logs: list[str]) -> Counter[str]:
    return Counter(m for log in logs for m in re.findall(r"Crawled \(\d+\) <GET (\S+\.html)>", log))


# --- JSON, never pickle ------------------------------------------------------------


def test_requests_round_trip_as_json_and_nothing_else_is_decoded():
    import pickle

    from scrapy import Request
    from scrapy.utils.request import request_from_dict

    from crawler.entries import Entry
    from crawler.spiders.feeds import FeedsSpider
    from distributed import codec

    spider = FeedsSpider()
    entry = Entry(url="https://ex.com/a", title="Ein Titel", published="2025-02-01")
    request = Request("https://ex.com/a", callback=spider.parse_article, errback=spider.article_failed,
                      headers={"Accept": "text/html"}, meta={"source": "ex", "entry": entry, "depth": 1},
                      priority=3)
    data = codec.dumps(request.to_dict(spider=spider))
    back = request_from_dict(codec.loads(data), spider=spider)
    assert back.url == request.url and back.priority == 3 and back.meta == request.meta
    assert back.meta["entry"] == entry and back.headers.get("Accept") == b"text/html"
    assert back.callback == spider.parse_article and back.errback == spider.article_failed

    with pytest.raises(codec.UnsafePayload):
        codec.loads(pickle.dumps({"url": "https://ex.com/"}))
    with pytest.raises(codec.UnsafePayload, match="unknown type"):
        codec.loads('{"meta": {"$type": "os.system", "fields": {}}}')
    with pytest.raises(codec.UnsafePayload, match="refused"):
        codec.loads('{"url": "https://ex.com/", "_class": "os.system"}')
    with pytest.raises(TypeError):
        codec.dumps({"meta": {"response": object()}})


def test_pinned_scrapy_redis_works_with_pinned_scrapy_through_our_adapter(redis, redis_url):
    """scrapy-redis 0.9.1 + Scrapy 2.19: its scheduler fits Scrapy's interface, but two of its calls are
    deprecated by Scrapy (Spider.log, stats with spider=); LeasedScheduler overrides exactly those."""
    from importlib.metadata import version

    from scrapy.core.scheduler import BaseScheduler
    from scrapy.exceptions import ScrapyDeprecationWarning
    from scrapy.utils.test import get_crawler
    from scrapy_redis.scheduler import Scheduler

    from crawler.spiders.feeds import FeedsSpider
    from distributed.scheduler import LeasedScheduler

    assert version("scrapy-redis").startswith("0.9.") and version("scrapy").startswith("2.")
    assert issubclass(LeasedScheduler, BaseScheduler)  # the engine refuses schedulers that are not
    settings = {"MONITOR_REDIS_URL": redis_url, "ADDONS": {"distributed.addon.DistributedMode": 0}}
    redis.zadd("monitor:feeds:requests", {"x": 0})
    crawler = get_crawler(FeedsSpider, settings_dict=settings)
    crawler.spider = FeedsSpider.from_crawler(crawler)
    with pytest.warns(ScrapyDeprecationWarning, match="Spider.log"):
        upstream = Scheduler.from_crawler(crawler)
        upstream.open(crawler.spider)
    ours = LeasedScheduler.from_crawler(crawler)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours.open(crawler.spider)
        ours.close("finished")
    assert crawler.settings.get("SCHEDULER") == "distributed.scheduler.LeasedScheduler"  # the add-on switched it


def test_a_waiting_worker_takes_new_work_without_waiting_for_scrapys_heartbeat(redis, redis_url):
    """Scrapy asks a scheduler that had nothing again only every 5 s; WorkerLifecycle.poll wakes the
    engine (through the slot's ``nextcall``, the Scrapy internal it relies on) once the frontier has work."""
    import inspect
    from types import SimpleNamespace

    from scrapy.core.engine import _Slot
    from scrapy.utils.reactor import CallLaterOnce
    from scrapy.utils.test import get_crawler

    from crawler.spiders.feeds import FeedsSpider
    from distributed.frontier import READY
    from distributed.scheduler import LeasedScheduler
    from distributed.worker import WorkerLifecycle

    assert "nextcall" in inspect.signature(_Slot).parameters and callable(CallLaterOnce.schedule)
    settings = {"MONITOR_REDIS_URL": redis_url, "MONITOR_REDIS_POLL": 0.2,
                "ADDONS": {"distributed.addon.DistributedMode": 0}}
    crawler = get_crawler(FeedsSpider, settings_dict=settings)
    crawler.spider = FeedsSpider.from_crawler(crawler)
    scheduler = LeasedScheduler.from_crawler(crawler)
    scheduler.open(crawler.spider)
    woken = []
    backout = [False]
    crawler.engine = SimpleNamespace(scheduler=scheduler, needs_backout=lambda: backout[0],
                                     _slot=SimpleNamespace(nextcall=SimpleNamespace(schedule=lambda: woken.append(1))))
    lifecycle = WorkerLifecycle.from_crawler(crawler)
    assert lifecycle.poll_every == 0.2
    try:
        setattr(crawler.spider, READY, True)
        lifecycle.poll()
        assert woken == []  # nothing queued: the engine sleeps on
        redis.zadd("monitor:feeds:requests", {"x": 0})
        backout[0] = True
        lifecycle.poll()
        assert woken == []  # no free slot: the engine will ask when one of its requests finishes
        backout[0] = False
        lifecycle.poll()
        assert woken == [1]
    finally:
        scheduler.close("finished")


def test_a_worker_holds_no_more_requests_than_its_lease_bound(redis, redis_url):
    """A worker whose pages wait for its extraction processes leaves the rest of the queue to the others."""
    from types import SimpleNamespace

    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from crawler.spiders.feeds import FeedsSpider
    from distributed.frontier import READY
    from distributed.scheduler import LeasedScheduler

    settings = {"MONITOR_REDIS_URL": redis_url, "MONITOR_REDIS_MAX_LEASES": 2,
                "ADDONS": {"distributed.addon.DistributedMode": 0}}
    crawler = get_crawler(FeedsSpider, settings_dict=settings)
    crawler.spider = FeedsSpider.from_crawler(crawler)
    setattr(crawler.spider, READY, True)
    busy: set[Request] = set()  # the engine's requests in progress (downloading, or items in the pipelines)
    crawler.engine = SimpleNamespace(_slot=SimpleNamespace(inprogress=busy))
    scheduler = LeasedScheduler.from_crawler(crawler)
    scheduler.open(crawler.spider)
    try:
        for n in range(3):
            assert scheduler.enqueue_request(Request(f"http://127.0.0.2/a/{n}.html"))
        held = []
        for _ in range(2):
            held.append(scheduler.next_request())
            busy.add(held[-1])
        assert all(held) and scheduler.next_request() is None  # two held: the third stays queued
        assert len(scheduler) == 1 and redis.hlen("monitor:feeds:leases") == 2 and not scheduler.wants_more()
        busy.discard(held[0])  # one is done: its lease is released, the worker takes the next
        third = scheduler.next_request()
        busy.add(third)
        assert third is not None and len(scheduler) == 0
    finally:
        scheduler.close("finished")
    assert len(scheduler) == 2  # closing gives back what the worker still held (not the finished one)
    default = get_crawler(FeedsSpider, settings_dict=dict(settings, MONITOR_REDIS_MAX_LEASES=0,
                                                          CONCURRENT_REQUESTS=5))
    assert LeasedScheduler.from_crawler(default).max_leases == 10  # 0: twice CONCURRENT_REQUESTS


# --- end to end ----------------------------------------------------------------------


def test_two_workers_and_one_ingest_store_what_one_process_stores(localweb_sources, single_process, single_db,
                                                                    redis, redis_url, tmp_path):
    db = tmp_path / "distributed.db"
    seed(localweb_sources, db, redis_url)
    logs = []
    for spider in ("feeds", "sitemaps"):
        logs += finish([worker(spider, localweb_sources, redis_url) for _ in range(2)])
        result = ingest(db, redis_url)
        assert result.returncode == 0, result.stderr[-3000:]
        assert redis.llen("monitor:items") == 0 and redis.llen("monitor:items:processing") == 0
        assert redis.hlen(f"monitor:{spider}:leases") == 0  # every lease released (Scrapy internals unchanged)
    articles, ledger = snapshot(db)
    expected_articles, expected_ledger = single_process
    assert articles == expected_articles
    assert ledger == expected_ledger
    fetched = fetched_articles(logs)
    assert len(fetched) >= 50
    story = next(u for u, (status, reason) in ledger.items() if reason == "story_source")
    assert fetched.pop(story) == 4 + 1  # each worker reads the story's source article; the feeds list it
    assert [(url, n) for url, n in fetched.items() if n > 1] == []
    both = [log for log in logs[:2] if "Crawled (200)" in log]
    assert len(both) == 2, "both feeds workers should have fetched pages"
    # Listing results and source health travel from the workers' RedisLedger to the ingest.
    fetches, health = listings(db)
    assert (fetches, health) == listings(single_db)
    assert len(fetches) >= 16 and all(validators for *_, validators in fetches.values())

    # The next round finds everything already known, from Redis alone.
    seed(localweb_sources, db, redis_url)
    again = finish([worker("feeds", localweb_sources, redis_url)])
    assert fetched_articles(again) == Counter({story: 1})  # the story's source, read at start only
    # scheduler.py built the listing requests on the SQLite store: conditional GETs, answered 304.
    assert len(re.findall(r"Crawled \(304\) <GET \S+>", again[0])) == 8
    assert ingest(db, redis_url).returncode == 0
    assert snapshot(db) == (articles, ledger)


def test_a_killed_worker_leaves_its_work_to_the_other(localweb_sources, single_process, redis, redis_url,
                                                      tmp_path):
    db = tmp_path / "killed.db"
    seed(localweb_sources, db, redis_url)
    slow = ("-s", "DOWNLOAD_DELAY=0.2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "MONITOR_REDIS_WORKER_TTL=8")
    victim = worker("feeds", localweb_sources, redis_url, *slow)

    def victim_leases() -> int:
        return sum(f":{victim.pid}:".encode() in v for v in redis.hvals("monitor:feeds:leases"))

    deadline = time.monotonic() + 60
    while (redis.llen("monitor:items") < 8 or not victim_leases()) and time.monotonic() < deadline:
        time.sleep(0.02)
    victim.send_signal(signal.SIGKILL)  # mid-crawl: items pushed, requests in flight
    victim.wait(timeout=30)
    assert victim_leases() > 0
    survivor = worker("feeds", localweb_sources, redis_url, *slow)
    log = finish([survivor])[0]
    assert "put back" in log  # the survivor took over the victim's requests
    assert ingest(db, redis_url).returncode == 0
    finish([worker("sitemaps", localweb_sources, redis_url)])
    assert ingest(db, redis_url).returncode == 0
    articles, ledger = snapshot(db)
    assert articles == single_process[0]
    assert ledger == single_process[1]


def test_the_ingest_killed_mid_batch_loses_nothing(localweb_sources, single_process, redis, redis_url, tmp_path):
    seed(localweb_sources, tmp_path / "seed.db", redis_url)
    finish([worker("feeds", localweb_sources, redis_url)])
    messages = redis.lrange("monitor:items", 0, -1)
    assert len(messages) > 50

    db = tmp_path / "crashed.db"
    process = subprocess.Popen([sys.executable, "-m", "distributed.ingest", "--db", str(db), "--redis", redis_url,
                                "--batch", "1"], cwd=ROOT, env=crawl_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while redis.llen("monitor:items") > len(messages) // 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert 0 < redis.llen("monitor:items") < len(messages)
    # As a crash can also leave it: a batch committed but not yet let go of, and one not committed.
    store = open_db(db)
    committed = {r["id"] for r in store.query("select id from ingested_messages")}
    store.close()
    from distributed import codec

    done = [m for m in messages if codec.loads(m)["id"] in committed][:3]
    pending = redis.lrange("monitor:items", -2, -1)
    redis.lrem("monitor:items", 1, pending[0])
    redis.lrem("monitor:items", 1, pending[1])
    redis.lpush("monitor:items:processing", *done, *pending)

    result = ingest(db, redis_url)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "left by an interrupted ingest" in result.stderr
    assert redis.llen("monitor:items") == 0 and redis.llen("monitor:items:processing") == 0

    # The same messages, ingested without a crash, give the same store.
    redis.delete("monitor:settled", "monitor:ingest:lock")
    redis.rpush("monitor:items", *messages)
    reference = tmp_path / "reference.db"
    assert ingest(reference, redis_url).returncode == 0
    assert snapshot(db) == snapshot(reference)
    articles, _ = snapshot(db)
    assert {u for u, a in single_process[0].items()} >= set(articles) and len(articles) > 30


def test_ingest_without_redis_is_one_clear_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "distributed.ingest", "--db", str(tmp_path / "x.db")], cwd=ROOT,
                            env=crawl_env(MONITOR_REDIS_URL=""), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == ("distributed.ingest: no Redis: set MONITOR_REDIS_URL or pass "
                                     "--redis redis://host:6379/0")


def test_a_scheduled_job_queues_its_source_instead_of_crawling(localweb_sources, redis, redis_url, tmp_path,
                                                               monkeypatch):
    import datetime as dt

    from core.sources import load_config
    from jobs import daemon as scheduler
    from jobs.runner import CrawlSettings

    config = load_config(localweb_sources)
    source = config.sources[0]
    settings = CrawlSettings(sources=str(localweb_sources), db=str(tmp_path / "s.db"),
                             command="false")  # a crawl started by mistake would fail the job
    monkeypatch.setenv("MONITOR_REDIS_URL", redis_url)
    monkeypatch.setattr(scheduler, "_context",
                        scheduler._Context(config=config, settings=settings, started_at=dt.datetime.now(dt.UTC)))
    assert scheduler.run_job(source.name) is True
    for spider in scheduler.spiders_for(source):
        queued = redis.zcard(f"monitor:{spider}:requests")
        assert queued == len(getattr(source, spider) or [1]), spider  # its listings (or its home page / robots.txt)
    store = open_db(tmp_path / "s.db")  # read by the scheduler for validators and discoveries, nothing crawled
    try:
        assert store["crawl_runs"].count == 0
    finally:
        store.close()


def test_our_redis_clients_honour_redis_params(redis_url):
    """``REDIS_PARAMS`` (scrapy-redis' setting) reaches our clients as it reaches scrapy-redis' own."""
    from scrapy.settings import Settings

    from distributed.frontier import connect

    plain = connect(redis_url)
    tuned = connect(redis_url, Settings({"REDIS_PARAMS": {"socket_timeout": 5, "client_name": "monitor-test"}}))
    try:
        assert plain.connection_pool.connection_kwargs["socket_connect_timeout"] == 10
        assert plain.connection_pool.connection_kwargs["socket_timeout"] == 30
        assert tuned.connection_pool.connection_kwargs["socket_timeout"] == 5
        assert tuned.client_getname() in ("monitor-test", b"monitor-test")  # redis-py decodes it, or not
        tuned.set("monitor:test:bytes", "é")
        assert plain.get("monitor:test:bytes") == "é".encode()  # bytes in, bytes out
    finally:
        tuned.delete("monitor:test:bytes")
        plain.close()
        tuned.close()
