"""The classify tool: the crawl's decisions on JSONL, on the local web's pages and on real feed entries."""

from __future__ import annotations

import io
import json

from localweb.model import Page
from localweb.render import render_article
from localweb.site import PAGES, STORY, get_outlet, published_at
from pipelines import classify
from tests.conftest import DATA, ROOT, need


def html_of(page: Page) -> str:
    outlet = get_outlet(page.outlet)
    return render_article(page, outlet, f"http://{outlet.address}", []).decode("utf-8")


def run(lines: list[dict], *args: str) -> tuple[list[dict], str]:
    stdin = io.StringIO("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
    out, err = io.StringIO(), io.StringIO()
    assert classify.main(list(args), stdin, out, err) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def local_sources(tmp_path):
    """A config whose story file is the local web's source article, as HTML."""
    source = next(p for p in PAGES if p.expect == "story_source")
    (tmp_path / "source.html").write_text(html_of(source),
                                          encoding="utf-8")
    terms = ", ".join(json.dumps(t, ensure_ascii=False) for t in STORY["terms"])
    (tmp_path / "sources.toml").write_text(
        f'[[story]]\nname = "demo"\nurl = "http://127.0.0.2/source.html"\nfile = "source.html"\n'
        f'title = "t"\nlanguage = "fr"\nsince = 2025-01-20\nterms = [{terms}]\n', encoding="utf-8")
    return tmp_path / "sources.toml"


def test_local_web_pages_get_their_labels(tmp_path):
    sources = local_sources(tmp_path)
    pages = [p for p in PAGES if p.expect in ("followup", "source_copy", "duplicate", "off_topic")]
    pages.sort(key=published_at)
    lines = [{"id": f"{p.outlet}{p.path}", "url": f"http://{get_outlet(p.outlet).address}{p.path}",
              "html": html_of(p)} for p in pages]
    out, err = run(lines, "--sources", str(sources), "--db", str(tmp_path / "none.db"))
    assert "no source text" not in err
    wrong = []
    first_of_group: dict[str, str] = {}
    for page, row in zip(pages, out, strict=True):
        got = "duplicate" if row["duplicate_of"] else row["label"]
        if got != page.expect or row["language"] != page.language:
            wrong.append((page.path, page.expect, got, row["language"], row["score"]))
        if page.dup_group:
            first_of_group.setdefault(page.dup_group, row["id"])
            if row["duplicate_of"]:
                assert row["duplicate_of"] == first_of_group[page.dup_group]
        assert "html" not in row
    assert not wrong, wrong


def test_feed_entries_of_the_deepseek_week():
    """Real, hand-labelled feed entries (27–29 January 2025): title and description only."""
    folder = need(DATA / "feeds-2025")
    rows = [json.loads(line) for path in sorted(folder.glob("*.jsonl")) for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [{"id": str(i), "url": r["link"], "title": r["title"], "text": r["description"] or "",
              "published": r["date_published"]} for i, r in enumerate(rows)]
    out, _ = run(lines, "--sources", str(ROOT / "sources.toml"))
    tp = fp = fn = 0
    for row, result in zip(rows, out, strict=True):
        if row["deepseek"] == "related":
            continue  # part of the episode without naming it: neither right nor wrong
        truth = row["deepseek"] is True
        predicted = result["label"] in ("followup", "source_copy")
        tp += truth and predicted
        fp += predicted and not truth
        fn += truth and not predicted
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall, tp, fp, fn)
