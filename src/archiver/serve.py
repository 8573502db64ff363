"""Datasette on the archive. The plugin (``archiver.datasette``, loaded by its entry point)
gives every archive its pages, metadata and canned queries; this adds the settings that keep
pages fast and the user's own configuration, if any."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def config_file(db_path: str | Path) -> Path | None:
    """The user's Datasette metadata: ``metadata.yml`` in the archive's folder, else in ``./archive``;
    None when neither exists."""
    for folder in (Path(db_path).parent, Path("archive")):
        if (folder / "metadata.yml").is_file():
            return folder / "metadata.yml"
    return None


def datasette_args(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001,
                   metadata: str | Path | None = None) -> list[str]:
    """The command line that serves ``db_path``, with the user's metadata (``metadata``, else the one
    :func:`config_file` finds) and the templates and plugins folders beside it."""
    args = [sys.executable, "-m", "datasette", "serve", str(db_path), "--host", host, "--port", str(port)]
    # A facet that takes longer than 100 ms (the author facet of a large archive) is left out,
    # so that table pages stay fast however large the archive grows.
    args += ["--setting", "suggest_facets", "off", "--setting", "sql_time_limit_ms", "3000"]
    args += ["--setting", "facet_time_limit_ms", "100"]
    found = Path(metadata) if metadata is not None else config_file(db_path)
    if found is not None:
        args += ["--metadata", str(found)]
        for option, folder in (("--template-dir", "templates"), ("--plugins-dir", "plugins")):
            if (found.parent / folder).is_dir() and any((found.parent / folder).iterdir()):
                args += [option, str(found.parent / folder)]
    return args


def serve_datasette(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001,
                    metadata: str | Path | None = None) -> None:
    """Bring the archive's schema up to date (search index included), then become Datasette.

    The process is replaced (``exec``), so a signal to ``archiver serve`` reaches Datasette
    itself and no server outlives the command.
    """
    from archiver.archive.store import Archive

    Archive.open_existing(db_path).close()
    print(f"Datasette on http://{host}:{port}/ (Ctrl-C stops)", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    args = datasette_args(db_path, host, port, metadata)
    os.execv(args[0], args)
