"""The offline demo: crawl the bundled local news web once and show what was found.

    python demo.py        (or: make demo)

Starts the local news web (localweb/) on loopback addresses, writes its
sources config to data/demo-sources.toml, runs every spider once through
``python scheduler.py --once`` into a fresh data/demo.db, and prints the
summary and the command to browse the result. Needs no internet.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DB = ROOT / "data" / "demo.db"
SOURCES = ROOT / "data" / "demo-sources.toml"


def main() -> int:
    from localweb.config import sources_toml
    from localweb.server import start

    try:
        web = start(port=0)
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
    print(f"\nBrowse it:  make browse DB={DB.relative_to(ROOT)}   "
          f"(or: .venv/bin/datasette {DB.relative_to(ROOT)} --metadata desk/metadata.json)")
    return status


if __name__ == "__main__":
    sys.exit(main())
