# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""This server process: when it started, its pid and uptime. Standard library only.

Under ``streamlit run app.py`` Streamlit imports app.py, and so this module, only
when the first page is viewed, which can be long after the server started
(Community Cloud keeps an idle server running across a push). So the boot time is
the operating system's start time of this process where it can be read (Linux
/proc), and this module's import time otherwise.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta


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


def uptime_seconds() -> float:
    return max((datetime.now(UTC) - BOOT_TIME).total_seconds(), 0.0)
