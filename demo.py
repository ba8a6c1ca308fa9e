"""The offline demo: crawl the bundled local news web once and show what was found.

    python demo.py                       (or: make demo)
    python demo.py --web-while CMD ...   (make browse-demo: the local web serves while CMD runs)

Starts the local news web (localweb/) on loopback addresses, all on one port,
writes its sources config to data/demo-sources.toml, runs every spider once
through ``python scheduler.py --once`` into a fresh data/demo.db, and prints the
summary and the command to browse the result. Needs no internet.

The store links to the local web's pages, which answer only while it runs:
``--web-while`` starts it again on the port the demo used (read from
data/demo-sources.toml), runs the command (the desk), and stops it after, so
the desk's article links keep working; if that port is taken, the desk shows
those links as offline.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent
DB = ROOT / "data" / "demo.db"
SOURCES = ROOT / "data" / "demo-sources.toml"


def start_web(port: int = 0) -> Any:
    """The local news web with every outlet on the same port (``port``, or one found free), so it can be
    started again later on the addresses the store links to."""
    from localweb.server import start

    if port:
        return start(port=port)
    for _ in range(20):
        with socket.socket() as probe:
            probe.bind(("127.0.0.2", 0))
            free = probe.getsockname()[1]
        try:
            return start(port=free)
        except OSError:
            continue  # taken on another of the addresses: try another
    return start(port=0)


def demo_port() -> int | None:
    """The port of the local web the demo store links to (from its sources config)."""
    try:
        config = tomllib.loads(SOURCES.read_text(encoding="utf-8"))
        return urlsplit(config["story"][0]["url"]).port
    except (OSError, ValueError, KeyError, IndexError):
        return None


def web_while(command: list[str]) -> int:
    port = demo_port()
    web = None
    if port is None:
        print(f"demo: {SOURCES.relative_to(ROOT)} is missing: run 'make demo' first", file=sys.stderr)
    else:
        try:
            web = start_web(port)
            print(f"demo: local news web up on port {port} while the desk runs", flush=True)
        except OSError as exc:
            print(f"demo: cannot serve the local news web on port {port} ({exc}); "
                  "the desk shows its pages as offline", file=sys.stderr)
    try:
        return subprocess.call(command, cwd=ROOT)
    except KeyboardInterrupt:
        return 0
    finally:
        if web is not None:
            web.stop()


def main() -> int:
    from localweb.config import sources_toml

    if sys.argv[1:2] == ["--web-while"]:
        return web_while(sys.argv[2:])
    try:
        web = start_web()
    except OSError as exc:
        print(f"demo: cannot start the local news web: {exc}", file=sys.stderr)
        return 2
    try:
        DB.parent.mkdir(exist_ok=True)
        SOURCES.write_text(sources_toml(web), encoding="utf-8")
        for stale in DB.parent.glob(f"{DB.name}*"):
            stale.unlink()
        (DB.parent / "demo-jobs.sqlite").unlink(missing_ok=True)
        print(f"demo: local news web up: {len(web.base_urls)} outlets on "
              f"{', '.join(sorted(u.split('//')[1] for u in web.base_urls.values()))}", flush=True)
        env = dict(os.environ, MONITOR_ALLOWED_HOSTS="127.0.0.0/8")
        status = subprocess.call(
            [sys.executable, "scheduler.py", "--once", "--sources", str(SOURCES), "--db", str(DB)],
            cwd=ROOT, env=env)
    finally:
        web.stop()
    print("\nBrowse it:  make browse-demo   (the desk on http://127.0.0.1:8001/, with the local news web "
          "serving the articles it links to)")
    return status


if __name__ == "__main__":
    sys.exit(main())
