"""Counts per label and language of the relevance development sets.

    python bench/data/relevance/stats.py [story ...]

Reads bench/data/relevance/<story>.jsonl (every story by default), prints the counts per
label, per language and per language x label, and checks the set: required fields,
known labels, no repeated id, URL or text.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = ("followup", "mention", "source_copy", "other")
FIELDS = ("id", "url", "language", "label", "title", "text", "origin", "note")


def fingerprint(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


def check(rows: list[dict]) -> list[str]:
    problems = []
    ids, urls, texts = Counter(), Counter(), Counter()
    for row in rows:
        missing = [f for f in FIELDS if not row.get(f)]
        if missing:
            problems.append(f"{row.get('id')}: missing {missing}")
        if row.get("label") not in LABELS:
            problems.append(f"{row.get('id')}: unknown label {row.get('label')!r}")
        ids[row.get("id")] += 1
        texts[fingerprint(row.get("text", ""))] += 1
        if not row.get("synthetic"):
            urls[row.get("url")] += 1
    problems += [f"id repeated: {k}" for k, n in ids.items() if n > 1]
    problems += [f"url repeated: {k}" for k, n in urls.items() if n > 1]
    problems += [f"text repeated: {k[:60]}..." for k, n in texts.items() if n > 1]
    return problems


def report(path: Path) -> int:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    labels = Counter(r["label"] for r in rows)
    languages = Counter(r["language"] for r in rows)
    print(f"{path.stem}: {len(rows)} texts, {len(languages)} languages, "
          f"{sum(1 for r in rows if r.get('synthetic'))} synthetic")
    print("  labels:    " + ", ".join(f"{k} {labels[k]}" for k in LABELS if labels[k]))
    print("  languages: " + ", ".join(f"{k} {n}" for k, n in languages.most_common()))
    present = [k for k in LABELS if labels[k]]
    print("  " + "lang".ljust(6) + "".join(k[:11].rjust(12) for k in present) + "total".rjust(8))
    for lang, n in languages.most_common():
        per = Counter(r["label"] for r in rows if r["language"] == lang)
        print("  " + lang.ljust(6) + "".join(str(per[k]).rjust(12) for k in present) + str(n).rjust(8))
    problems = check(rows)
    for p in problems:
        print("  PROBLEM " + p)
    return len(problems)


def main(argv: list[str]) -> int:
    paths = [HERE / f"{s}.jsonl" for s in argv] if argv else sorted(HERE.glob("*.jsonl"))
    problems = 0
    for path in paths:
        problems += report(path)
        print()
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
