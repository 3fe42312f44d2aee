"""The README's two set-up commands, run as a newcomer runs them.

``python3 dev.py demo`` bakes a project with default answers and serves it;
``python3 dev.py test`` runs this suite and is what ``.ci/run`` calls.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys

import pytest
from helpers import TEMPLATE_DIR, free_port, git_output, stop, wait_until_healthy

import dev

DEMO_COMMAND = "python3 dev.py demo"
TEST_COMMAND = "python3 dev.py test"
STARTUP_SECONDS = 120


def test_readme_names_both_commands_and_ci_runs_the_test_command():
    readme = (TEMPLATE_DIR / "README.md").read_text(encoding="utf-8")
    assert DEMO_COMMAND in readme and TEST_COMMAND in readme
    ci_lines = (TEMPLATE_DIR / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert TEST_COMMAND in ci_lines


@pytest.mark.slow
@pytest.mark.skipif(
    not dev.environment_is_current(),
    reason="needs the .venv that dev.py makes: run the suite with python3 dev.py test",
)
def test_demo_command_bakes_the_default_project_and_serves_it(tmp_path):
    project, output = serve_demo(tmp_path, os.environ)
    assert f"demo project in {project}" in output
    assert 'DEPLOYMENT_VERSION = "0.1.0"' in (project / "app.py").read_text(encoding="utf-8")
    assert git_output(project, "log", "--format=%s") == "Initial commit from streamlit-freshboot"


def serve_demo(tmp_path, environ, *options: str) -> tuple:
    """Run ``python3 dev.py demo [options]`` until the app answers; (project, its output)."""
    port = free_port()
    log_path = tmp_path / "demo.log"
    # dev.py bakes into the system temporary folder: point it at this test's folder.
    env = {**environ, "TMPDIR": str(tmp_path)}
    command = [sys.executable, "dev.py", "demo", *options, "--server.port", str(port)]
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            cwd=TEMPLATE_DIR,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # dev.py and the server it starts stop together
        )
    try:
        wait_until_healthy(process, port, log_path, STARTUP_SECONDS)
    finally:
        stop(process)
    output = log_path.read_text(encoding="utf-8", errors="replace")
    return tmp_path / "freshboot-demo" / "streamlit_app", output


# --- every other command the README shows, on the repository as delivered ---------

TEMPLATE_PATH_PLACEHOLDER = "path/to/streamlit-freshboot"
DOCS = ("README.md", "CHANGELOG.md", "docs/cruft.md")


def shown_commands(prefix: str) -> list[str]:
    """Lines of the docs' code blocks that run ``prefix`` on a clone of this repository."""
    found = []
    for name in DOCS:
        for line in (TEMPLATE_DIR / name).read_text(encoding="utf-8").splitlines():
            command = line.split("#", 1)[0].strip()
            if command.startswith(prefix) and TEMPLATE_PATH_PLACEHOLDER in command:
                found.append(command)
    return found


def test_every_release_commit_the_docs_name_is_in_the_repository():
    named = set()
    for name in DOCS:
        text = (TEMPLATE_DIR / name).read_text(encoding="utf-8")
        named |= set(re.findall(r"--checkout ([0-9a-f]{7,40})\b", text))
        named |= set(re.findall(r"\(commit ([0-9a-f]{7,40})\)", text))
    assert named, "the docs name no release commit"
    for commit in sorted(named):
        assert git_output(TEMPLATE_DIR, "rev-parse", "--verify", f"{commit}^{{commit}}")
    for name in DOCS:
        text = (TEMPLATE_DIR / name).read_text(encoding="utf-8")
        assert not re.search(r"--checkout v\d", text), f"{name} names a tag the repository lacks"


def test_the_readme_cookiecutter_command_bakes_from_a_clone(tmp_path):
    (command,) = shown_commands("cookiecutter ")
    args = shlex.split(command.replace(TEMPLATE_PATH_PLACEHOLDER, str(TEMPLATE_DIR)))
    args[1:1] = ["--no-input", "-o", str(tmp_path)]
    done = subprocess.run(
        [sys.executable, "-m", *args], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "streamlit_app" / "app.py").is_file()


@pytest.mark.slow
def test_the_cruft_create_commands_the_docs_show_work(tmp_path):
    commands = shown_commands("cruft create")
    assert any("--checkout" in command for command in commands), commands
    for number, command in enumerate(commands):
        output = tmp_path / str(number)
        output.mkdir()
        args = shlex.split(command.replace(TEMPLATE_PATH_PLACEHOLDER, str(TEMPLATE_DIR)))
        args[2:2] = ["--no-input", "--output-dir", str(output)]
        done = subprocess.run(
            [sys.executable, "-m", *args], cwd=output, capture_output=True, text=True
        )
        assert done.returncode == 0, (command, done.stderr)
        state = json.loads((output / "streamlit_app" / ".cruft.json").read_text())
        if "--checkout" in args:
            wanted = args[args.index("--checkout") + 1]
            assert state["commit"].startswith(wanted)


needs_dev_environment = pytest.mark.skipif(
    not dev.environment_is_current(),
    reason="needs the .venv that dev.py makes: run the suite with python3 dev.py test",
)


def test_the_readme_lists_every_dev_task_it_runs():
    readme = (TEMPLATE_DIR / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"^python3 dev\.py (\w+)", readme, re.MULTILINE))
    assert shown == set(dev.TASKS), (shown, set(dev.TASKS))


@needs_dev_environment
def test_the_lint_task_passes_on_the_template():
    done = subprocess.run(
        [sys.executable, "dev.py", "lint"], cwd=TEMPLATE_DIR, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "All checks passed!" in done.stdout


@pytest.mark.slow
@needs_dev_environment
def test_the_lock_task_makes_the_lock_the_template_ships(tmp_path, monkeypatch, uv_env):
    shipped = dev.TEMPLATE_LOCK.read_bytes()
    monkeypatch.setattr(dev, "TEMPLATE_LOCK", tmp_path / "uv.lock")
    for name in ("UV_CACHE_DIR", "UV_PYTHON_DOWNLOADS", "UV_PYTHON", "UV_NO_PROGRESS"):
        monkeypatch.setenv(name, uv_env[name])
    assert dev.lock([]) == 0
    assert (tmp_path / "uv.lock").read_bytes() == shipped


@pytest.mark.slow
@needs_dev_environment
def test_demo_with_uv_serves_the_uv_project(tmp_path, uv_env):
    project, _ = serve_demo(tmp_path, uv_env, "--uv")
    assert (project / "uv.lock").is_file() and not (project / "requirements.txt").exists()
    assert (project / ".venv").is_dir()  # uv run made the project's own environment
