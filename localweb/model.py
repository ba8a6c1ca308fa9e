"""Plain data types of the local news web: outlets and pages with ground truth."""

from __future__ import annotations

from dataclasses import dataclass

#: Every value ``Page.expect`` may take, i.e. what a good crawler should conclude.
EXPECT_KINDS: tuple[str, ...] = (
    "story_source",  # the followed story itself
    "source_copy",  # verbatim republication or faithful translation of the story
    "followup",  # another article about the story (first copy of a wire group too)
    "duplicate",  # a later copy of a wire story already seen (same dup_group)
    "mention",  # about something else, names the story once in passing
    "off_topic",  # recent, but not about the story
    "too_old",  # published before the story's ``since`` date
    "not_article",  # a list page that sneaked into a feed and a sitemap
    "http_404",  # listed in a feed, but the URL answers 404
    "empty_body",  # 200 with an empty body
    "no_text",  # 200 with markup garbage and no readable text
)

#: Kinds whose pages carry real article prose.
ARTICLE_KINDS: frozenset[str] = frozenset(
    {"story_source", "source_copy", "followup", "duplicate", "mention", "off_topic", "too_old"}
)

#: Kinds whose URL does not serve a readable article.
BROKEN_KINDS: frozenset[str] = frozenset({"http_404", "empty_body", "no_text"})


@dataclass(frozen=True)
class Outlet:
    """One fake news outlet, served on its own loopback address."""

    key: str  # e.g. "lecourrier"
    name: str  # display name
    language: str  # ISO 639-1
    address: str  # "127.0.0.2"
    feed_path: str  # "/feed.xml"
    feed_format: str  # "rss2" | "atom" | "rdf" | "jsonfeed"


@dataclass(frozen=True)
class Page:
    """One URL of an outlet, with the outcome a crawler is expected to reach."""

    outlet: str  # Outlet.key
    path: str  # "/2025/02/05/slug.html"
    title: str
    language: str
    published: str  # ISO 8601 with timezone, e.g. "2025-02-05T08:30:00+01:00"
    author: str
    paragraphs: tuple[str, ...]
    expect: str
    dup_group: str | None = None
    in_feed: bool = True
    in_sitemap: bool = True
