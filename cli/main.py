"""``monitor``: follow one story's coverage across the press, from the command line.

A thin layer over the library, as ``datasette`` and ``sqlite-utils`` are:
each subcommand parses its options and calls the code that ``scheduler.py``,
``scrapy crawl`` and ``python -m storage.export`` use too. Every failure is
one line on stderr naming the cause and the fix, with a non-zero exit status:
2 for a mistake to fix before anything can run (config, store, arguments),
1 for a crawl that did not finish, 3 for a crawl in which no source answered.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import sys
from pathlib import Path
from typing import Any

import click

from cli import draft as drafting
from cli import report as reporting

SOURCES = click.option("--sources", default="sources.toml", show_default=True, envvar="MONITOR_SOURCES",
                       type=click.Path(dir_okay=False), help="the sources config (or $MONITOR_SOURCES)")
DB = click.option("--db", default="data/coverage.db", show_default=True, envvar="MONITOR_DB",
                  type=click.Path(dir_okay=False), help="the SQLite store (or $MONITOR_DB)")
TIMEOUT = click.option("--timeout", type=int, default=None,
                       help="seconds a spider may run (default: $MONITOR_CRAWL_TIMEOUT or 3600)")
USAGE = 2


def fail(message: str, status: int = USAGE) -> None:
    """One line on stderr and the exit status: the way every subcommand fails."""
    ctx = click.get_current_context(silent=True)
    click.echo(f"{ctx.command_path if ctx else 'monitor'}: {message}", err=True)
    sys.exit(status)


def existing_store(db: str) -> str:
    if not Path(db).is_file():
        fail(f"{db}: no such store yet; `monitor crawl --db {db}` creates it (or give --db / $MONITOR_DB)")
    return db


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="followup-monitor", prog_name="monitor")
def cli() -> None:
    """Follow one news story's coverage across the world's press.

    \b
    Your own story in five minutes:
      monitor init article.html --out mystory.toml     draft the story from the source article
      monitor crawl --sources mystory.toml --db mystory.db
      monitor browse --db mystory.db
      monitor run --sources mystory.toml --db mystory.db
    """


@cli.command()
@click.argument("source_article")
@click.option("--out", default="sources.toml", show_default=True, type=click.Path(dir_okay=False),
              help="the config to write; an existing one keeps its [[source]] entries, its story is replaced")
@SOURCES
@click.option("--name", help="the story's name ([a-z0-9_-]; default: from the file or URL)")
@click.option("--url", help="where the article was published (default: SOURCE_ARTICLE when it is a URL)")
@click.option("--published", type=click.DateTime(["%Y-%m-%d"]), help="the day it was published, if the "
              "article does not say")
def init(source_article: str, out: str, sources: str, name: str | None, url: str | None,
         published: dt.datetime | None) -> None:
    """Draft the story to follow from its source article (a file, HTML or text, or a URL).

    Writes a [[story]] into --out: title, language, publication date,
    the terms that identify the story and the candidates to consider; a new
    file gets the [[source]] entries (outlets) of --sources. Prints what it
    decided and what to check.
    """
    target = Path(out)
    try:
        d = drafting.draft(source_article, name=name, url=url, out=target,
                           published=published.date() if published else None)
    except drafting.DraftError as exc:
        fail(str(exc))
    if not d.terms:
        fail(f"{source_article}: no name found in the title to track; give the story's terms yourself in "
             f"a [[story]] (see docs/configuration.md)")
    outlets_from = Path(sources) if Path(sources).resolve() != target.resolve() else None
    count, where = drafting.write_config(d, target, outlets=outlets_from)
    echo = click.echo
    echo(f"Drafted story {d.name!r} from {source_article} into {out}:")
    echo(f"  title      {d.title[:90]}")
    echo(f"  language   {d.language} (detected from the text)")
    echo(f"  published  {d.published.isoformat() + ' (from ' + d.published_from + ')' if d.published else 'not found'}")
    echo(f"  since      {d.since.isoformat()} (pages dated before are skipped)")
    echo(f"  terms      {', '.join(d.terms)} (from the title)")
    echo(f"  candidates {', '.join(t for t, _ in d.candidates[:12]) or 'none'} (commented out)")
    echo(f"  names      {', '.join(d.names[:10]) or 'none'}")
    echo(f"  numbers    {', '.join(d.numbers[:12]) or 'none'}")
    echo(f"  outlets    {count} [[source]] entries, {where}")
    echo("Check before crawling:")
    echo(f"  {out}:{drafting.line_of(target, 'terms')}: terms: keep words only this story uses; add how other "
         "languages and scripts write them")
    if not d.published:
        echo(f"  {out}:{drafting.line_of(target, 'published')}: published: set the day the article came out, "
             f"and since (line {drafting.line_of(target, 'since')})")
    if d.url == drafting.PLACEHOLDER_URL:
        echo(f"  {out}:{drafting.line_of(target, 'url')}: url: where the article was published (or --url)")
    if not count:
        echo(f"  {out}: add [[source]] entries, the outlets to watch (see docs/configuration.md)")
    echo(f"Then: monitor crawl --sources {out}")


@cli.command()
@SOURCES
@DB
@click.option("--source", "only", multiple=True, metavar="NAME", help="crawl only this source (repeatable)")
@TIMEOUT
def crawl(sources: str, db: str, only: tuple[str, ...], timeout: int | None) -> None:
    """Crawl every source once (feeds, sitemaps, sections) and show what was found for each story.

    Exit status 0 when at least one listing answered, 3 when every source
    failed (the causes are counted), 1 when a crawl did not finish.
    """
    sys.exit(_scheduler("once", sources=sources, db=db, timeout=timeout, only=only, show_found=True))


@cli.command()
@SOURCES
@DB
@TIMEOUT
def run(sources: str, db: str, timeout: int | None) -> None:
    """Monitor in the foreground: every source at its `every`, until Ctrl-C or SIGTERM (the daemon)."""
    sys.exit(_scheduler("run", sources=sources, db=db, timeout=timeout))


@cli.command()
@SOURCES
@DB
def status(sources: str, db: str) -> None:
    """Every source's job: next run, last run, its outcome and counts; whether the daemon runs."""
    sys.exit(_scheduler("status", sources=sources, db=existing_store(db), timeout=None))


def _scheduler(mode: str, *, sources: str, db: str, timeout: int | None, **kwargs: Any) -> int:
    from crawler import settings
    from jobs.command import execute

    name = click.get_current_context().command_path
    return execute(mode, sources=sources, db=db, timeout=settings.CLOSESPIDER_TIMEOUT if timeout is None else timeout,
                   prog=name, **kwargs)


@cli.command()
@DB
@click.option("--port", default=8001, show_default=True, help="0 picks a free port")
@click.option("--host", default="127.0.0.1", show_default=True)
def browse(db: str, port: int, host: str) -> None:
    """Browse the store in Datasette (read-only: safe while crawls write)."""
    existing_store(db)
    # A plain argument, never -i/--immutable: Datasette then opens the live file read-only (mode=ro).
    command = [sys.executable, "-m", "datasette", "serve", db, "--host", host, "--port", str(port)]
    metadata = Path(importlib.import_module("desk").__file__ or "").with_name("metadata.json")
    if metadata.is_file():
        command += ["--metadata", str(metadata)]
    sys.stdout.flush()
    sys.stderr.flush()
    # Datasette takes this process's place: a stop signal (Ctrl-C, a supervisor's SIGTERM) reaches the server,
    # which a child process would have outlived.
    os.execv(sys.executable, command)


@cli.command()
@DB
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="only articles published from this day")
@click.option("--story", help="one story (default: all)")
@click.option("--format", "fmt", type=click.Choice(reporting.FORMATS), default="text", show_default=True)
def report(db: str, since: dt.datetime | None, story: str | None, fmt: str) -> None:
    """One row per outlet: its first follow-up, how many, in which languages, the links.

    Copies of the source and duplicate groups (wire copies) are counted apart.
    """
    rows = reporting.rows(existing_store(db), since=since.date().isoformat() if since else None, story=story)
    click.echo(reporting.render(rows, fmt), nl=False)


@cli.command()
@DB
@click.option("--story", help="the story (default: the store's only one)")
@click.option("--no-duplicates", is_flag=True, help="leave out wire copies of other follow-ups")
def export(db: str, story: str | None, no_duplicates: bool) -> None:
    """Every follow-up of a story, with its text, as JSON lines on stdout (oldest first)."""
    from storage import StorageError, coverage, open_db
    from storage.export import export as write_lines
    from storage.export import story_names

    try:
        store = open_db(existing_store(db), readonly=True)
        try:
            names = story_names(store)
            if story is None and len(names) == 1:
                story = names[0]
            if story not in names:
                fail(f"{db}: {'give --story' if story is None else f'no story {story!r}'} "
                     f"(stories: {', '.join(names) or 'none'})")
            assert story is not None
            count = write_lines(store, story, sys.stdout, duplicates=not no_duplicates)
            counted = coverage.counts(store, story)["followups"]  # wire copies once, as everywhere
        finally:
            store.close()
    except StorageError as exc:
        fail(str(exc))
    copies = f", and {count - counted} wire copies of them" if count > counted else ""
    click.echo(f"monitor export: {counted} follow-up(s) of {story}{copies}", err=True)


@cli.command()
@DB
@click.option("--since", required=True, type=click.DateTime(["%Y-%m-%d"]), help="follow-ups found from this day")
def digest(db: str, since: dt.datetime) -> None:
    """Send the digest of the follow-ups found since a day (jobs/digest.py)."""
    try:
        module = importlib.import_module("jobs.digest")
    except ModuleNotFoundError as exc:
        if exc.name != "jobs.digest":
            raise
        fail("not available in this installation yet: it needs jobs/digest.py (send_digest); "
             "use `monitor report --since` meanwhile")
    result = module.send_digest(existing_store(db), since=since.date().isoformat())
    delivered, failed = getattr(result, "delivered", []), getattr(result, "failed", [])
    click.echo(f"digest: {getattr(result, 'followups', '?')} follow-up(s) since {since.date().isoformat()}; "
               f"delivered to {', '.join(delivered) or 'nobody (no channel configured?)'}"
               + (f"; failed: {', '.join(failed)}" if failed else ""))
    if failed:
        sys.exit(1)


def main() -> None:
    cli(prog_name="monitor")
