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
    for folder in dict.fromkeys((root, repository_root(root))):
        for name in CLOUD_ORDER:
            if (folder / name).is_file():
                return folder / name
    return None


def dependency_file_problem(root: Path) -> str | None:
    """Why Cloud would not install from the stamped requirements.txt, or None when it would."""
    root = Path(root).resolve()
    found = cloud_dependency_file(root)
    stamped = stamped_file(root)
    if found == root / stamped:
        others = beside_uv_lock(root) if stamped == LOCK else []
        if others:
            sits = "sits" if len(others) == 1 else "sit"
            return (
                f"{' and '.join(others)} {sits} beside the stamped {LOCK}; Community Cloud"
                f" installs from {LOCK} only, and whoever installs from {others[0]} gets"
                " something else"
            )
        return None
    if found is None:
        return f"there is no {stamped}, so Community Cloud installs nothing"
    shown = found.relative_to(repository_root(root)).as_posix()
    return (
        f"Community Cloud installs from {shown}, not from the stamped {stamped}"
        f" (it takes the first of {', '.join(CLOUD_ORDER)})"
    )


def dependency_file_fix(root: Path) -> str:
    if stamped_file(root) == LOCK:
        others = beside_uv_lock(root)
        if others:
            return (
                f"delete {' and '.join(others)} (move what you still need into pyproject.toml"
                " and run uv lock), then bump and push"
            )
        return "run uv lock and commit uv.lock, then bump and push"
    found = cloud_dependency_file(root)
    if found is None:
        return f"restore {STAMPED_FILE}, then bump and push"
    return f"delete {found.name} (or move its requirements into {STAMPED_FILE}), then bump and push"
