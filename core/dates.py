"""Dates as the web writes them (ISO 8601, with or without a time and an offset), made comparable."""

from __future__ import annotations

import datetime as dt


def parse_date(value: str | None) -> dt.date | None:
    """The calendar date of an ISO 8601 string (``2025-02-03``, ``2025-02-03T10:00:00+01:00``)."""
    if not value:
        return None
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def utc_key(value: str | None) -> str | None:
    """A comparable UTC form of an ISO 8601 date or datetime (``2025-02-03T09:00:00``), or None."""
    if not value:
        return None
    text = value.strip()
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        day = parse_date(text)
        return day.isoformat() + "T00:00:00" if day else None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="seconds")
