# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""Lock drift in a project managed with uv: the exact pins of uv.lock against what is installed.

uv.lock pins one version of every package for every platform at once; the packages this
platform needs are found by walking from the project's own entry through each
dependency whose marker holds here (evaluated with ``packaging``). Each of them must be
installed at exactly the locked version: anything else is what ``uv sync --locked`` (or a
Community Cloud reboot) would change. The rows have the shape of requirements.py's rows,
with ``file`` uv.lock and ``line`` the line of the package's entry, and ``direct``: whether
the project depends on the package itself (the packages requirements.txt would name).
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from freshboot.files import read_regular_text
from freshboot.requirements import installed_versions
from freshboot.uv_project import LOCK, ROOT_ENTRY, is_uv_project

ENTRY = re.compile(
    r'^\[\[package\]\]\r?\nname = "(?P<name>[^"\r\n]*)"\r?\nversion = "(?P<version>[^"\r\n]*)"',
    re.MULTILINE,
)


def applies(root: Path) -> bool:
    """Whether the project at ``root`` is managed with uv, so uv.lock is what to check."""
    return is_uv_project(root)


def _row(line: int, name: str | None, locked: str | None, **fields) -> dict:
    row = {
        "file": LOCK,
        "line": line,
        "requirement": f"{name}=={locked}" if name else LOCK,
        "name": name,
        "specifier": f"=={locked}" if locked else "",
        "installed": None,
        "satisfied": None,
        "status": "",
        "detail": "",
    }
    row.update(fields)
    return row


def _marker_holds(marker: str | None) -> bool:
    """Whether a dependency's marker holds on this platform; one that cannot be read does."""
    if not marker:
        return True
    try:
        return Marker(marker).evaluate({"extra": ""})
    except Exception:  # packaging raises several types for markers it cannot read
        return True


def _entry_lines(text: str) -> dict[tuple[str, str], int]:
    """The line number of each package entry, by (name, version)."""
    lines = {}
    for match in ENTRY.finditer(text):
        lines[(match["name"], match["version"])] = text.count("\n", 0, match.start()) + 2
    return lines


def _pick(packages: list[dict], dependency: dict) -> dict | None:
    """The entry a dependency means: by name, and by version where the lock has several."""
    name = dependency.get("name")
    found = [package for package in packages if package.get("name") == name]
    if "version" in dependency:
        found = [package for package in found if package.get("version") == dependency["version"]]
    return found[0] if found else None


def locked_packages(lock: dict) -> list[tuple[dict, bool]]:
    """Every package entry this platform installs at run time, the project itself left out,
    each with whether the project depends on it directly."""
    packages = [package for package in lock.get("package", []) if isinstance(package, dict)]
    roots = [package for package in packages if package.get("source", {}).get("virtual") == "."]
    roots += [package for package in packages if package.get("source", {}).get("editable") == "."]
    if not roots:
        return []
    needed: dict[tuple, dict] = {}
    direct = set()
    queue = [(roots[0], ())]
    while queue:
        package, extras = queue.pop()
        dependencies = list(package.get("dependencies", []))
        for extra in extras:
            dependencies += package.get("optional-dependencies", {}).get(extra, [])
        for dependency in dependencies:
            if not isinstance(dependency, dict) or not _marker_holds(dependency.get("marker")):
                continue
            entry = _pick(packages, dependency)
            if entry is None or entry is roots[0]:
                continue
            key = (entry.get("name"), entry.get("version"))
            if package is roots[0]:
                direct.add(key)
            wanted = tuple(dependency.get("extra", ()))
            seen = needed.get(key)
            if seen is not None and set(wanted) <= seen["extras"]:
                continue
            extras_so_far = (seen["extras"] if seen else set()) | set(wanted)
            needed[key] = {"entry": entry, "extras": extras_so_far}
            queue.append((entry, tuple(extras_so_far)))
    return [
        (item["entry"], key in direct)
        for key, item in sorted(needed.items(), key=lambda pair: pair[0][0])
    ]


def check_row(entry: dict, direct: bool, line: int, installed: dict[str, str]) -> dict:
    name, locked = entry.get("name"), entry.get("version")
    have = installed.get(canonicalize_name(name))
    fields = {"installed": have, "direct": direct}
    if have is None:
        detail = "not installed"
        return _row(line, name, locked, **fields, satisfied=False, status="missing", detail=detail)
    try:
        same = Version(have) == Version(locked)
    except InvalidVersion:
        detail = f"{have} or {locked} is not a valid version"
        return _row(line, name, locked, **fields, satisfied=False, status="invalid", detail=detail)
    if same:
        return _row(line, name, locked, **fields, satisfied=True, status="ok")
    detail = f"{have} is installed"
    return _row(line, name, locked, **fields, satisfied=False, status="mismatch", detail=detail)


@lru_cache(maxsize=1)
def _pins(text: str) -> tuple[tuple[dict, bool, int], ...]:
    """(entry, direct, line) of every package this platform needs, from uv.lock's ``text``.

    Parsing a lock takes tens of milliseconds; the report asks on every page view and
    the lock seldom changes, so the last one is kept (keyed by its whole text, not by a
    modification time). Raises ``tomllib.TOMLDecodeError`` for a broken lock.
    """
    lines = _entry_lines(text)
    return tuple(
        (entry, direct, lines.get((entry.get("name"), entry.get("version")), 0))
        for entry, direct in locked_packages(tomllib.loads(text))
    )


def check_lock(root: Path) -> list[dict]:
    """One row per package this platform needs from uv.lock; never raises on bad input."""
    path = Path(root) / LOCK
    try:
        text = read_regular_text(path)
        pins = _pins(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        detail = f"{LOCK} cannot be read ({error.__class__.__name__})"
        return [_row(0, None, None, status="invalid", satisfied=False, detail=detail)]
    if not ROOT_ENTRY.search(text):
        detail = f"{LOCK} has no entry for the project itself (run uv lock)"
        return [_row(0, None, None, status="invalid", satisfied=False, detail=detail)]
    installed = installed_versions()
    return [check_row(entry, direct, line, installed) for entry, direct, line in pins]
