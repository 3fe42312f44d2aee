"""A project managed with uv against the same project with pip, and against bump-my-version."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from cases import (
    PYTHON,
    ROOT,
    _deployment_version,
    bake_command,
    bump_copy,
    bump_my_version_config,
    run_quietly,
)
from measure import Comparison, alternate

UV_ANSWER = "dependency_manager=uv"
UV_STAMP_FILES = ("pyproject.toml", ".streamlit/config.toml")
# Beyond the stamps, what bump.py patch changes in a uv project: [project].version and the
# project's own entry in uv.lock. As bump-my-version reads it: literal braces doubled.
UV_VERSIONS = """
[[tool.bumpversion.files]]
filename = "pyproject.toml"
search = 'version = "{current_version}"'
replace = 'version = "{new_version}"'

[[tool.bumpversion.files]]
filename = "uv.lock"
search = "version = \\"{current_version}\\"\\nsource = {{ virtual = \\".\\" }}"
replace = "version = \\"{new_version}\\"\\nsource = {{ virtual = \\".\\" }}"
"""


def bake_into(output: Path, *answers: str) -> Path:
    shutil.rmtree(output, ignore_errors=True)
    env = {**os.environ, "FRESHBOOT_SKIP_GIT": "1"}
    run_quietly([*bake_command(ROOT, output), *answers], cwd=output.parent, env=env)
    return output / "streamlit_app"


def compare_bake_uv(work: Path, repeat: int) -> Comparison:
    candidate, base = alternate(
        lambda: bake_into(work / "bake-uv", UV_ANSWER),
        lambda: bake_into(work / "bake-pip"),
        repeat,
    )
    return Comparison(
        "bake with dependency_manager=uv vs pip (no git step)",
        candidate,
        base,
        "<= 1.2x",
        candidate <= 1.2 * base,
        note="uv's extra is the hook naming the root entry of the shipped uv.lock (no network)",
    )


def compare_bump_uv(work: Path, repeat: int) -> Comparison:
    project = bake_into(work / "uv-project", UV_ANSWER)
    ours = bump_copy(project, work / "bump-uv-ours")
    theirs = bump_copy(project, work / "bump-uv-theirs")
    version = _deployment_version(theirs)
    config = bump_my_version_config(version, UV_STAMP_FILES, UV_VERSIONS)
    (theirs / ".bumpversion.toml").write_text(config)
    candidate, base = alternate(
        lambda: run_quietly([PYTHON, "scripts/bump.py", "patch"], cwd=ours),
        lambda: run_quietly([PYTHON, "-m", "bumpversion", "bump", "patch"], cwd=theirs),
        repeat,
    )
    for name in ("app.py", "uv.lock"):
        if (ours / name).read_text() != (theirs / name).read_text():
            raise RuntimeError(f"bump.py and bump-my-version wrote different {name}")
    if _deployment_version(ours) != _deployment_version(theirs):
        raise RuntimeError("bump.py and bump-my-version disagree on the version reached")
    return Comparison(
        "bump.py patch in a uv project vs bump-my-version (same four files)",
        candidate,
        base,
        "<= 0.5x",
        candidate <= 0.5 * base,
    )
