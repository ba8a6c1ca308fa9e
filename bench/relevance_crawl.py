"""Evaluation: the development sets of real pages crawled end to end, as a user's crawl would read them.

    .venv/bin/python bench/relevance_crawl.py [--only SET] [--outlets 8] [--keep DIR] [--errors]

``bench/relevance.py`` classifies each labelled text directly. Here every
row of a set (``bench/data/relevance/<name>.jsonl``) becomes an HTML page of
a small local news web: ``--outlets`` outlets on loopback addresses
(127.0.10.1, 127.0.10.2, …), each with an RSS feed of its share of the pages,
the page built from the row's title and paragraphs in one plain news template
(navigation, a byline, a footer). ``scrapy crawl feeds`` then crawls it with
the set's story (its ``<name>.story.toml``) into a fresh SQLite store, and
the store is read back: extraction, dates, language, relevance, copies and
duplicates all take part. A follow-up found as a near-duplicate of another
stored follow-up still counts as found (a second copy of coverage is coverage).

A row's page is dated by the row's ``published`` when it is inside the
story's window, else a day inside it (the sets' texts are the point, not
their dates). Reported per set, beside ``bench/relevance.py``'s figures for
the same rows: precision, recall and F1 of ``followup``, copies flagged,
mentions counted, and every page whose crawled outcome differs from its
classified one (``--errors``: with the reason the ledger gives).

Prints one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import subprocess
import sys
import tempfile
import threading
import tomllib
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

from bench.httpserve import send  # noqa: E402
from bench.relevance import SETS, classify_row, load_set_story, scores  # noqa: E402
from pipelines.classify import Classifier  # noqa: E402
from storage import open_db  # noqa: E402


class Outlet(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: str, name: str):
        super().__init__((address, 0), Handler)
        self.name = name
        self.base = f"http://{address}:{self.server_address[1]}"
        self.pages: dict[str, bytes] = {}
        self.entries: list[tuple[str, str, datetime]] = []  # path, title, published

    def feed(self) -> bytes:
        items = "".join(
            f"<item><title>{escape(title)}</title><link>{self.base}{path}</link><guid>{self.base}{path}</guid>"
            f"<pubDate>{format_datetime(when)}</pubDate></item>"
            for path, title, when in sorted(self.entries, key=lambda e: e[2], reverse=True))
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{self.name}</title>'
                f"<link>{self.base}/</link><description>{self.name}</description>{items}</channel></rss>").encode()


class Handler(BaseHTTPRequestHandler):
    server: Outlet

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = self.path.split("?")[0]
        if path == "/feed.xml":
            body, kind = self.server.feed(), "application/rss+xml"
        elif path == "/robots.txt":
            body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
        elif path in self.server.pages:
            body, kind = self.server.pages[path], "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        send(self, 200, kind, body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
        pass


def classified(classifier: Classifier, rows: list[dict]) -> dict[str, str]:
    """Each row's label as bench/relevance.py classifies its text (``pipelines.classify``)."""
    return {row["id"]: classify_row(classifier, row)["label"] for row in rows}


def page_html(row: dict, outlet: str, when: datetime, *, headline_inside: bool = True) -> bytes:
    """The row as a plain news page: its title as the headline, its text's lines as paragraphs.

    The headline is in the ``<article>`` with the paragraphs, or above it
    (``headline_inside=False``), where extraction leaves it out of the text.
    """
    title = html.escape(row.get("title") or "")
    lines = [line.strip() for line in (row.get("text") or "").split("\n") if line.strip()]
    if lines and lines[0] == (row.get("title") or "").strip():
        lines = lines[1:]  # the text starts with its headline: shown once, as the headline
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    stamp = when.isoformat()
    headline = f'<div class="article-header"><h1>{title}</h1></div>'
    return f"""<!DOCTYPE html>
<html lang="{html.escape(row.get('language') or 'und')}"><head><meta charset="utf-8">
<title>{title} | {outlet}</title>
<meta property="og:type" content="article"><meta property="og:title" content="{title}">
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="{stamp}">
</head><body>
<header><nav><a href="/">{outlet}</a> <a href="/world/">World</a> <a href="/tech/">Tech</a>
<a href="/business/">Business</a></nav></header>
<main>{"" if headline_inside else headline}<article>
{headline if headline_inside else ""}
<p class="byline">By the {outlet} desk, <time datetime="{stamp}">{when:%d %B %Y}</time></p>
{paragraphs}
</article></main>
<footer><p>© {outlet}. All rights reserved.</p><a href="/about/">About us</a> <a href="/contact/">Contact</a></footer>
</body></html>""".encode()


def page_day(row: dict, since: date, index: int) -> datetime:
    raw = str(row.get("published") or "")[:10]
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or day < since:
        day = since + timedelta(days=1 + index % 20)
    return datetime(day.year, day.month, day.day, 8 + index % 10, 0, tzinfo=UTC)


def sources_toml(story: dict, terms: tuple[str, ...], story_dir: Path, outlets: list[Outlet]) -> str:
    """The set's story (with ``terms``) and the outlets, as a sources.toml."""
    lines = ["[[story]]"]
    for key in ("name", "url", "title", "language", "published", "since"):
        if key in story:
            value = story[key]
            lines.append(f"{key} = {value.isoformat() if isinstance(value, date) else json.dumps(value)}")
    lines.append(f"terms = {json.dumps(list(terms))}")
    if story.get("file"):
        lines.append(f"file = {json.dumps(str((story_dir / story['file']).resolve()))}")
    for outlet in outlets:
        lines += ["", "[[source]]", f'name = "{outlet.name}"', f'feeds = ["{outlet.base}/feed.xml"]', 'language = "en"', 'every = "30m"']
    return "\n".join(lines) + "\n"


def crawl_set(path: Path, *, outlets: int, work: Path, show_errors: bool, headline_inside: bool = True) -> dict[str, object]:
    story_path = path.with_suffix(".story.toml")
    story = tomllib.loads(story_path.read_text(encoding="utf-8"))["story"]
    # The terms and classifier bench/relevance.py uses: the set's own terms, else drafted from the source.
    profile, _ = load_set_story(story_path)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    since = story.get("since") or date(2000, 1, 1)
    since = since if isinstance(since, date) else date.fromisoformat(str(since))
    servers = [Outlet(f"127.0.10.{n + 1}", f"outlet{n + 1}") for n in range(outlets)]
    where: dict[str, dict] = {}
    for index, row in enumerate(rows):
        server = servers[index % outlets]
        when = page_day(row, since, index)
        page = f"/{when:%Y/%m/%d}/{row['id']}.html"
        server.pages[page] = page_html(row, server.name, when, headline_inside=headline_inside)
        server.entries.append((page, row.get("title") or row["id"], when))
        where[f"{server.base}{page}"] = row
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    try:
        (work / "sources.toml").write_text(sources_toml(story, profile.terms, story_path.parent, servers), encoding="utf-8")
        db = work / f"{path.stem}.db"
        command = [sys.executable, "-m", "scrapy", "crawl", "feeds", "-s", f"MONITOR_SOURCES={work / 'sources.toml'}",
                   "-s", f"MONITOR_DB={db}", "-s", "MONITOR_ALLOWED_HOSTS=127.0.0.0/8", "-s", "DOWNLOAD_DELAY=0",
                   "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "ROBOTSTXT_OBEY=False"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
        with (work / f"{path.stem}.log").open("w") as log:
            done = subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
        if done.returncode != 0 or "'finish_reason': 'finished'" not in (work / f"{path.stem}.log").read_text():
            raise SystemExit(f"relevance_crawl: the crawl of {path.stem} failed ({done.returncode}); "
                             f"see {work / (path.stem + '.log')}")
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    store = open_db(db)
    labels = {r["url"]: r["label"] for r in store.query("SELECT url, label FROM articles")}
    ledger = {r["url"]: f"{r['status']}/{r['reason']}" for r in store.query("SELECT url, status, reason FROM urls")}
    store.close()
    expected_labels = classified(Classifier(profile), rows)
    base = [0, 0, 0]
    tally = [0, 0, 0]
    truths: Counter[str] = Counter()
    got: Counter[str] = Counter()
    differs: Counter[str] = Counter()
    for url, row in where.items():
        truth = row["label"]
        outcome = labels.get(url) or ledger.get(url, "not_seen")
        found = outcome == "followup"
        tally[0] += found and truth == "followup"
        tally[1] += found and truth != "followup"
        tally[2] += (not found) and truth == "followup"
        truths[truth] += 1
        got[f"{truth}->{outcome}"] += 1
        expected = expected_labels[row["id"]]
        base[0] += expected == "followup" and truth == "followup"
        base[1] += expected == "followup" and truth != "followup"
        base[2] += expected != "followup" and truth == "followup"
        if outcome != expected and not (outcome.endswith("/off_topic") and expected == "off_topic"):
            differs[f"{expected}->{outcome}"] += 1
            if show_errors:
                print(f"{path.stem}: {row['id']} ({truth}) classified {expected}, crawled {outcome} "
                      f"{row.get('language')} {str(row.get('title'))[:80]!r}", file=sys.stderr)
    mentions = truths["mention"]
    return {"pages": len(rows), "crawled": scores(*tally),
            "classified": scores(*base),
            "copies_flagged": f"{got['source_copy->source_copy']}/{truths['source_copy']}",
            "mentions_as_followup": round(got["mention->followup"] / mentions, 3) if mentions else None,
            "crawled_differs_from_classified": dict(sorted(differs.items())),
            "outcomes": dict(sorted(got.items()))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="crawl only this set")
    parser.add_argument("--outlets", type=int, default=8)
    parser.add_argument("--keep", type=Path, help="keep the stores and crawl logs in this folder")
    parser.add_argument("--errors", action="store_true", help="print every page crawled otherwise than classified")
    parser.add_argument("--headline-outside", action="store_true",
                        help="put each page's <h1> above its <article>, where extraction leaves it out of the text")
    args = parser.parse_args(argv)
    sets = [p for p in sorted(SETS.glob("*.jsonl")) if p.with_suffix(".story.toml").exists()
            and (not args.only or p.stem == args.only)]
    if not sets:
        print(f"relevance_crawl: no set to crawl in {SETS}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="relevance-crawl-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        result = {p.stem: crawl_set(p, outlets=args.outlets, work=work, show_errors=args.errors,
                                    headline_inside=not args.headline_outside) for p in sets}
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
