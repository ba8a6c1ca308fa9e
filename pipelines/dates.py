"""The publication day an outlet's reader sees, from the page's declared timestamps.

Declared dates are timestamps, often in UTC: an article a Berlin paper
publishes at 00:30 local time is declared ``...T22:30:00Z`` the day before.
The day a reader sees is the outlet's local day, so a timestamp is moved to
the page's own local offset: one written elsewhere in the page (another
timestamp with a non-zero offset), else the usual one for the page's language
in Europe, where UTC and local days differ late in the evening. A date in
the URL (``/2025/02/05/``) is the outlet's own local day: when a declared
date is within a day of it, the URL's wins.

The strongest declarations come first (``article:published_time``, JSON-LD
``datePublished``, ``itemprop=datePublished``); a bare ``date`` meta tag is
often the day the page was generated, so it only counts when nothing stronger
is declared.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

STRONG_KEYS = ("article:published_time", "og:article:published_time", "datepublished", "published_time",
               "og:published_time", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued",
               "citation_publication_date", "article.published", "cxenseparse:recs:publishtime", "publish-date",
               "publish_date", "publishdate")
WEAK_KEYS = ("pubdate", "date", "dc.date", "dcterms.date", "dc.date.created", "dcterms.created")
EARLIEST = dt.date(1995, 1, 1)
_STAMP = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*"
                    r"(Z|[+-]\d{2}:?\d{2}|GMT|UTC)?)?", re.I)
_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|[-_.]|$)")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})")
# Languages whose outlets are mostly on Central/Eastern European time, and their winter offset in hours.
_EUROPE = {"de": 1, "fr": 1, "it": 1, "es": 1, "nl": 1, "pl": 1, "cs": 1, "sk": 1, "hu": 1, "sl": 1, "hr": 1, "sv": 1,
           "da": 1, "no": 1, "nb": 1, "sr": 1, "bs": 1, "ca": 1, "fi": 2, "el": 2, "ro": 2, "bg": 2, "uk": 2, "lt": 2,
           "lv": 2, "et": 2}


def date_from_url(url: str) -> str | None:
    """The ``/YYYY/MM/DD/`` (or ``YYYY-MM-DD``) date in a URL's path, if it is a real day."""
    match = _URL_DATE.search(url)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None


def parse_stamp(value: str) -> tuple[dt.date, dt.datetime | None, dt.timedelta | None] | None:
    """The date of an ISO-like value; its time and offset when it has them."""
    value = value.strip()[:60]
    match = _STAMP.search(value)
    if not match:
        compact = _COMPACT.match(value)
        if not compact:
            return None
        try:
            plain = _plausible(dt.date(*(int(g) for g in compact.groups())))
        except (ValueError, TypeError):
            return None
        return (plain, None, None) if plain else None
    year, month, day, hour, minute, zone = match.groups()
    try:
        date = _plausible(dt.date(int(year), int(month), int(day)))
    except (ValueError, TypeError):
        return None
    if date is None or hour is None or zone is None:
        return (date, None, None) if date else None
    offset = _offset(zone)
    try:
        when = dt.datetime(int(year), int(month), int(day), int(hour), int(minute))
    except ValueError:
        return date, None, None
    return date, when, offset


def _plausible(date: dt.date) -> dt.date | None:
    return date if EARLIEST <= date <= dt.date.today() + dt.timedelta(days=1) else None


def _offset(zone: str) -> dt.timedelta:
    if zone.upper() in ("Z", "GMT", "UTC"):
        return dt.timedelta(0)
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))


def local_offset(stamps: Iterable[str], language: str | None, month: int) -> dt.timedelta | None:
    """The page's own offset from UTC: one it writes somewhere, else the usual one for its language."""
    for value in stamps:
        parsed = parse_stamp(value) if value else None
        if parsed and parsed[2] is not None and parsed[2] != dt.timedelta(0):
            return parsed[2]
    base = _EUROPE.get((language or "")[:2].lower())
    if base is None:
        return None
    return dt.timedelta(hours=base + (1 if 4 <= month <= 10 else 0))  # summer time, roughly


def local_day(value: str, offset: dt.timedelta | None) -> str | None:
    """``YYYY-MM-DD`` of a declared value, moved to ``offset`` when the value is a UTC or offset timestamp."""
    parsed = parse_stamp(value)
    if not parsed:
        return None
    date, when, own = parsed
    if when is not None and own is not None and offset is not None and own != offset:
        return (when - own + offset).date().isoformat()
    return date.isoformat()


_DOTTED = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")


def dotted_day(text: str | None) -> str | None:
    """``DD.MM.YYYY`` (how most of Europe writes a date on the page) as an ISO day."""
    match = _DOTTED.search(text or "")
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        found = _plausible(dt.date(year, month, day))
    except ValueError:
        return None
    return found.isoformat() if found else None


def _own_local_time(value: str) -> bool:
    """A timestamp written with a non-UTC offset is already the outlet's local time: its day needs no correcting."""
    parsed = parse_stamp(value)
    return bool(parsed and parsed[2] is not None and parsed[2] != dt.timedelta(0))


def pick_date(meta: dict[str, str], declared: list[str | None], *, language: str | None,
              url_date: str | None, extra_stamps: Iterable[str] = (), shown: str | None = None) -> str | None:
    """The publication day from declared values (best first: ``declared`` after the strong meta keys).

    ``shown`` is the first date the page shows in a ``<time>`` element: without a
    strong declaration it is a better witness than a bare ``date`` meta tag.
    """
    strong = [v for v in (*(meta.get(k) for k in STRONG_KEYS), *declared) if isinstance(v, str) and v.strip()]
    weak = [v for v in (meta.get(k) for k in WEAK_KEYS) if isinstance(v, str) and v.strip()]
    if not strong and url_date:
        return url_date  # no declaration: the day in the URL beats a shown or generated date (sidebars have dates too)
    candidates = strong or ([shown] if shown else weak)
    first = next((parsed for parsed in map(parse_stamp, candidates) if parsed), None)
    if first is None:
        return None
    stamps = [*candidates, *weak, *extra_stamps]
    offset = local_offset(stamps, language, first[0].month)
    chosen = next(((v, d) for v, d in ((v, local_day(v, offset)) for v in candidates) if d), None)
    if chosen is None:
        return None
    value, day = chosen
    if url_date and day != url_date and not _own_local_time(value):
        gap = abs((dt.date.fromisoformat(day) - dt.date.fromisoformat(url_date)).days)
        if gap <= 1:
            return url_date  # the outlet's own day, written in its URL
    return day
