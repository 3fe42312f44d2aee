"""Wall time of the template's own test suite on this machine (one run; it takes minutes)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from measure import Comparison

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 240.0


def compare_suite() -> Comparison:
    workers = str(min(2, os.cpu_count() or 1))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", workers, "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    summary = (done.stdout.strip().splitlines() or ["no output"])[-1]
    return Comparison(
        f"template test suite, {workers} workers",
        elapsed,
        GOAL_SECONDS,
        "< 4 min",
        elapsed < GOAL_SECONDS and done.returncode == 0,
        note=f"baseline is the goal itself; pytest said: {summary}",
    )
