"""Python worker processes the reactor talks to over pipes, without threads.

A :class:`WorkerProcess` runs ``python -m scrapers.workers MODULE:CLASS ARGS`` under the
reactor (``spawnProcess``). The child makes one ``CLASS(*ARGS)`` and then answers
requests in order: each request and each reply is one pickled frame (a 4-byte length,
then the bytes) on its stdin and stdout. :meth:`WorkerProcess.call` returns a Deferred
of the reply; an exception raised in the child is raised again in the crawl.

Nothing runs in a thread of the crawling process: writes are buffered by the reactor's
transport and replies are read when they arrive, so the reactor never waits on a
worker, and no helper thread competes with it for the GIL. A worker stops when its
stdin closes (the crawl ended, or the crawling process was killed): it finishes the
request it holds, then exits.
"""

from __future__ import annotations

import importlib
import os
import pickle
import signal
import struct
import sys
from collections import deque

from twisted.internet import defer, protocol

_LENGTH = struct.Struct(">I")


class WorkerStopped(Exception):
    """A worker process ended while requests were waiting for it."""


def frame(message) -> bytes:
    """``message`` pickled, with its length in front."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(data)) + data


class WorkerProcess(protocol.ProcessProtocol):
    """One worker process; :meth:`call` sends a request, replies come back in order."""

    def __init__(self, target: str, *args):
        self.target, self.args = target, args
        self.waiting: deque[defer.Deferred] = deque()
        self.buffer = bytearray()
        self.ended = defer.Deferred()
        self.exit_reason: str | None = None
        self.transport = None

    def start(self) -> WorkerProcess:
        """Spawn the process (with this process's import path)."""
        from twisted.internet import reactor

        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        command = [sys.executable, "-m", "scrapers.workers", self.target]
        reactor.spawnProcess(self, sys.executable, command, env=env, childFDs={0: "w", 1: "r", 2: 2})
        self.transport.write(frame(self.args))
        return self

    @property
    def pending(self) -> int:
        """Requests sent and not answered yet."""
        return len(self.waiting)

    def call(self, request) -> defer.Deferred:
        """Send ``request``; a Deferred of the reply."""
        if self.exit_reason is not None:
            return defer.fail(WorkerStopped(self.exit_reason))
        waiter = defer.Deferred()
        self.waiting.append(waiter)
        self.transport.write(frame(request))
        return waiter

    def outReceived(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= _LENGTH.size:
            (size,) = _LENGTH.unpack_from(self.buffer)
            if len(self.buffer) < _LENGTH.size + size:
                return
            ok, value = pickle.loads(self.buffer[_LENGTH.size : _LENGTH.size + size])
            del self.buffer[: _LENGTH.size + size]
            waiter = self.waiting.popleft()
            if ok:
                waiter.callback(value)
            else:
                waiter.errback(value)

    def processEnded(self, reason) -> None:
        code = getattr(reason.value, "exitCode", None)
        signal = getattr(reason.value, "signal", None)
        self.exit_reason = f"the worker process {self.target} stopped" + (
            f" (signal {signal})" if signal else f" (exit status {code})" if code else ""
        )
        while self.waiting:
            self.waiting.popleft().errback(WorkerStopped(self.exit_reason))
        self.ended.callback(None)

    def close(self) -> defer.Deferred:
        """Close its stdin (it finishes what it holds and exits); fires when it has ended."""
        if self.exit_reason is None and self.transport is not None:
            self.transport.closeStdin()
        return self.ended


def _read_frame(stream):
    """The next message on ``stream``, or None at its end."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    data = stream.read(size)
    return pickle.loads(data) if len(data) == size else None


def serve(target: str) -> None:
    """The child's side: make the handler, then answer requests until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the crawl, which then closes stdin
    requests = sys.stdin.buffer
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print goes to stderr, never into the replies
    module, name = target.split(":")
    args = _read_frame(requests)
    handler = getattr(importlib.import_module(module), name)(*args)
    while (request := _read_frame(requests)) is not None:
        try:
            reply = (True, handler(request))
        except Exception as error:  # sent back, raised again in the crawl
            reply = (False, _portable(error))
        try:
            replies.write(frame(reply))
            replies.flush()
        except BrokenPipeError:  # the crawl is gone (killed, or stopped without waiting): done;
            os._exit(0)  # (what was written is committed; nothing left to flush to a closed pipe)
    close = getattr(handler, "close", None)
    if close is not None:
        close()


def _portable(error: Exception) -> Exception:
    """``error`` if it survives pickling, else a RuntimeError with its text."""
    try:
        return pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


if __name__ == "__main__":
    serve(sys.argv[1])
