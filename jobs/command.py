"""The command line of the scheduler, shared by ``python scheduler.py`` and ``monitor run|crawl|status``.

Exit statuses (the same from both commands):

* 0 — done: the daemon stopped cleanly, or every crawl finished and at
  least one listing answered;
* 1 — a crawl did not finish (failed, timed out, interrupted);
* 2 — nothing could start: a mistake in the sources config, or a store,
  lock or log that cannot be written (one line, naming the file);
* 3 — the crawls ran but no source answered (no network, every host down);
* 130 — interrupted (Ctrl-C, SIGTERM during ``--once``).
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from core.errors import ConfigError
from core.sources import load_config
from crawler import settings as defaults
from jobs import runner
from jobs.daemon import serve
from jobs.lock import acquire_lock
from jobs.once import run_once
from jobs.runner import CrawlSettings
from jobs.status import print_status
from storage import StorageError

logger = logging.getLogger("scheduler")

CONFIG_OR_STORE = 2


def setup_logging(db: str, *, to_file: bool) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if to_file:
        log_path = Path(db).with_name(f"{Path(db).stem}-scheduler.log")
        log_path.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.handlers.RotatingFileHandler(log_path, maxBytes=5_000_000, backupCount=5,
                                                             encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        handlers=handlers, force=True)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # we log skips and misfires ourselves


def crawl_settings(sources: str, db: str, timeout: int) -> CrawlSettings:
    return CrawlSettings(sources=str(Path(sources).resolve()), db=str(Path(db).resolve()),
                         allowed_hosts=defaults.MONITOR_ALLOWED_HOSTS, timeout=timeout,
                         grace=defaults.MONITOR_KILL_GRACE, command=defaults.MONITOR_CRAWL_COMMAND,
                         preload=defaults.MONITOR_CRAWL_PRELOAD)


def execute(mode: str, *, sources: str, db: str, timeout: int, prog: str, only: Sequence[str] = (),
            show_found: bool = False, out: TextIO | None = None) -> int:
    """Run ``mode`` (``run``: the daemon, ``once``, ``status``) and return the exit status."""
    out = out or sys.stdout
    try:
        setup_logging(db, to_file=mode == "run")
    except OSError as exc:
        print(f"{prog}: {db}: cannot write the scheduler's log beside the store: {exc.strerror or exc}; "
              "the store's folder must be writable (or choose another store with --db)", file=sys.stderr)
        return CONFIG_OR_STORE
    if mode == "once":  # SIGTERM stops --once like Ctrl-C does: its crawls are stopped too
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        config = load_config(sources)
        settings = crawl_settings(sources, db, timeout)
        if mode == "status":
            print_status(config, settings.db, out)
            return 0
        lock = acquire_lock(settings.db)
        try:
            if mode == "once":
                return run_once(config, settings, out, sources=only, show_found=show_found)
            return serve(config, settings, parallel=defaults.MONITOR_PARALLEL_CRAWLS,
                         shutdown_grace=defaults.MONITOR_SHUTDOWN_GRACE)
        finally:
            lock.close()
    except (ConfigError, StorageError) as exc:  # a bad config, a read-only or full store: one line
        print(f"{prog}: {exc}", file=sys.stderr)
        return CONFIG_OR_STORE
    except KeyboardInterrupt:
        stopped = runner.stop_all(defaults.MONITOR_KILL_GRACE)
        logger.info("stopped%s", f"; stopped crawl(s): {', '.join(stopped)}" if stopped else "")
        return 130


def main(argv: list[str] | None = None) -> int:
    """``python scheduler.py [--once | --status]``."""
    from jobs import daemon

    parser = argparse.ArgumentParser(
        prog="scheduler.py", description=daemon.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Settings (environment variables, see docs/configuration.md): MONITOR_SOURCES, MONITOR_DB, "
               "MONITOR_ALLOWED_HOSTS, MONITOR_CRAWL_TIMEOUT, MONITOR_KILL_GRACE, MONITOR_SHUTDOWN_GRACE, "
               "MONITOR_PARALLEL_CRAWLS, MONITOR_FIRST_RUN_SPREAD, MONITOR_CRAWL_COMMAND, MONITOR_CRAWL_PRELOAD. "
               "The same commands: monitor run, monitor crawl, monitor status.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="run every spider once over every source, then exit "
                      "(exit status 1 if a crawl did not finish, 3 if no source answered, 2 for a bad "
                      "config or an unwritable store)")
    mode.add_argument("--status", action="store_true", help="show every job's next and last run, then exit")
    parser.add_argument("--sources", default=defaults.MONITOR_SOURCES,
                        help="sources config (default: $MONITOR_SOURCES or sources.toml)")
    parser.add_argument("--db", default=defaults.MONITOR_DB,
                        help="SQLite store (default: $MONITOR_DB or data/coverage.db)")
    parser.add_argument("--timeout", type=int, default=defaults.CLOSESPIDER_TIMEOUT,
                        help="seconds a crawl may run before it is stopped (default: $MONITOR_CRAWL_TIMEOUT or 3600)")
    args = parser.parse_args(argv)
    mode_name = "once" if args.once else "status" if args.status else "run"
    return execute(mode_name, sources=args.sources, db=args.db, timeout=args.timeout, prog="scheduler.py")


def _interrupt(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt
