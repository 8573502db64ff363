"""Write the fetches that crawlers queued in Redis into the archive: one writer, at least once, idempotent.

Crawlers (``archiver crawl --redis URL``, see :mod:`scrapers.redis_crawl`) push each
fetch, raw page included, as one JSON message onto the Redis list ``archiver:fetches``.
``archiver ingest --redis URL`` is the archive's only writer:

1. it moves a batch of messages from ``archiver:fetches`` onto ``archiver:fetches:ingesting``
   (``LMOVE``: a message is always in one list or the other, never lost in between);
2. it records the batch in one transaction, with each message's id in ``ingested``;
   a message whose id is there already is skipped (a re-delivery changes nothing);
3. after the commit it empties ``archiver:fetches:ingesting`` (the acknowledgement).

An ingester killed at any point leaves its batch in ``ingesting``; the next one starts
by putting it back in the queue. So every message is written at least once, and
written effects happen once.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import asdict

from archiver.parser.profiles import Profile
from archiver.archive.store import Archive, Fetch

FETCH_QUEUE = "archiver:fetches"
INGESTING = f"{FETCH_QUEUE}:ingesting"
BATCH = 200


def encode(fetch: Fetch, message_id: str) -> str:
    """One fetch as a JSON message (the raw page base64-encoded)."""
    record = asdict(fetch)
    record["body"] = base64.b64encode(fetch.body).decode("ascii")
    return json.dumps({"id": message_id, "fetch": record}, ensure_ascii=False)


def decode(message: bytes | str) -> tuple[str, Fetch]:
    """The id and fetch of a message made by :func:`encode`."""
    data = json.loads(message)
    record = data["fetch"]
    record["body"] = base64.b64decode(record["body"])
    if record.get("profile"):
        record["profile"] = Profile.from_record(record["profile"])
    return data["id"], Fetch(**record)


def connect(url: str):
    """A Redis client for ``redis://HOST:PORT/N``."""
    import redis

    return redis.Redis.from_url(url)


class Ingester:
    """Move fetches from Redis into one archive, batch by batch."""

    def __init__(self, server, archive: Archive, batch: int = BATCH):
        self.server = server
        self.archive = archive
        self.batch = batch
        self.counts: dict[str, int] = {}
        self.crawl_id = archive.start_crawl("redis-ingest", [FETCH_QUEUE])

    def recover(self) -> int:
        """Put back the batch a killed ingester left unacknowledged; how many messages."""
        moved = 0
        while self.server.lmove(INGESTING, FETCH_QUEUE, "LEFT", "RIGHT") is not None:
            moved += 1
        return moved

    def take(self, wait: float) -> list[bytes]:
        """Up to ``batch`` messages, moved onto the ingesting list; waits ``wait`` s for the first."""
        first = self.server.blmove(FETCH_QUEUE, INGESTING, wait, "RIGHT", "LEFT") if wait else self.server.lmove(
            FETCH_QUEUE, INGESTING, "RIGHT", "LEFT"
        )
        if first is None:
            return []
        messages = [first]
        while len(messages) < self.batch:
            message = self.server.lmove(FETCH_QUEUE, INGESTING, "RIGHT", "LEFT")
            if message is None:
                break
            messages.append(message)
        return messages

    def write(self, messages: list[bytes]) -> None:
        """Record one batch in one transaction, skipping messages already ingested; then acknowledge it."""
        db = self.archive.db
        with db.atomic():
            fresh = []
            for message in messages:
                message_id, fetch = decode(message)
                if db.execute("insert or ignore into ingested (id) values (?)", [message_id]).rowcount:
                    fresh.append(fetch)
            for outcome in self.archive.record_batch(fresh, self.crawl_id):
                self.counts[outcome] = self.counts.get(outcome, 0) + 1
            self.counts["duplicates"] = self.counts.get("duplicates", 0) + len(messages) - len(fresh)
        self.server.delete(INGESTING)

    def run(self, until_idle: float | None = None, wait: float = 1.0) -> dict[str, int]:
        """Ingest until stopped (or until the queue stayed empty ``until_idle`` seconds); the counts."""
        self.recover()
        quiet_since = time.monotonic()
        try:
            while True:
                messages = self.take(wait)
                if messages:
                    self.write(messages)
                    quiet_since = time.monotonic()
                elif until_idle is not None and time.monotonic() - quiet_since >= until_idle:
                    break
        finally:
            self.archive.finish_crawl(self.crawl_id)
        return self.counts
