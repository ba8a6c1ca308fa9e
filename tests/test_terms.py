"""Story terms found in every script: folding and script-aware word boundaries."""

from __future__ import annotations

import pytest

from pipelines.language import _by_script
from pipelines.terms import TermMatcher, fold

TERMS = ("DeepSeek", "DeepSeek R1", "深度求索", "ディープシーク", "딥시크", "Дипсик", "ديب سيك", "ดีปซีค",
         "Liang Wenfeng", "梁文锋", "R1")


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    return TermMatcher(TERMS)


@pytest.mark.parametrize("text, expected", [
    # Latin-script term glued to text of a script without spaces
    ("中国のAI企業DeepSeekが開発した推論モデルR1は", ["DeepSeek", "R1"]),
    ("DeepSeek冲击波：美国科技股市值蒸发", ["DeepSeek"]),
    ("中国人工智能公司深度求索（DeepSeek）发布", ["深度求索", "DeepSeek"]),
    ("บริษัทสตาร์ทอัพจีนDeepSeekเปิดตัวโมเดล", ["DeepSeek"]),
    ("ดีปซีคสร้างความตื่นตระหนกในตลาดหุ้น", ["ดีปซีค"]),
    ("中国のディープシークが公開", ["ディープシーク"]),
    # full-width and other compatibility forms
    ("ＤｅｅｐＳｅｅｋ　Ｒ１が話題に", ["DeepSeek R1"]),
    # Korean particles glued to the term
    ("딥시크가 공개한 모델은 딥시크의 두 번째", ["딥시크", "딥시크"]),
    # Vietnamese: spaced Latin script with diacritics around
    ("Mô hình DeepSeek R1 của Trung Quốc gây chấn động", ["DeepSeek R1"]),
    # Arabic proclitics; Russian case endings
    ("وأعلنت شركة وديب سيك الصينية", ["ديب سيك"]),
    ("Акции упали после выхода Дипсика и DeepSeek-а", ["Дипсик", "DeepSeek"]),
    # Latin: whole words, with a plural/genitive s
    ("DeepSeeks Modell und DeepSeek's app", ["DeepSeek", "DeepSeek"]),
    ("Mr Liang  Wenfeng founded it", ["Liang Wenfeng"]),
])
def test_terms_are_found_in_every_script(matcher, text, expected):
    assert matcher.find(text) == expected


@pytest.mark.parametrize("text", [
    "The DeepSeeker app is unrelated",
    "deepseekers and the R1000 router",
    "Bản tin DeepSeekR1x",
    "модельR1",
])
def test_terms_inside_a_longer_word_of_a_spaced_script_are_not_found(matcher, text):
    assert "DeepSeek" not in matcher.find(text) and "R1" not in matcher.find(text)


def test_fold_is_idempotent_and_merges_variants():
    for text in ("ＤｅｅｐＳｅｅｋ", "Nuñez", "دیپ\u200cسیک", "Ὀδυσσεύς", "딥시크"):
        assert fold(fold(text)) == fold(text)
    assert fold("Nuñez") == fold("NUNEZ")
    assert fold("دیپ\u200cسیک") == fold("ديپسيك")
    assert fold("딥시크") == "딥시크"  # Hangul survives the accent stripping


def test_script_decides_between_chinese_japanese_and_korean():
    han_only = "深度求索公司发布了新的推理模型引起全球关注梁文锋表示将继续开源"
    assert _by_script("ko", han_only) == "zh"
    assert _by_script("zh", "中国のAI企業が開発した推論モデルは世界で注目を集めている") == "ja"
    assert _by_script("ko", "딥시크가 공개한 새로운 모델이 주목을 받고 있다") == "ko"
    assert _by_script("fr", han_only) == "fr"


@pytest.mark.parametrize("text, expected", [
    ("アラスカ航空の737-9MAX、ドアが吹き飛び", ["737 Max 9"]),
    ("미국 보잉 737 맥스 9 여객기", ["737 Max 9"]),
    ("Zwischenfall mit 737-9 Max: Boeing flog", ["737 Max 9"]),
    ("アラスカ航空1282便とAS-1282", ["Flight 1282", "Flight 1282"]),
    ("the Boeing 737 Max 9 of Flight 1282", ["737 Max 9", "Flight 1282"]),
    # other numbers, other models, numbers inside longer numbers, a number alone that is too common
    ("a Boeing 737-900, then 9 others; a 737 Max 8; 12823 and 1,282 seats", []),
    ("Euro 2024 in 2024, COVID-19 in 19 countries", []),
])
def test_a_term_with_numbers_is_found_by_its_numbers_in_any_script(text, expected):
    matcher = TermMatcher(("737 Max 9", "Flight 1282", "Euro 2024", "COVID-19"))
    assert [t for t in matcher.find(text) if t not in ("Euro 2024", "COVID-19")] == expected


def test_a_text_is_scanned_only_when_every_word_of_a_term_is_in_it():
    matcher = TermMatcher(["Liang Wenfeng", "DeepSeek", "Flight 1282"])
    assert [t for _, _, t in matcher.spans(fold("Liang\u00a0Wenfeng, fondateur de DeepSeek's lab"))] == \
        ["Liang Wenfeng", "DeepSeek"]
    # "1282" alone is the flight too (a term's numbers find it, a word missing or not).
    assert [t for _, _, t in matcher.spans(fold("vol 1282 : le Flight-1282 d'Alaska"))] == ["Flight 1282"] * 2
    assert matcher.spans(fold("Liang Qichao and the Wenfeng pagoda")) == []  # both words, never together
    assert matcher.spans(fold("Une page sans aucun des termes.")) == []
