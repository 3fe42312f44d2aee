"""The Python a new project pins in .python-version: the one baking it.

A project is usually baked with the Python its author develops with, so the pin,
the Dockerfile's base image and the project's CI agree with it from the start. It
is never lower than the oldest Python the project's Streamlit supports.
"""

from __future__ import annotations

import sys

OLDEST_SUPPORTED = (3, 11)


def python_minor_version() -> str:
    major, minor = max(sys.version_info[:2], OLDEST_SUPPORTED)
    return f"{major}.{minor}"
