"""The docs tell the truth: settings, spiders, pipelines order, canned queries."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from crawler import settings
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_monitor_setting_is_documented():
    names = [n for n in dir(settings) if n.startswith("MONITOR_")]
    assert {"MONITOR_SOURCES", "MONITOR_DB", "MONITOR_ALLOWED_HOSTS"} <= set(names)
    missing = [n for n in names if f"`{n}`" not in README]
    assert not missing, f"settings missing from README.md: {missing}"


def test_readme_starts_with_the_two_commands():
    head = README[:1500]
    assert "make demo" in head and "make test" in head


def test_scrapy_list_shows_every_spider_and_readme_names_them():
    out = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["feeds", "sections", "sitemaps"]
    for name in out:
        assert f"scrapy crawl {name}" in README


def test_pipeline_docstring_mirrors_item_pipelines():
    import pipelines

    documented = dict((path, int(prio)) for prio, path in
                      re.findall(r"^\s+(\d+)\s+(pipelines\.\S+)", pipelines.__doc__ or "", re.M))
    assert documented == settings.ITEM_PIPELINES


def test_the_desk_keys_nothing_by_database_name_and_its_queries_run(tmp_path):
    from desk.tables import HIDDEN, TABLES
    from storage import coverage, open_db

    meta = json.loads((ROOT / "desk" / "metadata.json").read_text(encoding="utf-8"))
    assert "databases" not in meta  # tables, queries and facets come from the plugin, for any file name
    db = open_db(tmp_path / "any-name.db")
    tables = set(db.table_names())
    for table in [*TABLES, *HIDDEN]:
        assert table in tables, table
    for name, query in coverage.CANNED_QUERIES.items():
        params = {p: "2025-01-01" for p in re.findall(r":(\w+)", query["sql"])}
        list(db.query(query["sql"], params))  # raises on a broken query
        assert query["title"] and query["description"], name
    db.close()


def test_the_desk_guide_names_every_canned_query():
    from storage import coverage

    guide = (ROOT / "docs" / "desk.md").read_text(encoding="utf-8")
    missing = [name for name in coverage.CANNED_QUERIES if not re.search(rf"`{name}[`?]", guide)]
    assert not missing, f"canned queries missing from docs/desk.md: {missing}"
