"""Shared fixtures: paths to third-party data, a fresh store, the local news web, crawl runners."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "source-article-fr.txt"
DATA = SHARED / "data"


def need(path: Path) -> Path:
    """Skip the test, with the reason, when third-party data is not beside the project."""
    if not path.exists():
        pytest.skip(f"{path} is absent (third-party test data lives in ../shared beside the project)")
    return path


@pytest.fixture
def db(tmp_path: Path):
    from storage import open_db

    store = open_db(tmp_path / "test.db")
    yield store
    store.close()


@pytest.fixture(scope="session")
def localweb() -> Iterator[object]:
    from localweb.server import start

    web = start(port=0)
    yield web
    web.stop()


@pytest.fixture(scope="session")
def localweb_sources(localweb, tmp_path_factory) -> Path:
    from localweb.config import sources_toml

    path = tmp_path_factory.mktemp("localweb") / "sources.toml"
    path.write_text(sources_toml(localweb), encoding="utf-8")
    return path


def crawl_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, MONITOR_ALLOWED_HOSTS="127.0.0.0/8", PYTHONUNBUFFERED="1")
    env.pop("MONITOR_SOURCES", None)
    env.pop("MONITOR_DB", None)
    env.update(extra)
    return env


def scrapy_crawl(spider: str, *, sources: Path, db: Path, args: tuple[str, ...] = (),
                 timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """``python -m scrapy crawl`` as a user would run it, from the project root."""
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-s", f"MONITOR_SOURCES={sources}",
               "-s", f"MONITOR_DB={db}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", *args]
    return subprocess.run(command, cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def desk_store(localweb_sources, tmp_path_factory):
    """The demo store as ``make demo`` builds it (scheduler.py --once over the local news web), named
    mystory.db (not demo.db: the desk must not depend on a name), with webhook alerts to a local
    receiver and to a dead port."""
    from tests.receiver import Receiver, dead_url

    path = tmp_path_factory.mktemp("desk") / "mystory.db"
    dead = dead_url()
    with Receiver() as receiver:
        env = crawl_env(MONITOR_ALERT_WEBHOOKS=f"{receiver.url},{dead}", MONITOR_ALERT_RETRIES="2",
                        MONITOR_ALERT_BACKOFF="0.05", MONITOR_ALERT_TIMEOUT="5")
        result = subprocess.run([sys.executable, "scheduler.py", "--once", "--sources", str(localweb_sources),
                                 "--db", str(path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return {"path": path, "result": result, "received": receiver.received, "receiver": receiver.url, "dead": dead}


# The slow tier: modules that crawl whole local webs in subprocesses, run the daemon,
# drive the browser or start Redis. `make test-fast` leaves them out.
SLOW_MODULES = {
    "test_scaleout", "test_scheduler", "test_scheduler_storage", "test_launcher", "test_job", "test_browse",
    "test_e2e", "test_discovery_crawl", "test_incremental", "test_alerts", "test_digest", "test_docs",
    "test_faults_crash", "test_faults_storage", "test_faults_catalogue", "test_faults_politeness",
    "test_faults_readers", "test_sections", "test_cli",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.stem in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
