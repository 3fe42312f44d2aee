# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""The findings behind the verdict, on real files: dependency files, Python, secrets, drift.

The template's own tests check each finding against a running server too.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest
from packaging.version import Version
from streamlit import config

from freshboot.code_drift import CodeWatch
from freshboot.config_drift import config_drift, read_config
from freshboot.dependency_files import cloud_dependency_file, dependency_file_problem
from freshboot.python_pin import pinned_python, running_python
from freshboot.report import build_report
from freshboot.requirements import _runs_another


def causes(report: dict) -> list[str]:
    return [finding["cause"] for finding in report["findings"]]


@pytest.mark.requirements_txt
@pytest.mark.parametrize("name", ["uv.lock", "Pipfile", "environment.yml"])
def test_a_dependency_file_cloud_reads_first_is_named(project_copy, name):
    (project_copy / name).write_text("\n", encoding="utf-8")
    problem = dependency_file_problem(project_copy)
    assert problem.startswith(f"Community Cloud installs from {name}, not from the stamped")
    report = build_report(project_copy)
    assert report["verdict"] == "stale" and "dependency-file" in causes(report)
    assert report["dependency_file"] == name
    check = subprocess.run(
        [sys.executable, "scripts/bump.py", "check"],
        cwd=project_copy,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 1
    assert f"installs from {name}, not from the stamped requirements.txt" in check.stderr
    assert f"delete {name}" in check.stderr
    (project_copy / name).unlink()
    assert (
        subprocess.run([sys.executable, "scripts/bump.py", "check"], cwd=project_copy).returncode
        == 0
    )


@pytest.mark.requirements_txt
def test_the_entrypoint_folder_comes_before_the_repository_root(tmp_path, project_copy):
    repository = tmp_path / "repository"
    (repository / ".git").mkdir(parents=True)
    (repository / "apps").mkdir()
    app_folder = project_copy.rename(repository / "apps" / "mine")
    (repository / "uv.lock").write_text("\n", encoding="utf-8")
    assert cloud_dependency_file(app_folder) == app_folder.resolve() / "requirements.txt"
    assert dependency_file_problem(app_folder) is None
    (app_folder / "requirements.txt").unlink()
    (app_folder / "pyproject.toml").unlink()
    assert dependency_file_problem(app_folder).startswith("Community Cloud installs from uv.lock")


@pytest.mark.requirements_txt
def test_a_pyproject_does_not_shadow_requirements(project_root):
    assert (project_root / "pyproject.toml").is_file()
    assert dependency_file_problem(project_root) is None


@pytest.mark.parametrize(
    ("text", "pinned"),
    [("3.12\n", "3.12"), ("3.12.4", "3.12"), ("cpython-3.13.1\n", "3.13"), ("# none\n", None)],
)
def test_python_version_file_forms(tmp_path, text, pinned):
    (tmp_path / ".python-version").write_text(text, encoding="utf-8")
    assert pinned_python(tmp_path) == pinned


def test_the_project_pins_the_python_it_runs(project_root):
    assert pinned_python(project_root) == running_python()
    assert "python-version" not in causes(build_report(project_root))


def test_another_python_is_stale_with_the_cloud_fix(project_copy):
    (project_copy / ".python-version").write_text("3.99\n", encoding="utf-8")
    report = build_report(project_copy)
    found = next(f for f in report["findings"] if f["cause"] == "python-version")
    assert found["verdict"] == "stale" and "Advanced settings" in found["next_step"]


def test_secrets_are_checked_by_name_and_values_never_reported(project_copy, monkeypatch):
    monkeypatch.setenv("HOME", str(project_copy))  # no ~/.streamlit/secrets.toml of the user
    streamlit_folder = project_copy / ".streamlit"
    example = streamlit_folder / "secrets.example.toml"
    example.write_text('token = "x"\n[db]\nurl = "x"\n', encoding="utf-8")
    report = build_report(project_copy)
    assert report["verdict"] == "broken"
    assert report["secrets"] == {"required": 2, "missing": ["token", "db.url"]}
    (streamlit_folder / "secrets.toml").write_text(
        'token = "value-123"\n[db]\nurl = "postgres://user:pw@host/db"\n', encoding="utf-8"
    )
    report = build_report(project_copy)
    assert report["secrets"] == {"required": 2, "missing": []}
    shown = json.dumps(report)
    assert "value-123" not in shown and "user:pw" not in shown


def test_the_generated_secrets_example_lists_no_names(project_root):
    report = build_report(project_root)
    assert report["secrets"] == {"required": 0, "missing": []}


def test_config_drift_counts_only_file_set_start_only_server_options(tmp_path):
    streamlit_folder = tmp_path / ".streamlit"
    streamlit_folder.mkdir()
    config_file = streamlit_folder / "config.toml"
    config_file.write_text(
        "# freshboot: 0.1.0 2026-01-01T00:00:00Z\n[server]\nheadless = true\n", encoding="utf-8"
    )
    booted = read_config(tmp_path)
    config_file.write_text(
        "# freshboot: 0.1.1 2026-01-02T00:00:00Z\n[server]\nheadless = true\n"
        "enableStaticServing = true\nmaxUploadSize = 5\nport = 9999\nrunOnSave = true\n"
        '[theme]\nbase = "dark"\n',
        encoding="utf-8",
    )
    before = config.get_where_defined("server.port")
    config.set_option("server.port", 8501, "command-line argument or environment variable")
    try:
        # port comes from the command line; maxUploadSize applies live; runOnSave is forced.
        assert config_drift(booted, read_config(tmp_path)) == ["server.enableStaticServing"]
    finally:
        config.set_option("server.port", 8501, before)
    config_file.write_text("[server\n", encoding="utf-8")
    assert read_config(tmp_path) is None and config_drift(booted, None) == []


def test_code_drift_fingerprints_content_and_skips_environments(tmp_path, monkeypatch):
    for folder in ("helpers_pkg", ".venv/lib/site-packages/vendored"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "__init__.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(tmp_path / ".venv/lib/site-packages"))
    for name in ("helpers_pkg", "vendored"):
        monkeypatch.delitem(sys.modules, name, raising=False)
        importlib.import_module(name)
    watch = CodeWatch(tmp_path)
    assert watch.changed() == []
    helper = tmp_path / "helpers_pkg/__init__.py"
    helper.write_text("VALUE = 1\n", encoding="utf-8")  # rewritten, same content
    (tmp_path / ".venv/lib/site-packages/vendored/__init__.py").write_text("VALUE = 22\n")
    assert watch.changed() == []
    helper.write_text("VALUE = 22\n", encoding="utf-8")
    assert watch.changed() == ["helpers_pkg"]
    helper.write_text("VALUE = 1\n", encoding="utf-8")
    assert watch.changed() == []
    for name in ("helpers_pkg", "vendored"):
        sys.modules.pop(name, None)


def test_outside_a_server_the_report_says_so(project_copy):
    # No app of this copy ran in this process, as under python scripts/bump.py status.
    report = build_report(project_copy)
    assert report["running"] is None
    assert "this is not a running server" in report["reason"]


@pytest.mark.parametrize(
    ("loaded", "installed", "another"),
    [
        ("2026.10.19", "2026.10.19.post1", False),  # certifi leaves out its post-release
        ("1.2", "1.2.0", False),
        ("1.2.3", "1.2.3+local", False),
        ("1.2.3", "1.2.4", True),
        ("1.2.3", "1.2.3rc1", True),
    ],
)
def test_a_loaded_module_runs_another_release_only_when_the_release_differs(
    loaded, installed, another
):
    assert _runs_another(Version(loaded), installed) is another
