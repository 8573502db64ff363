"""The progress line a crawl shows on a terminal: pages done, errors, queued, elapsed time."""

import io
import time

from scrapy.utils.test import get_crawler

from scrapers.extensions import Progress, elapsed


def test_progress_line_shows_pages_errors_queued_and_elapsed_time():
    stats = get_crawler().stats
    for name, count in {"new": 100, "unchanged": 18, "error": 2, "skipped": 3}.items():
        stats.set_value(f"archiver/{name}", count)
    stream = io.StringIO()
    progress = Progress(stats, 1.0, stream, queued=lambda: 45)
    progress.name, progress.started = "example", time.monotonic() - 65
    assert progress.line() == "example: 120 pages (100 new, 18 unchanged), 2 errors, 45 queued, 3 skipped, 1:05"
    Progress.running = {"example": progress}
    try:
        progress.show()
    finally:
        Progress.running = {}
    assert stream.getvalue() == "\r\033[K" + progress.line()


def test_progress_line_at_the_start():
    progress = Progress(get_crawler().stats, 1.0, io.StringIO())
    progress.name = "generic"
    assert progress.line() == "generic: 0 pages, 0 errors, 0 queued, 0:00"


def test_elapsed():
    assert [elapsed(s) for s in (0, 42.9, 725, 3723)] == ["0:00", "0:42", "12:05", "1:02:03"]
