"""JSON from untrusted pages (JSON Feed, JSON-LD), read with a depth limit.

``json.loads`` recurses once per nesting level: a document nested 100,000
levels deep raises ``RecursionError`` (not a ``ValueError``), which callers
catching decode errors let escape. :func:`loads` turns that into
:class:`JSONTooDeep`, a ``ValueError``, and also refuses documents that
decode but nest deeper than ``max_depth`` (no real feed or JSON-LD block
nests more than a dozen levels), so code walking the result never meets an
absurd depth. The depth check is an iterative walk, linear in the values.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64


class JSONTooDeep(ValueError):
    """A JSON document nested deeper than the limit."""


def depth(value: Any, *, limit: int = MAX_DEPTH) -> int:
    """How deep ``value`` nests (a scalar is 0), counting no further than ``limit + 1``."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        level += 1
        if level > deepest:
            deepest = level
            if deepest > limit:
                return deepest
        stack.extend((child, level) for child in children if isinstance(child, (dict, list)))
    return deepest


def loads(data: str | bytes, *, max_depth: int = MAX_DEPTH, strict: bool = True) -> Any:
    """``json.loads``, raising :class:`JSONTooDeep` (a ``ValueError``) past ``max_depth`` levels.

    ``strict=False`` accepts control characters (raw newlines, tabs) inside strings.
    """
    try:
        value = json.loads(data, strict=strict)
    except RecursionError:
        raise JSONTooDeep(f"JSON nested deeper than the interpreter's recursion limit (limit {max_depth})") from None
    if depth(value, limit=max_depth) > max_depth:
        raise JSONTooDeep(f"JSON nested deeper than {max_depth} levels")
    return value
