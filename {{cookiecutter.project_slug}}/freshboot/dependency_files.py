# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""Which dependency file Community Cloud installs from. Standard library only.

Cloud looks in the entrypoint's folder, then in the repository root, and takes the
first file it finds in this order. Only the one it takes is installed, so a stray
``uv.lock`` or ``Pipfile`` silently makes the stamp in requirements.txt meaningless.

A project managed with uv is stamped through uv.lock, which Cloud takes first; another
dependency file next to it is a trap (whoever reads it installs something else), so it is
reported too.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from freshboot.uv_project import LOCK, is_uv_project

CLOUD_ORDER = ("uv.lock", "Pipfile", "environment.yml", "requirements.txt", "pyproject.toml")
STAMPED_FILE = "requirements.txt"
# Dependency files that have no place beside uv.lock.
OTHER_THAN_UV = ("Pipfile", "environment.yml", "requirements.txt")


def stamped_file(root: Path) -> str:
    """The dependency file the stamp reaches Cloud through: uv.lock under uv."""
    return LOCK if is_uv_project(root) else STAMPED_FILE


def beside_uv_lock(root: Path) -> list[str]:
    """The other dependency files next to a uv project's uv.lock."""
    return [name for name in OTHER_THAN_UV if (Path(root) / name).is_file()]


def repository_root(folder: Path) -> Path:
    """The nearest folder at or above ``folder`` holding ``.git``; ``folder`` when none does."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def cloud_dependency_file(root: Path) -> Path | None:
    """The file Cloud installs from for an app whose entrypoint (app.py) is in ``root``."""
    root = Path(root).resolve()
    return _first_dependency_file(root, repository_root(root))


def _first_dependency_file(root: Path, repository: Path) -> Path | None:
    for folder in dict.fromkeys((root, repository)):
        for name in CLOUD_ORDER:
            if (folder / name).is_file():
                return folder / name
    return None


class CloudDependency(NamedTuple):
    shown: str | None  # the file Cloud installs from, relative to the repository root
    problem: str | None  # why that defeats the stamp, or None
    fix: str | None  # the one next step, with a problem


def cloud_dependency(root: Path) -> CloudDependency:
    """Which file Cloud installs from, and whether the stamp reaches it, looked up once."""
    root = Path(root).resolve()
    repository = repository_root(root)
    found = _first_dependency_file(root, repository)
    shown = found.relative_to(repository).as_posix() if found else None
    stamped = stamped_file(root)
    if found == root / stamped:
        others = beside_uv_lock(root) if stamped == LOCK else []
        if not others:
            return CloudDependency(shown, None, None)
        sits = "sits" if len(others) == 1 else "sit"
        problem = (
            f"{' and '.join(others)} {sits} beside the stamped {LOCK}; Community Cloud"
            f" installs from {LOCK} only, and whoever installs from {others[0]} gets"
            " something else"
        )
        fix = (
            f"delete {' and '.join(others)} (move what you still need into pyproject.toml"
            " and run uv lock), then bump and push"
        )
        return CloudDependency(shown, problem, fix)
    if found is None:
        problem = f"there is no {stamped}, so Community Cloud installs nothing"
        if stamped == LOCK:
            return CloudDependency(
                None, problem, "run uv lock and commit uv.lock, then bump and push"
            )
        return CloudDependency(None, problem, f"restore {STAMPED_FILE}, then bump and push")
    problem = (
        f"Community Cloud installs from {shown}, not from the stamped {stamped}"
        f" (it takes the first of {', '.join(CLOUD_ORDER)})"
    )
    fix = f"delete {found.name} (or move its requirements into {STAMPED_FILE}), then bump and push"
    return CloudDependency(shown, problem, fix)


def dependency_file_problem(root: Path) -> str | None:
    """Why Cloud would not install from the stamped file, or None when it would."""
    return cloud_dependency(root).problem
