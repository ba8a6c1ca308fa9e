from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.sources import load_config, parse_every

ROOT = Path(__file__).resolve().parent.parent

GOOD = """
[[story]]
name = "s"
url = "https://example.com/a.html"
file = "source.txt"
title = "T"
language = "fr"
published = 2025-02-03
since = 2025-01-20
terms = ["DeepSeek", "深度求索"]

[[source]]
name = "paper"
language = "en"
feeds = ["https://example.com/feed.xml"]
sitemaps = []
sections = ["https://example.com/tech/"]
every = "30m"
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "source.txt").write_text("Title\nText of the source article.", encoding="utf-8")
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_config_is_read(tmp_path):
    config = load_config(write(tmp_path, GOOD))
    story, source = config.stories[0], config.sources[0]
    assert story.since == dt.date(2025, 1, 20) and story.published == dt.date(2025, 2, 3)
    assert story.file == tmp_path / "source.txt"  # relative to the config file
    assert story.terms == ("DeepSeek", "深度求索")
    assert source.every_seconds == 1800 and source.feeds == ("https://example.com/feed.xml",)
    assert config.select("paper") == (source,)


def test_shipped_config_is_valid():
    config = load_config(ROOT / "sources.toml")
    assert len(config.sources) >= 30
    assert len({s.language for s in config.sources}) >= 6
    assert config.stories[0].name == "deepseek-ai-minds"


@pytest.mark.parametrize("change, message", [
    (('every = "30m"', 'every = "soon"'), "[[source]] #1 'paper': 'every': 'soon' is not a duration"),
    (('feeds = ["https://example.com/feed.xml"]', 'feeds = ["ftp://example.com/f"]'), "is not an http(s) URL"),
    (('since = 2025-01-20', 'since = "last week"'), "[[story]] #1 's': 'since' must be a date"),
    (('language = "en"', 'language = "English language"'), "not an ISO 639-1 code"),
    (('name = "paper"', 'name = "Le Paper"'), "may only use a-z"),
    (('every = "30m"', 'every = "30m"\nfrequency = 3'), "unknown key(s) frequency"),
    (('title = "T"\n', ''), "'title' is missing"),
])
def test_bad_config_names_file_entry_and_problem(tmp_path, change, message):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_toml_syntax_error_gives_line(tmp_path):
    with pytest.raises(ConfigError, match=r"not valid TOML: .*line 3"):
        load_config(write(tmp_path, '[[story]]\nname = "s"\nurl = \n'))


def test_missing_file_and_unknown_source(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")
    config = load_config(write(tmp_path, GOOD))
    with pytest.raises(ConfigError, match="no source named 'other'"):
        config.select("other")


def test_duplicate_names_and_empty_source(tmp_path):
    twice = GOOD + GOOD[GOOD.index("[[source]]"):]
    with pytest.raises(ConfigError, match="'paper': name used twice"):
        load_config(write(tmp_path, twice))
    empty = GOOD.replace('feeds = ["https://example.com/feed.xml"]', "").replace(
        'sections = ["https://example.com/tech/"]', "")
    with pytest.raises(ConfigError, match="at least one of 'feeds', 'sitemaps' or 'sections'"):
        load_config(write(tmp_path, empty))


def test_parse_every():
    assert parse_every("15m") == 900 and parse_every("2h") == 7200 and parse_every("1d") == 86400
    with pytest.raises(ValueError):
        parse_every("0m")


@pytest.mark.parametrize("change", [('terms = ["DeepSeek", "深度求索"]', ""),
                                    ('terms = ["DeepSeek", "深度求索"]', "terms = []")])
def test_story_without_terms_is_refused_with_the_line_and_the_fix(tmp_path, change):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}: [[story]] #1 's': no 'terms'")
    assert "monitor init" in message and message.endswith(")") and "(line " in message


def test_story_file_that_does_not_exist_is_refused(tmp_path):
    path = write(tmp_path, GOOD.replace('file = "source.txt"', 'file = "missing.txt"'))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert "'file' 'missing.txt': no such file" in str(info.value) and str(info.value).endswith("(line 5)")
