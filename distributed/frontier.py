"""Distributed mode: one request frontier in Redis for every worker, on every machine.

Set ``MONITOR_REDIS_URL`` and ``scrapy crawl <spider>`` becomes a *worker*
(:class:`DistributedMode`, an add-on in ``ADDONS``, switches the settings;
without the setting nothing changes):

* scrapy-redis' scheduler and duplicate filter share the queue of requests
  (``monitor:<spider>:requests``, a sorted set by priority) and the set of
  article requests already made (``monitor:seen``) between all workers;
  requests are stored as JSON (:mod:`distributed.codec`), never pickled;
* the spider does not discover on its own: ``scheduler.py`` puts each due
  source's listings into the frontier (:func:`enqueue_discovery`), and the
  worker keeps waiting for work (``MONITOR_REDIS_IDLE_CLOSE``);
* the spiders' ledger (crawler/ledger.py) is Redis: settled URLs are read
  from ``monitor:settled`` (kept by the ingest), listing results and
  discoveries go to the ingest as messages, so a worker needs no SQLite file;
* extract, language and relevance run in the worker; then
  :class:`distributed.push.PushPipeline` puts the item on ``monitor:items``,
  and ``python -m distributed.ingest`` deduplicates and stores it (one writer).

**Leases.** scrapy-redis pops a request and forgets it: a worker killed while
fetching would lose it (its fingerprint stays in the seen set, so nobody
would ever fetch it). :class:`LeasedScheduler` pops *and* leases in one
Redis script (``monitor:<spider>:leases``), releases the lease once Scrapy
has finished with the request (response handled, items pushed, new requests
queued; an article request is marked seen and queued in one script), and puts back the leases of workers whose heartbeat
(``monitor:worker:<id>``) has expired. A worker holds at most
``MONITOR_REDIS_MAX_LEASES`` requests: one that downloads far ahead of its
extraction processes would take work the other workers could start now.
This is the one adapter over scrapy-redis 0.9.1; its scheduler and duplicate filter are otherwise used
as they are with Scrapy 2.19 (tests/test_scaleout.py checks both).
"""


from __future__ import annotations

import logging
import os
import socket
import uuid
from typing import TYPE_CHECKING, Any

from distributed import codec

if TYPE_CHECKING:
    import redis
    from scrapy import Spider
    from scrapy.settings import BaseSettings



logger = logging.getLogger(__name__)

QUEUE_KEY = "monitor:%(spider)s:requests"
LEASES_KEY = "monitor:%(spider)s:leases"
SEEN_KEY = "monitor:seen"
SETTLED_KEY = "monitor:settled"
ITEMS_KEY = "monitor:items"
PROCESSING_KEY = "monitor:items:processing"
STORY_TEXT_KEY = "monitor:story_text"
WORKER_KEY = "monitor:worker:%s"


READY = "frontier_ready"


def ready(spider: Spider) -> None:
    """The spider may now take requests from the frontier (its start() has loaded what it needs)."""
    setattr(spider, READY, True)


def redis_url(settings: BaseSettings | dict[str, Any] | None = None) -> str:
    """``MONITOR_REDIS_URL`` from the settings or the environment ("" when not distributed)."""
    value = settings.get("MONITOR_REDIS_URL") if settings is not None else None
    return str(value or os.environ.get("MONITOR_REDIS_URL") or "")


# Our client's options, under any the settings give in ``REDIS_PARAMS`` (scrapy-redis' setting,
# which its scheduler and duplicate filter read too).
CLIENT_PARAMS = {"socket_timeout": 30, "socket_connect_timeout": 10, "retry_on_timeout": True}


def connect(url: str, settings: BaseSettings | None = None) -> redis.Redis:
    """Our one way to open a Redis client (bytes in, bytes out), as scrapy-redis opens its own.

    ``settings`` (the crawl's) add their ``REDIS_PARAMS`` (client options such as
    ``socket_timeout``, ``health_check_interval`` or ``ssl_cert_reqs``) to ours.
    """
    from scrapy.settings import Settings
    from scrapy_redis.connection import get_redis_from_settings

    params = dict(CLIENT_PARAMS)
    if settings is not None:
        params.update(settings.getdict("REDIS_PARAMS"))
    return get_redis_from_settings(Settings({"REDIS_URL": url, "REDIS_PARAMS": params}))


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def distributed(settings: BaseSettings) -> bool:
    return bool(redis_url(settings))


def push_message(server: redis.Redis, message: dict[str, Any]) -> None:
    """Put one finished item (or event) on the ingest's list."""
    server.lpush(ITEMS_KEY, codec.dumps(dict(message, id=uuid.uuid4().hex)))


def story_texts(server: redis.Redis) -> dict[str, str]:
    return {as_text(k): as_text(v) for k, v in server.hgetall(STORY_TEXT_KEY).items()}


def as_text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
