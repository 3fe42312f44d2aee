"""Shared fixtures. Helpers live in helpers.py."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import GIT_IDENTITY, TEMPLATE_DIR, bake

PROJECT_TEMPLATE = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"


def pytest_configure(config):
    os.environ.update(GIT_IDENTITY)
    # Never read the developer's git configuration (signing, hooks, default branch).
    os.environ["GIT_CONFIG_GLOBAL"] = os.devnull
    os.environ["GIT_CONFIG_NOSYSTEM"] = "1"
    # Tool caches left in the project template by a local run would be baked
    # into every project (and break rendering); they are never part of it.
    for cache in ("__pycache__", ".ruff_cache", ".pytest_cache"):
        for path in PROJECT_TEMPLATE.rglob(cache):
            shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def default_project(tmp_path_factory) -> Path:
    """One default bake shared by read-only tests; copy it before changing anything."""
    return bake(tmp_path_factory.mktemp("default"))


@pytest.fixture
def fresh_project(tmp_path) -> Path:
    """A default bake of this test's own, free to change."""
    return bake(tmp_path / "out")
