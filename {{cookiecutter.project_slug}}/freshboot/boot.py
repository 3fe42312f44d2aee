"""Process boot time and the one boot log line.

Streamlit re-executes app.py on every rerun, but imported modules stay loaded for
the life of the server process, so this module's import time is the boot time.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

BOOT_TIME = datetime.now(timezone.utc)
BOOT_PID = os.getpid()
_announced = False


def announce(version: str) -> None:
    """Print one line to the server log the first time the app runs in this process."""
    global _announced
    if _announced:
        return
    _announced = True
    booted = BOOT_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    print(f"freshboot: booted version {version} at {booted} pid {BOOT_PID}", flush=True)
