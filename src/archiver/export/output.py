"""Where an export goes: atomic files and folders, stdout, a progress bar on a terminal."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator

from archiver.export.records import ExportError

#: A folder written by ``atomic_folder`` holds this file, so a later export may replace it.
FOLDER_MARK = ".archiver-export"


@contextmanager
def atomic_output(path: str | Path, binary: bool = False) -> Iterator[IO]:
    """A file that appears at ``path`` only when the block succeeds (temporary file, then rename)."""
    path = Path(path)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8", "newline": ""})) as out:
            yield out
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


@contextmanager
def atomic_folder(path: str | Path) -> Iterator[Path]:
    """A folder that appears at ``path`` only when the block succeeds.

    ``path`` must not exist, be empty, or be a folder an earlier export wrote (it is replaced).
    """
    path = Path(path)
    if path.exists() and not _replaceable(path):
        raise ExportError(f"{path} exists and is not an earlier export folder: choose a new or empty folder")
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        yield tmp
        (tmp / FOLDER_MARK).write_text("written by archiver export; replaced by the next export here\n")
        os.chmod(tmp, 0o777 & ~_umask())
        old = None
        if path.exists():
            old = path.parent / f"{tmp.name}.old"
            os.replace(path, old)
        os.replace(tmp, path)
        if old:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _replaceable(path: Path) -> bool:
    """An empty folder, or one an earlier export wrote."""
    return path.is_dir() and (not any(path.iterdir()) or (path / FOLDER_MARK).is_file())


def _umask() -> int:
    """The process's umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def with_progress(items: Iterable, total: int, stream: IO[str] = sys.stderr, every: float = 0.2) -> Iterator:
    """Yield ``items``, drawing ``done/total`` on ``stream`` at most every ``every`` seconds."""
    done, shown, started = 0, 0.0, time.monotonic()
    for item in items:
        yield item
        done += 1
        now = time.monotonic()
        if now - shown >= every or done == total:
            shown = now
            width = 30
            filled = width * done // total if total else width
            rate = done / max(now - started, 1e-6)
            stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} ({rate:,.0f}/s)")
            stream.flush()
    stream.write("\n" if done else "")
    stream.flush()
