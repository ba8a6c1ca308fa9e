"""``python -m localweb [--port N] [--sources-out PATH] [--verbose]``

Starts the local news web, optionally writes the sources config for it, prints one
line of JSON (``{"outlets": {key: base_url}, "sources": path-or-null}``) and serves
until SIGTERM or SIGINT. Exit status: 0 on a clean stop, 2 if an address cannot be bound.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from localweb.config import sources_toml
from localweb.server import start


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m localweb",
        description="Serve the bundled local news web on 127.0.0.2-127.0.0.9.",
    )
    parser.add_argument(
        "--port", type=int, default=0, help="same port on every address (default: OS-chosen)"
    )
    parser.add_argument(
        "--sources-out", type=Path, default=None, help="write the sources TOML config here"
    )
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(asctime)s %(name)s %(message)s",
    )
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    try:
        web = start(port=args.port)
    except OSError as exc:
        print(f"localweb: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        sources: str | None = None
        if args.sources_out is not None:
            try:
                args.sources_out.write_text(sources_toml(web), encoding="utf-8")
            except OSError as exc:
                print(f"localweb: cannot write {args.sources_out}: {exc}", file=sys.stderr)
                return 2
            sources = str(args.sources_out)
        print(json.dumps({"outlets": web.base_urls, "sources": sources}), flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        web.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
