"""Titles: the headline a reader sees, without the site's name or a date, reconciled with <h1>."""

from __future__ import annotations

import json

import pytest
import trafilatura

from pipelines.pagemeta import read_metadata
from pipelines.titles import TitleAffixes, strip_affixes


def meta_of(head: str, body: str, url: str = "https://www.gazette.example/2025/02/05/story.html"):
    tree = trafilatura.load_html(f"<html><head>{head}</head><body>{body}<p>{'Text of the story. ' * 30}</p></body></html>")
    return read_metadata(tree, url=url, want_date=False)


@pytest.mark.parametrize("title, names, expected", [
    ("Markets fall on new model | The Gazette", {"The Gazette"}, "Markets fall on new model"),
    ("The Gazette » Markets fall on new model", {"The Gazette"}, "Markets fall on new model"),
    ("Markets fall on new model – DW – 13.06.2023", {"DW"}, "Markets fall on new model"),
    ("Markets fall on new model - gazette.de", set(), "Markets fall on new model"),
    ("新模型发布--科技--人民网", {"人民网"}, "新模型发布"),  # section and site cut
    ("Anti-trust - the long view", {"The Gazette"}, "Anti-trust - the long view"),  # nothing to cut
])
def test_strip_affixes(title, names, expected):
    assert strip_affixes(title, names) == expected


def test_visible_headline_wins_when_it_agrees_with_the_declared_title():
    found = meta_of('<title>Economy: Markets fall on new model | The Gazette</title>'
                    '<meta property="og:title" content="Economy: Markets fall on new model">'
                    '<meta property="og:site_name" content="The Gazette">',
                    '<header><h1 class="logo"><a href="/">The Gazette</a></h1></header>'
                    '<article><h1><span class="kicker">Economy</span> Markets fall on new model</h1>')
    assert found.title == "Markets fall on new model"


def test_site_name_glued_to_the_headline_by_markup_is_cut():
    found = meta_of('<title>Council votes on the new harbour » Local » The Island Daily</title>'
                    '<meta name="twitter:title" content="Council votes on the new harbour">',
                    '<article><h1>Council votes on the new harbour<span class="brand">The Island Daily</span></h1>')
    assert found.title == "Council votes on the new harbour"
    plural = meta_of('<meta property="og:title" content="Council votes on the new harbour">',
                     '<article><h1>Council votes on the new harbours</h1>')
    assert plural.title == "Council votes on the new harbours"  # a letter more is the headline, not a site


def test_declared_title_cleaned_when_the_page_has_no_headline():
    found = meta_of('<title>Markets fall on new model | The Gazette</title>'
                    '<meta property="og:site_name" content="The Gazette">', "<article><h2>Subhead</h2>")
    assert found.title == "Markets fall on new model"


def test_title_affixes_learned_per_outlet_round_trip():
    learned = TitleAffixes(min_pages=3)
    for number in range(5):
        learned.learn("gazette", f"Story {number} happened today | Gazette Online")
    learned.learn("gazette", "A one-off title without suffix")
    assert learned.affixes("gazette") == ["Gazette Online"]
    assert strip_affixes("Story 9 happened | Gazette Online", set(), learned.affixes("gazette")) == "Story 9 happened"
    restored = TitleAffixes.from_json(json.loads(json.dumps(learned.to_json())))
    assert restored.affixes("gazette") == ["Gazette Online"]
