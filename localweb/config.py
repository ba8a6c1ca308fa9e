"""Render the crawler's sources configuration (TOML) for a running local web."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from localweb.site import OUTLETS, STORY, story_page

if TYPE_CHECKING:
    from localweb.server import LocalWeb

__all__ = ["sources_toml"]


def _s(value: str) -> str:
    """A TOML basic string (JSON escapes are valid TOML escapes)."""
    return json.dumps(value, ensure_ascii=False)


def _list(values: list[str]) -> str:
    return "[" + ", ".join(_s(value) for value in values) + "]"


def sources_toml(web: LocalWeb, *, every: str = "30m") -> str:
    """One ``[[story]]`` (the source page on ``web``) and one ``[[source]]`` per outlet."""
    lines = [
        "[[story]]",
        f"name = {_s(STORY['name'])}",
        f"url = {_s(web.url(story_page()))}",
        f"title = {_s(STORY['title'])}",
        f"language = {_s(STORY['language'])}",
        f"published = {STORY['published']}",
        f"since = {STORY['since']}",
        f"terms = {_list(STORY['terms'])}",
    ]
    for outlet in OUTLETS:
        base = web.base_urls[outlet.key]
        lines += [
            "",
            "[[source]]",
            f"name = {_s(outlet.key)}",
            f"language = {_s(outlet.language)}",
            f"feeds = {_list([base + outlet.feed_path])}",
            f"sitemaps = {_list([base + '/sitemap_index.xml'])}",
            f"sections = {_list([base + '/tech/'])}",
            f"every = {_s(every)}",
        ]
    return "\n".join(lines) + "\n"
