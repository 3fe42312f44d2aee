"""Fixtures for your tests. The template's own tests live in tests/freshboot/."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app() -> AppTest:
    """The whole app, run once, as a browser session would see it."""
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=30)
    at.run()
    return at
