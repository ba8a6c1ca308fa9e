"""``monitor report``: one row per outlet, as text, CSV, Markdown or HTML.

The rows come from ``storage.queries.outlet_report`` (its SQL is there);
this module only lays them out.
"""

from __future__ import annotations

import csv
import html
import io
from typing import Any

FORMATS = ("text", "csv", "md", "html")
COLUMNS = (("outlet", "outlet"), ("first_followup", "first follow-up"), ("followups", "follow-ups"),
           ("languages", "languages"), ("source_copies", "copies of the source"),
           ("duplicates", "duplicates"), ("duplicate_groups", "duplicate groups"), ("links", "links"))


def rows(db: str, *, since: str | None, story: str | None) -> list[dict[str, Any]]:
    from storage import open_db, queries

    store = open_db(db, readonly=True)
    try:
        found = queries.outlet_report(store, since=since, story=story)
    finally:
        store.close()
    for row in found:
        row["languages"] = ",".join(sorted((row["languages"] or "").split(",") if row["languages"] else []))
        row["links"] = (row["links"] or "").split()
        row["first_followup"] = row["first_followup"] or ""
    return found


def render(found: list[dict[str, Any]], fmt: str) -> str:
    return {"text": _text, "csv": _csv, "md": _markdown, "html": _html}[fmt](found)


def _totals(found: list[dict[str, Any]]) -> str:
    followups = sum(r["followups"] or 0 for r in found)
    outlets = sum(1 for r in found if r["followups"])
    return (f"{followups} follow-up(s) in {outlets} outlet(s); apart: "
            f"{sum(r['source_copies'] or 0 for r in found)} copies of the source, "
            f"{sum(r['duplicates'] or 0 for r in found)} duplicates in "
            f"{len({g for r in found for g in (r['group_ids'] or '').split(',') if g})} group(s)")


def _text(found: list[dict[str, Any]]) -> str:
    out = [f"{'outlet':16} {'first follow-up':25} {'n':>3} {'languages':10} {'copies':>6} {'dup':>4}  links"]
    for r in found:
        links = r["links"]
        more = f" (+{len(links) - 1})" if len(links) > 1 else ""
        out.append(f"{r['outlet'][:16]:16} {r['first_followup'][:25]:25} {r['followups'] or 0:>3} "
                   f"{r['languages'][:10]:10} {r['source_copies'] or 0:>6} {r['duplicates'] or 0:>4}  "
                   f"{(links[0] if links else '-')}{more}")
    out.append(_totals(found))
    return "\n".join(out) + "\n"


def _cells(r: dict[str, Any]) -> list[str]:
    return [" ".join(r[key]) if key == "links" else str(r[key] if r[key] is not None else "") for key, _ in COLUMNS]


def _csv(found: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([key for key, _ in COLUMNS])
    writer.writerows(_cells(r) for r in found)
    return buffer.getvalue()


def _markdown(found: list[dict[str, Any]]) -> str:
    out = ["| " + " | ".join(title for _, title in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in found:
        cells = _cells(r)[:-1] + [" ".join(f"<{link}>" for link in r["links"])]
        out.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(out) + f"\n\n{_totals(found)}\n"


def _html(found: list[dict[str, Any]]) -> str:
    head = "".join(f"<th>{html.escape(title)}</th>" for _, title in COLUMNS)
    body = []
    for r in found:
        cells = [f"<td>{html.escape(cell)}</td>" for cell in _cells(r)[:-1]]
        links = "<br>".join(f'<a href="{html.escape(link)}">{html.escape(link)}</a>' for link in r["links"])
        body.append("<tr>" + "".join(cells) + f"<td>{links}</td></tr>")
    return (f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body)
            + f"\n</tbody>\n</table>\n<p>{html.escape(_totals(found))}</p>\n")
