"""Datasette on the archive. The plugin (``archiver.datasette``, loaded by its entry point)
gives every archive its pages, metadata and canned queries; this adds the settings that keep
pages fast and the user's own configuration, if any."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def config_dir(db_path: str | Path) -> Path | None:
    """The user's Datasette configuration: the archive's folder when it holds a ``metadata.yml``,
    else ``./archive`` when that does; None when neither does."""
    for folder in (Path(db_path).parent, Path("archive")):
        if (folder / "metadata.yml").is_file():
            return folder
    return None


def datasette_args(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001) -> list[str]:
    """The command line that serves ``db_path``, with the user's metadata, templates and plugins."""
    args = [sys.executable, "-m", "datasette", "serve", str(db_path), "--host", host, "--port", str(port)]
    # A facet that takes longer than 100 ms (the author facet of a large archive) is left out,
    # so that table pages stay fast however large the archive grows.
    args += ["--setting", "suggest_facets", "off", "--setting", "sql_time_limit_ms", "3000"]
    args += ["--setting", "facet_time_limit_ms", "100"]
    config = config_dir(db_path)
    if config is not None:
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
