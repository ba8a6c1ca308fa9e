"""crawler/charset.py: Scrapy's decoding is checked against the bytes and corrected when evidently wrong."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from crawler.charset import decode_page, decode_response, fit

FRENCH = ("Réaction à Paris : les chercheurs français jugent le modèle de DeepSeek « très efficace », "
          "déjà comparé à ceux d'OpenAI. Où en est l'Europe ? Les élus s'interrogent sur la sécurité.")
GERMAN = "Größere Modelle, schöne Zahlen: Übermäßig günstig trainiert, sagen Fachleute über DeepSeek."
CZECH = "Příliš žluťoučký kůň úpěl ďábelské ódy. Čínský model DeepSeek překvapil investory i vědce."
POLISH = "Zażółć gęślą jaźń. Chiński model DeepSeek zaskoczył inwestorów, mówią źródła rządowe."
CHINESE = "中国人工智能公司深度求索发布的模型震惊了硅谷。DeepSeek 的训练成本远低于同行。"


def page(text: str, *, lang: str = "en", meta: str = "") -> str:
    return (f'<!doctype html><html lang="{lang}"><head>{meta}<title>DeepSeek</title></head>'
            f"<body><article><h1>DeepSeek</h1><p>{text}</p></article></body></html>")


def decode(body: bytes, content_type: str):
    response = HtmlResponse("https://news.example/a", body=body, headers={"Content-Type": content_type})
    return response, decode_response(response)


def test_latin1_without_charset_is_not_read_as_a_central_european_code_page():
    body = page(FRENCH).encode("latin-1")
    response, decoded = decode(body, "text/html")
    assert response.encoding != "cp1252"  # Scrapy's guess (charset_normalizer) is wrong here
    assert FRENCH not in response.text
    assert FRENCH in decoded.text
    assert (decoded.charset, decoded.suspect, decoded.replacement_ratio) == ("cp1252", "guess_replaced", 0.0)
    assert "no charset declared" in (decoded.note or "")


def test_latin1_body_under_a_utf8_header_is_decoded_as_windows_1252():
    response, decoded = decode(page(FRENCH, lang="fr").encode("latin-1"), "text/html; charset=utf-8")
    assert "\ufffd" in response.text
    assert FRENCH in decoded.text
    assert (decoded.charset, decoded.suspect) == ("cp1252", "not_utf8")
    assert "declared utf-8" in (decoded.note or "")


def test_utf8_body_under_a_latin1_header_or_meta_is_decoded_as_utf8():
    for content_type, meta in (("text/html; charset=iso-8859-1", ""),
                               ("text/html", '<meta charset="iso-8859-1">')):
        response, decoded = decode(page(FRENCH, meta=meta).encode("utf-8"), content_type)
        assert "Ã©" in response.text  # the classic mojibake
        assert FRENCH in decoded.text
        assert (decoded.charset, decoded.suspect) == ("utf-8", "utf8_mislabelled")


def test_utf8_mislabelled_as_gbk_is_decoded_as_utf8():
    _, decoded = decode(page(CHINESE, lang="zh").encode("utf-8"), "text/html; charset=gbk")
    assert CHINESE in decoded.text and decoded.suspect == "utf8_mislabelled"


@pytest.mark.parametrize(("text", "lang", "codec"), [
    (CZECH, "cs", "cp1250"), (CZECH, "", "cp1250"), (POLISH, "pl", "cp1250"), (GERMAN, "de", "latin-1"),
])
def test_legitimate_legacy_pages_without_charset_keep_a_right_guess(text, lang, codec):
    _, decoded = decode(page(text, lang=lang).encode(codec), "text/html")
    assert text in decoded.text
    assert decoded.suspect in (None, "guess_replaced")  # replaced only by an equal text


@pytest.mark.parametrize(("text", "codec", "content_type"), [
    (FRENCH, "utf-8", "text/html; charset=utf-8"),
    (CHINESE, "utf-8", "text/html"),
    (POLISH, "cp1250", "text/html; charset=windows-1250"),
    (FRENCH, "utf-16", "text/html"),  # BOM
    (GERMAN, "latin-1", "text/html; charset=iso-8859-1"),
    ("plain ASCII, nothing to second-guess", "ascii", "text/html; charset=x-no-such-charset"),
])
def test_right_charsets_are_left_alone(text, codec, content_type):
    response, decoded = decode(page(text).encode(codec), content_type)
    assert decoded.text == response.text and text in decoded.text
    assert decoded.suspect is None and decoded.replacement_ratio == 0.0


def test_a_utf8_page_with_one_broken_byte_stays_utf8():
    body = page(FRENCH).encode("utf-8").replace(b"</article>", b"\xff</article>")
    response, decoded = decode(body, "text/html; charset=utf-8")
    assert decoded.text == response.text and FRENCH in decoded.text
    assert decoded.charset == "utf-8" and decoded.suspect is None  # one U+FFFD: under 1%
    assert 0 < decoded.replacement_ratio < 0.01


def test_binary_served_as_utf8_html_is_flagged_not_redecoded():
    body = bytes(range(256)) * 50
    response, decoded = decode(body, "text/html; charset=utf-8")
    assert decoded.text == response.text
    assert decoded.suspect == "replacement_chars" and decoded.replacement_ratio > 0.01


def test_decode_page_works_on_bytes_alone():
    body = page(FRENCH).encode("latin-1")
    decoded = decode_page(body, content_type=None, used="cp1250", text=body.decode("cp1250"))
    assert FRENCH in decoded.text and decoded.suspect == "guess_replaced"


def test_fit_prefers_the_decoding_whose_letters_make_one_alphabet():
    french = FRENCH.encode("latin-1")
    assert fit(french.decode("cp1252"), "fr") == 1.0
    assert fit(french.decode("cp1250"), "fr") < 1.0
    assert fit(french.decode("cp1257")) < fit(french.decode("cp1252"))
    czech = CZECH.encode("cp1250")
    assert fit(czech.decode("cp1250")) == 1.0
    assert fit(czech.decode("cp1252", errors="replace")) < 1.0
    assert fit(FRENCH.encode("utf-8").decode("cp1252")) < 0.9  # Ã©, Ã¨, Ã§: a letter, then a symbol
    assert fit("no accents at all") == 1.0
