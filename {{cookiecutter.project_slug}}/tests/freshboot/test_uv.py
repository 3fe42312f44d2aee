# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""A project managed with uv: uv.lock's pins, its version and the files beside it.

Skipped in a project that uses requirements.txt. Each test works on a copy of the project.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from freshboot.dependency_files import dependency_file_problem
from freshboot.report import build_report, format_report
from freshboot.requirements import installed_versions
from freshboot.uv_lock import check_lock
from freshboot.uv_project import lock_version, project_version

pytestmark = pytest.mark.uv_lock


def bump(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "scripts/bump.py", *args], cwd=root, capture_output=True, text=True
    )


def lock_with(root: Path, name: str, version: str) -> None:
    """Pin ``name`` at ``version`` in the copy's uv.lock, as a newer lock would."""
    lock = root / "uv.lock"
    text = lock.read_text(encoding="utf-8")
    installed = installed_versions()[name]
    entry = f'name = "{name}"\nversion = "{installed}"\n'
    assert entry in text
    lock.write_text(text.replace(entry, f'name = "{name}"\nversion = "{version}"\n'))


def test_the_pins_that_apply_here_are_checked_exactly(project_root):
    rows = {row["name"]: row for row in check_lock(project_root)}
    assert rows["streamlit"]["specifier"].startswith("==") and rows["streamlit"]["direct"]
    assert not rows["altair"]["direct"]  # pulled in by streamlit
    assert "colorama" not in rows or sys.platform == "win32"  # click needs it on Windows only


def test_a_package_installed_at_another_version_than_the_lock_is_stale(project_copy):
    lock_with(project_copy, "packaging", "0.1")
    report = build_report(project_copy)
    assert report["verdict"] == "stale"
    assert report["reason"].startswith("uv.lock asks for packaging==0.1 but ")
    assert "uv sync --locked" in report["next_step"] and "Reboot" in report["next_step"]
    assert "Requirements (uv.lock)" in format_report(report)


def test_another_dependency_file_beside_uv_lock_is_a_problem(project_copy):
    (project_copy / "requirements.txt").write_text("streamlit\n", encoding="utf-8")
    assert "requirements.txt sits beside the stamped uv.lock" in dependency_file_problem(
        project_copy
    )
    check = bump(project_copy, "check")
    assert check.returncode == 1 and "delete requirements.txt" in check.stderr


def test_every_bump_changes_uv_lock_and_stamp_keeps_the_visible_version(project_copy):
    lock = project_copy / "uv.lock"
    before = lock.read_bytes()
    assert bump(project_copy, "stamp").returncode == 0
    after_stamp = lock.read_text(encoding="utf-8")
    assert after_stamp.encode() != before
    version = project_version((project_copy / "pyproject.toml").read_text(encoding="utf-8"))
    assert "+stamp." in version and lock_version(after_stamp) == version
    assert bump(project_copy, "patch").returncode == 0
    patched = project_version((project_copy / "pyproject.toml").read_text(encoding="utf-8"))
    assert "+" not in patched and lock_version(lock.read_text(encoding="utf-8")) == patched
    assert bump(project_copy, "check").returncode == 0


def test_a_lock_that_disagrees_with_pyproject_fails_check_until_set(project_copy):
    lock = project_copy / "uv.lock"
    text = lock.read_text(encoding="utf-8")
    entry = f'version = "{lock_version(text)}"\nsource = '
    assert text.count(entry) == 1
    lock.write_text(text.replace(entry, 'version = "9.9.9"\nsource = '), encoding="utf-8")
    check = bump(project_copy, "check")
    assert check.returncode == 1 and "uv.lock: the project's own version is 9.9.9" in check.stderr
    assert bump(project_copy, "set", "2.0.0").returncode == 0
    assert bump(project_copy, "check").returncode == 0
