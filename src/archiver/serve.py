"""Datasette on the archive, with the project's ``archive/`` configuration."""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: The Datasette configuration directory of a source checkout.
CONFIG_DIR = Path(__file__).resolve().parents[2] / "archive"


def config_dir() -> Path:
    """``./archive`` when it holds a metadata file, else the checkout's ``archive/``."""
    local = Path("archive")
    return local if (local / "metadata.yml").is_file() else CONFIG_DIR


def datasette_args(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001) -> list[str]:
    """The command line that serves ``db_path`` with our metadata, templates and plugins."""
    config = config_dir()
    args = [sys.executable, "-m", "datasette", "serve", str(db_path), "--host", host, "--port", str(port)]
    # A facet that takes longer than 100 ms (the author facet of a large archive) is left out,
    # so that table pages stay fast however large the archive grows.
    args += ["--setting", "suggest_facets", "off", "--setting", "sql_time_limit_ms", "3000"]
    args += ["--setting", "facet_time_limit_ms", "100"]
    if (config / "metadata.yml").is_file():
        args += ["--metadata", str(config / "metadata.yml")]
    for option, folder in (("--template-dir", "templates"), ("--plugins-dir", "plugins")):
        if (config / folder).is_dir() and any((config / folder).iterdir()):
            args += [option, str(config / folder)]
    return args


def serve_datasette(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Bring the archive's schema up to date (search index included), then become Datasette.

    The process is replaced (``exec``), so a signal to ``archiver serve`` reaches Datasette
    itself and no server outlives the command.
    """
    from archiver.archive.store import Archive

    Archive.open_existing(db_path).close()
    print(f"Datasette on http://{host}:{port}/ (Ctrl-C stops)", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    args = datasette_args(db_path, host, port)
    os.execv(args[0], args)
