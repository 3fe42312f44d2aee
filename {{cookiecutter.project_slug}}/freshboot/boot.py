"""When this server process started, and the one boot line in the server log.

Standard library only, cheap to import: app.py imports it on every run.

Under ``streamlit run app.py`` Streamlit runs app.py, and so imports this module,
only when the first page is viewed, which can be long after the server started
(Community Cloud keeps an idle server running across a push). So the boot time is
the operating system's start time of this process where it can be read (Linux
/proc), and this module's import time otherwise.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def _process_start_time(now: datetime) -> datetime | None:
    """Start time of this process from /proc (Linux), or None where it cannot be read."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat_file:
            stat = stat_file.read()
        with open("/proc/uptime", encoding="ascii") as uptime_file:
            uptime = float(uptime_file.read().split()[0])
        # Field 22 counts clock ticks from system boot; the command name in field 2
        # may hold spaces, so count fields after its closing parenthesis.
        ticks = int(stat.rsplit(")", 1)[1].split()[19])
        age = uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None
    return now - timedelta(seconds=max(age, 0.0))


_IMPORTED_AT = datetime.now(UTC)
BOOT_TIME = min(_process_start_time(_IMPORTED_AT) or _IMPORTED_AT, _IMPORTED_AT)
BOOT_PID = os.getpid()

_announce_lock = threading.Lock()
_announced = False


def uptime_seconds() -> float:
    return max((datetime.now(UTC) - BOOT_TIME).total_seconds(), 0.0)


def boot_line(version: str | None, report: dict | None) -> str:
    """The log line: version, newest stamp time, verdict and pid."""
    booted = BOOT_TIME.strftime(TIME_FORMAT)
    if report is None:
        return f"freshboot: booted version {version} at {booted} pid {BOOT_PID} (verdict unknown)"
    stamp = report.get("newest_stamp") or "none"
    return (
        f"freshboot: booted version {version} at {booted} pid {BOOT_PID}"
        f" stamp {stamp} verdict {report['verdict']}: {report['reason']}"
    )


def _print_boot_line(version: str | None, root: Path) -> None:
    try:
        from freshboot.report import build_report

        report = build_report(root)
    except Exception:  # the log line must never take the app down
        report = None
    # One write, so the line never interleaves with another thread's output; stdout
    # may already be closed when a short-lived process exits first.
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.write(boot_line(version, report) + "\n")
        sys.stdout.flush()


def announce(version: str | None, root: Path | None = None) -> None:
    """Print the boot line the first time a process calls this; later calls do nothing.

    app.py calls it on every run, so under ``streamlit run app.py`` the line comes
    with the first page view; serve.py calls it at import, so under ``streamlit run
    serve.py`` it comes when the server starts. The report behind the verdict reads
    the installed packages, so it is built on a background thread and never delays
    a page; ``root`` is the project folder (default: beside app.py).
    """
    global _announced
    with _announce_lock:
        if _announced:
            return
        _announced = True
    if root is None:
        root = Path(__file__).resolve().parent.parent
    thread = threading.Thread(
        target=_print_boot_line, args=(version, root), name="freshboot-boot-line", daemon=True
    )
    thread.start()
