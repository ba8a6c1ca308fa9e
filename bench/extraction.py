"""Extraction benchmark: CPU per page and quality of our extraction against trafilatura's own metadata pass.

    .venv/bin/python bench/extraction.py [--pages 990]

On the 990 annotated pages of ``../shared/data/extraction-trafilatura/``
(snippets that must and must not appear in the text; title, date and author
for most), in this one process, one after the other:

* ``trafilatura``: ``bare_extraction(with_metadata=True)``, trafilatura's
  metadata and its fallback extractors (what we ran before);
* ``ours_fallback``: :func:`pipelines.extract.extract_article` with
  ``MONITOR_EXTRACT_FALLBACK`` on (declared metadata, same text as above);
* ``ours``: the default (no fallback);
* ``ours_feed_date``: the default when the feed gave the date (the usual
  case in a crawl: the page's date is not searched).

Each prints CPU milliseconds per page and, with the data kit's ``score.py``,
text precision/recall/F1 and the exact-match rate of title, date and author.
The last line is one JSON object with every figure and the ratio of each
variant's CPU to trafilatura's.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not bench/: bench/incremental.py would shadow Twisted's `incremental`
DATA = ROOT.parent / "shared" / "data" / "extraction-trafilatura"

import trafilatura  # noqa: E402

from pipelines.extract import extract_article  # noqa: E402


def load_scorer() -> Any:
    spec = importlib.util.spec_from_file_location("kit_score", DATA / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def trafilatura_own(html: str, url: str) -> dict[str, Any] | None:
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=True)
    return {"text": doc.text, "title": doc.title, "date": doc.date, "author": doc.author} if doc else None


def ours(**options: Any) -> Any:
    def run(html: str, url: str) -> dict[str, Any] | None:
        found = extract_article(html, url=url, **options)
        return ({"text": found.text, "title": found.title, "date": found.published, "author": found.author}
                if found else None)
    return run


def measure(name: str, extract: Any, pages: dict[str, str], evaldata: dict[str, Any], scorer: Any,
            *, dated: bool = True) -> dict[str, Any]:
    for url, html in list(pages.items())[:10]:  # warm caches and lazy imports
        extract(html, url)
    texts: dict[str, str | None] = {}
    meta: dict[str, dict[str, Any]] = {}
    started = time.process_time()
    for url, html in pages.items():
        found = extract(html, url)
        texts[url] = found["text"] if found else None
        meta[url] = found or {}
    cpu_ms = 1000 * (time.process_time() - started) / len(pages)
    data = {url: evaldata[url] for url in pages}
    text = scorer.text_scores(data, texts)
    fields = scorer.meta_scores(data, meta)
    figures = {"cpu_ms": round(cpu_ms, 2), "precision": round(text["precision"], 4),
               "recall": round(text["recall"], 4), "f1": round(text["f1"], 4),
               **{f"{field}_exact": round(fields[field]["rate"], 3) for field in ("title", "author")}}
    if dated:
        figures["date_exact"] = round(fields["date"]["rate"], 3)
    print(f"{name:16} {figures}", file=sys.stderr, flush=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=990, help="how many of the annotated pages (default all 990)")
    args = parser.parse_args(argv)
    if not (DATA / "evaldata.json").is_file():
        print(f"bench/extraction.py: {DATA} is missing (the third-party data kit); nothing to measure",
              file=sys.stderr)
        return 2
    evaldata = json.loads((DATA / "evaldata.json").read_text(encoding="utf-8"))
    pages: dict[str, str] = {}
    for url, item in list(evaldata.items())[:args.pages]:
        raw = gzip.decompress((DATA / "html" / f"{item['file']}.gz").read_bytes())
        pages[url] = raw.decode("utf-8", errors="replace")
    scorer = load_scorer()
    result: dict[str, Any] = {"pages": len(pages)}
    result["trafilatura"] = measure("trafilatura", trafilatura_own, pages, evaldata, scorer)
    result["ours_fallback"] = measure("ours_fallback", ours(fast=False), pages, evaldata, scorer)
    result["ours"] = measure("ours", ours(), pages, evaldata, scorer)
    # The date is not searched: its score would say nothing, the crawl takes the feed's.
    result["ours_feed_date"] = measure("ours_feed_date", ours(want_date=False), pages, evaldata, scorer, dated=False)
    base = result["trafilatura"]["cpu_ms"]
    for name in ("ours_fallback", "ours", "ours_feed_date"):
        result[name]["cpu_vs_trafilatura"] = round(result[name]["cpu_ms"] / base, 3)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
