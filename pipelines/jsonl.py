"""Line-by-line JSONL reading for the command-line tools, with errors that name the line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import IO, Any


def read_lines(stream: IO[str], *, required: tuple[str, ...],
               err: IO[str] = sys.stderr) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line number, object)``; report bad lines on ``err`` and go on."""
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno}); skipped", file=err)
            continue
        if not isinstance(record, dict):
            print(f"line {number}: expected a JSON object, got {type(record).__name__}; skipped", file=err)
            continue
        missing = [k for k in required if not isinstance(record.get(k), str)]
        if missing:
            print(f"line {number}: missing or non-string field(s) {', '.join(missing)}; skipped", file=err)
            continue
        yield number, record


def write_line(stream: IO[str], record: dict[str, Any]) -> None:
    stream.write(json.dumps(record, ensure_ascii=False) + "\n")
