from __future__ import annotations

import gzip
import io
import json

import pytest

from pipelines import extract
from pipelines.extract import date_from_url, declared_language, extract_article, looks_like_listing
from pipelines.language import detect_language
from tests.conftest import DATA, need

PAGE = """<!doctype html><html lang="de-DE"><head><meta charset="utf-8"><title>Börse: Nvidia verliert</title>
<meta property="og:type" content="article"><link rel="canonical" href="https://ex.de/2025/01/28/nvidia.html">
<meta name="author" content="Anna Schmidt"><meta property="article:published_time" content="2025-01-28T09:00:00+01:00">
</head><body><nav><a href="/">Start</a> <a href="/wirtschaft">Wirtschaft</a></nav><article><h1>Börse: Nvidia verliert</h1>
<p>Die Aktie des Chipherstellers Nvidia hat am Montag fast siebzehn Prozent an Wert verloren, nachdem das chinesische
Unternehmen DeepSeek ein leistungsfähiges Sprachmodell vorgestellt hatte, das mit deutlich weniger Rechenleistung auskommt.</p>
<p>Analysten in Frankfurt und New York sprachen von einem Weckruf für die gesamte Branche, die seit Jahren auf immer
größere Rechenzentren setzt. Viele Anleger fragten sich, ob die hohen Investitionen noch gerechtfertigt seien.</p>
</article><footer>Impressum · Datenschutz</footer></body></html>"""


def test_extract_article_reads_text_and_metadata():
    found = extract_article(PAGE, url="https://ex.de/2025/01/28/nvidia.html?utm_source=x")
    assert found is not None
    assert found.title == "Börse: Nvidia verliert"
    assert "siebzehn Prozent" in found.text and "Impressum" not in found.text and "Wirtschaft" not in found.text
    assert found.author == "Anna Schmidt" and found.published == "2025-01-28"
    assert found.canonical_url == "https://ex.de/2025/01/28/nvidia.html"
    assert found.html_lang == "de-DE"


@pytest.mark.parametrize("html", ["", "   ", "<html><body></body></html>", "\x00\x01garbage"])
def test_nothing_readable_is_none(html):
    assert extract_article(html, url="https://ex.com/x") is None


def test_helpers():
    assert date_from_url("https://ex.com/2025/02/05/slug.html") == "2025-02-05"
    assert date_from_url("https://ex.com/2025-13-05/x") is None
    assert declared_language('<html><head><meta property="og:locale" content="fr_FR">') == "fr_FR"
    listing = '<html><head><meta property="og:type" content="website"></head></html>'
    assert looks_like_listing(listing, url="https://ex.com/tech/", page_type="website")
    assert not looks_like_listing(listing, url="https://ex.com/2025/02/05/a.html", page_type="website")
    assert not looks_like_listing(listing + '{"@type": "NewsArticle"}', url="https://ex.com/a", page_type="website")


@pytest.mark.parametrize("text, declared, expected", [
    ("Le modèle chinois DeepSeek a surpris les marchés financiers et les chercheurs du monde entier cette semaine.", None, ("fr", "detected")),
    ("DeepSeek 发布的推理模型在全球科技界引起了广泛关注，多家美国科技公司的股价在周一大幅下跌，分析人士认为这是中国人工智能产业的重要时刻。", "zh-CN", ("zh", "detected+declared")),
    ("深度求索发布模型，股价下跌。", "zh-CN", ("zh", "declared")),  # too ambiguous alone: the page's claim decides
    ("", None, ("und", "too_short")),
    ("Short", "en", ("en", "declared")),
    ("12345 67890 !!! ??? 2025-01-27 ... 3.14159 ### 42 42 42 42 42 42 42 42", None, ("und", "no_letters")),
])
def test_detect_language(text, declared, expected):
    found = detect_language(text, declared=declared)
    assert (found.language, found.reason) == expected


def test_detect_language_is_stable():
    text = "DeepSeek R1 ha sorprendido a Silicon Valley por su bajo coste de entrenamiento."
    assert len({detect_language(text).language for _ in range(5)}) == 1


def test_extract_jsonl_tool_reports_bad_lines():
    stdin = io.StringIO("\n".join([
        json.dumps({"id": "1", "url": "https://ex.de/2025/01/28/nvidia.html", "html": PAGE}),
        "{broken",
        json.dumps({"id": "3", "url": "https://ex.com/x"}),
        json.dumps({"id": "4", "url": "https://ex.com/y", "html": ""}),
    ]) + "\n")
    out, err = io.StringIO(), io.StringIO()
    assert extract.main(stdin, out, err) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in lines] == ["1", "4"]
    assert lines[0]["language"] == "de" and lines[0]["published"] == "2025-01-28"
    assert lines[1]["text"] is None
    assert "line 2: not valid JSON" in err.getvalue() and "line 3: missing or non-string field(s) html" in err.getvalue()


def test_golden_newspaper4k_pages():
    """Real pages: title and language as recorded by the corpus (20 pages carry metadata)."""
    folder = need(DATA / "pages-newspaper4k")
    checked = agreed = 0
    for meta_path in sorted((folder / "metadata").glob("*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        html_path = folder / "html" / (meta_path.stem + ".html.gz")
        if not html_path.exists() or not meta.get("language"):
            continue
        html = gzip.decompress(html_path.read_bytes()).decode("utf-8", errors="replace")
        found = extract_article(html, url=meta.get("url") or "https://example.com/")
        if found is None:
            continue
        checked += 1
        language = detect_language(f"{found.title}\n{found.text}", declared=found.html_lang).language
        agreed += language == meta["language"][:2]
    assert checked >= 10 and agreed / checked >= 0.85, (checked, agreed)


def test_a_long_running_worker_can_load_the_profiles_ahead():
    from langdetect import detector_factory

    from pipelines.language import load_profiles

    load_profiles()
    assert detector_factory._factory is not None
    assert {"fr", "de", "ja", "zh-cn"} <= set(detector_factory._factory.get_lang_list())
