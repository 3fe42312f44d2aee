# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""scripts/bump.py, run the way you run it, on a copy of this project's stamped files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from freshboot.stamps import Stamp, read_stamps, stamp_files, stamped_files, with_stamp

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# app.py, requirements.txt and .streamlit/config.toml; under uv pyproject.toml and uv.lock.
STAMPED = stamped_files(PROJECT_ROOT)
FIRST_STAMP_FILE = stamp_files(PROJECT_ROOT)[0]


@pytest.fixture
def copy(project_root, tmp_path) -> Path:
    """The files bump.py reads and writes, with their stamps set to 1.0.0."""
    for name in ("scripts", "freshboot"):
        shutil.copytree(
            project_root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    for name in STAMPED:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy2(project_root / name, tmp_path / name)
    assert bump(tmp_path, "set", "1.0.0").returncode == 0
    return tmp_path


def bump(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "scripts/bump.py", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def contents(root: Path) -> list[bytes]:
    return [(root / name).read_bytes() for name in STAMPED]


def test_patch_moves_every_stamp_together(copy):
    before = read_stamps(copy)
    done = bump(copy, "patch")
    assert done.returncode == 0, done.stderr
    after = read_stamps(copy)
    assert after.agree and after.version == "1.0.1"
    assert after.newest_time > before.newest_time
    assert bump(copy, "check").returncode == 0


def test_dry_run_and_set_to_the_same_version_change_nothing(copy):
    before = contents(copy)
    assert "+DEPLOYMENT_VERSION" in bump(copy, "minor", "--dry-run").stdout
    assert bump(copy, "set", "1.0.0").stdout.startswith("already 1.0.0; ")
    assert contents(copy) == before


def test_disagreeing_stamps_fail_check_and_block_bumps(copy):
    config = copy / ".streamlit/config.toml"
    config.write_text(config.read_text().replace("# freshboot: 1.0.0", "# freshboot: 0.9.0"))
    before = contents(copy)
    check = bump(copy, "check")
    assert check.returncode == 1 and ".streamlit/config.toml" in check.stderr
    assert bump(copy, "patch").returncode == 2
    assert contents(copy) == before
    assert bump(copy, "set", "1.1.0").returncode == 0
    assert bump(copy, "check").returncode == 0


def test_a_stamp_from_the_future_fails_check_until_stamp_replaces_it(copy):
    next_year = Stamp("1.0.0", datetime.now(UTC).replace(microsecond=0) + timedelta(days=365))
    for name in stamp_files(copy):
        (copy / name).write_bytes(with_stamp((copy / name).read_bytes(), next_year))
    check = bump(copy, "check")
    assert check.returncode == 1 and f"{FIRST_STAMP_FILE}: stamp time" in check.stderr
    assert "is in the future" in check.stderr
    assert bump(copy, "patch").returncode == 2
    assert bump(copy, "stamp").returncode == 0
    assert read_stamps(copy).newest_time <= datetime.now(UTC)
    assert bump(copy, "check").returncode == 0


@pytest.mark.parametrize("version", ["1.2", "v1.2.3", "01.2.3"])
def test_bad_versions_are_refused(copy, version):
    before = contents(copy)
    done = bump(copy, "set", version)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert contents(copy) == before


def test_crlf_and_bom_survive(copy):
    stamped = copy / FIRST_STAMP_FILE
    stamped.write_bytes(b"\xef\xbb\xbf" + stamped.read_bytes().replace(b"\n", b"\r\n"))
    assert bump(copy, "stamp").returncode == 0
    data = stamped.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# freshboot: 1.0.0 ")
    assert data.count(b"\n") == data.count(b"\r\n")
    assert read_stamps(copy).agree


@pytest.mark.parametrize("version", ["1\u0663.2.3", "1.2." + "9" * 5000])
def test_versions_are_ascii_numbers_of_sane_length(copy, version):
    before = contents(copy)
    done = bump(copy, "set", version)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, done.stderr
    assert contents(copy) == before


def test_version_text_inside_a_string_is_left_alone(copy):
    app = copy / "app.py"
    note = '\nNOTES = """\nDEPLOYMENT_VERSION = "7.7.7"\n"""\n'
    app.write_text(app.read_text() + note)
    assert bump(copy, "patch").returncode == 0
    assert read_stamps(copy).version == "1.0.1"
    assert app.read_text().endswith(note)


def test_status_url_without_a_server_says_why_in_one_line(copy):
    done = bump(copy, "status", "--url", "http://127.0.0.1:9")  # the discard port: nothing there
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("bump.py: cannot reach http://127.0.0.1:9/api/health: ")
    assert len(done.stderr.splitlines()) == 1
