"""``monitor init``: draft a ``[[story]]`` from the source article, and say what to check.

The drafting itself is the library's (``pipelines.profile.draft_terms``,
``pipelines.extract.extract_article``, ``pipelines.language``); this module
reads the article (a file, HTML or text, or a URL), decides the fields, and
writes them into a sources config: a new one that gets the ``[[source]]``
entries of an existing config, or an existing one whose ``[[story]]`` is
replaced (its outlets kept, the old file saved as ``.bak``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

# Coverage starts this long before the source article: follow-ups of a story
# often come from the event it reports, days before the article itself.
WINDOW_BEFORE = dt.timedelta(days=14)
PLACEHOLDER_URL = "https://example.com/EDIT-ME"
_HEADER_RE = re.compile(r"^\s*\[\[\s*(story|source)\s*\]\]", re.M)
_DATE_RE = re.compile(r"\b(20\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")


class DraftError(Exception):
    """The article cannot be read: the message says why, in one line."""


@dataclass
class Draft:
    name: str
    url: str
    title: str
    language: str
    text: str
    file: str | None = None
    published: dt.date | None = None
    published_from: str = ""
    terms: list[str] = field(default_factory=list)
    candidates: list[tuple[str, int]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)

    @property
    def since(self) -> dt.date:
        return (self.published or dt.date.today()) - WINDOW_BEFORE


def read_article(source: str, *, timeout: float = 30) -> tuple[str, str | None]:
    """The article's raw content, and its URL when it was fetched."""
    if re.match(r"^https?://", source):
        from crawler import settings

        request = urllib.request.Request(source, headers={"User-Agent": settings.USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only, above)
                charset = response.headers.get_content_charset() or "utf-8"
                return response.read(10 * 1024 * 1024).decode(charset, errors="replace"), source
        except OSError as exc:
            raise DraftError(f"{source}: cannot fetch it: {getattr(exc, 'reason', exc)} "
                             "(save the page and give the file instead)") from None
    path = Path(source)
    try:
        return path.read_text(encoding="utf-8", errors="replace"), None
    except OSError as exc:
        raise DraftError(f"{source}: cannot read it: {exc.strerror or exc}") from None


def draft(source: str, *, name: str | None = None, url: str | None = None,
          published: dt.date | None = None, out: Path) -> Draft:
    """Read the article at ``source`` (file or URL) and decide every field of its ``[[story]]``."""
    from pipelines import textsig
    from pipelines.extract import date_from_url, extract_article
    from pipelines.language import detect_language
    from pipelines.profile import core_terms, draft_terms

    raw, fetched_from = read_article(source)
    url = url or fetched_from or PLACEHOLDER_URL
    found_date, date_from = None, ""
    if raw.lstrip()[:1] == "<":
        page = extract_article(raw, url=url)
        if page is None or not page.text.strip():
            raise DraftError(f"{source}: no readable article text in this HTML")
        title, text = (page.title or "").strip(), page.text
        if page.published:
            found_date, date_from = page.published, "the page's metadata"
    else:
        title, _, text = raw.strip().partition("\n")
        title = title.strip()
    if not title or not text.strip():
        raise DraftError(f"{source}: expected a title and a text (a plain-text file: the title on its first line)")
    if found_date is None and (from_url := date_from_url(url)):
        found_date, date_from = from_url, "the URL"
    if found_date is None and (match := _DATE_RE.search(text[:2000])):
        found_date, date_from = match.group(0), "the text"
    when = published
    if when is not None:
        date_from = "--published"
    elif found_date:
        when = dt.date.fromisoformat(found_date[:10])
    ranked = draft_terms(title, text)
    # The names the story is about, as the crawl itself would take them (short acronyms,
    # "IA", name a field, not a story); the other names stay candidates for the user.
    subject = list(core_terms(title, text))
    return Draft(
        name=name or slug(Path(source).stem if fetched_from is None else url.rstrip("/").rsplit("/", 1)[-1]),
        url=url, title=title, language=detect_language(f"{title}\n{text}").language, text=text,
        file=None if fetched_from else _config_path(Path(source), out),
        published=when, published_from=date_from, terms=subject,
        candidates=[(term, n) for term, n in ranked if term not in subject],
        names=[term for term, _ in ranked if " " in term and term not in subject],
        numbers=sorted(a for a in textsig.anchors(text) if a[:1].isdigit())[:25],
    )


def _config_path(article: Path, out: Path) -> str:
    """The article's path as the config gives it: relative to the config's folder when near it."""
    relative = os.path.relpath(article.resolve(), out.resolve().parent)
    return str(article.resolve()) if relative.startswith(os.pardir + os.sep + os.pardir) else relative


def slug(text: str) -> str:
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
    return value if value and value[0].isalnum() else "my-story"


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def story_block(d: Draft) -> str:
    lines = [
        "[[story]]",
        f"name = {_toml(d.name)}",
        f"url = {_toml(d.url)}" + ("  # CHECK: where the article was published" if d.url == PLACEHOLDER_URL else ""),
        *([f"file = {_toml(d.file)}"] if d.file else []),
        f"title = {_toml(d.title)}",
        f"language = {_toml(d.language)}",
        *([f"published = {d.published.isoformat()}"] if d.published else
          ["# published = YYYY-MM-DD  # CHECK: not found in the article"]),
        f"since = {d.since.isoformat()}  # coverage starts here: pages dated before are skipped unfetched",
        "# Words that identify the story, matched in titles and text. Add how other languages",
        "# and scripts write them; uncomment a candidate only if it names this story alone.",
        "terms = [",
        *[f"    {_toml(term)}," for term in d.terms],
        *[f"    # {_toml(term)},  # {n} in the article" for term, n in d.candidates],
        "]",
    ]
    return "\n".join(lines) + "\n"


def chunks(text: str) -> tuple[str, list[tuple[str, str]]]:
    """A config's text as its preamble and ``(kind, text)`` per table, comments after a table kept with it."""
    marks = list(_HEADER_RE.finditer(text))
    if not marks:
        return text, []
    parts = [(m.group(1), text[m.start():(marks[i + 1].start() if i + 1 < len(marks) else len(text))])
             for i, m in enumerate(marks)]
    return text[:marks[0].start()], parts


def write_config(d: Draft, out: Path, *, outlets: Path | None) -> tuple[int, str]:
    """Write the draft into ``out``; returns how many ``[[source]]`` entries it has and where they came from."""
    block = story_block(d)
    if out.exists():
        preamble, parts = chunks(out.read_text(encoding="utf-8"))
        sources = [text for kind, text in parts if kind == "source"]
        out.with_name(out.name + ".bak").write_text(out.read_text(encoding="utf-8"), encoding="utf-8")
        out.write_text(preamble + block + "\n" + "".join(sources), encoding="utf-8")
        return len(sources), f"kept from {out.name} (its old version: {out.name}.bak)"
    sources = []
    if outlets is not None and outlets.is_file():
        sources = [text for kind, text in chunks(outlets.read_text(encoding="utf-8"))[1] if kind == "source"]
    out.parent.mkdir(parents=True, exist_ok=True)
    head = f"# Drafted by `monitor init` on {dt.date.today().isoformat()}; check the lines marked CHECK.\n\n"
    out.write_text(head + block + ("\n" + "".join(sources) if sources else ""), encoding="utf-8")
    return len(sources), (f"copied from {outlets}" if sources else "none: add [[source]] entries")


def line_of(out: Path, key: str) -> int:
    for number, line in enumerate(out.read_text(encoding="utf-8").splitlines(), 1):
        if re.match(rf"^#?\s*{key}\s*=", line):
            return number
    return 0
