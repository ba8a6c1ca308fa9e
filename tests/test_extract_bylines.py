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


def test_an_unmarked_byline_line_is_read_and_a_sentence_is_not():
    body = '<h1>Headline</h1><div class="meta">Ein Artikel von <strong>Ana Lima</strong> | 27.01.2022</div><p>Text.</p>'
    assert author_of("", body) == "Ana Lima"
    assert author_of("", "<p>Some text.</p><p><strong>Text:</strong> Jan van der Berg</p>") == "Jan van der Berg"
    assert author_of("", "<p>Von Berlin aus fuhr der Zug nach Hamburg.</p>") is None
    assert author_of("", '<footer><p>By Site Team Copyright</p></footer>') is None


def test_the_post_container_is_not_a_sidebar_widget():
    body = ('<div class="widget Blog"><div class="post hentry"><p>Text.</p>'
            '<span class="post-author vcard">Posted by <span class="fn">Ana Lima</span></span></div></div>')
    assert author_of("", body) == "Ana Lima"


def test_yoast_written_by_label_and_escaped_entities():
    head = '<meta name="twitter:label1" content="Verfasst von"><meta name="twitter:data1" content="Ana Lima">'
    assert author_of(head, "") == "Ana Lima"
    assert author_of('<meta name="author" content="Redacci&amp;oacute;n Central">', "") == "Redacción Central"


def test_agency_in_the_dateline():
    from pipelines.bylines import agency_in_dateline

    assert agency_in_dateline("Hamburg (dpa/lno) – Trotz eines Gespräches ...") == "dpa/lno"
    assert agency_in_dateline("PARIS (AFP): Le gouvernement ...") == "AFP"
    assert agency_in_dateline("Die Partei (SPD) – so heißt es ...") is None


def test_the_name_in_the_date_line_beside_the_headline():
    body = '<div><h1>Variables at home</h1><p class="text-muted">11.12.2019 - Ana Lima</p><p>Text.</p></div>'
    assert author_of("", body) == "Ana Lima"
    assert author_of("", '<div><small>04.02.2022 | 13:10 Uhr | Jon Park</small><h1>H</h1></div>') == "Jon Park"
    assert author_of("", '<div><h1>H</h1><p>Berlin Mitte | Politik</p></div>') is None  # no date: not a byline


def test_a_name_signed_under_the_article():
    body = "<div><p>The story, told at length.</p><p>More of it.</p><p><b><i>Ana Lima</i></b></p></div>"
    assert author_of("", body) == "Ana Lima"
    plain = "<div><p>The story, told at length.</p><p>Ana Lima</p></div>"  # not set apart: a line of the story
    assert author_of("", plain) is None


def test_json_ld_with_raw_newlines_in_strings_is_read():
    script = '<script type="application/ld+json">{"@type": "BlogPosting", "headline": "H", "articleBody": "a\nb",' \
             ' "author": {"@type": "Person", "name": "Ana Lima"}}</script>'
    assert author_of(script, "") == "Ana Lima"


def test_byline_pieces_are_spaced_and_a_weekday_before_the_date_is_cut():
    body = '<div class="gallery-author__content"><span>Ana Lima</span><span>vor 5 Stunden</span></div>'
    assert author_of("", body) == "Ana Lima"
    assert author_of("", '<div class="author vcard">Von <b>Jon Park</b> Fr, 18. Oktober 2019</div>') == "Jon Park"


def test_labels_in_author_places_are_not_authors():
    for label in ("Publiziert am", "Zuletzt geändert", "Datum", "Quelle", "Source"):
        body = f'<article><span class="author">{label}</span><p>Text.</p></article>'
        assert author_of("", body) is None, label
    assert author_of("", '<article><span class="author">Ana Lima</span><p>Text.</p></article>') == "Ana Lima"
