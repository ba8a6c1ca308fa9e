"""trafilatura's second pass replaces the main one only on evidence, not for being longer."""

from __future__ import annotations

import json

import trafilatura

from pipelines.bodytext import THIN_TEXT_CHARS, looks_thin, pick_text
from pipelines.extract import extract_article
from pipelines.pagemeta import read_metadata

STORY = "The council voted on Tuesday to close the old bridge to traffic after engineers found cracks."
MORE = "Repairs will take a year, the mayor said, and a ferry will run meanwhile."
SIDEBAR = "Most read: ten recipes for autumn. Weather: rain all week. Horoscope: Aries has luck."


def test_a_longer_second_pass_that_keeps_the_article_replaces_it():
    assert pick_text(STORY, f"{STORY}\n{MORE}", None) == f"{STORY}\n{MORE}"


def test_the_declared_body_when_it_agrees_and_is_longer():
    declared = f"{STORY} {MORE}"
    assert pick_text(STORY, STORY, declared) == declared
    assert pick_text(STORY, STORY, f"{SIDEBAR} {SIDEBAR}") == STORY  # disagrees with the page: not taken


def test_a_main_pass_as_long_as_the_declared_body_is_not_thin():
    assert not looks_thin(STORY, STORY + "!")
    assert looks_thin(STORY, None) and looks_thin(STORY, STORY * 3)
    assert not looks_thin("x" * THIN_TEXT_CHARS, None)


def test_a_truncated_or_marked_up_declared_body_is_not_evidence():
    def declared(body: str) -> str | None:
        ld = json.dumps({"@type": "NewsArticle", "headline": "Bridge closed", "articleBody": body})
        page = f'<html><head><script type="application/ld+json">{ld}</script></head><body><p>{STORY}</p></body></html>'
        return read_metadata(trafilatura.load_html(page), url="https://gazette.example/a", want_date=False).article_body

    assert declared(f"{STORY} {MORE}") == f"{STORY} {MORE}"
    assert declared(f"{STORY} {MORE}...") is None
    assert declared(f"<p>{STORY}</p><p>{MORE}</p>") is None


def test_a_live_blog_is_kept_whole_from_its_declared_updates():
    updates = [{"@type": "BlogPosting", "headline": f"Update {n}",
                "articleBody": f"At {9 + n}:00 the council reported step {n} of the bridge repairs. " * 4}
               for n in range(1, 9)]
    ld = json.dumps({"@type": "LiveBlogPosting", "headline": "Bridge repairs, live", "liveBlogUpdate": updates})
    shown = "".join(f"<article><h2>{u['headline']}</h2><p>{u['articleBody']}</p></article>" for u in updates[:2])
    page = (f'<html><head><script type="application/ld+json">{ld}</script></head><body><main><h1>Bridge repairs, '
            f'live</h1>{shown}<button>Load more updates</button></main></body></html>')
    found = extract_article(page, url="https://gazette.example/live/bridge")
    assert found is not None
    assert all(f"step {n} of the bridge" in found.text for n in range(1, 9)), found.text
    assert "Update 8" in found.text
