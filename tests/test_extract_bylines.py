"""Authors: declared first (JSON-LD, with @id references and lists), then the visible byline."""

from __future__ import annotations

import json

import trafilatura

from pipelines.pagemeta import read_metadata


def author_of(head: str, body: str) -> str | None:
    tree = trafilatura.load_html(f"<html><head>{head}</head><body>{body}</body></html>")
    return read_metadata(tree, url="https://www.gazette.example/story", want_date=False).author


def ld(value: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(value)}</script>'


def test_all_declared_authors_are_kept():
    graph = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "H",
             "author": [{"@type": "Person", "name": "Ana Lima"}, {"@type": "Person", "name": "Jon Park"}]}
    assert author_of(ld(graph), "") == "Ana Lima; Jon Park"


def test_author_reference_resolved_through_the_graph():
    graph = {"@graph": [{"@type": "Article", "headline": "H", "author": {"@id": "https://g.example/#/person/1"}},
                        {"@type": "Person", "@id": "https://g.example/#/person/1", "name": "Ana Lima"}]}
    assert author_of(ld(graph), "") == "Ana Lima"


def test_outlet_as_meta_author_yields_to_the_byline():
    head = '<meta name="author" content="The Gazette"><meta property="og:site_name" content="The Gazette">'
    body = '<article><p class="byline">By <a rel="author" href="/a/ana">Ana Lima</a></p><p>Text.</p></article>'
    assert author_of(head, body) == "Ana Lima"


def test_byline_lead_in_date_and_comment_authors_are_left_out():
    body = ('<article><div class="post-meta">Posted on 3 May 2025 by <span class="author vcard">'
            '<a class="url fn n" href="/author/marc">marc</a></span></div><p>Text.</p></article>'
            '<section id="comments"><div class="comment-author vcard">Troll says:</div></section>')
    assert author_of("", body) == "marc"
    assert author_of("", '<div class="byline">Von Ana Lima am 5. Februar 2025</div>') == "Ana Lima"
    assert author_of("", '<form><p class="comment-form-author">Name *</p></form>') is None
