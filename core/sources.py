"""Load and check the sources config (``sources.toml`` by default).

The file holds ``[[story]]`` entries (the stories to follow) and
``[[source]]`` entries (the outlets to watch). Every problem is reported as a
:class:`~core.errors.ConfigError` whose message names the file, the entry
and what is wrong, so the command line can print one clear line.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from core.errors import ConfigError

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
EVERY_RE = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

STORY_KEYS = {"name", "url", "file", "title", "language", "published", "since", "terms"}
SOURCE_KEYS = {"name", "language", "feeds", "sitemaps", "sections", "every", "enabled"}


@dataclass(frozen=True)
class Story:
    name: str
    url: str
    title: str
    language: str
    since: dt.date
    published: dt.date | None = None
    file: Path | None = None
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    name: str
    language: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    every: str = "1h"
    enabled: bool = True

    @property
    def every_seconds(self) -> int:
        return parse_every(self.every)


@dataclass(frozen=True)
class Config:
    path: Path
    stories: tuple[Story, ...]
    sources: tuple[Source, ...]

    def source(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none"
        raise ConfigError(f"{self.path}: no source named {name!r} (known: {known})")

    def select(self, name: str | None) -> tuple[Source, ...]:
        """The enabled sources, or just the one named ``name``."""
        if name:
            return (self.source(name),)
        return tuple(s for s in self.sources if s.enabled)

    @property
    def since(self) -> dt.date | None:
        """The earliest coverage window start of all stories."""
        return min((s.since for s in self.stories), default=None)


def parse_every(value: str) -> int:
    """``"30m"`` → 1800. Raises ValueError on anything else."""
    match = EVERY_RE.match(value)
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"{value!r} is not a duration like '15m', '2h' or '1d'")
    return int(match.group(1)) * UNIT_SECONDS[match.group(2)]


def load_config(path: str | Path) -> Config:
    """Read and check the config at ``path``."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found (set MONITOR_SOURCES to your sources config)") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None

    lines = _LineFinder(path.read_text(encoding="utf-8"))
    unknown = set(raw) - {"story", "source"}
    if unknown:
        raise ConfigError(f"{path}: unknown top-level key(s) {', '.join(sorted(unknown))}; "
                          "expected [[story]] and [[source]]")
    stories = tuple(_story(path, i, e, lines) for i, e in enumerate(_tables(path, raw, "story"), 1))
    sources = tuple(_source(path, i, e, lines) for i, e in enumerate(_tables(path, raw, "source"), 1))
    if not stories:
        raise ConfigError(f"{path}: no [[story]] entry: the monitor needs a story to follow "
                          "(draft one from the source article with `monitor init ARTICLE`)")
    _unique(path, "story", [s.name for s in stories])
    _unique(path, "source", [s.name for s in sources])
    return Config(path=path, stories=stories, sources=sources)


def _tables(path: Path, raw: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{path}: '{key}' must be written as [[{key}]] tables")
    return value


def _unique(path: Path, kind: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ConfigError(f"{path}: [[{kind}]] {name!r}: name used twice; names must be unique")
        seen.add(name)


class _LineFinder:
    """Line numbers of tables and keys, so a message can say where to fix (tomllib gives none)."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def line(self, kind: str, index: int, key: str | None) -> int | None:
        header = re.compile(rf"^\s*\[\[\s*{kind}\s*\]\]")
        starts = [n for n, line in enumerate(self.lines) if header.match(line)]
        if index > len(starts):
            return None
        start = starts[index - 1]
        if key is not None:
            key_re = re.compile(rf"^\s*{re.escape(key)}\s*=")
            for n in range(start + 1, len(self.lines)):
                if self.lines[n].lstrip().startswith("["):
                    break
                if key_re.match(self.lines[n]):
                    return n + 1
        return start + 1


class _Entry:
    """Typed access to one table, with errors that say where."""

    def __init__(self, path: Path, kind: str, index: int, raw: dict[str, Any], keys: set[str],
                 lines: _LineFinder | None = None):
        self.raw = raw
        self.kind, self.index, self.lines = kind, index, lines
        name = raw.get("name")
        label = f"#{index} {name!r}" if isinstance(name, str) else f"#{index}"
        self.where = f"{path}: [[{kind}]] {label}"
        unknown = set(raw) - keys
        if unknown:
            raise self.error(f"unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(keys))})",
                             key=sorted(unknown)[0])

    def error(self, problem: str, *, key: str | None = None) -> ConfigError:
        line = self.lines.line(self.kind, self.index, key) if self.lines else None
        return ConfigError(f"{self.where}: {problem}" + (f" (line {line})" if line else ""))

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self.raw.get(key)
        if value is None:
            if required:
                raise self.error(f"'{key}' is missing")
            return default
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"'{key}' must be a non-empty string, got {value!r}", key=key)
        return value.strip()

    def name(self) -> str:
        value = self.text("name")
        if not NAME_RE.match(value):
            raise self.error(f"'name' {value!r} may only use a-z, 0-9, '-' and '_'", key="name")
        return value

    def url(self, key: str, value: Any = None) -> str:
        value = self.raw.get(key) if value is None else value
        if value is None:
            raise self.error(f"'{key}' is missing")
        if not isinstance(value, str):
            raise self.error(f"'{key}' must be a URL string, got {value!r}", key=key)
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise self.error(f"'{key}': {value!r} is not an http(s) URL", key=key)
        return value.strip()

    def urls(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.error(f"'{key}' must be a list of URLs", key=key)
        return tuple(self.url(key, v) for v in value)

    def date(self, key: str, *, required: bool) -> dt.date | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                raise self.error(f"'{key}' is missing (a date such as 2025-01-20)")
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip()[:10])
            except ValueError:
                pass
        raise self.error(f"'{key}' must be a date such as 2025-01-20, got {value!r}", key=key)

    def language(self) -> str:
        value = self.text("language").lower()
        if not re.match(r"^[a-z]{2,3}(-[a-z0-9]+)?$", value):
            raise self.error(f"'language' {value!r} is not an ISO 639-1 code such as 'fr'", key="language")
        return value


def _story(path: Path, index: int, raw: dict[str, Any], lines: _LineFinder | None = None) -> Story:
    entry = _Entry(path, "story", index, raw, STORY_KEYS, lines)
    name, url, title, language = entry.name(), entry.url("url"), entry.text("title"), entry.language()
    published = entry.date("published", required=False)
    since = entry.date("since", required=True)
    assert since is not None
    terms = raw.get("terms")
    if terms is None or terms == []:
        # Without terms every follow-up scores as off_topic: the crawl would silently find nothing.
        raise entry.error("no 'terms': list the words that identify the story (names, in every script "
                          "to watch), or draft them from the source article with `monitor init ARTICLE`",
                          key="terms")
    if not isinstance(terms, list) or not all(isinstance(t, str) and t.strip() for t in terms):
        raise entry.error("'terms' must be a list of non-empty strings", key="terms")
    file_value = entry.text("file", required=False)
    file = (path.parent / file_value) if file_value else None
    if file is not None and not file.is_file():
        # Falling back to the url would count the source's own copies as follow-ups when that fetch fails too.
        raise entry.error(f"'file' {file_value!r}: no such file ({file}); the path is relative to "
                          f"{path.name}: fix it, or remove the line to fetch 'url' instead", key="file")
    return Story(name=name, url=url, title=title, language=language, published=published, since=since,
                 file=file, terms=tuple(t.strip() for t in terms))


def _source(path: Path, index: int, raw: dict[str, Any], lines: _LineFinder | None = None) -> Source:
    entry = _Entry(path, "source", index, raw, SOURCE_KEYS, lines)
    every = entry.text("every", required=False, default="1h")
    try:
        parse_every(every)
    except ValueError as exc:
        raise entry.error(f"'every': {exc}", key="every") from None
    source = Source(
        name=entry.name(),
        language=entry.language(),
        feeds=entry.urls("feeds"),
        sitemaps=entry.urls("sitemaps"),
        sections=entry.urls("sections"),
        every=every,
        enabled=bool(raw.get("enabled", True)),
    )
    if not (source.feeds or source.sitemaps or source.sections):
        raise entry.error("give at least one of 'feeds', 'sitemaps' or 'sections'")
    return source
