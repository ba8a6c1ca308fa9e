"""The coverage chart: follow-ups per day, by language, as a stacked bar chart in inline SVG (no JavaScript)."""

from __future__ import annotations

import datetime as dt
import math

from markupsafe import Markup, escape

# Distinguishable on white, also for the most common colour blindness (Okabe-Ito, then Tableau).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
           "#9467bd", "#8c564b", "#7f7f7f", "#bcbd22"]


def nice_step(top: int, ticks: int = 5) -> int:
    raw = max(1.0, top / ticks)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)


def day_axis(days: list[str]) -> list[str]:
    """Every day from the first to the last (gaps shown as empty days), unless the span is huge."""
    try:
        first, last = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
    except ValueError:
        return days
    span = (last - first).days
    if span > 400:
        return days
    return [(first + dt.timedelta(days=i)).isoformat() for i in range(span + 1)]


def chart_svg(counts: dict[str, dict[str, int]], series: list[str], colours: dict[str, str], *,
              title: str) -> Markup:
    """A stacked bar chart: one bar per day, one colour per series."""
    days = day_axis(sorted(counts))
    width, height, left, right, top, bottom = 960, 360, 48, 12, 16, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((sum(counts.get(d, {}).values()) for d in days), default=0) or 1
    step = nice_step(peak)
    y_max = step * math.ceil(peak / step)
    slot = plot_w / max(1, len(days))
    bar = max(1.0, slot * 0.8)
    parts = [f'<svg class="coverage-chart" viewBox="0 0 {width} {height}" role="img" '
             f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
             f'<title>{escape(title)}</title>']
    for tick in range(0, y_max + 1, step):
        y = top + plot_h - plot_h * tick / y_max
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12">{tick}</text>')
    label_every = max(1, math.ceil(len(days) / 24))
    for i, day in enumerate(days):
        x = left + i * slot + (slot - bar) / 2
        base: float = top + plot_h
        for name in series:
            n = counts.get(day, {}).get(name, 0)
            if not n:
                continue
            h = plot_h * n / y_max
            base -= h
            parts.append(f'<rect class="bar" data-day="{day}" data-series="{escape(name)}" data-count="{n}" '
                         f'x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colours[name]}">'
                         f'<title>{day} · {escape(name)}: {n}</title></rect>')
        if i % label_every == 0:
            cx = left + i * slot + slot / 2
            parts.append(f'<text x="{cx:.1f}" y="{top + plot_h + 14}" font-size="11" text-anchor="end" '
                         f'transform="rotate(-45 {cx:.1f} {top + plot_h + 14})">'
                         f'{day[5:] if len(day) == 10 else escape(day)}</text>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#333"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def chart_context(rows: list[dict[str, object]], *, title: str) -> dict[str, object]:
    """What the template needs from ``coverage_per_day`` rows (day, language, followups)."""
    counts: dict[str, dict[str, int]] = {}
    totals: dict[str, int] = {}
    undated = 0
    for row in rows:
        day, name, n = row["day"], str(row["language"] or "und"), int(str(row["followups"] or 0))
        totals[name] = totals.get(name, 0) + n
        if not day:
            undated += n
            continue
        per_day = counts.setdefault(str(day), {})
        per_day[name] = per_day.get(name, 0) + n
    series = sorted(totals, key=lambda s: (-totals[s], s))
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}
    return {
        "chart_title": title, "series": series, "colours": colours, "totals": totals, "undated": undated,
        "svg": chart_svg(counts, series, colours, title=title) if counts else None,
        "days": sorted(counts, reverse=True), "counts": counts,
    }
