"""Extraction benchmark: body, title, date and author quality and CPU per page, ours beside trafilatura alone.

    .venv/bin/python bench/extraction.py [--pages 990] [--fallback]

Two sets of real pages from ``../shared/data/``:

* ``extraction-trafilatura``: 990 annotated pages (snippets that must and must
  not appear in the text, scored by the kit's ``score.py`` as micro
  precision/recall/F1; title, date and author for most, exact match);
* ``pages-newspaper4k``: 30 pages with another extractor's text (``txt/``,
  scored as bag-of-words F1, characters for scripts written without spaces)
  and, for 20, its title, authors and date (``metadata/``; not hand-checked,
  so read its figures as agreement, not accuracy).

Variants, in this one process, one after the other:

* ``trafilatura``: ``bare_extraction(with_metadata=True)`` with its fallback
  extractors, trafilatura alone;
* ``trafilatura_text``: the same without metadata, trafilatura's text
  extraction alone (the whole chain should cost less than this);
* ``ours``: :func:`pipelines.extract.extract_article` as the crawl runs it
  (declared metadata; trafilatura's fallback only for thin pages);
* ``ours_feed_date``: the same when the feed gave the date (the usual case in
  a crawl: the page's date is not searched);
* ``ours_fallback`` (with ``--fallback``): ``MONITOR_EXTRACT_FALLBACK`` on.

Pages are decoded as Scrapy would (BOM, then the declared charset, then UTF-8).
CPU milliseconds are per page; the machine may be shared, so compare the
ratio to trafilatura measured in the same run. Lazy loads (htmldate's
dateparser locales, the first time a page's date is searched in words) are
paid before any variant is timed, so that the first variant does not pay them
for the others. The last line is one JSON object.

Held-out split: the annotated pages are split by outlet (a hash of the host
name, the archived one for web.archive.org copies), a quarter held out.
Rules are studied on the ``dev`` pages; ``held_out`` figures say whether they
generalise to outlets not looked at. Both are reported beside the whole set.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import importlib.util
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # the project's root, not bench/, first
SHARED = ROOT.parent / "shared" / "data"
DATA = SHARED / "extraction-trafilatura"
N4K = SHARED / "pages-newspaper4k"

import trafilatura  # noqa: E402
from w3lib.encoding import html_to_unicode  # noqa: E402

from pipelines import xmlchars, xpathguard  # noqa: E402
from pipelines.extract import extract_article  # noqa: E402

Extractor = Any  # (html, url) -> {"text", "title", "date", "author"} | None


def load_scorer() -> Any:
    spec = importlib.util.spec_from_file_location("kit_score", DATA / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def decode(raw: bytes) -> str:
    return html_to_unicode(None, raw)[1]


def trafilatura_own(html: str, url: str) -> dict[str, Any] | None:
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=True)
    return {"text": doc.text, "title": doc.title, "date": doc.date, "author": doc.author} if doc else None


def trafilatura_text(html: str, url: str) -> dict[str, Any] | None:
    """trafilatura's text extraction alone (its fallback on, no metadata): the cost the whole chain must stay under."""
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=False, include_comments=False, include_tables=True)
    return {"text": doc.text} if doc else None


def ours(**options: Any) -> Extractor:
    def run(html: str, url: str) -> dict[str, Any] | None:
        found = extract_article(html, url=url, **options)
        return ({"text": found.text, "title": found.title, "date": found.published, "author": found.author}
                if found else None)
    return run


def held_out(url: str) -> bool:
    """Whether a page's outlet is in the held-out quarter (outlets, not pages: no outlet is on both sides)."""
    archived = re.match(r"^https?://web\.archive\.org/web/\w+/(.*)$", url)
    if archived:
        url = archived.group(1)
    host = (urlsplit(url).hostname or url).removeprefix("www.")
    return hashlib.blake2b(host.encode(), digest_size=2).digest()[0] % 4 == 0


def warm_up(pages: dict[str, str], count: int = 150) -> None:
    """Pay the libraries' lazy loads before anything is timed."""
    for url, html in list(pages.items())[:count]:
        trafilatura_own(html, url)


@contextlib.contextmanager
def as_published(name: str) -> Iterator[None]:
    """trafilatura's rows run with its own expressions and loader: ours (pipelines.xpathguard,
    pipelines.xmlchars) are taken out for them, put back after."""
    if not name.startswith("trafilatura"):
        yield
        return
    xpathguard.uninstall()
    xmlchars.uninstall()
    try:
        yield
    finally:
        xpathguard.install()
        xmlchars.install()


def run_all(extract: Extractor, pages: dict[str, str]) -> tuple[dict[str, dict[str, Any]], float]:
    for url, html in list(pages.items())[:10]:  # warm caches and lazy imports
        extract(html, url)
    found: dict[str, dict[str, Any]] = {}
    started = time.process_time()
    for url, html in pages.items():
        found[url] = extract(html, url) or {}
    return found, 1000 * (time.process_time() - started) / len(pages)


# -- extraction-trafilatura ----------------------------------------------------------------------


def load_trafilatura_set(limit: int) -> tuple[dict[str, str], dict[str, Any]]:
    evaldata = json.loads((DATA / "evaldata.json").read_text(encoding="utf-8"))
    pages = {url: decode(gzip.decompress((DATA / "html" / f"{item['file']}.gz").read_bytes()))
             for url, item in list(evaldata.items())[:limit]}
    return pages, {url: evaldata[url] for url in pages}


def score_trafilatura_set(found: dict[str, dict[str, Any]], data: dict[str, Any], scorer: Any,
                          dated: bool) -> dict[str, Any]:
    text = scorer.text_scores(data, {url: f.get("text") for url, f in found.items()})
    fields = scorer.meta_scores(data, found)
    figures = {"precision": round(text["precision"], 4), "recall": round(text["recall"], 4), "f1": round(text["f1"], 4),
               "title_exact": round(fields["title"]["rate"], 3), "author_exact": round(fields["author"]["rate"], 3)}
    if dated:
        figures["date_exact"] = round(fields["date"]["rate"], 3)
    return figures


# -- pages-newspaper4k ---------------------------------------------------------------------------


def load_newspaper_set() -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    index = json.loads((N4K / "index.json").read_text(encoding="utf-8"))
    pages: dict[str, str] = {}
    gold: dict[str, dict[str, Any]] = {}
    for name, entry in index.items():
        if not entry.get("txt"):
            continue  # meta-refresh and home pages: nothing to score
        url = entry.get("url") or f"https://example.com/{name}"
        pages[url] = decode(gzip.decompress((N4K / entry["html"]).read_bytes()))
        gold[url] = {"text": (N4K / entry["txt"]).read_text(encoding="utf-8"), "title": entry.get("title"),
                     "date": (entry.get("publish_date") or "")[:10] or None, "authors": entry.get("authors") or []}
    return pages, gold


def _tokens(text: str) -> Counter[str]:
    text = text.casefold()
    words = re.findall(r"\w+", text)
    if words and len(words) < len(text) / 15:  # written without spaces: compare characters
        return Counter(c for c in text if c.isalnum())
    return Counter(words)


def _norm(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip().casefold()


def score_newspaper_set(found: dict[str, dict[str, Any]], gold: dict[str, dict[str, Any]]) -> dict[str, Any]:
    f1s: list[float] = []
    hits = Counter[str]()
    counts = Counter[str]()
    for url, expected in gold.items():
        got = found.get(url) or {}
        want, have = _tokens(expected["text"]), _tokens(got.get("text") or "")
        common = sum((want & have).values())
        f1s.append(2 * common / (sum(want.values()) + sum(have.values())) if common else 0.0)
        if expected["title"]:
            counts["title"] += 1
            hits["title"] += _norm(got.get("title")) == _norm(expected["title"])
        if expected["date"]:
            counts["date"] += 1
            hits["date"] += str(got.get("date") or "")[:10] == expected["date"]
        if expected["authors"]:
            counts["author"] += 1
            mine = {_norm(a) for a in str(got.get("author") or "").split(";") if a.strip()}
            hits["author"] += mine == {_norm(a) for a in expected["authors"]}
    figures = {"f1": round(sum(f1s) / len(f1s), 4)}
    for field in ("title", "date", "author"):
        figures[f"{field}_exact"] = round(hits[field] / counts[field], 3) if counts[field] else None
        figures[f"{field}_n"] = counts[field]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=990, help="how many of the annotated pages (default all 990)")
    parser.add_argument("--fallback", action="store_true", help="also measure MONITOR_EXTRACT_FALLBACK on")
    args = parser.parse_args(argv)
    if not (DATA / "evaldata.json").is_file() or not (N4K / "index.json").is_file():
        print(f"bench/extraction.py: {SHARED} is missing (the third-party data kit); nothing to measure",
              file=sys.stderr)
        return 2
    scorer = load_scorer()
    variants: dict[str, Extractor] = {"trafilatura": trafilatura_own, "trafilatura_text": trafilatura_text,
                                      "ours": ours()}
    if args.fallback:
        variants["ours_fallback"] = ours(fast=False)
    result: dict[str, Any] = {}

    pages, data = load_trafilatura_set(args.pages)
    warm_up(pages)
    result["extraction-trafilatura"] = block = {"pages": len(pages)}
    splits = {split: {url: item for url, item in data.items() if held_out(url) == (split == "held_out")}
              for split in ("dev", "held_out")}
    for name, extract in [*variants.items(), ("ours_feed_date", ours(want_date=False))]:
        with as_published(name):
            found, cpu_ms = run_all(extract, pages)
        # With the feed's date the page's date is not searched: its score would say nothing.
        dated = name != "ours_feed_date"
        block[name] = {"cpu_ms": round(cpu_ms, 2), **score_trafilatura_set(found, data, scorer, dated)}
        for split, part in splits.items():
            block[name][split] = score_trafilatura_set(found, part, scorer, dated)
        if name == "trafilatura_text":  # text only: no metadata to score
            block[name] = {k: v for k, v in block[name].items() if not k.endswith("_exact") and k not in splits}
        print(f"extraction-trafilatura {name:15} {block[name]}", file=sys.stderr, flush=True)

    pages, gold = load_newspaper_set()
    result["pages-newspaper4k"] = block = {"pages": len(pages)}
    for name, extract in variants.items():
        with as_published(name):
            found, cpu_ms = run_all(extract, pages)
        block[name] = {"cpu_ms": round(cpu_ms, 2), **score_newspaper_set(found, gold)}
        if name == "trafilatura_text":
            block[name] = {k: v for k, v in block[name].items() if k in ("cpu_ms", "f1")}
        print(f"pages-newspaper4k      {name:15} {block[name]}", file=sys.stderr, flush=True)

    for block in (result["extraction-trafilatura"], result["pages-newspaper4k"]):
        base = block["trafilatura"]["cpu_ms"]
        for name, figures in block.items():
            if isinstance(figures, dict) and name != "trafilatura":
                figures["cpu_vs_trafilatura"] = round(figures["cpu_ms"] / base, 3)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
