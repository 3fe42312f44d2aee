"""Shared fixtures. Helpers live in helpers.py."""

from __future__ import annotations

import os
import shutil
import sys
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


@pytest.fixture(scope="session")
def uv_env(tmp_path_factory) -> dict[str, str]:
    """uv's environment: this machine's Pythons only, and one cache for the whole run.

    The cache sits beside the workers' own folders, so every xdist worker shares it
    (uv locks its cache); ``UV_CACHE_DIR``, when set, is used instead.
    """
    shared = tmp_path_factory.getbasetemp().parent / "uv-cache"
    return {
        **os.environ,
        "UV_CACHE_DIR": os.environ.get("UV_CACHE_DIR") or str(shared),
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_PYTHON": sys.executable,
        "UV_NO_PROGRESS": "1",
    }
