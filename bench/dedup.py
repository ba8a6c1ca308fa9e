"""Benchmark: near-duplicate lookup + store cost per article as the store grows.

    python bench/dedup.py [--size 1000000] [--probe 300]

Fills a fresh store with synthetic articles (random MinHash signatures and
their LSH bands, written in bulk), and at two sizes — 1,000 articles and
``--size`` articles — measures the per-article cost of the crawl's own
dedup path on real-looking texts: signature, exact-hash and LSH lookup
(``pipelines.dedup.find_duplicate`` over ``StoreIndex``), and the
one-transaction store (``storage.writes.store_article``, synchronous=FULL).
A third of the probe texts are near-copies of earlier probes, and must be
found. Prints one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)  # not bench/ (see relevance.py)

from pipelines import textsig  # noqa: E402
from pipelines.dedup import find_duplicate  # noqa: E402
from pipelines.dupindex import StoreIndex  # noqa: E402
from storage import open_db, writes  # noqa: E402
from storage.db import MMAP_BYTES  # noqa: E402

WORDS = ("model market chip price share record company start-up engineer investor research training cost "
         "open source reasoning benchmark data centre government regulator privacy app download user week "
         "analyst fund founder laboratory export control competition release version performance").split()


def synthetic_rows(start: int, count: int, rng: random.Random):
    for i in range(start, start + count):
        sig = tuple(rng.getrandbits(32) for _ in range(textsig.NUM_PERM))
        yield i, sig


def fill(db, start: int, count: int, rng: random.Random) -> None:
    """Bulk-load ``count`` synthetic articles (ids from ``start``) in large transactions."""
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA mmap_size = 0")  # bulk setup: keep its pages out of the measured process's memory
    batch = 5_000
    for offset in range(0, count, batch):
        rows = list(synthetic_rows(start + offset, min(batch, count - offset), rng))
        with db.atomic():
            db["articles"].insert_all(
                ({"id": i, "url": f"https://synthetic.example/{i}", "canonical_url": f"https://synthetic.example/{i}",
                  "source": "synthetic", "label": "followup", "language": "en", "text_hash": f"h{i}"}
                 for i, _ in rows), batch_size=2000)
            db["signatures"].insert_all(({"article_id": i, "language": "en", "signature": textsig.pack(sig)}
                                         for i, sig in rows), batch_size=2000)
            db.conn.executemany("INSERT INTO lsh (band, hash, article_id) VALUES (?, ?, ?)",
                                ((band, value, i) for i, sig in rows for band, value in textsig.bands(sig)))
    db.execute("PRAGMA synchronous = FULL")
    db.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")


def probe_texts(count: int, rng: random.Random) -> list[tuple[str, int | None]]:
    """Texts of ~300 words; every third one a near-copy (new first and last line) of an earlier one."""
    texts: list[tuple[str, int | None]] = []
    for i in range(count):
        if i % 3 == 2:
            base = texts[i - 2][0]
            texts.append((f"Updated {i}.\n{base}\n(with agencies {i})", i - 2))
        else:
            texts.append((" ".join(rng.choice(WORDS) for _ in range(300)) + f" {rng.random()} {time.time()}", None))
    return texts


class Probe:
    """Looks up and stores articles in one store, timing each (the crawl's own dedup path)."""

    def __init__(self, db, tag: str):
        self.db, self.tag = db, tag
        self.ids: list[int] = []
        self.seconds = 0.0
        self.found_copies = 0

    def step(self, text: str, copy_of: int | None) -> None:
        n = len(self.ids)
        url = f"https://probe.example/{self.tag}/{n}"
        started = time.perf_counter()
        sig, thash = textsig.signature(text), textsig.text_hash(text)
        dup = find_duplicate(StoreIndex(self.db), text_hash=thash, signature=sig, language="en", threshold=0.6)
        self.ids.append(writes.store_article(
            self.db, {"url": url, "canonical_url": url, "source": "probe", "label": "followup", "language": "en",
                      "text": text, "text_hash": thash, "duplicate_of": dup[0] if dup else None},
            run_id=None, ledger_urls=[url], signature=textsig.pack(sig), bands=textsig.bands(sig)))
        self.seconds += time.perf_counter() - started
        if copy_of is not None and dup is not None and dup[0] == self.ids[copy_of]:
            self.found_copies += 1

    @property
    def ms_per_item(self) -> float:
        return self.seconds * 1000 / len(self.ids)


def stored(db) -> int:
    """Articles in the store, counted without mapping the whole table into memory."""
    db.execute("PRAGMA mmap_size = 0")
    count = next(iter(db.query("SELECT count(*) AS n FROM signatures")))["n"]
    db.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    return count


def filled(path: Path, size: int, rng: random.Random) -> tuple[object, float]:
    """A store of ``size`` synthetic articles at ``path`` (reused when already filled)."""
    db = open_db(path)
    started = time.perf_counter()
    have = stored(db)
    if have < size:
        fill(db, 1_000_000_000 + have, size - have, rng)
    return db, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="articles in the large store")
    parser.add_argument("--probe", type=int, default=300, help="articles measured in each store")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the filled stores in DIR")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        small_db, _ = filled(folder / f"dedup-{1000}.db", 1000, rng)
        large_db, fill_s = filled(folder / f"dedup-{args.size}.db", args.size, rng)
        stored_large = stored(large_db)
        # Interleave the two stores item by item, so the machine's load weighs on both alike.
        small, large = Probe(small_db, f"small{time.time()}"), Probe(large_db, f"large{time.time()}")
        for text, copy_of in probe_texts(args.probe, random.Random(time.time_ns())):
            small.step(text, copy_of)
            large.step(text, copy_of)
        small_db.close()
        large_db.close()
    expected = args.probe // 3
    result = {
        "per_item_ms_1k": round(small.ms_per_item, 3),
        "per_item_ms_1m": round(large.ms_per_item, 3),
        "ratio": round(large.ms_per_item / small.ms_per_item, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "stored_large": stored_large,
        "near_copies_found": f"{small.found_copies}/{expected} and {large.found_copies}/{expected}",
        "fill_s": round(fill_s, 1),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
