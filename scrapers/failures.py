"""Why a request failed, as one readable line for ``fetches.error`` (no Scrapy settings needed)."""

from __future__ import annotations

import re

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet import error as net
from twisted.internet.defer import CancelledError
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

#: IgnoreRequest messages that are the crawl's own choice, not a failure of the site.
QUIET = ("Forbidden by robots.txt",)


class Refused(IgnoreRequest):
    """A request or response the crawler refused; the message is the reason, ``response`` the answer if any."""

    def __init__(self, reason: str, response=None):
        super().__init__(reason)
        self.response = response


def describe(failure) -> str | None:
    """The reason a request failed, or None when it was quietly dropped (robots.txt)."""
    value = failure.value
    message = str(value)
    if isinstance(value, Refused):
        return message
    if isinstance(value, IgnoreRequest):
        if message.startswith(QUIET):
            return None
        if message == "max redirections reached":
            return "refused: too many redirects"
        size = re.search(r"\((\d+) B compressed, (\d+) B decompressed so far\) exceeded DOWNLOAD_MAXSIZE \((\d+) B\)", message)
        if size:
            return "too large: {1} bytes after decompressing {0} and still going (DOWNLOAD_MAXSIZE {2})".format(*size.groups())
        return f"refused: {message}"
    if isinstance(value, (DownloadTimeoutError, net.TimeoutError, net.TCPTimedOutError)):
        limit = re.search(r"longer than ([\d.]+) seconds", message)
        return f"timed out: no complete answer within {limit.group(1)} s" if limit else f"timed out: {message}"
    if isinstance(value, (DownloadCancelledError, CancelledError)):
        size = re.search(r"(\d+) bytes which is larger than download max size \((\d+)\)", message)
        if size:
            return "too large: {} bytes, over DOWNLOAD_MAXSIZE ({})".format(*size.groups())
        return "too large or stopped: download cancelled before the end (DOWNLOAD_MAXSIZE reached, or the crawl stopping)"
    if isinstance(value, ResponseDataLossError):
        return "truncated: the connection closed before the whole body arrived"
    if isinstance(value, (DownloadFailedError, ResponseFailed, ResponseNeverReceived)):
        if "_DataLoss" in message:
            return "truncated: the connection closed before the whole body arrived"
        if "ConnectionLost" in message or "ConnectionDone" in message:
            return "connection lost: closed or reset before a complete answer"
        return f"download failed: {message[:300]}"
    if isinstance(value, (net.ConnectionLost, net.ConnectionDone, ConnectionResetError)):
        return "connection lost: closed or reset before a complete answer"
    if isinstance(value, (DownloadConnectionRefusedError, net.ConnectionRefusedError)):
        return "connection refused"
    if isinstance(value, (CannotResolveHostError, net.DNSLookupError)):
        return f"host does not resolve: {message}"
    return f"{type(value).__name__}: {failure.getErrorMessage()}"[:500]
