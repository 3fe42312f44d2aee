"""Which dependency file Community Cloud installs from. Standard library only.

Cloud looks in the entrypoint's folder, then in the repository root, and takes the
first file it finds in this order. Only the one it takes is installed, so a stray
``uv.lock`` or ``Pipfile`` silently makes the stamp in requirements.txt meaningless.
"""

from __future__ import annotations

from pathlib import Path

CLOUD_ORDER = ("uv.lock", "Pipfile", "environment.yml", "requirements.txt", "pyproject.toml")
STAMPED_FILE = "requirements.txt"


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
    if found == root / STAMPED_FILE:
        return None
    if found is None:
        return f"there is no {STAMPED_FILE}, so Community Cloud installs nothing"
    shown = found.relative_to(repository_root(root)).as_posix()
    return (
        f"Community Cloud installs from {shown}, not from the stamped {STAMPED_FILE}"
        f" (it takes the first of {', '.join(CLOUD_ORDER)})"
    )


def dependency_file_fix(root: Path) -> str:
    found = cloud_dependency_file(root)
    if found is None:
        return f"restore {STAMPED_FILE}, then bump and push"
    return f"delete {found.name} (or move its requirements into {STAMPED_FILE}), then bump and push"
