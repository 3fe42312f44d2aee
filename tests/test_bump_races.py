"""Two scripts/bump.py runs at once on one checkout: real processes, started together.

Each run is the real script in its own Python process; both wait for the same start
time, with their imports done, so their reads and writes overlap as they would for
two terminals, or an editor hook and a command line, pressing enter together.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import copy_project, git_output, run

STAMPED = ("app.py", "requirements.txt", ".streamlit/config.toml")
NO_BYTECODE = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
LOCKED_OUT = "another bump.py run has been changing this project"
# Imports first, then sleep until the shared start time, then run the script as `python` does.
STARTER = """
import runpy, sys, time
sys.path.insert(0, ".")
import freshboot.stamps
start = float(sys.argv[1])
sys.argv = ["scripts/bump.py", *sys.argv[2:]]
time.sleep(max(0.0, start - time.time()))
runpy.run_path("scripts/bump.py", run_name="__main__")
"""


def start_together(project: Path, *commands: list[str], delay: float = 0.25):
    start = time.time() + delay
    return [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, str(start), *command],
            cwd=project,
            env=NO_BYTECODE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]


def finish(processes) -> list[tuple[int, str, str]]:
    results = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=60)
        results.append((process.returncode, stdout, stderr))
    return results


def stamps_in(files: dict[str, str]) -> tuple[str, str, str]:
    """(DEPLOYMENT_VERSION, the stamp of requirements.txt, the stamp of config.toml)."""
    [version] = [
        line.split('"')[1]
        for line in files["app.py"].splitlines()
        if line.startswith("DEPLOYMENT_VERSION")
    ]
    stamps = [
        next(line for line in files[name].splitlines() if line.startswith("# freshboot:"))
        for name in STAMPED[1:]
    ]
    return version, *stamps


def on_disk(project: Path) -> dict[str, str]:
    return {name: (project / name).read_text(encoding="utf-8") for name in STAMPED}


def in_commit(project: Path, commit: str) -> dict[str, str]:
    return {name: git_output(project, "show", f"{commit}:./{name}") + "\n" for name in STAMPED}


def assert_one_version(files: dict[str, str]) -> str:
    version, requirements, config = stamps_in(files)
    assert requirements == config, (requirements, config)
    assert requirements.split()[2] == version, (version, requirements)
    return version


def version_parts(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@pytest.fixture(scope="module")
def project(default_project, tmp_path_factory) -> Path:
    return copy_project(default_project, tmp_path_factory.mktemp("races") / "project")


def test_patch_and_patch_together_never_lose_an_increment(project):
    for _ in range(5):  # before the lock, nearly every pair lost one
        before = version_parts(assert_one_version(on_disk(project)))
        results = finish(start_together(project, ["patch"], ["patch"]))
        after = version_parts(assert_one_version(on_disk(project)))
        codes = sorted(code for code, _, _ in results)
        assert codes in ([0, 0], [0, 2]), results
        expected = before[2] + (2 if codes == [0, 0] else 1)
        assert after == (*before[:2], expected), results
        for code, _, stderr in results:
            if code == 2:
                assert LOCKED_OUT in stderr and len(stderr.splitlines()) == 1, stderr


def test_patch_and_minor_together_never_mix_two_versions(project):
    for _ in range(4):
        major, minor, patch = version_parts(assert_one_version(on_disk(project)))
        results = finish(start_together(project, ["patch"], ["minor"]))
        assert [code for code, _, _ in results] == [0, 0], results
        after = version_parts(assert_one_version(on_disk(project)))
        # patch then minor, or minor then patch
        assert after in ((major, minor + 1, 0), (major, minor + 1, 1)), results


def test_commits_together_never_undo_each_other(project):
    run(["git", "add", "--all"], cwd=project)
    run(["git", "commit", "-q", "--allow-empty", "-m", "Bumps made above"], cwd=project)
    for _ in range(3):
        head = git_output(project, "rev-parse", "HEAD")
        results = finish(
            start_together(project, ["patch", "--commit"], ["minor", "--commit"], delay=0.3)
        )
        assert [code for code, _, _ in results] == [0, 0], results
        assert git_output(project, "status", "--porcelain") == ""
        commits = git_output(project, "rev-list", f"{head}..HEAD").splitlines()
        assert len(commits) == 2, results
        versions = [assert_one_version(in_commit(project, commit)) for commit in commits]
        assert versions[0] == assert_one_version(on_disk(project))
        assert version_parts(versions[0]) > version_parts(versions[1])


def test_a_second_run_waits_for_the_first_then_refuses_in_one_line(project):
    """A first run that takes long (a slow pre-commit hook) keeps the second one out."""
    hook = project / ".git/hooks/pre-commit"
    committing = project.parent / "committing.marker"
    hook.write_text(f"#!/bin/sh\ntouch '{committing}'\nsleep 6.5\n")
    hook.chmod(0o755)
    try:
        head = git_output(project, "rev-parse", "HEAD")
        before = assert_one_version(on_disk(project))
        [first] = start_together(project, ["patch", "--commit"], delay=0)
        deadline = time.monotonic() + 30
        while not committing.exists():  # the first run holds the lock until its commit ends
            assert time.monotonic() < deadline and first.poll() is None, finish([first])
            time.sleep(0.05)
        started = time.monotonic()
        [second] = start_together(project, ["patch"], delay=0)
        [(first_code, first_out, first_err), (second_code, _, second_err)] = finish([first, second])
        waited = time.monotonic() - started
    finally:
        hook.unlink()
    assert first_code == 0, first_err
    assert second_code == 2 and len(second_err.splitlines()) == 1, second_err
    assert second_err.startswith(f"bump.py: {LOCKED_OUT} for 5 s"), second_err
    assert waited > 4.5, waited
    after = assert_one_version(on_disk(project))
    assert version_parts(after)[2] == version_parts(before)[2] + 1
    assert git_output(project, "rev-list", "--count", f"{head}..HEAD") == "1"
    assert git_output(project, "status", "--porcelain") == ""
