import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NOT_COPIED = (".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".ruff_cache")


@pytest.fixture
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture
def app() -> AppTest:
    """The whole app, run once, as a browser session would see it."""
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=30)
    at.run()
    return at


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the whole project, for tests that change files."""
    return Path(
        shutil.copytree(
            PROJECT_ROOT, tmp_path / "project", ignore=shutil.ignore_patterns(*NOT_COPIED)
        )
    )
