"""The publication day an outlet's reader sees, from the page's declared timestamps.

Declared dates are timestamps, often in UTC: an article a Berlin paper
publishes at 00:30 local time is declared ``...T22:30:00Z`` the day before.
The day a reader sees is the outlet's local day, so a timestamp is moved to
the page's own local offset: one written elsewhere in the page (another
timestamp with a non-zero offset, a ``<time datetime>``), else its outlet's
zone: the country of its domain (``.com.ar``), the region of its language tag
(``es-AR``), or the usual zone of a language spoken mostly in Europe. A
country spread over several offsets (the USA, Russia, Brazil…) gives none.
A date in the URL (``/2025/02/05/``) is the outlet's own local day: when a
declared date is within a day of it, the URL's wins. The date the page writes
in its first ``<time>`` (``26/12/2019``) is the reader's: it wins when the
declarations support it.

The strongest declarations come first (``article:published_time``, JSON-LD
``datePublished``); a bare ``date`` meta tag is
often the day the page was generated, so it only counts when nothing stronger
is declared.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from email.utils import parsedate_to_datetime
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytz

STRONG_KEYS = ("article:published_time", "og:article:published_time", "datepublished", "published_time",
               "og:published_time", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued",
               "citation_publication_date", "article.published", "cxenseparse:recs:publishtime", "publish-date",
               "publish_date", "publishdate")
WEAK_KEYS = ("pubdate", "date", "dc.date", "dcterms.date", "dc.date.created", "dcterms.created")
EARLIEST = dt.date(1995, 1, 1)
_STAMP = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*"
                    r"(Z|[+-]\d{2}:?\d{2}|GMT|UTC)?)?", re.I)
_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|[-_.]|$)")
_RFC2822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})")
# Where an outlet is, when its own timestamps do not say: the country of its host's top-level domain, else
# the region of its language tag (``es-AR``), else the usual zone of a language spoken mostly in one
# stretch of Europe, where UTC and the local day differ late in the evening.
_LANGUAGE_ZONES = {
    **dict.fromkeys(("de", "fr", "it", "nl", "pl", "cs", "sk", "hu", "sl", "hr", "sv", "da", "no", "nb", "sr",
                     "bs", "ca"), "Europe/Berlin"),  # not Spanish or Portuguese: most of their outlets are in America
    **dict.fromkeys(("fi", "el", "ro", "bg", "uk", "lt", "lv", "et"), "Europe/Helsinki"),
}
# Country-code domains sold worldwide as generic names: they say nothing of where an outlet is.
_GENERIC_CC = frozenset(("io", "ai", "tv", "me", "fm", "co", "ly", "to", "ws", "cc", "gg", "sh", "so", "la", "nu",
                         "tk", "vc", "im", "am", "ac", "gd", "ms"))


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
            return _parse_rfc2822(value)
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


def _parse_rfc2822(value: str) -> tuple[dt.date, dt.datetime | None, dt.timedelta | None] | None:
    """``Wed, 04 May 2022 02:41:00 GMT``, as feeds write dates and some pages declare them."""
    if not _RFC2822.match(value):
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    date = _plausible(when.date())
    if date is None:
        return None
    return date, when.replace(tzinfo=None), when.utcoffset()


def _plausible(date: dt.date) -> dt.date | None:
    return date if EARLIEST <= date <= dt.date.today() + dt.timedelta(days=1) else None


def _offset(zone: str) -> dt.timedelta:
    if zone.upper() in ("Z", "GMT", "UTC"):
        return dt.timedelta(0)
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))


def local_offset(stamps: Iterable[str], zone: dt.tzinfo | None, day: dt.date) -> dt.timedelta | None:
    """The page's own offset from UTC: one it writes somewhere, else its outlet's zone's on that day."""
    for value in stamps:
        parsed = parse_stamp(value) if value else None
        if parsed and parsed[2] is not None and parsed[2] != dt.timedelta(0):
            return parsed[2]
    if zone is None:
        return None
    return dt.datetime.combine(day, dt.time(12), zone).utcoffset()


def outlet_zone(url: str | None, language: str | None) -> dt.tzinfo | None:
    """Where an outlet most likely is: its domain's country, its language tag's region, its language's Europe."""
    host = (urlsplit(url).hostname or "") if url else ""
    suffix = host.rsplit(".", 1)[-1] if "." in host else ""
    tag = re.split(r"[-_]", (language or "").strip().lower())
    for country in (suffix, tag[1] if len(tag) > 1 else ""):
        if len(country) == 2 and country.isalpha() and country not in _GENERIC_CC:
            return _country_zone("gb" if country == "uk" else country)
    name = _LANGUAGE_ZONES.get(tag[0])
    return ZoneInfo(name) if name else None


@lru_cache(maxsize=256)
def _country_zone(country: str) -> dt.tzinfo | None:
    """A country's zone when all of its zones keep one offset within an hour (not the USA, Russia, Brazil…)."""
    try:
        zones = [ZoneInfo(name) for name in pytz.country_timezones[country]]
    except (KeyError, ZoneInfoNotFoundError):
        return None
    noon = dt.datetime(2025, 1, 15, 12)
    offsets = [noon.replace(tzinfo=zone).utcoffset() or dt.timedelta(0) for zone in zones]
    return zones[0] if zones and max(offsets) - min(offsets) <= dt.timedelta(hours=1) else None


def local_day(value: str, offset: dt.timedelta | None) -> str | None:
    """``YYYY-MM-DD`` of a declared value, moved to ``offset`` when the value is a UTC or offset timestamp."""
    parsed = parse_stamp(value)
    if not parsed:
        return None
    date, when, own = parsed
    if when is not None and own is not None and offset is not None and own != offset:
        return (when - own + offset).date().isoformat()
    return date.isoformat()


_WRITTEN = re.compile(r"\b(\d{1,2})([./])\s?(\d{1,2})\2\s?(\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b")


def written_days(text: str | None) -> list[dt.date]:
    """Every reading of the first numeric date in a text: ``DD.MM.YYYY``, ``DD/MM/YYYY`` or ``MM/DD/YYYY``, ISO."""
    match = _WRITTEN.search(text or "")
    if not match:
        return []
    first, separator, second, year, iso_year, iso_month, iso_day = match.groups()
    if iso_year:
        readings = [(int(iso_year), int(iso_month), int(iso_day))]
    elif separator == ".":
        readings = [(int(year), int(second), int(first))]
    else:  # a slash is day first in most of the world, month first in the USA: keep both
        readings = [(int(year), int(second), int(first)), (int(year), int(first), int(second))]
    days = []
    for reading in readings:
        try:
            day = _plausible(dt.date(*reading))
        except ValueError:
            continue
        if day and day not in days:
            days.append(day)
    return days


def dotted_day(text: str | None) -> str | None:
    """``DD.MM.YYYY`` (how most of Europe writes a date on the page) as an ISO day; not a slashed date."""
    match = _WRITTEN.search(text or "")
    days = written_days(match.group(0)) if match and match.group(2) == "." else []
    return days[0].isoformat() if days else None


def _shown_day(shown_text: str | None, value: str, day: str, declared: Iterable[str],
               offset: dt.timedelta | None) -> str | None:
    """The day the page writes in its first ``<time>``, when its declarations support it.

    Declared timestamps are machine time (UTC, or a server's wrong zone); the
    written date is the reader's. A reading is taken when it is one of the
    declared days, or within a day of ``day`` when ``value`` (the declaration
    ``day`` came from) gives no local time of its own to trust.
    """
    readings = written_days(shown_text)
    if not readings:
        return None
    chosen = dt.date.fromisoformat(day)
    known = {d for v in declared for d in (local_day(v, offset), local_day(v, None)) if d}
    for reading in readings:
        if reading.isoformat() in known or (not _own_local_time(value) and abs((reading - chosen).days) <= 1):
            return reading.isoformat()
    return None


# Month names as pages write them, by the first letters that tell them apart (en, de, fr, es, it, pt, nl).
_MONTH_NAMES = {1: "jan|jän|ene|gen", 2: "feb|fév|fev", 3: "mar|mär|mrt", 4: "apr|avr|abr", 5: "may|mai|mei|mag",
                6: "jun|juin|giu", 7: "jul|juil|lug", 8: "aug|aoû|ago", 9: "sep|set", 10: "oct|okt|ott|out",
                11: "nov", 12: "dec|dez|déc|dic"}


def written_on_page(day: dt.date, text: str) -> bool:
    """Whether ``text`` writes ``day`` as pages do: ``05.02.2025``, ``2025-02-05``, ``5/2/2025``, ``5 Feb 2025``…"""
    d, m, y = day.day, day.month, day.year
    names = _MONTH_NAMES[m]
    pattern = (rf"(?<!\d)0?{d}\.\s?0?{m}\.\s?(?:{y}|{y % 100:02d})(?!\d)|{y}-{m:02d}-{d:02d}"
               rf"|(?<!\d)0?{d}/0?{m}/{y}|(?<!\d)0?{m}/0?{d}/{y}"
               rf"|(?<!\d)0?{d}\.?\s+(?:de\s+)?(?:{names})\w*\.?\s+(?:de\s+)?{y}"
               rf"|\b(?:{names})\w*\.?\s+0?{d}(?:st|nd|rd|th)?,?\s+{y}")
    return re.search(pattern, text, re.I) is not None


def reader_day(published: str, modified: str | None, text: str) -> str:
    """The day a reader is given: the declared change, when the page writes it and nowhere the publication.

    Pages that show only "Updated Mar 12, 2020" present that day as theirs;
    a page that shows its publication day (most) keeps it.
    """
    parsed = parse_stamp(modified) if modified else None
    if parsed is None or parsed[0].isoformat() == published:
        return published
    if written_on_page(parsed[0], text) and not written_on_page(dt.date.fromisoformat(published), text):
        return parsed[0].isoformat()
    return published


def _own_local_time(value: str) -> bool:
    """A timestamp written with a non-UTC offset is already the outlet's local time: its day needs no correcting."""
    parsed = parse_stamp(value)
    return bool(parsed and parsed[2] is not None and parsed[2] != dt.timedelta(0))


def strong_values(meta: dict[str, str], declared: Iterable[str | None]) -> list[str]:
    """The page's strong date declarations, best first: the strong meta keys, then ``declared``."""
    return [v for v in (*(meta.get(k) for k in STRONG_KEYS), *declared) if isinstance(v, str) and v.strip()]


def pick_date(meta: dict[str, str], declared: list[str | None], *, language: str | None, url: str | None,
              extra_stamps: Iterable[str] = (), shown: str | None = None,
              shown_text: str | None = None, offset_stamps: Iterable[str] = ()) -> str | None:
    """The publication day from declared values (best first: ``declared`` after the strong meta keys).

    ``shown`` is the date of the page's ``<time>`` marked as publication, else
    the first one it shows: without a declaration in meta tags or JSON-LD it is
    a better witness than a bare ``date`` meta tag, and a worse one than the URL
    (sidebars and comments have ``<time>`` elements too).
    ``shown_text`` is that element's text, the date as the reader sees it.
    ``extra_stamps`` are other declared timestamps (modified); ``offset_stamps``
    only say the page's own offset from UTC.
    """
    url_date = date_from_url(url) if url else None
    strong = strong_values(meta, declared)
    weak = [v for v in (meta.get(k) for k in WEAK_KEYS) if isinstance(v, str) and v.strip()]
    if not strong and url_date:
        return url_date  # no declaration: the day in the URL beats a shown or generated date (sidebars have dates too)
    candidates = strong or ([shown] if shown else weak)
    first = next((parsed for parsed in map(parse_stamp, candidates) if parsed), None)
    if first is None:
        return None
    stamps = [*candidates, *weak, *extra_stamps]
    offset = local_offset([*stamps, *offset_stamps], outlet_zone(url, language), first[0])
    chosen = next(((v, d) for v, d in ((v, local_day(v, offset)) for v in candidates) if d), None)
    if chosen is None:
        return None
    value, day = chosen
    if url_date and day != url_date and not _own_local_time(value):
        gap = abs((dt.date.fromisoformat(day) - dt.date.fromisoformat(url_date)).days)
        if gap <= 1:
            return url_date  # the outlet's own day, written in its URL
    return _shown_day(shown_text, value, day, stamps, offset) or day
