"""The bundled scripts/bump.py as rendered in a baked project: imported, and run for real.

Every test that changes files works on its own copy of one shared bake (with its
git repository); the script always runs as a subprocess, the way users run it.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from helpers import copy_project, git_output, run

STAMPED = ("app.py", "requirements.txt", ".streamlit/config.toml")
STAMP_FILES = ("requirements.txt", ".streamlit/config.toml")
NO_BYTECODE = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def bump(project: Path, *args: str, env=None, python=(sys.executable,)):
    command = [*python, "scripts/bump.py", *args]
    return run(command, cwd=project, env=env or NO_BYTECODE, check=False)


def contents(project: Path) -> dict[str, bytes]:
    return {name: (project / name).read_bytes() for name in STAMPED}


def stamp_line(project: Path, name: str) -> str:
    lines = (project / name).read_text(encoding="utf-8-sig").splitlines()
    [line] = [line for line in lines if line.startswith("# freshboot:")]
    return line


def leftovers(project: Path) -> list[Path]:
    return sorted(project.rglob("*.tmp"))


def refused(done, *words: str) -> None:
    """Exit 2 with one line on stderr that holds every word, and no traceback."""
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert len(done.stderr.splitlines()) == 1, done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


@pytest.fixture
def project(default_project, tmp_path) -> Path:
    return copy_project(default_project, tmp_path / "project")


@pytest.fixture(scope="module")
def baked(default_project, tmp_path_factory):
    """The rendered script and its stamps module, imported from a copy of the bake."""
    root = copy_project(default_project, tmp_path_factory.mktemp("imported") / "project")
    saved_path, saved_flag = list(sys.path), sys.dont_write_bytecode
    ours = [name for name in sys.modules if name.partition(".")[0] == "freshboot"]
    saved_modules = {name: sys.modules.pop(name) for name in ours}
    sys.dont_write_bytecode = True
    try:
        spec = importlib.util.spec_from_file_location("baked_bump", root / "scripts" / "bump.py")
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        stamps = importlib.import_module("freshboot.stamps")
        assert Path(stamps.__file__).is_relative_to(root)
        yield script, stamps
    finally:
        sys.path[:], sys.dont_write_bytecode = saved_path, saved_flag
        for name in [name for name in sys.modules if name.partition(".")[0] == "freshboot"]:
            del sys.modules[name]
        sys.modules.update(saved_modules)


# --- versions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "part", "expected"),
    [
        ("1.2.3", "patch", "1.2.4"),
        ("1.2.3", "minor", "1.3.0"),
        ("1.2.3", "major", "2.0.0"),
        ("0.9.9", "minor", "0.10.0"),
        ("1.2.4-rc.1", "patch", "1.2.4"),
        ("1.3.0-rc.1", "minor", "1.3.0"),
        ("2.0.0-rc.1", "major", "2.0.0"),
        ("1.2.3-rc.1", "minor", "1.3.0"),
        ("1.2.3+build.7", "patch", "1.2.4"),
    ],
)
def test_next_version_follows_semantic_versioning(baked, version, part, expected):
    script, _ = baked
    assert script.next_version(version, part) == expected


def test_every_command_and_the_script_teach_usage_with_an_example(baked, default_project):
    script, _ = baked
    top = bump(default_project, "--help")
    assert top.returncode == 0 and "examples:" in top.stdout
    for command in script.COMMANDS:
        assert command in top.stdout
        done = bump(default_project, command, "--help")
        assert done.returncode == 0, done.stderr
        assert f"example:\n  python scripts/bump.py {command}" in done.stdout


@pytest.mark.parametrize(
    ("part", "expected"), [("patch", "0.1.1"), ("minor", "0.2.0"), ("major", "1.0.0")]
)
def test_patch_minor_major_move_all_three_stamps_together(baked, project, part, expected):
    _, stamps = baked
    before = stamps.read_stamps(project)
    done = bump(project, part)
    assert done.returncode == 0, done.stderr
    after = stamps.read_stamps(project)
    assert after.agree, after.problems
    assert after.version == expected
    assert after.newest_time > before.newest_time
    assert f"0.1.0 -> {expected}" in done.stdout


def test_set_is_idempotent_and_accepts_pre_releases(baked, project):
    _, stamps = baked
    done = bump(project, "set", "2.0.0-rc.1")
    assert done.returncode == 0, done.stderr
    assert stamps.read_stamps(project).version == "2.0.0-rc.1"
    written = contents(project)
    again = bump(project, "set", "2.0.0-rc.1")
    assert again.returncode == 0
    assert "already at 2.0.0-rc.1" in again.stdout
    assert contents(project) == written


def test_stamp_keeps_the_version_and_always_moves_time_forward(baked, project):
    _, stamps = baked
    times = []
    for _ in range(3):  # likely within one second: each stamp must still be later
        assert bump(project, "stamp").returncode == 0
        state = stamps.read_stamps(project)
        assert state.agree and state.version == "0.1.0"
        times.append(state.newest_time)
    assert times == sorted(set(times))


def test_a_stamp_from_the_future_is_passed_by_one_second(baked, project):
    _, stamps = baked
    future = stamps.Stamp("0.1.0", stamps.parse_time("2999-01-01T00:00:00Z"))
    for name in STAMP_FILES:
        path = project / name
        path.write_bytes(stamps.with_stamp(path.read_bytes(), future))
    assert bump(project, "stamp").returncode == 0
    assert stamp_line(project, "requirements.txt") == "# freshboot: 0.1.0 2999-01-01T00:00:01Z"


# --- dry run, check, show ------------------------------------------------------------


@pytest.mark.parametrize("args", [["patch"], ["set", "3.0.0"], ["stamp"], ["minor", "--commit"]])
def test_dry_run_prints_the_diff_and_writes_nothing(project, args):
    before, head = contents(project), git_output(project, "rev-parse", "HEAD")
    done = bump(project, *args, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert contents(project) == before
    assert git_output(project, "rev-parse", "HEAD") == head
    assert "dry run, nothing written" in done.stdout
    for name in STAMP_FILES:
        assert f"+++ b/{name}" in done.stdout
    assert "-# freshboot: 0.1.0 " in done.stdout
    if "--commit" in args:
        assert "would commit: Bump deployment version to 0.2.0" in done.stdout


def test_check_and_show_on_a_fresh_bake(default_project):
    done = bump(default_project, "check")
    assert done.returncode == 0 and done.stdout.startswith("ok: 0.1.0 stamped ")
    shown = bump(default_project, "show")
    assert shown.returncode == 0
    assert "DEPLOYMENT_VERSION (app.py)  0.1.0" in shown.stdout
    assert stamp_line(default_project, "requirements.txt")[len("# freshboot: ") :] in shown.stdout
    assert "the stamps agree" in shown.stdout


def test_disagreeing_stamps_are_refused_with_nothing_written_then_repaired_by_set(project):
    path = project / "requirements.txt"
    path.write_text(path.read_text().replace("# freshboot: 0.1.0 ", "# freshboot: 9.9.9 "))
    before = contents(project)
    for args in (["patch"], ["stamp"], ["major", "--commit"]):
        refused(bump(project, *args), "requirements.txt", "9.9.9", "set X.Y.Z")
        assert contents(project) == before
    check = bump(project, "check")
    assert check.returncode == 1
    assert "requirements.txt: stamp says 9.9.9, app.py says 0.1.0" in check.stderr
    assert "bump.py set" in bump(project, "show").stdout
    assert bump(project, "set", "0.2.0").returncode == 0
    assert bump(project, "check").returncode == 0


def test_check_names_each_file_without_a_stamp_and_set_puts_it_back_first(baked, project):
    _, stamps = baked
    config = project / ".streamlit/config.toml"
    original = config.read_bytes()
    config.write_bytes(original.split(b"\n", 1)[1])
    app = project / "app.py"
    app.write_text(app.read_text().replace('DEPLOYMENT_VERSION = "0.1.0"', 'VERSION = "0.1.0"'))
    check = bump(project, "check")
    assert check.returncode == 1
    assert ".streamlit/config.toml: no '# freshboot: VERSION TIME' line" in check.stderr
    assert "app.py: no DEPLOYMENT_VERSION" in check.stderr
    assert "requirements.txt" not in check.stderr
    refused(bump(project, "set", "0.2.0"), "app.py has no DEPLOYMENT_VERSION")
    app.write_text(app.read_text().replace('VERSION = "0.1.0"', 'DEPLOYMENT_VERSION = "0.1.0"'))
    assert bump(project, "set", "0.2.0").returncode == 0
    assert bump(project, "check").returncode == 0
    stamp = stamp_line(project, "requirements.txt")
    assert config.read_bytes() == stamp.encode() + b"\n" + original.split(b"\n", 1)[1]


def test_an_invalid_version_in_app_py_fails_check(project):
    app = project / "app.py"
    app.write_text(app.read_text().replace('"0.1.0"', '"banana"'))
    for name in STAMP_FILES:
        path = project / name
        path.write_text(path.read_text().replace("freshboot: 0.1.0", "freshboot: banana"))
    check = bump(project, "check")
    assert check.returncode == 1 and "'banana' is not like 1.2.3" in check.stderr
    refused(bump(project, "patch"), "banana")


# --- bytes that must survive ----------------------------------------------------------


def test_crlf_bom_missing_last_newline_and_file_mode_survive(baked, project):
    _, stamps = baked
    app, requirements, config = (project / name for name in STAMPED)
    app.write_bytes(b"\xef\xbb\xbf" + app.read_bytes().replace(b"\n", b"\r\n"))
    requirements.write_bytes(requirements.read_bytes().replace(b"\n", b"\r\n").rstrip(b"\r\n"))
    config.write_bytes(b"\xef\xbb\xbf" + config.read_bytes().rstrip(b"\n"))
    app.chmod(0o755)
    requirements.chmod(0o600)
    before = contents(project)
    old_stamp = stamp_line(project, "requirements.txt").encode()
    done = bump(project, "patch")
    assert done.returncode == 0, done.stderr
    new_stamp = stamp_line(project, "requirements.txt").encode()
    after = contents(project)
    assert after["app.py"] == before["app.py"].replace(b'"0.1.0"', b'"0.1.1"')
    for name in STAMP_FILES:
        assert after[name] == before[name].replace(old_stamp, new_stamp)
    assert stamps.read_stamps(project).agree
    assert app.stat().st_mode & 0o777 == 0o755
    assert requirements.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("version", ["1.2", "v1.2.3", "01.2.3", "1.2.3.4", "1.2.3-", "1.2.3 ", ""])
def test_bad_versions_are_refused_with_exit_2(project, version):
    before = contents(project)
    refused(bump(project, "set", version), repr(version))
    assert contents(project) == before


@pytest.mark.parametrize(
    "args", [[], ["bump"], ["patch", "--tag"], ["stamp", "--push"], ["check", "--commit"]]
)
def test_bad_usage_exits_2_with_one_line(project, args):
    before = contents(project)
    refused(bump(project, *args), "bump.py")
    assert contents(project) == before


# --- all or nothing --------------------------------------------------------------------


def test_a_read_only_file_is_refused_and_every_original_stays(project):
    config = project / ".streamlit/config.toml"
    config.chmod(0o444)
    before = contents(project)
    refused(bump(project, "patch"), ".streamlit/config.toml", "read-only")
    assert contents(project) == before
    assert leftovers(project) == []


def test_a_vanished_file_is_refused_and_the_others_stay(project):
    before = contents(project)
    (project / ".streamlit/config.toml").unlink()
    refused(bump(project, "patch"), ".streamlit/config.toml", "cannot be read")
    assert (project / "app.py").read_bytes() == before["app.py"]
    assert (project / "requirements.txt").read_bytes() == before["requirements.txt"]


def test_a_failure_part_way_puts_back_the_files_already_replaced(baked, project):
    _, stamps = baked
    before = contents(project)
    stamp = stamps.Stamp("0.1.1", stamps.parse_time("2030-01-01T00:00:00Z"))
    prepared = stamps.prepare_writes(project, stamps.plan_changes(project, stamp))
    assert [write.change.name for write in prepared] == list(STAMPED)
    assert contents(project) == before  # preparing touches no original
    prepared[-1].temp.unlink()  # the last new file vanishes before it is moved into place
    with pytest.raises(stamps.StampError, match="config.toml.*every file was left as it was"):
        stamps.replace_all(prepared)
    assert contents(project) == before
    assert leftovers(project) == []


def test_a_file_changed_after_planning_is_refused(baked, project):
    _, stamps = baked
    stamp = stamps.Stamp("0.1.1", stamps.parse_time("2030-01-01T00:00:00Z"))
    changes = stamps.plan_changes(project, stamp)
    (project / "requirements.txt").write_text("# freshboot: 0.1.0 2030-01-01T00:00:00Z\n")
    before = contents(project)
    with pytest.raises(stamps.StampError, match="requirements.txt: changed on disk"):
        stamps.write_changes(project, changes)
    assert contents(project) == before and leftovers(project) == []


# --- git -------------------------------------------------------------------------------


def test_commit_and_tag_hold_exactly_the_three_files(project):
    done = bump(project, "patch", "--commit", "--tag")
    assert done.returncode == 0, done.stderr
    assert git_output(project, "log", "-1", "--format=%s") == "Bump deployment version to 0.1.1"
    changed = git_output(project, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert sorted(changed) == sorted(STAMPED)
    assert git_output(project, "rev-parse", "v0.1.1^{commit}") == git_output(
        project, "rev-parse", "HEAD"
    )
    assert git_output(project, "status", "--porcelain") == ""
    stamp = bump(project, "stamp", "--commit")
    assert stamp.returncode == 0, stamp.stderr
    assert git_output(project, "log", "-1", "--format=%s") == "Stamp deployment 0.1.1"
    refused(bump(project, "stamp", "--commit", "--tag"), "tag v0.1.1 already exists")


def test_commit_is_refused_with_unrelated_staged_changes(project):
    head = git_output(project, "rev-parse", "HEAD")
    home = project / "app_pages/home.py"
    home.write_text(home.read_text() + "\n# staged, unrelated\n")
    run(["git", "add", "app_pages/home.py"], cwd=project)
    before = contents(project)
    refused(bump(project, "patch", "--commit"), "app_pages/home.py", "staged")
    assert contents(project) == before
    assert git_output(project, "rev-parse", "HEAD") == head


def test_commit_is_refused_when_a_stamped_file_has_other_changes(project):
    requirements = project / "requirements.txt"
    requirements.write_text(requirements.read_text() + "pandas>=2\n")
    before = contents(project)
    refused(bump(project, "minor", "--commit"), "requirements.txt", "not committed")
    assert contents(project) == before


def test_commit_is_refused_outside_a_repository(default_project, tmp_path):
    project = Path(
        shutil.copytree(default_project, tmp_path / "plain", ignore=shutil.ignore_patterns(".git"))
    )
    env = {**NO_BYTECODE, "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    before = contents(project)
    refused(bump(project, "patch", "--commit", env=env), "not in a git repository")
    assert contents(project) == before


def test_commit_is_refused_without_git_on_path(project, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    before = contents(project)
    done = bump(project, "patch", "--commit", env={**NO_BYTECODE, "PATH": str(empty)})
    refused(done, "git was not found")
    assert contents(project) == before


def test_a_failed_commit_puts_the_files_back(project):
    hook = project / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho 'rejected by a hook' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = contents(project)
    refused(bump(project, "patch", "--commit"), "rejected by a hook", "put back")
    assert contents(project) == before
    assert git_output(project, "status", "--porcelain") == ""


def test_push_sends_the_commit_and_tag_to_the_remote(project, tmp_path):
    refused(bump(project, "patch", "--commit", "--push"), "no git remote")
    remote = tmp_path / "remote.git"
    run(["git", "init", "--quiet", "--bare", remote], cwd=tmp_path)
    run(["git", "remote", "add", "origin", remote], cwd=project)
    done = bump(project, "patch", "--commit", "--tag", "--push")
    assert done.returncode == 0, done.stderr
    head = git_output(project, "rev-parse", "HEAD")
    assert git_output(remote, "rev-parse", "main") == head
    assert git_output(remote, "rev-parse", "v0.1.1^{commit}") == head


# --- status --------------------------------------------------------------------------


def test_status_prints_the_health_report_and_exits_by_verdict(project):
    done = bump(project, "status", "--json")
    report = json.loads(done.stdout)
    assert {"version", "stamps", "verdict", "reason", "drift"} <= report.keys()
    assert report["version"] == "0.1.0"
    assert done.returncode == (0 if report["verdict"] == "fresh" else 1)
    text = bump(project, "status")
    assert text.returncode == done.returncode
    assert f"Verdict: {report['verdict'].upper()}" in text.stdout
    requirements = project / "requirements.txt"
    requirements.write_text(requirements.read_text() + "freshboot-not-a-real-package>=1\n")
    stale = bump(project, "status", "--json")
    assert stale.returncode == 1
    assert json.loads(stale.stdout)["verdict"] == "stale"


def test_only_status_needs_more_than_the_standard_library(project):
    without_site = (sys.executable, "-S")  # no site-packages: packaging cannot be imported
    refused(bump(project, "status", python=without_site), "pip install -r requirements.txt")
    for args in (["show"], ["check"], ["patch"]):
        done = bump(project, *args, python=without_site)
        assert done.returncode == 0, done.stderr
    assert "0.1.1" in bump(project, "show", python=without_site).stdout
