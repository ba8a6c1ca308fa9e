"""Export every follow-up of a story as JSON lines.

    python -m storage.export --story deepseek-ai-minds [--db data/coverage.db] [--no-duplicates] > followups.jsonl

One JSON object a line, oldest publication first: the article's fields
(``matched`` and ``signals`` decoded), its text, and ``copies``: the ids of
the stored near-duplicates of it. Wire copies are included with
``duplicate_of`` set unless ``--no-duplicates``. The store is opened
read-only, so an export is safe while crawls write.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from sqlite_utils import Database

from storage import coverage
from storage.db import StorageError, open_db

FIELDS = ("id", "story", "source", "language", "published", "title", "author", "url", "canonical_url",
          "label", "score", "matched", "signals", "duplicate_of", "duplicate_similarity", "found_via",
          "first_seen", "text")


def story_names(db: Database) -> list[str]:
    names = {r["name"] for r in db.query("SELECT name FROM stories")}
    names |= {r["story"] for r in db.query("SELECT DISTINCT story FROM articles WHERE story IS NOT NULL")}
    return sorted(names)


def followups_of_story(db: Database, story: str, *, duplicates: bool = True) -> Iterator[dict[str, Any]]:
    """Every follow-up of ``story``, oldest publication first (undated last)."""
    copies: dict[int, list[int]] = {}
    for r in db.query("SELECT id, duplicate_of FROM articles WHERE story = ? AND duplicate_of IS NOT NULL "
                      "ORDER BY id", [story]):
        copies.setdefault(r["duplicate_of"], []).append(r["id"])
    sql = (f"SELECT {', '.join(FIELDS)} FROM articles WHERE story = ? AND label = 'followup'"
           + ("" if duplicates else " AND duplicate_of IS NULL")
           + " ORDER BY published IS NULL, datetime(published), id")
    for row in db.query(sql, [story]):
        for key in ("matched", "signals"):
            if row[key]:
                row[key] = json.loads(row[key])
        row["copies"] = copies.get(row["id"], [])
        yield row


def export(db: Database, story: str, out: TextIO, *, duplicates: bool = True) -> int:
    count = 0
    for row in followups_of_story(db, story, duplicates=duplicates):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m storage.export", description=__doc__.split("\n\n")[0])
    parser.add_argument("--story", required=True, help="the story's name (a [[story]] name in sources.toml)")
    parser.add_argument("--db", default=os.environ.get("MONITOR_DB", "data/coverage.db"),
                        help="SQLite store (default: $MONITOR_DB or data/coverage.db)")
    parser.add_argument("--no-duplicates", action="store_true", help="leave out wire copies of other follow-ups")
    args = parser.parse_args(argv)
    if not Path(args.db).is_file():
        print(f"export: {args.db}: no such store", file=sys.stderr)
        return 2
    try:
        db = open_db(args.db, readonly=True)
        try:
            names = story_names(db)
            if args.story not in names:
                print(f"export: {args.db}: no story {args.story!r} (stories: {', '.join(names) or 'none'})",
                      file=sys.stderr)
                return 2
            count = export(db, args.story, sys.stdout, duplicates=not args.no_duplicates)
            counted = coverage.counts(db, args.story)["followups"]  # wire copies once, as everywhere
        finally:
            db.close()
    except (StorageError, OSError) as exc:
        print(f"export: {exc}", file=sys.stderr)
        return 3
    except sqlite3.Error as exc:  # a file that is not a store of ours
        print(f"export: {args.db}: {exc}", file=sys.stderr)
        return 3
    copies = f", and {count - counted} wire copies of them" if count > counted else ""
    print(f"export: {counted} follow-up(s) of {args.story}{copies}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
