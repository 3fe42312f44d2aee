# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""The Python version the project pins in .python-version, against the one running."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from freshboot.files import read_regular_text

PIN_FILE = ".python-version"
MINOR = re.compile(r"(?<![0-9.])(?P<major>[0-9]+)\.(?P<minor>[0-9]+)")


def pinned_python(root: Path) -> str | None:
    """``3.12`` from .python-version (``3.12``, ``3.12.4``, ``cpython-3.12``), or None."""
    try:
        text = read_regular_text(Path(root) / PIN_FILE)
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            match = MINOR.search(line)
            return f"{match['major']}.{match['minor']}" if match else None
    return None


def running_python() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"
