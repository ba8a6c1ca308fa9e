"""trafilatura's removal of the characters XML forbids gives the same text when it searches first (pipelines/xmlchars)."""

from __future__ import annotations

import re

import pytest

from pipelines import extract, xmlchars

extract._trafilatura()  # puts the search-first pattern in place


def test_the_characters_are_exactly_those_the_pattern_matches():
    pattern = re.compile(xmlchars.PATTERN)
    matched = {chr(code) for code in range(0x110000) if pattern.match(chr(code))}
    assert matched == set(xmlchars.CHARACTERS)


def test_trafilatura_has_the_search_first_pattern():
    from trafilatura import utils

    assert isinstance(utils.INVALID_XML_CHARS, xmlchars.SearchFirst)
    assert xmlchars.install()  # twice is harmless


@pytest.mark.parametrize("text", [
    "<p>plain</p>", "<p>déjà vu – “quoted” 🙂</p>", "a\x00b\x08c\x0bd\x1fe\ufffef\uffffg", "\t\n\r kept",
    "\x0c", "", "x\ud800y",
])
def test_sub_is_the_patterns_own(text):
    from trafilatura import utils

    plain = re.compile(xmlchars.PATTERN)
    assert utils.INVALID_XML_CHARS.sub("", text) == plain.sub("", text)
    assert utils.INVALID_XML_CHARS.sub("?", text, 1) == plain.sub("?", text, 1)


def test_a_page_with_a_control_character_still_loads_without_it():
    from trafilatura import utils

    tree = utils.load_html("<html><body><p>Bonjour\x07 le monde</p></body></html>")
    assert tree is not None
    assert tree.findtext(".//p") == "Bonjour le monde"


def test_another_pattern_is_left_alone(monkeypatch):
    from trafilatura import utils

    other = re.compile(r"[\x00-\x08]")
    monkeypatch.setattr(utils, "INVALID_XML_CHARS", other)
    assert not xmlchars.install()
    assert utils.INVALID_XML_CHARS is other


def test_uninstall_puts_trafilaturas_own_pattern_back():
    from trafilatura import utils

    xmlchars.uninstall()
    try:
        assert isinstance(utils.INVALID_XML_CHARS, re.Pattern)
        assert utils.INVALID_XML_CHARS.pattern == xmlchars.PATTERN
    finally:
        assert xmlchars.install()
    assert isinstance(utils.INVALID_XML_CHARS, xmlchars.SearchFirst)
