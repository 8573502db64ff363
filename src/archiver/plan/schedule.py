"""Run ``archiver crawl`` on a schedule: a crontab line, or a systemd service and timer.

No ``flock`` wrapper is needed: a crawl takes the archive's own lock, and a run that
finds it taken exits with status 75 at once, touching nothing.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from archiver.plan.revisit import parse_duration

#: Minute past the hour the schedules run at: off the top of the hour, when everyone crawls.
MINUTE = 7


def crawl_command(db_path: str | Path, site: str | None = None) -> str:
    """The crawl command, with absolute paths, quiet unless something fails."""
    words = [sys.executable, "-m", "archiver", "crawl", *([site] if site else []), "--db", str(Path(db_path).resolve()), "--quiet"]
    return shlex.join(words)


def _minutes(every: str) -> int:
    """``every`` in whole minutes: 5m to 1d, dividing an hour or a day evenly."""
    minutes = int(parse_duration(every) // 60)
    if minutes < 5 or minutes > 1440 or (minutes < 60 and 60 % minutes) or (minutes >= 60 and (minutes % 60 or 1440 % minutes)):
        raise ValueError(f"--every {every}: use 5m to 1d, dividing an hour or a day evenly (15m, 1h, 6h, 1d ...)")
    return minutes


def times(every: str) -> tuple[str, str]:
    """The five crontab time fields and the systemd ``OnCalendar=`` value for ``every``."""
    minutes = _minutes(every)
    if minutes < 60:
        first = MINUTE % minutes
        return f"{first}-59/{minutes} * * * *", f"*-*-* *:{first:02d}/{minutes}:00"
    hours = minutes // 60
    if hours == 24:
        return f"{MINUTE} 3 * * *", f"*-*-* 03:{MINUTE:02d}:00"
    return f"{MINUTE} {'*' if hours == 1 else f'*/{hours}'} * * *", f"*-*-* 00/{hours}:{MINUTE:02d}:00"


def crontab(every: str, db_path: str | Path, workdir: str | Path, site: str | None = None) -> str:
    """One crontab line: crawl every ``every`` from ``workdir`` (where the site files are)."""
    return f"{times(every)[0]} cd {shlex.quote(str(Path(workdir).resolve()))} && {crawl_command(db_path, site)}"


def systemd_units(every: str, db_path: str | Path, workdir: str | Path, site: str | None = None) -> tuple[str, str]:
    """``archiver-crawl.service`` and ``archiver-crawl.timer``."""
    service = (
        "[Unit]\nDescription=archiver: crawl news sites into the archive\n"
        "After=network-online.target\nWants=network-online.target\n\n"
        "[Service]\nType=oneshot\n"
        f"WorkingDirectory={Path(workdir).resolve()}\nExecStart={crawl_command(db_path, site)}\n"
        "# 75: another crawl still holds the archive's lock; not a failure\nSuccessExitStatus=75\n"
    )
    timer = (
        "[Unit]\nDescription=archiver: crawl on a schedule\n\n"
        f"[Timer]\nOnCalendar={times(every)[1]}\nRandomizedDelaySec=60\nPersistent=true\n\n"
        "[Install]\nWantedBy=timers.target\n"
    )
    return service, timer
