# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from freshboot import process
from freshboot.stamps import TIME_FORMAT, read_stamps
from freshboot.uv_project import is_uv_project

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NOT_COPIED = (".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".ruff_cache")
MANAGED_WITH_UV = is_uv_project(PROJECT_ROOT)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "requirements_txt: tests requirements.txt; skipped when uv manages the project"
    )
    config.addinivalue_line(
        "markers", "uv_lock: tests uv.lock; skipped when the project uses requirements.txt"
    )


def pytest_collection_modifyitems(config, items):
    skipped = "requirements_txt" if MANAGED_WITH_UV else "uv_lock"
    reason = "this project is managed with " + ("uv" if MANAGED_WITH_UV else "pip")
    for item in items:
        if item.get_closest_marker(skipped):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the whole project, for tests that change files."""
    return Path(
        shutil.copytree(
            PROJECT_ROOT, tmp_path / "project", ignore=shutil.ignore_patterns(*NOT_COPIED)
        )
    )


@pytest.fixture
def bump_stamp():
    """Run ``python scripts/bump.py stamp`` in a project, as before a push; returns its time."""

    def stamp(root: Path) -> str:
        # bump.py stamps to the whole second: wait for the first second after this
        # process booted, or the new stamp could be no newer than the boot.
        while datetime.now(UTC).replace(microsecond=0) <= process.BOOT_TIME:
            time.sleep(0.05)
        done = subprocess.run(
            [sys.executable, "scripts/bump.py", "stamp"],
            cwd=root,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        assert done.returncode == 0, done.stderr
        return read_stamps(root).newest_time.strftime(TIME_FORMAT)

    return stamp
