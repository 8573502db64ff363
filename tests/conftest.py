import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def archiver(*args, timeout=300, cwd=REPO):
    """Run the real ``archiver`` command in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "archiver", *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=cwd
    )


def wait_for_http(url: str, timeout: float = 30.0) -> None:
    """Poll ``url`` until it answers, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def shared_corpus():
    path = SHARED / "corpus" / "readability-test-pages"
    if not path.is_dir():
        pytest.skip("needs ../shared/corpus (absent in a user's own clone)")
    return path
