# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""Semantic versions as DEPLOYMENT_VERSION holds them: check, order, count up. Standard library.

One definition for bump.py and the uv files: 1.2.3, 1.2.3-rc.1 and 1.2.3+build.5, with
no "v" and no leading zeros.
"""

from __future__ import annotations

import re

# Semantic versions: 1.2.3, 1.2.3-rc.1, 1.2.3+build.5 (no "v", no leading zeros). ASCII
# only: \d would also take other scripts' digits, which int() reads but pip and people do not.
IDENTIFIER = r"(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
VERSION = re.compile(
    r"(?P<major>0|[1-9][0-9]*)\.(?P<minor>0|[1-9][0-9]*)\.(?P<patch>0|[1-9][0-9]*)"
    rf"(?:-(?P<pre>{IDENTIFIER}(?:\.{IDENTIFIER})*))?"
    r"(?:\+(?P<build>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?",
    re.ASCII,
)
# The longest number a version may hold: more is a typo, and Python's int() refuses
# numbers of over 4,300 digits.
MAX_DIGITS = 20


def version_problem(text: str) -> str | None:
    """Why ``text`` is not a version bump.py can count with, or None."""
    shown = repr(text) if len(text) <= 40 else repr(text[:40])[:-1] + "…'"
    match = VERSION.fullmatch(text)
    if not match:
        return f"{shown} is not a version like 1.2.3 (MAJOR.MINOR.PATCH, no v, no leading zeros)"
    numbers = [match["major"], match["minor"], match["patch"]]
    numbers += [part for part in (match["pre"] or "").split(".") if part.isdigit()]
    longest = max(numbers, key=len)
    if len(longest) > MAX_DIGITS:
        return f"{shown} has a number of {len(longest)} digits; at most {MAX_DIGITS} are allowed"
    return None


def next_version(version: str, part: str) -> str:
    """1.2.3 -> patch 1.2.4, minor 1.3.0, major 2.0.0; a pre-release becomes its release.

    2.0.0-rc.1 -> major 2.0.0, 1.3.0-rc.1 -> minor 1.3.0, 1.2.4-rc.1 -> patch 1.2.4.
    """
    match = VERSION.fullmatch(version)
    major, minor, patch = int(match["major"]), int(match["minor"]), int(match["patch"])
    pre = match["pre"] is not None
    if part == "major":
        return f"{major if pre and minor == patch == 0 else major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor if pre and patch == 0 else minor + 1}.0"
    return f"{major}.{minor}.{patch if pre else patch + 1}"


def precedence(version: str) -> tuple:
    """Sort key of semantic versioning: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-rc.1 < 1.0.0 < 1.0.1.

    Numeric pre-release parts sort as numbers and before words; build metadata is ignored.
    """
    match = VERSION.fullmatch(version)
    release = (int(match["major"]), int(match["minor"]), int(match["patch"]))
    if match["pre"] is None:
        return (release, 1, ())
    parts = match["pre"].split(".")
    return (release, 0, tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts))
