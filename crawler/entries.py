"""What discovery finds: links to candidate articles, with what the listing said about them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.dates import parse_date


@dataclass(frozen=True)
class Entry:
    url: str
    title: str | None = None
    summary: str | None = None
    published: str | None = None  # ISO 8601
    language: str | None = None

    def published_date(self) -> dt.date | None:
        return parse_date(self.published)
