"""Label pages the way the crawl does, from the command line (for evaluation and debugging).

    python -m pipelines.classify [--story NAME] [--sources sources.toml] < in.jsonl > out.jsonl

Input lines are ``{"id", "url", "html"}`` (extracted first, as in the crawl)
or ``{"id", "url", "title", "text", "published"}``. Each output line is the
input (without ``html``) plus ``label`` (``followup`` | ``mention`` |
``source_copy`` | ``off_topic``), ``score``, ``duplicate_of`` (the ``id`` of an earlier line
it near-duplicates, else null), ``language``, ``matched`` and ``signals``.
The functions and thresholds are the crawl's own (pipelines/relevance,
pipelines/dedup, crawler/settings.py).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import IO, Any

from scrapy.settings import Settings

from core.errors import ConfigError
from core.sources import load_config
from pipelines import textsig
from pipelines.containment import is_source_address
from pipelines.dedup import find_duplicate, source_copy, traces
from pipelines.dupindex import MemoryIndex
from pipelines.extract import date_from_url, extract_article
from pipelines.jsonl import read_lines, write_line
from pipelines.language import detect_language
from pipelines.profile import StoryProfile, story_profile, text_of_file
from pipelines.relevance import assess, older_than_window
from storage import open_db, queries
from storage.vocabulary import Label, Reason

# The crawl's thresholds, read from the project's settings module by its name, as Scrapy reads it.
DEFAULTS = Settings()
DEFAULTS.setmodule("crawler.settings")


def load_profile(sources: str, story_name: str | None, db: str | None, err: IO[str]) -> StoryProfile:
    config = load_config(sources)
    stories = {s.name: s for s in config.stories}
    if story_name and story_name not in stories:
        raise ConfigError(f"{sources}: no story named {story_name!r} (known: {', '.join(stories)})")
    story = stories[story_name] if story_name else config.stories[0]
    text = None
    if story.file is not None and story.file.is_file():
        text = text_of_file(story.file, story.url)
    elif db and os.path.exists(db):
        store = open_db(db, readonly=True)
        try:
            text = queries.story_text(store, story.name)
        finally:
            store.close()
    if not text:
        print(f"story {story.name!r}: no source text (file missing, not in the store); "
              "using its terms alone, source copies cannot be found", file=err)
    return story_profile(story, text)


class Classifier:
    """The crawl's decisions, over a stream of pages, with an in-memory duplicate index."""

    def __init__(self, profile: StoryProfile, *, threshold: float = DEFAULTS.getfloat("MONITOR_FOLLOWUP_SCORE"),
                 mention_terms: int = DEFAULTS.getint("MONITOR_MENTION_MIN_TERMS"),
                 same_text: float = DEFAULTS.getfloat("MONITOR_DEDUP_SIMILARITY"),
                 translation: float = DEFAULTS.getfloat("MONITOR_TRANSLATION_ANCHORS")):
        self.profile = profile
        self.threshold, self.same_text, self.translation = threshold, same_text, translation
        self.mention_terms = mention_terms
        self.index = MemoryIndex()

    def classify(self, item_id: Any, *, title: str, text: str, language: str,
                 published: str | None = None, urls: tuple[str | None, ...] = ()) -> dict[str, Any]:
        found = assess(self.profile, title=title, text=text, threshold=self.threshold,
                       mention_terms=self.mention_terms)
        out: dict[str, Any] = {"label": found.label, "score": found.score, "duplicate_of": None,
                               "language": language, "matched": found.matched, "signals": found.signals}
        too_old = older_than_window(published, [self.profile])
        if too_old:  # the crawl skips these before or right after fetching
            out.update(label=Label.OFF_TOPIC, reason=Reason.TOO_OLD, detail=too_old)
            return out
        if found.label == "off_topic" and not traces(found.matched, found.signals) and not is_source_address(
                self.profile.url, *urls):
            return out  # as the crawl decides (pipelines/dedup): no copy of the source to look for
        shingles = textsig.shingle_hashes(text)
        sig = textsig.signature(text, hashes=shingles)
        thash = textsig.text_hash(text)
        evidence = source_copy(self.profile, text=text, signature=sig, shingles=shingles, language=language,
                               same_text=self.same_text, translation=self.translation, urls=urls)
        if evidence:
            out["label"] = "source_copy"
            out["signals"] = {**found.signals, **evidence}
        elif found.label == "off_topic":
            return out
        else:
            dup = find_duplicate(self.index, text_hash=thash, signature=sig, language=language,
                                 threshold=self.same_text)
            if dup is not None:
                out["duplicate_of"] = dup[0]
        self.index.add(item_id, text_hash=thash, signature=sig, language=language,
                       root=out["duplicate_of"] if out["duplicate_of"] is not None else item_id)
        return out


def main(argv: list[str] | None = None, stdin: IO[str] = sys.stdin, stdout: IO[str] = sys.stdout,
         stderr: IO[str] = sys.stderr) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.classify", description=__doc__.split("\n\n")[0])
    parser.add_argument("--story", help="story name in the config (default: the first one)")
    parser.add_argument("--sources", default=os.environ.get("MONITOR_SOURCES", "sources.toml"),
                        help="sources config (default: $MONITOR_SOURCES or sources.toml)")
    parser.add_argument("--db", default=os.environ.get("MONITOR_DB", "data/coverage.db"),
                        help="store holding the source text when the story has no file")
    args = parser.parse_args(argv)
    try:
        profile = load_profile(args.sources, args.story, args.db, stderr)
    except ConfigError as exc:
        print(f"classify: {exc}", file=stderr)
        return 2
    classifier = Classifier(profile)
    counts: dict[str, int] = {}
    for number, record in read_lines(stdin, required=("id", "url"), err=stderr):
        html = record.pop("html", None)
        if isinstance(html, str):
            found = extract_article(html, url=record["url"])
            if found is None:
                print(f"line {number}: no readable text in {record['url']}", file=stderr)
            record.setdefault("title", found.title if found else None)
            record.setdefault("text", found.text if found else "")
            record.setdefault("published", (found.published if found else None) or date_from_url(record["url"]))
            declared = found.html_lang if found else None
            record.setdefault("canonical", found.canonical_url if found else None)
        elif isinstance(record.get("text"), str) or isinstance(record.get("title"), str):
            declared = record.get("language") if isinstance(record.get("language"), str) else None
        else:
            print(f"line {number}: needs 'html', or 'title'/'text'; skipped", file=stderr)
            continue
        title, text = record.get("title") or "", record.get("text") or ""
        language = detect_language(f"{title}\n{text}", declared=declared).language
        published = record.get("published") if isinstance(record.get("published"), str) else None
        urls = (record["url"], record.get("canonical") if isinstance(record.get("canonical"), str) else None)
        record.update(classifier.classify(record["id"], title=title, text=text, language=language,
                                          published=published, urls=urls))
        counts[record["label"]] = counts.get(record["label"], 0) + 1
        write_line(stdout, record)
    print("classified: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing"), file=stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
