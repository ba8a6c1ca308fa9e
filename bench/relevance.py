"""Evaluation: how well the crawl's classifier labels real and local news.

    python bench/relevance.py

1. ``../shared/data/feeds-2025/``: real feed entries of 27-29 January 2025,
   labelled by hand (``deepseek``: true / "mention" / "related" / false),
   classified from title and description against the shipped story
   (sources.toml). Precision, recall and F1 of ``followup`` (and
   ``source_copy``) against ``deepseek == true``; "related" entries are left
   out; how the "mention" entries were labelled.
2. The local news web's 65 pages (localweb/, each with its expected outcome),
   rendered to HTML and classified as the crawl would, against the demo story.
3. Every development set ``<name>.jsonl`` of real pages in ``--sets`` (default
   ``bench/data/relevance``) beside its ``<name>.story.toml`` (a ``[story]``
   table; its ``file`` is the source text, relative to the toml). Lines carry
   ``id``, ``url``, ``language``, ``title``, ``text`` and a ``label`` read by a
   person: ``followup`` | ``mention`` | ``source_copy`` | ``other``. Reported:
   precision, recall and F1 of ``followup``; the same for a keyword baseline
   (the page names the story's ``keyword``, else its first term, else the
   first term drafted from the source); copies flagged; mentions and other
   pages taken as follow-ups; per language.

    python bench/relevance.py [--sets DIR] [--only SET] [--half even|odd] [--errors]

``--half`` keeps the rows whose id ends in an even (or odd) number: tune on
one half, check on the other, so that a rule fitted to a page shows.

Prints one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # the project's root, not bench/, first

from core.sources import load_config  # noqa: E402
from localweb.render import render_article  # noqa: E402
from localweb.site import PAGES, STORY, get_outlet, published_at  # noqa: E402
from pipelines.classify import Classifier, load_profile  # noqa: E402
from pipelines.extract import extract_article  # noqa: E402
from pipelines.language import detect_language  # noqa: E402
from pipelines.profile import StoryProfile  # noqa: E402
from pipelines.terms import fold  # noqa: E402

FEEDS = ROOT.parent / "shared" / "data" / "feeds-2025"
SETS = ROOT / "bench" / "data" / "relevance"


def scores(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "tp": tp, "fp": fp, "fn": fn}


def feeds_2025() -> dict[str, object]:
    if not FEEDS.exists():
        return {"skipped": f"{FEEDS} is absent"}
    config = load_config(ROOT / "sources.toml")
    profile = load_profile(str(config.path), None, None, sys.stderr)
    classifier = Classifier(profile)
    rows = [json.loads(line) for path in sorted(FEEDS.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    tp = fp = fn = 0
    mentions: Counter[str] = Counter()
    errors = []
    for i, row in enumerate(rows):
        title, text = row["title"] or "", row["description"] or ""
        language = detect_language(f"{title}\n{text}", declared=row.get("language")).language
        label = classifier.classify(i, title=title, text=text, language=language)["label"]
        truth = row["deepseek"]
        if truth == "mention":
            mentions[label] += 1
        if truth == "related":
            continue
        predicted = label in ("followup", "source_copy")
        tp += predicted and truth is True
        fp += predicted and truth is not True
        fn += (not predicted) and truth is True
        if predicted != (truth is True):
            errors.append({"truth": truth, "label": label, "title": title[:100]})
    return {"entries": len(rows), **scores(tp, fp, fn), "mention_entries_labelled": dict(mentions),
            "errors": errors}


def local_web() -> dict[str, object]:
    source = next(p for p in PAGES if p.expect == "story_source")
    profile = StoryProfile.build(name="demo", url="", language=STORY["language"], terms=tuple(STORY["terms"]),
                                 since=STORY["since"], text="\n".join(source.paragraphs))
    classifier = Classifier(profile)
    outcomes: Counter[str] = Counter()
    tp = fp = fn = 0
    for page in sorted(PAGES, key=published_at):
        if page.expect not in ("followup", "duplicate", "source_copy", "mention", "off_topic", "too_old"):
            continue
        outlet = get_outlet(page.outlet)
        html = render_article(page, outlet, f"http://{outlet.address}", []).decode("utf-8")
        found = extract_article(html, url=f"http://{outlet.address}{page.path}")
        assert found is not None, page.path
        language = detect_language(f"{found.title}\n{found.text}", declared=found.html_lang).language
        result = classifier.classify(page.path, title=found.title or "", text=found.text, language=language,
                                     published=page.published)
        got = "duplicate" if result["duplicate_of"] else result.get("reason") or result["label"]
        if got == "off_topic" and page.expect == "too_old":
            got = "too_old"
        outcomes[f"{page.expect}->{got}"] += 1
        truth = page.expect in ("followup", "duplicate")
        predicted = got in ("followup", "duplicate")
        tp += truth and predicted
        fp += predicted and not truth
        fn += truth and not predicted
    right = sum(n for k, n in outcomes.items() if k.split("->")[0] == k.split("->")[1])
    return {"pages": sum(outcomes.values()), "exact": right, **scores(tp, fp, fn), "outcomes": dict(outcomes)}


def load_set_story(toml_path: Path) -> tuple[StoryProfile, str]:
    """The set's story profile, and the keyword of the baseline."""
    story = tomllib.loads(toml_path.read_text(encoding="utf-8"))["story"]
    text = (toml_path.parent / story["file"]).read_text(encoding="utf-8") if story.get("file") else None
    profile = StoryProfile.build(name=story["name"], url=story.get("url", ""), language=story.get("language", "und"),
                                 terms=tuple(story.get("terms", ())), since=str(story.get("since") or "") or None,
                                 text=text, title=story.get("title"))
    keyword = story.get("keyword") or (profile.terms[0] if profile.terms else "")
    return profile, keyword


def in_half(row_id: str, half: str | None) -> bool:
    """Whether a row belongs to the ``even`` or ``odd`` half (by the number its id ends with)."""
    if half is None:
        return True
    digits = "".join(c for c in row_id[-6:] if c.isdigit())
    return bool(digits) and int(digits) % 2 == (0 if half == "even" else 1)


def classify_row(classifier: Classifier, row: dict) -> dict:
    """A development-set row (``id``, ``title``, ``text``, ``language``…) as the crawl's classifier labels it."""
    title, text = row.get("title") or "", row.get("text") or ""
    language = detect_language(f"{title}\n{text}", declared=row.get("language")).language
    return classifier.classify(row["id"], title=title, text=text, language=language,
                               published=row.get("published"), urls=(row.get("url"), row.get("canonical")))


def dev_set(path: Path, *, show_errors: bool, half: str | None = None) -> dict[str, object]:
    toml_path = path.with_suffix(".story.toml")
    if not toml_path.exists():
        return {"skipped": f"no {toml_path.name} beside it"}
    profile, keyword = load_set_story(toml_path)
    classifier = Classifier(profile)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [row for row in rows if in_half(str(row["id"]), half)]
    ours = [0, 0, 0]
    base = [0, 0, 0]
    truths: Counter[str] = Counter()
    got: Counter[str] = Counter()
    by_language: dict[str, list[int]] = {}
    for row in rows:
        title, text, truth = row.get("title") or "", row.get("text") or "", row["label"]
        result = classify_row(classifier, row)
        label = result["label"]
        named = bool(keyword) and fold(keyword) in fold(f"{title}\n{text}")
        for tally, predicted in ((ours, label == "followup"), (base, named)):
            tally[0] += predicted and truth == "followup"
            tally[1] += predicted and truth != "followup"
            tally[2] += (not predicted) and truth == "followup"
        truths[truth] += 1
        got[f"{truth}->{label}"] += 1
        if truth == "followup":
            by_language.setdefault(row.get("language", "und"), [0, 0])[label == "followup"] += 1
        wrong = (truth == "followup") != (label == "followup") or (truth == "source_copy") != (label == "source_copy")
        if wrong and show_errors:
            print(f"{path.stem}: {row['id']} {truth}->{label} {row.get('language')} score={result['score']} "
                  f"{result['signals']} {title[:90]!r}", file=sys.stderr)
    def share(kind: str, labels: tuple[str, ...]) -> float | None:
        total = truths[kind]
        return round(sum(n for k, n in got.items() if k.split("->")[0] == kind and k.split("->")[1] in labels)
                     / total, 3) if total else None
    return {"pages": len(rows), "labels": dict(truths), "keyword": keyword, "terms": list(profile.terms),
            "followup": scores(*ours), "keyword_baseline": scores(*base),
            "copies_flagged": f"{got['source_copy->source_copy']}/{truths['source_copy']}",
            "mentions_as_followup": share("mention", ("followup",)),
            "other_as_followup": share("other", ("followup",)),
            "followups_missed_by_language": {k: v[0] for k, v in sorted(by_language.items()) if v[0]},
            "outcomes": dict(sorted(got.items()))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Relevance of the crawl's classifier on labelled real pages.")
    parser.add_argument("--sets", type=Path, default=SETS, help=f"folder of <name>.jsonl sets (default {SETS})")
    parser.add_argument("--only", help="evaluate only this set (no feeds, no local web)")
    parser.add_argument("--half", choices=("even", "odd"), help="only the rows whose id number is even (odd)")
    parser.add_argument("--errors", action="store_true", help="print every wrong page on stderr")
    args = parser.parse_args(argv)
    result: dict[str, object] = {}
    if not args.only:
        result.update(feeds_2025=feeds_2025(), local_web=local_web())
    sets = sorted(args.sets.glob("*.jsonl")) if args.sets.is_dir() else []
    result["sets"] = {p.stem: dev_set(p, show_errors=args.errors, half=args.half) for p in sets
                      if not args.only or p.stem == args.only}
    for name, part in result.items():
        for error in part.pop("errors", []) if isinstance(part, dict) else []:
            print(f"{name}: {error}", file=sys.stderr)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
