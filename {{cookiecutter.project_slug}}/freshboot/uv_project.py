# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""uv's two files in a project managed with uv. Standard library only: scripts/bump.py uses it.

A project is managed with uv when it has ``uv.lock`` next to a ``pyproject.toml`` with a
``[project]`` table; the files on disk say so, no setting does, so a template update never
switches a project from pip to uv or back.

Community Cloud installs from ``uv.lock`` before any other dependency file, so the stamp
must change that file. ``uv.lock`` records the project's own ``[project].version`` in its
root entry (``source = { virtual = "." }``, as ``[tool.uv] package = false`` writes it);
bump.py sets both, the way ``uv lock`` writes them, so ``uv lock --check`` still passes.

uv needs a Python (PEP 440) version, DEPLOYMENT_VERSION is a semantic version: 1.2.3-rc.1
is written 1.2.3rc1 there. A command that keeps DEPLOYMENT_VERSION (``bump.py stamp``)
adds the stamp time as a local version, 1.2.3+stamp.20261130061500, so uv.lock changes.
"""

from __future__ import annotations

import re
import tomllib
from datetime import datetime
from pathlib import Path

from freshboot.semver import VERSION

PYPROJECT = "pyproject.toml"
LOCK = "uv.lock"
STAMP_LOCAL = "stamp"
STAMP_LOCAL_FORMAT = "%Y%m%d%H%M%S"

# The root entry of uv.lock, as uv writes it: name, version, then the project's own source.
ROOT_ENTRY = re.compile(
    r'^\[\[package\]\]\r?\nname = "(?P<name>[^"\r\n]*)"\r?\n'
    r'version = "(?P<version>[^"\r\n]*)"\r?\nsource = \{ (?:virtual|editable) = "\." \}',
    re.MULTILINE,
)
TABLE_HEADER = re.compile(r"^\s*\[")
PROJECT_HEADER = re.compile(r"^\s*\[\s*project\s*\]\s*(#.*)?$")
VERSION_KEY = re.compile(r"""^\s*version\s*=\s*(?P<quote>["'])(?P<version>[^"'\r\n]*)(?P=quote)""")
PRE_RELEASE = re.compile(
    r"(?P<kind>alpha|a|beta|b|rc|c|preview|pre)[.-]?(?P<number>[0-9]+)?", re.IGNORECASE
)
PRE_KINDS = {"alpha": "a", "a": "a", "beta": "b", "b": "b"}  # everything else is rc
LOCAL_PART = re.compile(r"[0-9A-Za-z]+")


class VersionError(ValueError):
    """A version uv cannot take; the message says which forms it can."""


def is_uv_project(root: Path) -> bool:
    """uv.lock next to a pyproject.toml with a [project] table."""
    root = Path(root)
    if not (root / LOCK).is_file():
        return False
    try:
        text = (root / PYPROJECT).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return any(PROJECT_HEADER.match(line) for line in text.removeprefix("\ufeff").splitlines())


# --- versions ---------------------------------------------------------------------


def package_version(version: str, stamp_time: datetime | None = None) -> str:
    """DEPLOYMENT_VERSION as uv writes it in uv.lock; with ``stamp_time``, that time as a
    local version: 1.2.3 -> 1.2.3+stamp.20261130061500, 2.0.0-rc.1 -> 2.0.0rc1."""
    match = VERSION.fullmatch(version)
    if not match:
        raise VersionError(f"{version} is not a version like 1.2.3")
    pre, build = match["pre"] or "", match["build"] or ""
    text = f"{match['major']}.{match['minor']}.{match['patch']}"
    if pre:
        pre_release = PRE_RELEASE.fullmatch(pre)
        if not pre_release:
            raise VersionError(
                f"{version} has no Python package version (uv needs one): use pre-releases"
                " like 2.0.0-alpha.1, 2.0.0-beta.2 or 2.0.0-rc.1"
            )
        kind = PRE_KINDS.get(pre_release["kind"].lower(), "rc")
        text += f"{kind}{int(pre_release['number'] or 0)}"
    local = [part.lower() for part in re.split(r"[.-]", build)] if build else []
    if stamp_time is not None:
        local += [STAMP_LOCAL, stamp_time.strftime(STAMP_LOCAL_FORMAT)]
    # A local part that is a number is written without leading zeros.
    local = [str(int(part)) if part.isdigit() else part for part in local]
    return f"{text}+{'.'.join(local)}" if local else text


def without_stamp(version: str) -> str:
    """``version`` without the ``+stamp.TIME`` that ``bump.py stamp`` adds."""
    public, plus, local = version.partition("+")
    parts = local.split(".") if plus else []
    if len(parts) >= 2 and parts[-2] == STAMP_LOCAL and parts[-1].isdigit():
        parts = parts[:-2]
    return f"{public}+{'.'.join(parts)}" if parts else public


def same_version(first: str, second: str) -> bool:
    """Equal as uv compares them, for the forms bump.py writes (case and separators aside)."""

    def canonical(text: str) -> str:
        return re.sub(r"[-_]", ".", text.strip().lower())

    return canonical(first) == canonical(second)


# --- pyproject.toml -------------------------------------------------------------------


def _version_line(lines: list[str]) -> tuple[int, re.Match] | None:
    """Index and match of ``version = "..."`` in the [project] table."""
    in_project = False
    for index, line in enumerate(lines):
        if TABLE_HEADER.match(line):
            in_project = PROJECT_HEADER.match(line) is not None
        elif in_project and (match := VERSION_KEY.match(line)):
            return index, match
    return None


def project_version(text: str) -> str | None:
    """The ``[project].version`` of pyproject.toml's ``text``; None when it has none."""
    found = _version_line(text.removeprefix("\ufeff").split("\n"))
    return found[1]["version"] if found else None


def project_name(text: str) -> str | None:
    try:
        name = tomllib.loads(text.removeprefix("\ufeff")).get("project", {}).get("name")
    except tomllib.TOMLDecodeError:
        return None
    return name if isinstance(name, str) else None


def with_project_version(text: str, version: str) -> str:
    """pyproject.toml's ``text`` with ``[project].version`` set; every other character kept."""
    lines = text.split("\n")
    found = _version_line(lines)
    if found is None:
        raise VersionError('has no version = "X.Y.Z" in its [project] table')
    index, match = found
    line = lines[index]
    lines[index] = line[: match.start("version")] + version + line[match.end("version") :]
    return "\n".join(lines)


# --- uv.lock --------------------------------------------------------------------------


def root_entries(text: str) -> list[re.Match]:
    return list(ROOT_ENTRY.finditer(text))


def lock_version(text: str) -> str | None:
    """The version uv.lock's ``text`` records for the project itself."""
    found = root_entries(text)
    return found[0]["version"] if len(found) == 1 else None


def lock_problem(text: str) -> str | None:
    found = root_entries(text)
    if len(found) == 1:
        return None
    if not found:
        return "has no entry for the project itself; run uv lock"
    return f"has {len(found)} entries for the project itself; run uv lock"


def with_lock_version(text: str, version: str) -> str:
    """uv.lock's ``text`` with the root entry's version set, as ``uv lock`` would write it."""
    if problem := lock_problem(text):
        raise VersionError(problem)
    match = root_entries(text)[0]
    return text[: match.start("version")] + version + text[match.end("version") :]


def with_lock_root(text: str, name: str, version: str) -> str:
    """uv.lock's ``text`` with the root entry renamed and moved where uv sorts it (by name)."""
    if problem := lock_problem(text):
        raise VersionError(problem)
    normalized = re.sub(r"[-_.]+", "-", name).lower()
    match = root_entries(text)[0]
    text = (
        text[: match.start("name")]
        + normalized
        + text[match.end("name") : match.start("version")]
        + version
        + text[match.end("version") :]
    )
    # Every entry ends with its line break, the last one too: sorting keeps the blank lines.
    head, *entries = text.split("\n[[package]]\n")
    entries.sort(key=lambda entry: entry.split("\n", 1)[0].removeprefix('name = "').strip('"'))
    return "\n[[package]]\n".join([head, *entries])
