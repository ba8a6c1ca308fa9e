"""Readers never block: Datasette, read-only, queried 10 times a second while a crawl writes."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from storage import open_db
from tests.faults.site import ROOT, crawl_command, crawl_env, crawl_settings, simple_site

SLOW_SQL = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
            "SELECT count(*) FROM n")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def test_datasette_reads_during_a_crawl_never_see_a_locked_database(faultweb, tmp_path):
    site = simple_site(faultweb, tmp_path, good=150, prefix="read", faults=5)
    path = tmp_path / "read.db"
    open_db(path).close()  # created and migrated, so Datasette has tables from the start
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(path), "--host", "127.0.0.1", "--port", str(port),
         "--metadata", str(ROOT / "desk" / "metadata.json"), "--setting", "sql_time_limit_ms", "300"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/read"
    try:
        for _ in range(100):
            try:
                if _get(base + ".json")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        crawl = subprocess.Popen(crawl_command("feeds", sources=site.sources, db=path,
                                               settings=crawl_settings(faultweb, DOWNLOAD_DELAY=0.02)),
                                 cwd=ROOT, env=crawl_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                 text=True)
        queries = [
            base + ".json?" + urllib.parse.urlencode({"sql": "SELECT count(*) AS n FROM articles"}),
            base + "/urls.json?_size=20&_sort_desc=last_seen",
            base + "/articles.json?_size=5&_facet=label",
        ]
        answers: list[tuple[int, str]] = []
        counts: list[int] = []
        stop = threading.Event()

        def read() -> None:
            i = 0
            while not stop.is_set():
                status, body = _get(queries[i % len(queries)])
                answers.append((status, body))
                if i % len(queries) == 0 and status == 200:
                    counts.append(json.loads(body)["rows"][0][0])
                i += 1
                time.sleep(0.1)

        reader = threading.Thread(target=read)
        reader.start()
        _, crawl_log = crawl.communicate(timeout=240)
        stop.set()
        reader.join()
        assert "'finish_reason': 'finished'" in crawl_log
        assert len(answers) >= 20
        locked = [body for _, body in answers if "locked" in body.lower()]
        assert not locked, locked[:3]
        assert {status for status, _ in answers} == {200}
        assert counts == sorted(counts) and counts[-1] > counts[0]  # the reads saw the crawl progress

        status, body = _get(base + ".json?" + urllib.parse.urlencode({"sql": SLOW_SQL}))
        assert "SQL query took too long" in body
        status, body = _get(base + ".json?" + urllib.parse.urlencode(
            {"sql": "INSERT INTO urls (url) VALUES ('x')"}))
        assert "Statement must be a SELECT" in body
    finally:
        server.terminate()
        server.wait(timeout=10)
