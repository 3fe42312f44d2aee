# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""The git commit of the project, read from its .git folder: no git command, no network.

The report is public, so only what git itself would accept is passed on: a ref
with a well-formed name, found inside the repository's own folders, holding a
commit id. Anything else reads as no commit; no file's content is ever shown.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from freshboot.files import read_regular_text

COMMIT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")  # SHA-1 or SHA-256
# What git check-ref-format refuses inside a name: "..", "@{", "//", a part starting
# with "." or ending in ".lock", control characters, space, ~ ^ : ? * [ and \.
BAD_REF_PART = re.compile(r"\.\.|@\{|//|/\.|\.lock(?:/|$)|[\x00-\x20\x7f~^:?*\[\\]")
SMALL_FILE = 64 * 1024  # HEAD, a loose ref, a .git file, commondir: one short line each
PACKED_REFS_LIMIT = 32 * 1024 * 1024


def well_formed_ref(name: str) -> bool:
    """True for a name git accepts under refs/, e.g. ``refs/heads/main``."""
    return (
        name.startswith("refs/")
        and len(name) <= 1024
        and not name.endswith(("/", "."))
        and not BAD_REF_PART.search(name)
    )


def _read_line(path: Path) -> str:
    return read_regular_text(path, SMALL_FILE).strip()


def _is_git_dir(folder: Path) -> bool:
    """A repository's folder (HEAD and objects) or a worktree's (HEAD and commondir)."""
    return (folder / "HEAD").is_file() and (
        (folder / "objects").is_dir() or (folder / "commondir").is_file()
    )


def _git_dir(root: Path) -> Path | None:
    """The git folder of ``root``: .git itself, or the one a .git file names (worktrees)."""
    dot_git = root / ".git"
    try:
        mode = os.stat(dot_git).st_mode
    except OSError:
        return None
    if stat.S_ISDIR(mode):
        found = dot_git
    else:
        text = _read_line(dot_git)
        if not text.startswith("gitdir:"):
            return None
        found = root / text.removeprefix("gitdir:").strip()  # an absolute path stays itself
    return found if _is_git_dir(found) else None


def _common_dir(git_dir: Path) -> Path | None:
    """Where branches live: ``git_dir``, or the repository a worktree's commondir names."""
    if not (git_dir / "commondir").exists():
        return git_dir
    common = git_dir / _read_line(git_dir / "commondir")
    return common if (common / "objects").is_dir() and (common / "refs").is_dir() else None


def _loose_ref(base: Path, ref: str) -> str | None:
    """The commit id in ``base/ref``; None when absent, outside ``base`` or not a commit id."""
    try:
        path = (base / ref).resolve(strict=True)
    except OSError:
        return None
    if not path.is_relative_to(base.resolve()):
        return None
    content = _read_line(path)
    return content if COMMIT_ID.fullmatch(content) else None


def _packed_ref(common: Path, ref: str) -> str | None:
    packed = common / "packed-refs"
    if not packed.exists():
        return None
    for line in read_regular_text(packed, PACKED_REFS_LIMIT).splitlines():
        commit, _, name = line.partition(" ")
        if name == ref:
            return commit if COMMIT_ID.fullmatch(commit) else None
    return None


def _find_ref(git_dir: Path, common: Path, ref: str) -> str | None:
    for base in (git_dir, common):
        if (base / ref).exists() or (base / ref).is_symlink():
            return _loose_ref(base, ref)
    return _packed_ref(common, ref)


def git_commit(root: Path) -> dict | None:
    """``{"commit", "branch"}`` read from the .git folder (no git command, no network).

    None when there is no repository or it cannot be read as git would read it;
    ``commit`` is None when HEAD names a branch without a commit (a new repository)
    or one that holds no commit id.
    """
    try:
        git_dir = _git_dir(Path(root))
        common = _common_dir(git_dir) if git_dir else None
        if git_dir is None or common is None:
            return None
        head = _read_line(git_dir / "HEAD")
        if COMMIT_ID.fullmatch(head):
            return {"commit": head, "branch": None}
        ref = head.removeprefix("ref:").strip()
        if not head.startswith("ref:") or not well_formed_ref(ref):
            return None
        return {
            "commit": _find_ref(git_dir, common, ref),
            "branch": ref.removeprefix("refs/heads/"),
        }
    except (OSError, UnicodeDecodeError):
        return None
