"""The git commit of the project, read from its .git folder: no git command, no network."""

from __future__ import annotations

from pathlib import Path


def _git_dir(root: Path) -> Path | None:
    dot_git = root / ".git"
    if dot_git.is_dir():
        return dot_git
    if dot_git.is_file():  # worktrees and submodules: "gitdir: <path>"
        text = dot_git.read_text(encoding="utf-8").strip()
        if text.startswith("gitdir:"):
            found = Path(text[len("gitdir:") :].strip())
            return found if found.is_absolute() else root / found
    return None


def git_commit(root: Path) -> dict | None:
    """``{"commit", "branch"}`` read from the .git folder (no git command, no network)."""
    try:
        git_dir = _git_dir(root)
        if git_dir is None:
            return None
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref:"):
            return {"commit": head, "branch": None}
        ref = head[len("ref:") :].strip()
        branch = ref.removeprefix("refs/heads/")
        common = git_dir
        if (git_dir / "commondir").is_file():
            common = git_dir / (git_dir / "commondir").read_text(encoding="utf-8").strip()
        for base in (git_dir, common):
            if (base / ref).is_file():
                return {
                    "commit": (base / ref).read_text(encoding="utf-8").strip(),
                    "branch": branch,
                }
        packed = common / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8").splitlines():
                commit, _, name = line.partition(" ")
                if name == ref:
                    return {"commit": commit, "branch": branch}
        return {"commit": None, "branch": branch}  # a repository without commits yet
    except (OSError, UnicodeDecodeError):
        return None
