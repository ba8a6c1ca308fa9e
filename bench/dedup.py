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
import os
import random
import resource
import statistics
import struct
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
    settle(db)


def settle(db) -> None:
    """Make the bulk load durable before anything is measured (it is setup, counted in ``fill_s``).

    The fill writes with synchronous=OFF: without this, up to a GiB of its pages
    (the database file and a WAL as large as one fill transaction) is still dirty
    in the page cache when the probe starts, and the large store's first commit
    and first checkpoint (fsync) pay for writing it out: 160-420 ms commits, and
    the issue's 7.3 ms per article at 1M on a quiet machine. A store that has run
    for months carries no such backlog.
    """
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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


PARTS = ("signature", "hash_lookup", "band_lookup", "compare", "store_tx", "commit", "checkpoint")


class TimedIndex(StoreIndex):
    """``StoreIndex`` timing its two lookups (exact text hash, LSH bands) into ``probe.parts``."""

    def __init__(self, db, probe: Probe):
        super().__init__(db)
        self.probe = probe

    def by_hash(self, text_hash):
        started = time.perf_counter()
        try:
            return super().by_hash(text_hash)
        finally:
            self.probe.parts["hash_lookup"] += time.perf_counter() - started

    def candidates(self, bands, language):
        started = time.perf_counter()
        try:
            return super().candidates(bands, language)
        finally:
            self.probe.parts["band_lookup"] += time.perf_counter() - started


def checkpointed(shm: Path) -> bool:
    """Whether the last commit ran a checkpoint: every WAL frame written back (``nBackfill == mxFrame``).

    Reads the wal-index header in ``<db>-shm`` (SQLite's file format: ``mxFrame`` at
    byte 16, ``nBackfill`` at byte 96, native byte order); a commit that checkpoints
    leaves them equal until the next transaction restarts the WAL.
    """
    head = shm.read_bytes()[:100]
    max_frame, backfill = struct.unpack("=I", head[16:20])[0], struct.unpack("=I", head[96:100])[0]
    return max_frame > 0 and backfill == max_frame


class Probe:
    """Looks up and stores articles in one store, timing each (the crawl's own dedup path) and its parts.

    Parts, per article: ``signature`` (MinHash and text hash), ``hash_lookup``
    (exact text hash), ``band_lookup`` (LSH candidates with their signatures),
    ``compare`` (candidates against the signature), ``store_tx`` (the
    transaction's statements: article row and its FTS and index entries, ledger,
    signature, bands), ``commit`` (COMMIT of a transaction: WAL frames written
    and fsync'ed) and ``checkpoint`` (the extra time of the commits that ran an
    automatic checkpoint: pages copied back into the database file, fsync).
    """

    def __init__(self, db, tag: str):
        self.db, self.tag = db, tag
        self.shm = Path(db.conn.execute("PRAGMA database_list").fetchone()[2] + "-shm")
        self.ids: list[int] = []
        self.seconds = 0.0
        self.found_copies = 0
        self.parts = dict.fromkeys(PARTS, 0.0)
        self.commits: list[float] = []
        self.first_commit = 0.0
        self.checkpoint_commits: list[float] = []
        self.io = dict.fromkeys(("rchar", "wchar", "syscr", "syscw"), 0)

    def step(self, text: str, copy_of: int | None) -> None:
        n = len(self.ids)
        url = f"https://probe.example/{self.tag}/{n}"
        io_before = proc_io()
        started = time.perf_counter()
        sig, thash = textsig.signature(text), textsig.text_hash(text)
        signed = time.perf_counter()
        dup = find_duplicate(TimedIndex(self.db, self), text_hash=thash, signature=sig, language="en", threshold=0.6)
        looked_up = time.perf_counter()
        # What writes.store_article does (one atomic() around _insert_article), with the commit timed apart.
        with self.db.atomic():
            self.ids.append(writes._insert_article(  # noqa: SLF001
                self.db, {"url": url, "canonical_url": url, "source": "probe", "label": "followup",
                          "language": "en", "text": text, "text_hash": thash,
                          "duplicate_of": dup[0] if dup else None},
                run_id=None, ledger_urls=[url], signature=textsig.pack(sig), bands=textsig.bands(sig)))
            written = time.perf_counter()
        done = time.perf_counter()
        io_after = proc_io()
        self.seconds += done - started
        self.parts["signature"] += signed - started
        self.parts["compare"] += looked_up - signed  # find_duplicate; its two lookups come off in ms_parts()
        self.parts["store_tx"] += written - looked_up
        (self.checkpoint_commits if checkpointed(self.shm) else self.commits).append(done - written)
        if not n:
            self.first_commit = done - written
        for key in self.io:
            self.io[key] += io_after[key] - io_before[key]
        if copy_of is not None and dup is not None and dup[0] == self.ids[copy_of]:
            self.found_copies += 1

    @property
    def ms_per_item(self) -> float:
        return self.seconds * 1000 / len(self.ids)

    def ms_parts(self) -> dict[str, float]:
        """Milliseconds per article of each part (they add up to ``ms_per_item``)."""
        parts = dict(self.parts)
        parts["compare"] -= parts["hash_lookup"] + parts["band_lookup"]
        typical = statistics.median(self.commits) if self.commits else 0.0
        parts["commit"] = sum(self.commits) + typical * len(self.checkpoint_commits)
        parts["checkpoint"] = sum(t - typical for t in self.checkpoint_commits)
        return {k: round(v * 1000 / len(self.ids), 3) for k, v in parts.items()}

    def io_per_item(self) -> dict[str, float]:
        """Bytes and system calls of reads and writes per article (``/proc/self/io``), and checkpoints."""
        out = {k: round(v / len(self.ids), 1) for k, v in self.io.items()}
        out["checkpoints"] = len(self.checkpoint_commits)
        every = self.commits + self.checkpoint_commits
        out["first_commit_ms"] = round(self.first_commit * 1000, 1)
        out["slowest_commit_ms"] = round(max(every) * 1000, 1)
        return out


def meminfo_mb(field: str) -> int:
    """A ``/proc/meminfo`` figure in MiB (``Dirty``: written pages the kernel has not yet sent to disk)."""
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) // 1024
    return 0


def proc_io() -> dict[str, int]:
    with open("/proc/self/io") as fh:
        return {k: int(v) for k, v in (line.split(": ") for line in fh)}


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
        dirty_mb = meminfo_mb("Dirty") + meminfo_mb("Writeback")
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
        "parts_ms_1k": small.ms_parts(),
        "parts_ms_1m": large.ms_parts(),
        "io_1k": small.io_per_item(),
        "io_1m": large.io_per_item(),
        "dirty_mb_at_probe": dirty_mb,
        "load": open("/proc/loadavg").read().split()[0],
    }
    print(f"{'part (ms per article)':<24}{'1k':>8}{'1M':>8}")
    for part in PARTS:
        print(f"{part:<24}{result['parts_ms_1k'][part]:>8.3f}{result['parts_ms_1m'][part]:>8.3f}")
    print(f"{'total':<24}{result['per_item_ms_1k']:>8.3f}{result['per_item_ms_1m']:>8.3f}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
