"""Baking the template: layout, stamps, sound files, lint-clean output, its own tests."""

from __future__ import annotations

import ast
import re
import sys

import pytest
from helpers import (
    OPTION_COMBINATIONS,
    assert_lint_clean,
    bake,
    generated_files,
    option_id,
    parse_file,
    run,
    tomllib,
)

STAMP = re.compile(r"^# freshboot: (\S+) (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$")
UNRENDERED = re.compile(r"{{\s*cookiecutter|{%|{{\s*freshboot|cookiecutter\.")


def stamp_line(path):
    lines = [line for line in path.read_text().splitlines() if line.startswith("# freshboot:")]
    assert len(lines) == 1, f"{path.name} must hold exactly one stamp line, has {lines}"
    return lines[0]


@pytest.fixture(scope="module", params=OPTION_COMBINATIONS, ids=option_id)
def option_bake(request, tmp_path_factory):
    return request.param, bake(tmp_path_factory.mktemp("options"), **request.param)


def test_cookies_bake_with_defaults_succeeds(cookies):
    result = cookies.bake()
    assert result.exit_code == 0, result.exception
    assert result.exception is None
    assert result.project_path.name == "streamlit_app"


def test_slug_is_derived_from_the_name(cookies):
    result = cookies.bake(extra_context={"project_name": "Sales Dashboard 2"})
    assert result.exit_code == 0, result.exception
    assert result.project_path.name == "sales_dashboard_2"


def test_layout_of_a_default_project(default_project):
    expected = [
        "app.py",
        "app_info.py",
        "app_pages/home.py",
        "freshboot/__init__.py",
        "freshboot/health_script.py",
        "freshboot/ruff.toml",
        "freshboot/stamps.py",
        ".python-version",
        ".streamlit/secrets.example.toml",
        "requirements.txt",
        "requirements-dev.txt",
        ".streamlit/config.toml",
        "scripts/bump.py",
        ".gitignore",
        "README.md",
        "pyproject.toml",
        "tests/test_app.py",
        "tests/conftest.py",
        "tests/freshboot/conftest.py",
    ]
    missing = [name for name in expected if not (default_project / name).is_file()]
    assert missing == []
    # app_pages/ and tests/ (outside tests/freshboot/) hold only the owner's files.
    assert sorted(path.name for path in (default_project / "app_pages").iterdir()) == ["home.py"]
    owner_tests = sorted(path.name for path in (default_project / "tests").glob("*.py"))
    assert owner_tests == ["conftest.py", "test_app.py"]
    assert not (default_project / "Dockerfile").exists()


def test_deployment_version_is_the_first_statement_of_app_py(default_project):
    tree = ast.parse((default_project / "app.py").read_text())
    first = tree.body[0]
    assert isinstance(first, ast.Assign)
    assert [target.id for target in first.targets] == ["DEPLOYMENT_VERSION"]
    assert first.value.value == "0.1.0"


def test_requirements_hold_one_stamp_and_only_valid_requirements(default_project):
    from packaging.requirements import Requirement

    path = default_project / "requirements.txt"
    version, stamped_at = STAMP.match(stamp_line(path)).groups()
    assert version == "0.1.0"
    requirements = [
        Requirement(line)
        for line in path.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    streamlit = [req for req in requirements if req.name == "streamlit"]
    assert len(streamlit) == 1 and str(streamlit[0].specifier).startswith(">=")


def test_config_toml_has_the_same_stamp_and_keeps_protections(default_project):
    path = default_project / ".streamlit" / "config.toml"
    config = tomllib.loads(path.read_text())
    assert config["server"]["headless"] is True
    assert config["server"].get("enableCORS", True) is True
    assert config["server"].get("enableXsrfProtection", True) is True
    assert stamp_line(path) == stamp_line(default_project / "requirements.txt")


def test_gitignore_keeps_secrets_out(default_project):
    ignored = (default_project / ".gitignore").read_text().splitlines()
    assert ".streamlit/secrets.toml" in ignored


def test_every_generated_file_is_rendered_and_parses(option_bake):
    _, project = option_bake
    for path in generated_files(project):
        text = path.read_text(encoding="utf-8")
        assert not UNRENDERED.search(text), f"unrendered template syntax in {path}"
        parse_file(path, text)


def test_generated_project_is_lint_clean_as_generated(option_bake):
    _, project = option_bake
    assert_lint_clean(project)


def test_generated_project_passes_its_own_tests(option_bake):
    options, project = option_bake
    if options["dependency_manager"] == "uv":
        pytest.skip("a uv project's tests run in its uv.lock environment: test_uv_mode.py")
    done = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project)
    assert re.search(r"\d+ passed", done.stdout)
    assert "failed" not in done.stdout
