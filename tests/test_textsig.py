"""Text signatures: the source's anchors in a text, found by visiting only its capitalised words."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines import textsig

TEXTS = [
    "Die Bundesregierung in Berlin will die Förderung für Ärzte in Baden-Württemberg erhöhen, sagte Olaf Scholz.",
    "Le fondateur Liang Wenfeng a présenté le modèle R1 à Hangzhou; l'e-Mail de Jean-Pierre Dupont suivait.",
    "x1-Abc and foo-Bar-Baz, then (Quoted) «Guillemets» — Dash-Start, 3M-Corp and ÉCOLE Normale.",
    "Ωmega-Beta meets Ǆemal and ǅx; 𝐀lpha 𝐁eta and 😀 Emoji Times in Москва Кремль.",
    "中国のAI企業DeepSeekが開発したR1モデル。OpenAIのSam Altman氏はNvidiaに言及した。",
]


@pytest.mark.parametrize("text", TEXTS)
def test_anchors_visit_capitalised_words_only_yet_find_what_a_full_scan_finds(text, monkeypatch):
    found = textsig.anchors(text)
    monkeypatch.setattr(textsig, "_capitalised", lambda: textsig._NAME_RE)  # every word visited
    assert found == textsig.anchors(text)
    assert found  # each text has names to find


def test_names_at_sentence_starts_and_after_hyphens_are_not_anchors():
    found = textsig.anchors("Heute kam Angela Merkel. Gestern nicht. Ein e-Mail-Verkehr mit Foo-Bar.")
    assert {"angela", "merkel", "foo-bar"} <= found
    assert not {"heute", "gestern", "mail", "verkehr", "ein"} & found


# The patterns check the character before a match after its first character (a set Python's re skips to in C);
# they find what the plain form, a lookbehind first, finds.
_PLAIN_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,\u202f\u00a0 ]\d+)*(?![\w])")
_PLAIN_CAPITALISED = re.compile(r"(?<![\w])(?=[" + re.escape("".join(c for c in map(chr, range(0x10000)) if c.isupper()))
                                + r"])([^\W\d_][\w]*(?:-\w+)*)")


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.text(alphabet="aZé É9٣0.,-_ \u00a0\u202f\nΣσⅫ_x", max_size=40))
def test_the_patterns_find_what_their_plain_form_finds(text):
    assert [m.span() for m in textsig._NUMBER_RE.finditer(text)] == [m.span() for m in _PLAIN_NUMBER.finditer(text)]
    assert ([m.span(1) for m in textsig._capitalised().finditer(text)]
            == [m.span(1) for m in _PLAIN_CAPITALISED.finditer(text)])
