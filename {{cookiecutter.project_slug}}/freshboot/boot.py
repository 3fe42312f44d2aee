# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""The one boot line in the server log.

Standard library only, cheap to import: app.py imports it on every run. The
process facts it prints (boot time, pid) come from ``freshboot.process``.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from pathlib import Path

from freshboot import booted
from freshboot.literal import visible_line
from freshboot.process import BOOT_PID, BOOT_TIME
from freshboot.shape import Report
from freshboot.stamps import TIME_FORMAT

_announce_lock = threading.Lock()
_announced = False


def boot_line(version: str | None, report: Report | None) -> str:
    """The log line: version, newest stamp time, verdict and pid."""
    started = BOOT_TIME.strftime(TIME_FORMAT)
    if report is None:
        return f"freshboot: booted version {version} at {started} pid {BOOT_PID} (verdict unknown)"
    stamp = report.get("newest_stamp") or "none"
    return (
        f"freshboot: booted version {version} at {started} pid {BOOT_PID}"
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
        sys.stdout.write(visible_line(boot_line(version, report), limit=2000) + "\n")
        sys.stdout.flush()


def announce(version: str | None, root: Path | None = None) -> None:
    """Print the boot line the first time a process calls this; later calls do nothing.

    app.py calls it on every run, so under ``streamlit run app.py`` the line comes
    with the first page view; serve.py calls it at import, so under ``streamlit run
    serve.py`` it comes when the server starts. The first call also records what the
    process booted with (``freshboot.booted``). The report behind the verdict reads
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
    booted.record(root, version)
    thread = threading.Thread(
        target=_print_boot_line, args=(version, root), name="freshboot-boot-line", daemon=True
    )
    thread.start()
