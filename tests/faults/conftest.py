"""Fixtures of the fault suite: the fault web, and one crawl of the whole catalogue."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.faults.server import SECRET, FaultWeb
from tests.faults.site import Site, catalogue_site, crawl_settings, run_crawl


@pytest.fixture(scope="session")
def faultweb(tmp_path_factory) -> Iterator[FaultWeb]:
    folder = tmp_path_factory.mktemp("faultweb")
    canary = folder / "canary.txt"
    canary.write_text(SECRET, encoding="utf-8")
    web = FaultWeb(canary_file=str(canary)).start()
    yield web
    web.stop()


@dataclass
class CatalogueCrawl:
    site: Site
    db_path: Path
    logs: dict[str, str]
    returncodes: dict[str, int]

    def db(self) -> sqlite3.Connection:
        conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        return conn


@pytest.fixture(scope="session")
def catalogue_crawl(faultweb, tmp_path_factory) -> CatalogueCrawl:
    """The feeds and sitemaps spiders over every fault class of the catalogue, once per session."""
    folder = tmp_path_factory.mktemp("catalogue")
    site = catalogue_site(faultweb, folder)
    db = folder / "faults.db"
    logs, codes = {}, {}
    for spider in ("feeds", "sitemaps"):
        result = run_crawl(spider, sources=site.sources, db=db, settings=crawl_settings(faultweb))
        logs[spider], codes[spider] = result.stderr, result.returncode
    return CatalogueCrawl(site=site, db_path=db, logs=logs, returncodes=codes)
