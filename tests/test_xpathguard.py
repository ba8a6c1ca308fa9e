"""trafilatura's XPath expressions with native guards select what trafilatura's own select (pipelines/xpathguard)."""

from __future__ import annotations

import datetime as dt
import gzip
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml.etree import XPath

from pipelines import extract, xpathguard
from tests.conftest import DATA, need

extract._trafilatura()  # loads trafilatura and puts the guards in place
GUARDED = [(original, new) for original, new in xpathguard._installed.values()]
PATTERNS = sorted({(pattern, flags) for original, _ in GUARDED
                   for pattern, flags in re.findall(r"re:test\([^,]+,\s*'([^']*)'\s*(?:,\s*'([^']*)')?", original.path)})
GENERATED = settings(derandomize=True, max_examples=150, deadline=dt.timedelta(seconds=3),
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def test_trafilatura_expressions_are_guarded():
    assert len(GUARDED) >= 10  # trafilatura 2.3 has 30-odd expressions testing attributes with regexes
    assert all("re:test" in original.path or "|" in original.path for original, _ in GUARDED)
    assert any("contains(" in new.path and "contains(" not in original.path for original, new in GUARDED)


@pytest.mark.parametrize(("pattern", "literals"), [
    ("^[Cc]omment(?!ary)|(?:article|post)-comments", ["omment", "-comments"]),
    ("^(?:nav|post-nav|ZendeskForm)", ["nav", "post-nav", "ZendeskForm"]),
    (" ad |-ad-|(?:^| )ad-|dfp[Aa]d", [" ad ", "-ad-", "ad-", "dfp"]),
    ("bread-?crumb", ["bread"]),  # the optional hyphen ends the run
    ("author-?name|AuthorName", ["author", "AuthorName"]),
    ("(^|\\s)link(\\s|$)", ["link"]),
    ("a(b|)c", ["a"]),  # a group with an empty alternative requires nothing
    ("x+y", ["x"]),
    ("ab{0,2}c", ["a"]),
    ("entry\\.meta", ["entry.meta"]),
    ("comment[s-]", ["comment"]),
])
def test_required_literals(pattern, literals):
    assert xpathguard.required_literals(pattern) == literals


@pytest.mark.parametrize("pattern", [".*", "[abc]", "a|.", "(?i)share", "(?P<x>ab)", "\\d+", "a{x}", "(ab", "\\x41b"])
def test_no_literals_are_claimed_for_what_is_not_read(pattern):
    assert xpathguard.required_literals(pattern) is None


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
@GENERATED
@given(data=st.data())
def test_every_match_of_trafilaturas_patterns_holds_a_required_literal(pattern, flags, data):
    literals = xpathguard.required_literals(pattern)
    if literals is None or "i" in flags:
        return  # no literal guard is made for it
    text = data.draw(st.from_regex(re.compile(pattern)))
    assert re.search(pattern, text)
    assert any(literal in text for literal in literals), (pattern, text, literals)


@GENERATED
@given(st.from_regex(re.compile(r"(?:[a-c]|\[\^?[ab]\]|\((?:\?:)?[ab]{1,3}(?:\|[ab]{0,3})?\))(?:[*+?]|\{[0-2],[1-3]\})?"
                                r"(?:[a-c-]|\(\?[=!][ab]\))*", re.ASCII), fullmatch=True),
       st.text(alphabet="abc-", max_size=12))
def test_required_literals_hold_for_generated_patterns(pattern, text):
    try:
        re.compile(pattern)
    except re.error:
        return
    literals = xpathguard.required_literals(pattern)
    if literals is not None and re.search(pattern, text):
        assert any(literal in text for literal in literals), (pattern, text, literals)


@pytest.mark.parametrize(("path", "merged"), [
    (".//aside|.//div[contains(@class, 'footer')]|.//*[@hidden]",
     ".//*[self::aside or (self::div and (contains(@class, 'footer'))) or (@hidden)]"),
    (".//a|.//b", ".//*[self::a or self::b]"),
    (".//a|.//*", ".//*"),
    (".//a[1]|.//b", None),  # a position
    (".//a[last()]|.//b", None),
    (".//a[@x][@y]|.//b", None),  # two predicates
    ("//a|//b", None),  # from the root, not the context
    (".//a/b|.//c", None),  # not one step
    (".//a[contains(@c, '1')]|.//b", ".//*[(self::a and (contains(@c, '1'))) or self::b]"),  # a digit in a literal
])
def test_a_union_of_descendant_steps_becomes_one_step(path, merged):
    from lxml import html

    assert xpathguard.merged_union(path) == (merged or path)
    tree = html.fromstring("<html><body><a>1</a><b hidden='1'><a c='1'/></b><aside/><div class='footer x'>"
                           "<a/><b/></div><p hidden=''/><a><b>2</b></a></body></html>")
    assert XPath(xpathguard.merged_union(path))(tree) == XPath(path)(tree)


def test_a_pattern_matching_the_empty_string_is_left_alone():
    assert xpathguard.guarded_path(".//*[re:test(@class, 'x?')]") == ".//*[re:test(@class, 'x?')]"
    guarded = xpathguard.guarded_path(".//*[re:test(@class, 'cookie-banner', 'i')]")
    assert guarded == ".//*[((@class) and re:test(@class, 'cookie-banner', 'i'))]"  # case-blind: presence only
    guarded = xpathguard.guarded_path(".//div[re:test(@id|@class, '^share-')]")
    assert guarded == ".//div[((@id|@class) and (contains(@id|@class, 'share-')) and re:test(@id|@class, '^share-'))]"


@pytest.mark.parametrize(("path", "elements"), [
    (".//*[self::div][re:test(@id, 'x')]", True),
    ("(.//div[@class='a'])[1]", True),
    (".//*[re:test(@class, 'tags')]//a[@href]", True),
    ("//meta/@content", False),
    ("//a/text()", False),
    ("string(//title)", False),
])
def test_only_expressions_selecting_elements_lose_smart_strings(path, elements):
    assert xpathguard.selects_elements(path) is elements


HTML = """<html><head><title>t</title></head><body>
<div id="comments" class="comments-area"><p>A comment</p></div>
<div class="share-buttons Share">s</div><section class="article-comments">c</section>
<ul class="comment-list"><li>l</li></ul><div id="disqus_thread"></div>
<div class="cookie-banner CookieConsent">cookies</div><div id="ONETRUST-banner">o</div>
<div class="newsletter-signup" style="display:none">n</div><span class="byline author-name">b</span>
<div class="mvp-post-add-box"><h1>h</h1></div><div class="infinite-scroll">i</div>
<aside class="sidebar">a</aside><div class="entry-meta tag-list"><a href="/t">t</a></div>
<div class="Commentary">not a comment</div><p class="link main">p</p><div class="hidden hide-print">x</div>
<article class="article-body story-body"><p>Body text.</p></article><footer>f</footer>
<div id="ad-top" class=" ad ">ad</div><div class="navbar menu">m</div><div class="">empty</div>
</body></html>"""


def test_guarded_expressions_select_the_same_elements():
    from lxml import html

    tree = html.fromstring(HTML)
    for original, new in GUARDED:
        assert new(tree) == original(tree), original.path
    assert any(original(tree) for original, _ in GUARDED)


def test_extraction_is_the_same_with_and_without_guards():
    """Real pages of ../shared: every field of every extraction, both ways."""
    pages = sorted(need(DATA / "extraction-trafilatura" / "html").iterdir())[::8]
    texts = []
    for path in pages:
        raw = path.read_bytes()
        texts.append((gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8", "replace"))
    guarded = [extract.read_page(html, f"http://pages.test/{n}") for n, html in enumerate(texts)]
    xpathguard.uninstall()
    try:
        assert all(held_by_trafilatura(new) is None for _, new in GUARDED)  # its own expressions are back
        plain = [extract.read_page(html, f"http://pages.test/{n}") for n, html in enumerate(texts)]
    finally:
        xpathguard.install()
    assert len(texts) > 100
    assert guarded == plain


def held_by_trafilatura(expression: XPath) -> XPath | None:
    """``expression`` if some loaded trafilatura module still holds it."""
    for module in xpathguard._modules():
        for _, _, value in xpathguard._slots(module):
            if value is expression:
                return value
    return None
