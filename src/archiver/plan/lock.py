"""One crawl per archive at a time: an exclusive lock on ``<archive>.lock``.

The lock is ``fcntl.flock`` on a file beside the archive, so the operating system
releases it when the holder exits or dies (even by ``kill -9``): a lock file left
behind by a dead process is stale and taken over at once. The file holds who has
the lock (pid, host, start time, command) so a second run can say so.

    with CrawlLock("archive/archive.db"):
        ...  # crawl
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
from pathlib import Path

from archiver.archive.store import utcnow
from archiver.errors import ArchiverError

#: Exit status of a run that found the archive locked (EX_TEMPFAIL: try again later).
LOCKED_EXIT_STATUS = 75
#: Lock files this process holds.
_HELD: set[Path] = set()


def held_here(db_path: str | Path) -> bool:
    """Whether this process holds the archive's lock (``archiver crawl`` takes it before Scrapy starts)."""
    return lock_path(db_path).resolve() in _HELD


class LockHeld(ArchiverError):
    """Another process holds the archive's lock; ``holder`` says who (may be empty)."""

    exit_code = LOCKED_EXIT_STATUS

    def __init__(self, path: Path, holder: dict):
        self.path, self.holder = path, holder
        who = ", ".join(f"{key} {holder[key]}" for key in ("pid", "host", "started") if holder.get(key))
        super().__init__(f"another crawl is using this archive ({who or 'holder unknown'}); lock file {path}")


def lock_path(db_path: str | Path) -> Path:
    """The lock file of an archive: ``<archive>.lock``."""
    return Path(f"{db_path}.lock")


class CrawlLock:
    """An exclusive, non-blocking lock on an archive; a context manager.

    ``previous`` is what the lock file said before this process took it: the holder of
    a stale lock (a dead crawl), or ``{}``.
    """

    def __init__(self, db_path: str | Path):
        self.path = lock_path(db_path)
        self.previous: dict = {}
        self._file = None

    def acquire(self) -> "CrawlLock":
        """Take the lock, or raise :class:`LockHeld`; ``OSError`` when the file cannot be made."""
        file = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(file)
            file.close()
            raise LockHeld(self.path, holder) from None
        self.previous = _read(file)
        file.seek(0)
        file.truncate()
        json.dump({"pid": os.getpid(), "host": socket.gethostname(), "started": utcnow(), "command": sys.argv}, file)
        file.flush()
        self._file = file
        _HELD.add(self.path.resolve())
        return self

    def release(self) -> None:
        """Empty the lock file and let go of the lock."""
        if self._file is not None:
            _HELD.discard(self.path.resolve())
            self._file.truncate(0)
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> "CrawlLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _read(file) -> dict:
    """The holder recorded in an open lock file, or ``{}``."""
    file.seek(0)
    try:
        holder = json.loads(file.read() or "{}")
    except ValueError:
        return {}
    return holder if isinstance(holder, dict) else {}
