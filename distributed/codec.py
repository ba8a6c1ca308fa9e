"""JSON, not pickle, for everything the monitor keeps in Redis.

scrapy-redis stores each queued request as ``serializer.dumps(request.to_dict())``
and rebuilds it with ``serializer.loads``; its default serializer is pickle,
so anyone who can write to the Redis server could run code on every worker.
This module is our serializer (``SCHEDULER_SERIALIZER = "distributed.codec"``):
plain JSON, plus three tagged forms for what JSON lacks —

* ``{"$bytes": "<base64>"}`` for bytes (request bodies, header names and values);
* ``{"$map": [[key, value], ...]}`` for a dict whose keys are not all strings
  (headers have bytes keys) or that could be mistaken for a tagged form;
* ``{"$type": "<name>", "fields": {...}}`` for the few dataclasses listed in
  :data:`TYPES` (a request's ``meta["entry"]``).

Decoding builds only those types: an unknown ``$type`` is an error, never an
import. Requests of another class than :class:`scrapy.Request` (``_class``)
are refused for the same reason.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any

from crawler.entries import Entry

# The dataclasses allowed in Redis, by tag. Add one here to queue it.
TYPES: dict[str, type] = {"entry": Entry}
_TAGS = {cls: tag for tag, cls in TYPES.items()}


class UnsafePayload(ValueError):
    """Redis held something this module will not turn into objects."""


def _encode(obj: Any) -> Any:
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(obj)).decode("ascii")}
    if isinstance(obj, (list, tuple)):
        return [_encode(v) for v in obj]
    if isinstance(obj, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in obj):
            return {k: _encode(v) for k, v in obj.items()}
        return {"$map": [[_encode(k), _encode(v)] for k, v in obj.items()]}
    tag = _TAGS.get(type(obj))
    if tag is not None:
        return {"$type": tag, "fields": _encode({f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)})}
    raise TypeError(f"cannot put a {type(obj).__name__} into Redis as JSON (distributed/codec.py TYPES)")


def _decode(obj: Any) -> Any:
    if isinstance(obj, list):
        return [_decode(v) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if "$bytes" in obj:
        return base64.b64decode(obj["$bytes"])
    if "$map" in obj:
        return {_freeze(_decode(k)): _decode(v) for k, v in obj["$map"]}
    if "$type" in obj:
        cls = TYPES.get(obj["$type"])
        if cls is None:
            raise UnsafePayload(f"unknown type {obj['$type']!r} in a Redis payload")
        return cls(**_decode(obj["fields"]))
    return {k: _decode(v) for k, v in obj.items()}


def _freeze(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def dumps(obj: Any) -> str:
    """``obj`` as JSON text (raises TypeError for a type Redis must not hold)."""
    if isinstance(obj, dict) and obj.get("_class") not in (None, "scrapy.http.request.Request"):
        raise TypeError(f"only plain scrapy.Request objects are queued, not {obj['_class']}")
    return json.dumps(_encode(obj), ensure_ascii=False, separators=(",", ":"))


def loads(data: str | bytes) -> Any:
    """The object ``dumps`` wrote (raises UnsafePayload for anything else)."""
    try:
        obj = _decode(json.loads(data))
    except (ValueError, TypeError) as exc:
        if isinstance(exc, UnsafePayload):
            raise
        raise UnsafePayload(f"not a JSON payload of ours: {exc}") from None
    if isinstance(obj, dict) and "_class" in obj:
        raise UnsafePayload(f"request class {obj['_class']!r} refused: only scrapy.Request is queued")
    return obj
