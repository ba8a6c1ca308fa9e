"""A stand-in for ``scrapy job`` in scheduler tests (``MONITOR_CRAWL_COMMAND``).

    python -m tests.fake_crawl <spider>[,<spider>...] -s MONITOR_DB=... -a source=<name>

Takes the arguments the scheduler gives a real job and, for each spider in
turn, prints the ``job: <spider> starting (i/n)`` line and writes its
``crawl_runs`` row the way the store pipeline does. What a spider does
depends on the source's name: ``ok…`` finishes at once, ``slow…`` takes
``FAKE_SLOW_SECONDS`` (default 1.5), ``fail…`` prints an error and writes no
row (like a crawl that crashes on start; the job goes on and exits 1),
``hang…`` writes its row and then ignores SIGTERM for ever, ``long…`` takes
``FAKE_LONG_SECONDS`` (default 60) but closes cleanly on SIGTERM (reason
``shutdown``, as Scrapy does) and starts no other spider. Without a source
(``--once``) a spider finishes at once, unless it is named in
``FAKE_FAIL_SPIDER``. SIGUSR1 lets the running spider finish and starts no
other (as ``scrapy job`` does). Every start and end is appended as a JSON
line to ``FAKE_CRAWL_LOG`` when set.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time

from storage import open_db, writes

drained = False


def note(event: str, spider: str, source: str) -> None:
    path = os.environ.get("FAKE_CRAWL_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"event": event, "spider": spider, "source": source, "pid": os.getpid(),
                                  "t": time.time()}) + "\n")


def on_drain(signum: int, frame: object) -> None:
    global drained
    drained = True


def main(argv: list[str]) -> int:
    spiders, rest = argv[0].split(","), argv[1:]
    settings: dict[str, str] = {}
    source = "*"
    for flag, value in zip(rest[::2], rest[1::2], strict=True):
        key, _, val = value.partition("=")
        if flag == "-s":
            settings[key] = val
        elif flag == "-a" and key == "source":
            source = val
    signal.signal(signal.SIGUSR1, on_drain)
    failed = False
    for number, spider in enumerate(spiders, 1):
        if drained:
            break
        print(f"job: {spider} starting ({number}/{len(spiders)})", flush=True)
        if not crawl(spider, source, settings):
            failed = True
    # The real job ends without the interpreter's teardown (crawler/commands/job.py, os._exit); a Python
    # exit puts SIGUSR1 back to its default (death) during it, so a drain sent then killed this stand-in.
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    return 1 if failed else 0


def crawl(spider: str, source: str, settings: dict[str, str]) -> bool:
    """One spider of the job; False when it failed."""
    kind = source.rstrip("0123456789-_") if source != "*" else ("fail" if spider == os.environ.get(
        "FAKE_FAIL_SPIDER") else "ok")
    note("start", spider, source)
    print(f"fake crawl {spider} {source}: {kind}", flush=True)
    if kind == "fail":
        print("Traceback (most recent call last):\nRuntimeError: the feed exploded", file=sys.stderr, flush=True)
        note("end", spider, source)
        return False
    db = open_db(settings["MONITOR_DB"])
    run_id = writes.start_run(db, spider=spider, source=None if source == "*" else source, pid=os.getpid())

    def finish(reason: str) -> None:
        writes.finish_run(db, run_id, finish_reason=reason, counts={"stored/followup": 1, "skipped/too_old": 2},
                          error_messages=[])
        note("end", spider, source)

    if kind == "hang":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("hanging", flush=True)
        while True:
            time.sleep(1)
    if kind == "long":
        def on_term(signum: int, frame: object) -> None:
            finish("shutdown")
            sys.exit(0)  # the job ends: no other spider starts

        signal.signal(signal.SIGTERM, on_term)
        time.sleep(float(os.environ.get("FAKE_LONG_SECONDS", "60")))
    elif kind == "slow":
        time.sleep(float(os.environ.get("FAKE_SLOW_SECONDS", "1.5")))
    finish("finished")
    db.close()
    return True


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
