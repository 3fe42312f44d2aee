"""The bundled scripts/bump.py as rendered in a baked project: imported, and run for real.

Every test that changes files works on its own copy of one shared bake (with its
git repository); the script always runs as a subprocess, the way users run it.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import copy_project, git_output, run

STAMPED = ("app.py", "requirements.txt", ".streamlit/config.toml")
STAMP_FILES = ("requirements.txt", ".streamlit/config.toml")
NO_BYTECODE = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
FUTURE_FIX = "is in the future: fix the clock, then run python scripts/bump.py stamp"


def bump(project: Path, *args: str, env=None, python=(sys.executable,)):
    command = [*python, "scripts/bump.py", *args]
    return run(command, cwd=project, env=env or NO_BYTECODE, check=False)


def contents(project: Path) -> dict[str, bytes]:
    return {name: (project / name).read_bytes() for name in STAMPED}


def stamp_line(project: Path, name: str) -> str:
    lines = (project / name).read_text(encoding="utf-8-sig").splitlines()
    [line] = [line for line in lines if line.startswith("# freshboot:")]
    return line


def write_stamps_at(stamps, project: Path, when: datetime) -> str:
    """Both stamp lines set to ``when``, as a machine whose clock is off would write them."""
    stamp = stamps.Stamp(stamps.read_stamps(project).version, when.replace(microsecond=0))
    for name in STAMP_FILES:
        path = project / name
        path.write_bytes(stamps.with_stamp(path.read_bytes(), stamp))
    return stamp.time.strftime(TIME_FORMAT)


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
        assert re.search(rf"examples?:\n  python scripts/bump.py {command}\b", done.stdout)
    status = bump(default_project, "status", "--help").stdout
    assert "--url https://" in status and "--wait" in status and "--consecutive" in status
    for code in ("0  fresh", "1  stale", "2  the server cannot be reached"):
        assert code in status


def python_older_than_3_11() -> str | None:
    """A Python 3.8-3.10 on this machine (on PATH or under pyenv), or None."""
    candidates = [shutil.which(f"python3.{minor}") for minor in (10, 9, 8)]
    candidates += sorted(map(str, Path.home().glob(".pyenv/versions/3.*/bin/python")))
    for candidate in filter(None, candidates):
        code = "import sys; print((3, 8) <= sys.version_info < (3, 11))"
        probe = run([candidate, "-c", code], cwd=".", check=False)
        if probe.returncode == 0 and probe.stdout.strip() == "True":
            return candidate
    return None


def test_an_older_python_gets_one_line_and_exit_2(default_project):
    older = python_older_than_3_11()
    if older is None:
        pytest.skip("no Python older than 3.11 on this machine")
    for args in (["check"], ["--help"]):
        done = bump(default_project, *args, python=(older,))
        refused(done, "needs Python 3.11 or newer")


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
    assert again.stdout.strip() == (
        "already 2.0.0-rc.1; to force a fresh boot without a new version run:"
        " python scripts/bump.py stamp"
    )
    assert contents(project) == written


def test_stamp_keeps_the_version_and_always_moves_time_forward(baked, project):
    _, stamps = baked
    times = []
    for _ in range(3):  # likely within one second: each stamp must still be later
        done = bump(project, "stamp")
        assert done.returncode == 0, done.stderr
        state = stamps.read_stamps(project)
        assert state.agree and state.version == "0.1.0"
        written = state.newest_time.strftime(TIME_FORMAT)
        assert done.stdout.startswith(f"stamped 0.1.0 at {written} in requirements.txt, ")
        assert "->" not in done.stdout
        times.append(state.newest_time)
    assert times == sorted(set(times))


def test_a_stamp_less_than_a_minute_ahead_is_passed_by_one_second(baked, project):
    script, stamps = baked
    now = datetime.now(UTC).replace(microsecond=0)
    write_stamps_at(stamps, project, now + timedelta(seconds=60))
    state = stamps.read_stamps(project, now=now)
    assert state.agree, state.problems
    assert script.next_stamp_time(state.newest_time, now=now) == now + timedelta(seconds=61)
    # Seen by a clock one second earlier, the same stamp is 61 s ahead: a problem, not a time.
    earlier = stamps.read_stamps(project, now=now - timedelta(seconds=1))
    assert not earlier.agree and earlier.newest_time is None
    assert script.next_stamp_time(earlier.newest_time, now=now) == now


def test_a_stamp_from_the_future_fails_check_blocks_bumps_and_makes_status_unknown(baked, project):
    _, stamps = baked
    future = write_stamps_at(stamps, project, datetime.now(UTC) + timedelta(days=365))
    check = bump(project, "check")
    assert check.returncode == 1
    for name in STAMP_FILES:
        assert f"bump.py: {name}: stamp time {future} {FUTURE_FIX}" in check.stderr
    assert "set X.Y.Z" not in check.stderr  # stamp is the repair, not set
    before = contents(project)
    for part in ("patch", "minor", "major"):
        refused(bump(project, part), "requirements.txt", FUTURE_FIX)
    assert contents(project) == before
    status = bump(project, "status", "--json")
    report = json.loads(status.stdout)
    assert status.returncode == 1
    assert report["verdict"] == "unknown", report["reason"]
    assert "in the future" in report["reason"]


@pytest.mark.parametrize(("args", "version"), [(["stamp"], "0.1.0"), (["set", "0.2.0"], "0.2.0")])
def test_stamp_and_set_replace_a_stamp_from_the_future_with_the_current_time(
    baked, project, args, version
):
    _, stamps = baked
    future = write_stamps_at(stamps, project, datetime.now(UTC) + timedelta(days=365))
    started = datetime.now(UTC).replace(microsecond=0)
    done = bump(project, *args)
    assert done.returncode == 0, done.stderr
    assert (
        f"the newest stamp ({future}) was in the future; the new one takes the current time"
        in done.stdout
    )
    state = stamps.read_stamps(project)
    assert state.agree and state.version == version
    assert started <= state.newest_time <= datetime.now(UTC)
    assert bump(project, "check").returncode == 0


def test_stamp_repairs_a_future_stamp_in_one_file(baked, project):
    _, stamps = baked
    path = project / "requirements.txt"
    future = stamps.Stamp("0.1.0", datetime.now(UTC).replace(microsecond=0) + timedelta(days=9))
    path.write_bytes(stamps.with_stamp(path.read_bytes(), future))
    check = bump(project, "check")
    assert check.returncode == 1 and FUTURE_FIX in check.stderr
    assert ".streamlit/config.toml" not in check.stderr
    done = bump(project, "stamp")
    assert done.returncode == 0, done.stderr
    assert bump(project, "check").returncode == 0


# --- set -----------------------------------------------------------------------------


def test_set_to_a_lower_version_warns_in_one_line_and_sets_it(baked, project):
    _, stamps = baked
    done = bump(project, "set", "0.0.9")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == ["bump.py: warning: 0.0.9 is lower than 0.1.0 (a downgrade)"]
    assert stamps.read_stamps(project).version == "0.0.9"
    up = bump(project, "set", "0.1.0-rc.1")
    assert up.returncode == 0 and up.stderr == ""
    down = bump(project, "set", "0.1.0-beta.1", "--dry-run")
    assert down.returncode == 0 and "a downgrade" in down.stderr


def test_versions_are_ordered_by_semantic_versioning_precedence(baked):
    script, _ = baked
    ordered = [  # the example of semver.org, item 11
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.0.1",
        "1.1.0",
        "2.0.0",
    ]
    assert sorted(reversed(ordered), key=script.precedence) == ordered
    assert script.precedence("1.0.0+build.9") == script.precedence("1.0.0")


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


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda path: path.write_text(path.read_text() * 2), "2 stamp lines; keep exactly one"),
        (lambda path: path.unlink(), "cannot be read (FileNotFoundError)"),
        (lambda path: path.write_bytes(path.read_bytes() + b"\xff\xfe"), "cannot be read"),
    ],
    ids=["two-stamp-lines", "missing-file", "not-utf8"],
)
def test_check_offers_set_only_for_what_set_repairs(project, damage, problem):
    damage(project / "requirements.txt")
    check = bump(project, "check")
    assert check.returncode == 1
    assert f"requirements.txt: {problem}" in check.stderr
    assert "set X.Y.Z" not in check.stderr
    refused(bump(project, "set", "0.2.0"), "requirements.txt")


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


def test_check_wants_deployment_version_as_the_first_statement_of_app_py(project):
    app = project / "app.py"
    original = app.read_text()
    line = 'DEPLOYMENT_VERSION = "0.1.0"\n'
    app.write_text(original.replace(line, "").replace("from app_info", line + "from app_info"))
    check = bump(project, "check")
    assert check.returncode == 1
    assert "app.py: DEPLOYMENT_VERSION is not the first statement" in check.stderr
    assert len(check.stderr.splitlines()) == 1
    refused(bump(project, "patch"), "app.py", "first statement")
    before = contents(project)
    refused(bump(project, "set", "0.2.0"), "app.py", "first statement", "nothing changed")
    assert contents(project) == before
    assert bump(project, "show").stdout.splitlines()[-1].startswith("check fails: app.py:")

    app.write_text('"""The app."""\n\nfrom __future__ import annotations\n\n' + original)
    done = bump(project, "check")
    assert done.returncode == 0, done.stderr

    app.write_text(original + "\nif True\n")
    check = bump(project, "check")
    assert check.returncode == 1 and "app.py: is not valid Python (line " in check.stderr


def test_an_invalid_version_in_app_py_fails_check(project):
    app = project / "app.py"
    app.write_text(app.read_text().replace('"0.1.0"', '"banana"'))
    for name in STAMP_FILES:
        path = project / name
        path.write_text(path.read_text().replace("freshboot: 0.1.0", "freshboot: banana"))
    check = bump(project, "check")
    assert check.returncode == 1 and "'banana' is not a version like 1.2.3" in check.stderr
    refused(bump(project, "patch"), "banana")


def test_only_ascii_digits_make_a_version(project):
    app = project / "app.py"
    app.write_text(app.read_text().replace('"0.1.0"', '"1\u0663.2.3"'), encoding="utf-8")
    for name in STAMP_FILES:
        path = project / name
        path.write_text(path.read_text().replace(" 0.1.0 ", " 1\u0663.2.3 "), encoding="utf-8")
    check = bump(project, "check")
    assert check.returncode == 1 and "is not a version like 1.2.3" in check.stderr
    before = contents(project)
    refused(bump(project, "patch"), "is not a version like 1.2.3")
    assert contents(project) == before


def test_a_number_of_thousands_of_digits_is_refused_in_one_line(project):
    huge = "9" * 5000
    before = contents(project)
    refused(bump(project, "set", f"1.2.{huge}"), "has a number of 5000 digits")
    refused(bump(project, "set", f"1.2.3-rc.{huge}"), "has a number of 5000 digits")
    assert contents(project) == before
    app = project / "app.py"
    app.write_text(app.read_text().replace('"0.1.0"', f'"0.1.{huge}"'))
    for name in STAMP_FILES:
        path = project / name
        path.write_text(path.read_text().replace(" 0.1.0 ", f" 0.1.{huge} "))
    check = bump(project, "check")
    assert check.returncode == 1 and len(check.stderr.splitlines()) == 1, check.stderr
    assert "has a number of 5000 digits" in check.stderr
    assert bump(project, "show").returncode == 0
    for part in ("patch", "minor", "stamp"):
        refused(bump(project, part), "has a number of 5000 digits")
    done = bump(project, "set", "0.2.0")  # the repair, with no comparison to the old number
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert bump(project, "check").returncode == 0


def test_deployment_version_text_inside_a_string_is_no_second_definition(baked, project):
    _, stamps = baked
    app = project / "app.py"
    note = '\nNOTES = """\nDEPLOYMENT_VERSION = "7.7.7"\n"""\n# DEPLOYMENT_VERSION = "8.8.8"\n'
    app.write_text(app.read_text() + note)
    assert bump(project, "check").returncode == 0
    done = bump(project, "patch")
    assert done.returncode == 0, done.stderr
    assert stamps.read_stamps(project).version == "0.1.1"
    assert app.read_text().endswith(note)
    assert 'DEPLOYMENT_VERSION = "0.1.1"\n' in app.read_text()


def test_a_second_top_level_definition_is_still_refused(project):
    app = project / "app.py"
    app.write_text(app.read_text() + '\nDEPLOYMENT_VERSION = "7.7.7"\n')
    check = bump(project, "check")
    assert check.returncode == 1 and "2 DEPLOYMENT_VERSION lines" in check.stderr
    refused(bump(project, "set", "0.2.0"), "2 DEPLOYMENT_VERSION lines")


@pytest.mark.parametrize(
    ("literal", "rewritten"),
    [
        ("'0.1.0'", True),
        ('"0.1.0"  # the release', True),
        ('("0.1.0")', True),
        ('r"0.1.0"', False),
        ('"0.1" ".0"', False),
        ('"""0.1.0"""', False),
    ],
)
def test_set_rewrites_only_a_plain_string_literal(baked, project, literal, rewritten):
    _, stamps = baked
    app = project / "app.py"
    app.write_text(app.read_text().replace('"0.1.0"', literal, 1))
    done = bump(project, "set", "0.2.0")
    if rewritten:
        assert done.returncode == 0, done.stderr
        assert stamps.read_stamps(project).version == "0.2.0"
        assert literal.replace("0.1.0", "0.2.0") in app.read_text()
    else:
        refused(done, 'write it as DEPLOYMENT_VERSION = "X.Y.Z"')


def test_escape_codes_in_the_stamped_files_are_shown_escaped(baked, project):
    _, stamps = baked
    app = project / "app.py"
    app.write_text(app.read_text().replace('"0.1.0"', '"\x1b[2J0.1.0"'))  # a real ESC
    requirements = project / "requirements.txt"
    requirements.write_text(requirements.read_text().replace(" 0.1.0 ", " 0.1.0\x1b]0;x\x07 "))
    for args in (["show"], ["check"], ["patch"]):
        done = bump(project, *args)
        assert "\x1b" not in done.stdout + done.stderr, (args, done.stdout, done.stderr)
        assert "\\x1b[2J0.1.0" in done.stdout + done.stderr, args
    refused(bump(project, "patch"), "\\x1b[2J0.1.0")
    dry = bump(project, "set", "0.2.0", "--dry-run")
    assert dry.returncode == 0 and "\x1b" not in dry.stdout, dry.stdout
    repaired = bump(project, "set", "0.2.0")
    assert repaired.returncode == 0, repaired.stderr
    assert repaired.stdout.startswith("\\x1b[2J0.1.0 -> 0.2.0, stamped "), repaired.stdout
    assert stamps.read_stamps(project).agree


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


@pytest.mark.parametrize(
    "version",
    ["1.2", "v1.2.3", "01.2.3", "1.2.3.4", "1.2.3-", "1.2.3 ", "", "1\u0663.2.3", "\uff11.2.3"],
)
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


@contextlib.contextmanager
def flagged(path: Path, flag: str):
    """``path`` with a file attribute set (chattr +a, +i) for the block; skip where unsupported."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    done = run(["chattr", f"+{flag}", path], cwd=path.parent, check=False)
    if done.returncode != 0:
        pytest.skip(f"chattr +{flag} is not supported here: {done.stderr.strip()}")
    try:
        yield
    finally:
        run(["chattr", f"-{flag}", path], cwd=path.parent)


@pytest.mark.parametrize(
    ("target", "flag", "words"),
    [
        (".streamlit", "a", ["its folder .streamlit is append-only (chattr +a)"]),
        (".streamlit/config.toml", "a", [".streamlit/config.toml: is append-only"]),
        ("app.py", "i", ["app.py: is immutable (chattr +i)"]),
    ],
)
def test_a_file_or_folder_flagged_against_replacing_is_refused_before_any_write(
    project, target, flag, words
):
    before = contents(project)
    with flagged(project / target, flag):
        refused(bump(project, "patch"), *words, "clear the flag")
        assert leftovers(project) == []
    assert contents(project) == before


def test_a_replace_failing_midway_restores_first_then_names_the_temp_file_left(baked, project):
    """A folder made append-only after the checks: its temporary file cannot be deleted."""
    _, stamps = baked
    before = contents(project)
    stamp = stamps.Stamp("0.1.1", stamps.parse_time("2030-01-01T00:00:00Z"))
    prepared = stamps.prepare_writes(project, stamps.plan_changes(project, stamp))
    with flagged(project / ".streamlit", "a"):
        with pytest.raises(stamps.StampError) as raised:
            stamps.replace_all(prepared)
        message = str(raised.value)
        assert contents(project) == before
    [temp] = leftovers(project)
    assert message.startswith(
        ".streamlit/config.toml: cannot be replaced (Operation not permitted)"
    )
    assert "every file was left as it was" in message
    assert f"delete {temp.relative_to(project)} by hand" in message


# --- git -------------------------------------------------------------------------------


def test_commit_and_tag_hold_exactly_the_three_files(project):
    done = bump(project, "patch", "--commit", "--tag")
    assert done.returncode == 0, done.stderr
    said = done.stdout.splitlines()
    assert [line.split(" ", 1)[0] for line in said] == ["0.1.0", "committed", "tagged"], said
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


@pytest.mark.parametrize(
    "args", [["--tag"], ["--commit", "--tag"], ["--commit", "--push", "--tag"]]
)
def test_stamp_refuses_tag_up_front(project, args):
    before, head = contents(project), git_output(project, "rev-parse", "HEAD")
    refused(bump(project, "stamp", *args), "stamp takes no --tag", "a stamp is not a release")
    assert contents(project) == before
    assert git_output(project, "rev-parse", "HEAD") == head


def changed_in_head(project: Path) -> list[str]:
    return sorted(git_output(project, "show", "--name-only", "--format=", "HEAD").splitlines())


def test_stamp_then_stamp_commit_commits_the_stamp_lines(project):
    assert bump(project, "stamp").returncode == 0
    run(["git", "add", "requirements.txt"], cwd=project)  # staged, still only a stamp edit
    done = bump(project, "stamp", "--commit")
    assert done.returncode == 0, done.stderr
    assert git_output(project, "log", "-1", "--format=%s") == "Stamp deployment 0.1.0"
    assert changed_in_head(project) == sorted(STAMP_FILES)
    assert git_output(project, "status", "--porcelain") == ""


def test_patch_then_stamp_commit_is_committed_as_a_version_bump(project):
    assert bump(project, "patch").returncode == 0
    done = bump(project, "stamp", "--commit")
    assert done.returncode == 0, done.stderr
    assert git_output(project, "log", "-1", "--format=%s") == "Bump deployment version to 0.1.1"
    assert changed_in_head(project) == sorted(STAMPED)


@pytest.mark.parametrize("where", ["working tree", "index"])
def test_commit_after_a_stamp_still_refuses_any_other_change(project, where):
    assert bump(project, "stamp").returncode == 0
    requirements = project / "requirements.txt"
    stamped = requirements.read_text()
    requirements.write_text(stamped + "pandas>=2\n")
    if where == "index":
        run(["git", "add", "requirements.txt"], cwd=project)
        requirements.write_text(stamped)
    before, head = contents(project), git_output(project, "rev-parse", "HEAD")
    refused(bump(project, "stamp", "--commit"), "requirements.txt", "not committed")
    assert contents(project) == before
    assert git_output(project, "rev-parse", "HEAD") == head


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
    # Like pre-commit: progress first, the reason last.
    hook.write_text(
        "#!/bin/sh\necho '[INFO] checking files' >&2\necho 'rejected by a hook' >&2\nexit 1\n"
    )
    hook.chmod(0o755)
    before = contents(project)
    done = bump(project, "patch", "--commit")
    refused(done, "rejected by a hook", "put back")
    assert done.stdout == ""  # no "0.1.0 -> 0.1.1": the outcome is said once it is known
    assert contents(project) == before
    assert git_output(project, "status", "--porcelain") == ""


def check_out_again(project: Path) -> None:
    """Write the stamped files anew from git, as a fresh clone would with this configuration."""
    for name in STAMPED:
        (project / name).unlink()
    run(["git", "checkout", "--", *STAMPED], cwd=project)


def assert_committed_cleanly(project: Path, done, changed: list[str]) -> None:
    assert done.returncode == 0, done.stderr
    assert git_output(project, "log", "-1", "--format=%s") == "Bump deployment version to 0.1.1"
    assert changed_in_head(project) == sorted(changed)
    assert git_output(project, "status", "--porcelain") == ""


@pytest.mark.parametrize("how", ["core.autocrlf", ".gitattributes"])
def test_commit_works_when_git_checks_files_out_with_crlf(project, how):
    if how == "core.autocrlf":
        run(["git", "config", "core.autocrlf", "true"], cwd=project)
    else:
        (project / ".gitattributes").write_text("* text eol=crlf\n")
        run(["git", "add", ".gitattributes"], cwd=project)
        run(["git", "commit", "-q", "-m", "Check out with CRLF"], cwd=project)
    check_out_again(project)
    assert b"\r\n" in (project / "app.py").read_bytes()
    assert_committed_cleanly(project, bump(project, "patch", "--commit"), list(STAMPED))
    assert b"\r\n" in (project / "app.py").read_bytes()
    assert b"\r" not in run(["git", "show", "HEAD:app.py"], cwd=project).stdout.encode()


def test_commit_works_with_requirements_txt_as_a_committed_symlink(project):
    (project / "requirements").mkdir()
    (project / "requirements.txt").rename(project / "requirements/base.txt")
    (project / "requirements.txt").symlink_to("requirements/base.txt")
    run(["git", "add", "--all"], cwd=project)
    run(["git", "commit", "-q", "-m", "Keep requirements in a folder"], cwd=project)
    done = bump(project, "patch", "--commit")
    expected = ["app.py", "requirements/base.txt", ".streamlit/config.toml"]
    assert_committed_cleanly(project, done, expected)
    assert (project / "requirements.txt").is_symlink()
    assert "# freshboot: 0.1.1 " in (project / "requirements.txt").read_text()
    # an uncommitted change of the link itself is a change like any other
    (project / "requirements.txt").unlink()
    (project / "requirements.txt").symlink_to("./requirements/base.txt")
    refused(bump(project, "patch", "--commit"), "requirements.txt (a link to", "not committed")


def test_commit_in_a_repository_without_commits_says_so(default_project, tmp_path):
    project = Path(
        shutil.copytree(default_project, tmp_path / "new", ignore=shutil.ignore_patterns(".git"))
    )
    run(["git", "init", "-q"], cwd=project)
    before = contents(project)
    refused(bump(project, "patch", "--commit"), "this repository has no commits yet")
    run(["git", "add", "app.py"], cwd=project)
    refused(bump(project, "patch", "--commit"), "no commits yet")
    assert contents(project) == before


def test_commit_refuses_a_stamped_file_git_does_not_track(project):
    run(["git", "rm", "-q", "--cached", ".streamlit/config.toml"], cwd=project)
    run(["git", "commit", "-q", "-m", "Untrack the config"], cwd=project)
    before = contents(project)
    refused(bump(project, "patch", "--commit"), ".streamlit/config.toml is not tracked by git")
    assert contents(project) == before


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


def run_with_stdout_closed(project: Path, *args: str) -> tuple[int, str]:
    """Run bump.py with its reader gone before it writes, like ``bump.py show | head -0``."""
    process = subprocess.Popen(
        [sys.executable, "scripts/bump.py", *args],
        cwd=project,
        env={**NO_BYTECODE, "PYTHONUNBUFFERED": "1"},  # every print meets the closed pipe
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdout.close()
    stderr = process.stderr.read()
    process.wait(timeout=60)
    return process.returncode, stderr


@pytest.mark.parametrize(
    "args",
    [["show"], ["check"], ["--help"], ["set", "--help"], ["status"], ["patch", "--dry-run"]],
)
def test_a_reader_that_stops_early_gets_no_traceback(project, args):
    code, stderr = run_with_stdout_closed(project, *args)
    assert stderr == "", stderr
    assert code in (0, 1)


def test_a_bump_whose_reader_stopped_early_still_does_all_its_work(project):
    assert run_with_stdout_closed(project, "patch", "--commit") == (0, "")
    assert git_output(project, "log", "-1", "--format=%s") == "Bump deployment version to 0.1.1"
    assert git_output(project, "status", "--porcelain") == ""


# --- status --------------------------------------------------------------------------


def test_status_is_fresh_on_a_fresh_bake_and_exits_by_verdict(project):
    done = bump(project, "status", "--json")
    report = json.loads(done.stdout)
    assert {"version", "stamps", "verdict", "reason", "drift"} <= report.keys()
    assert report["version"] == "0.1.0"
    assert report["verdict"] == "fresh", report["reason"]
    assert done.returncode == 0
    text = bump(project, "status")
    assert text.returncode == 0
    assert text.stdout.startswith("Verdict: FRESH: ")
    requirements = project / "requirements.txt"
    requirements.write_text(requirements.read_text() + "freshboot-not-a-real-package>=1\n")
    stale = bump(project, "status", "--json")
    assert stale.returncode == 1
    assert json.loads(stale.stdout)["verdict"] == "stale"


def test_status_is_stale_only_when_the_stamp_is_newer_than_its_own_boot(baked, project):
    _, stamps = baked
    # A plain `stamp` never makes the next `status` stale: status is a new process,
    # and it boots after the stamp was written (stamps count whole seconds, so stay
    # clear of a second's start, where the boot time read from /proc may be 10 ms early).
    # A server that was already running is what goes stale (tests/test_health_server.py).
    if time.time() % 1 > 0.5:
        time.sleep(1.1 - time.time() % 1)
    assert bump(project, "stamp").returncode == 0
    fresh = bump(project, "status")
    assert fresh.returncode == 0 and fresh.stdout.startswith("Verdict: FRESH: "), fresh.stdout
    # A stamp is newer than the next process's boot only when the newest stamp is
    # already ahead of this clock (by less than the minute allowed for clock skew):
    # `stamp` passes it by one second.
    ahead = write_stamps_at(stamps, project, datetime.now(UTC) + timedelta(seconds=50))
    assert bump(project, "stamp").returncode == 0
    written = stamps.read_stamps(project).newest_time
    assert written == stamps.parse_time(ahead) + timedelta(seconds=1)
    stale = bump(project, "status", "--json")
    report = json.loads(stale.stdout)
    assert stale.returncode == 1
    assert report["verdict"] == "stale", report["reason"]
    assert "before the newest stamp" in report["reason"]
    assert written.strftime(TIME_FORMAT) in report["reason"]


def test_only_status_needs_more_than_the_standard_library(project):
    without_site = (sys.executable, "-S")  # no site-packages: packaging cannot be imported
    refused(bump(project, "status", python=without_site), "pip install -r requirements.txt")
    for args in (["show"], ["check"], ["patch"]):
        done = bump(project, *args, python=without_site)
        assert done.returncode == 0, done.stderr
    assert "0.1.1" in bump(project, "show", python=without_site).stdout
