"""dependency_manager=uv: a project managed with uv, checked with the real uv.

uv comes from PyPI (requirements-dev.txt) and runs as ``python -m uv``. Checking a lock
needs no network; ``uv sync`` downloads from PyPI into one uv cache shared by the tests of
a run (``UV_CACHE_DIR``, when set, is used instead, so CI can keep it between runs).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from helpers import (
    assert_lint_clean,
    bake,
    bake_cli,
    copy_project,
    free_port,
    git_output,
    refusal_reasons,
    run,
    stop,
    tomllib,
    wait_until_healthy,
)
from packaging.specifiers import SpecifierSet
from test_health_server import browser as chromium_browser  # noqa: F401 (the browser fixture)
from test_health_server import page_text, wait_for

UV = [sys.executable, "-m", "uv"]
SLUG = "zebra_board"  # sorts after every locked package: the hook moves the root entry
BUMPS = (["patch"], ["minor"], ["major"], ["set", "3.0.0-rc.1"], ["stamp"], ["stamp"])
OTHER_PACKAGING = "24.2"  # a packaging release the lock does not pin


@pytest.fixture(scope="module")
def uv_project(tmp_path_factory) -> Path:
    return bake(tmp_path_factory.mktemp("uv"), project_name="Zebra Board", dependency_manager="uv")


def uv(args, cwd: Path, env: dict, check=True):
    return run([*UV, *args], cwd=cwd, env=env, check=check)


def bump(project: Path, *args: str, python: str = sys.executable, check=True):
    return run([python, "scripts/bump.py", *args], cwd=project, check=check)


def read_toml(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def root_entry(project: Path) -> dict:
    lock = read_toml(project / "uv.lock")
    return next(entry for entry in lock["package"] if entry["source"].get("virtual") == ".")


# --- the bake --------------------------------------------------------------------------


def test_a_uv_project_has_uv_files_and_no_requirements_files(uv_project):
    assert not (uv_project / "requirements.txt").exists()
    assert not (uv_project / "requirements-dev.txt").exists()
    pyproject = read_toml(uv_project / "pyproject.toml")
    project = pyproject["project"]
    assert (project["name"], project["version"]) == (SLUG, "0.1.0")
    assert any(line.startswith("streamlit>=") for line in project["dependencies"])
    dev = {line.split("=")[0].split(">")[0] for line in pyproject["dependency-groups"]["dev"]}
    assert dev == {"pytest", "ruff", "cruft", "pre-commit"}
    assert pyproject["tool"]["uv"]["package"] is False
    assert "ruff" in pyproject["tool"] and "cruft" in pyproject["tool"]
    pinned = (uv_project / ".python-version").read_text(encoding="ascii").strip()
    assert pinned in SpecifierSet(project["requires-python"])
    assert (root_entry(uv_project)["name"], root_entry(uv_project)["version"]) == (
        "zebra-board",
        "0.1.0",
    )
    stamp = (uv_project / "pyproject.toml").read_text(encoding="utf-8").splitlines()[0]
    assert stamp.startswith("# freshboot: 0.1.0 ")
    assert stamp in (uv_project / ".streamlit/config.toml").read_text(encoding="utf-8")
    assert_lint_clean(uv_project)


def test_a_dependency_manager_other_than_pip_or_uv_is_refused_in_one_line(tmp_path):
    done = bake_cli(tmp_path, "dependency_manager=poetry")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert refusal_reasons(done.stderr) == [
        "freshboot: dependency_manager must be one of pip, uv, not 'poetry';"
        " answer dependency_manager=pip or dependency_manager=uv."
    ]
    assert list(tmp_path.iterdir()) == []


def test_uv_lock_check_passes_offline_as_baked_and_after_every_bump(uv_project, tmp_path, uv_env):
    project = copy_project(uv_project, tmp_path / "project")
    # An empty cache and no network: checking the baked lock needs neither.
    offline = {**uv_env, "UV_CACHE_DIR": str(tmp_path / "empty-cache"), "UV_OFFLINE": "1"}
    uv(["lock", "--check"], project, offline)
    for command in BUMPS:
        before = (project / "uv.lock").read_bytes()
        bump(project, *command)
        assert (project / "uv.lock").read_bytes() != before, command
        uv(["lock", "--check"], project, offline)
        bump(project, "check")
    # stamp keeps DEPLOYMENT_VERSION and puts the stamp time into the package version.
    version = read_toml(project / "pyproject.toml")["project"]["version"]
    assert version.startswith("3.0.0rc1+stamp.") and root_entry(project)["version"] == version


def test_a_lock_that_bump_did_not_follow_fails_uv_lock_check(uv_project, tmp_path, uv_env):
    """What the bumps above prevent: [project].version moved, uv.lock not."""
    project = copy_project(uv_project, tmp_path / "project")
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace('version = "0.1.0"', 'version = "0.1.1"'), encoding="utf-8")
    offline = {**uv_env, "UV_OFFLINE": "1"}
    assert uv(["lock", "--check"], project, offline, check=False).returncode != 0
    failed = bump(project, "check", check=False)
    assert failed.returncode == 1 and "[project].version is 0.1.1" in failed.stderr


def test_bump_commit_commits_uv_lock_with_the_stamps(uv_project, tmp_path):
    project = copy_project(uv_project, tmp_path / "project")
    bump(project, "patch", "--commit")
    committed = git_output(project, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert sorted(committed) == sorted(
        ["app.py", "pyproject.toml", "uv.lock", ".streamlit/config.toml"]
    )
    assert git_output(project, "status", "--porcelain") == ""


# --- the environment uv.lock describes ------------------------------------------------


@pytest.fixture(scope="module")
def synced(uv_project, tmp_path_factory, uv_env) -> Path:
    """A copy of the project with the environment ``uv sync --locked`` builds."""
    project = copy_project(uv_project, tmp_path_factory.mktemp("synced") / SLUG)
    uv(["sync", "--locked"], project, uv_env)
    return project


def venv_tool(project: Path, name: str) -> str:
    return str(project / ".venv" / "bin" / name)


@pytest.mark.slow
def test_the_projects_tests_and_ruff_pass_in_the_locked_environment(synced, uv_env):
    done = uv(["run", "--locked", "pytest", "-q", "-rs", "-p", "no:cacheprovider"], synced, uv_env)
    assert "passed" in done.stdout and "failed" not in done.stdout
    assert "managed with pip" not in done.stdout  # tests/freshboot/test_uv.py ran
    for command in (["check", "."], ["format", "--check", "."]):
        run([venv_tool(synced, "ruff"), *command, "--no-cache"], cwd=synced)


def health(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.slow
@pytest.mark.browser
def test_a_server_from_the_locked_environment_is_fresh_until_a_package_leaves_the_lock(
    synced, uv_env, tmp_path, request
):
    browser = request.getfixturevalue("chromium_browser")
    python = venv_tool(synced, "python")
    port = free_port()
    log = tmp_path / "server.log"
    command = [venv_tool(synced, "streamlit"), "run", "serve.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(
            command, cwd=synced, stdout=output, stderr=output, start_new_session=True
        )
    try:
        wait_until_healthy(server, port, log, 60)
        status, report = health(port)
        assert (status, report["verdict"]) == (200, "fresh"), report["reason"]
        assert report["dependency_file"] == "uv.lock" and "uv.lock" in report["reason"]
        assert {row["file"] for row in report["drift"]} == {"uv.lock"}
        browser.get(f"http://127.0.0.1:{port}/health")
        wait_for(lambda: "Pins (uv.lock)" in page_text(browser), "the health page")
        text = page_text(browser)
        assert "FRESH" in text and "packaging" in text

        uv(["pip", "install", "--python", python, f"packaging=={OTHER_PACKAGING}"], synced, uv_env)
        status, report = health(port)
        assert (status, report["verdict"]) == (503, "stale")
        assert report["reason"].startswith("uv.lock asks for packaging==")
        assert f"but {OTHER_PACKAGING} is installed" in report["reason"]
        assert "uv sync --locked" in report["next_step"]
        assert "Reboot app" in report["next_step"]
        local = bump(synced, "status", python=python, check=False)
        assert local.returncode == 1 and "packaging==" in local.stdout
    finally:
        stop(server)
        uv(["sync", "--locked"], synced, uv_env)  # the next test gets the locked packages
    assert bump(synced, "status", python=python, check=False).returncode == 0


# --- cruft --------------------------------------------------------------------------


@pytest.mark.slow
def test_cruft_update_keeps_a_uv_project_uv_and_its_bumped_lock(tmp_path, uv_env):
    from test_cruft import CRUFT, git, release_template_v1

    template = tmp_path / "template"
    template.mkdir()
    release_template_v1(template)
    answers = json.dumps({"project_name": "Zebra Board", "dependency_manager": "uv"})
    create = [*CRUFT, "create", "--no-input", "--checkout", "v0.1.0", "--output-dir"]
    run([*create, tmp_path / "created", "--extra-context", answers, template], cwd=tmp_path)
    project = tmp_path / "created" / SLUG
    git(project, "add", ".cruft.json")
    git(project, "commit", "--quiet", "-m", "Record cruft state")
    bump(project, "patch", "--commit")
    bumped = {name: (project / name).read_bytes() for name in ("uv.lock", "pyproject.toml")}

    markdown = template / "{{cookiecutter.project_slug}}" / "freshboot" / "markdown.py"
    markdown.write_text(markdown.read_text(encoding="utf-8") + "\nRELEASE = 2\n", encoding="utf-8")
    git(template, "commit", "--quiet", "--all", "-m", "Template 0.2.0")
    run([*CRUFT, "update", "-y"], cwd=project)

    assert "RELEASE = 2" in (project / "freshboot" / "markdown.py").read_text(encoding="utf-8")
    assert {name: (project / name).read_bytes() for name in bumped} == bumped
    assert not (project / "requirements.txt").exists()
    assert not list(project.rglob("*.rej"))
    bump(project, "check")
    uv(["lock", "--check"], project, {**uv_env, "UV_OFFLINE": "1"})


# --- the Dockerfile -----------------------------------------------------------------


@pytest.fixture(scope="module")
def docker_uv_project(tmp_path_factory) -> Path:
    return bake(
        tmp_path_factory.mktemp("uv-docker"),
        project_name="Zebra Board",
        dependency_manager="uv",
        include_docker=True,
    )


def test_the_uv_dockerfile_syncs_the_lock_in_its_own_layer_and_serves_as_non_root(
    docker_uv_project,
):
    from test_project_tooling import SERVE_CMD, dockerfile_instructions, only, position

    instructions = dockerfile_instructions(docker_uv_project / "Dockerfile")
    copy_lock = position(instructions, "COPY", r"pyproject\.toml uv\.lock \.python-version \./")
    sync = position(instructions, "RUN", r"uv sync --frozen --no-dev")
    copy_app = position(instructions, "COPY", r"(--\S+ )*\. \.")
    user = only(instructions, "USER")
    assert copy_lock < sync < copy_app < position(instructions, "USER", re.escape(user))
    assert user.split(":")[0] not in ("root", "0")
    pinned = (docker_uv_project / ".python-version").read_text(encoding="ascii").strip()
    assert only(instructions, "FROM") == f"python:{pinned}-slim"
    assert json.loads(only(instructions, "CMD")) == SERVE_CMD
    assert not (docker_uv_project / "requirements.txt").exists()


@pytest.mark.slow
def test_the_uv_images_commands_serve_a_fresh_api_health(docker_uv_project, tmp_path, uv_env):
    """The image's install and CMD, run in its build context (no Docker engine here)."""
    from test_project_tooling import build_context, dockerfile_instructions, on_port, only

    instructions = dockerfile_instructions(docker_uv_project / "Dockerfile")
    context = build_context(docker_uv_project, tmp_path / "app")
    env = {**uv_env}
    for instruction, arguments in instructions:
        if instruction == "ENV":
            env.update(pair.split("=", 1) for pair in shlex.split(arguments))
    # This run shares the tests' uv cache; compiling bytecode only makes the image start sooner.
    env.update(UV_CACHE_DIR=uv_env["UV_CACHE_DIR"], UV_NO_CACHE="0", UV_COMPILE_BYTECODE="0")
    # The image's uv is /bin/uv; here it is the one pip installed beside this Python.
    uv_folder = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([str(context / ".venv" / "bin"), uv_folder, os.environ["PATH"]])
    install = next(arguments for name, arguments in instructions if arguments.startswith("uv "))
    run(shlex.split(install), cwd=context, env=env)
    assert not (context / ".venv" / "bin" / "pytest").exists()  # no dev group in the image

    port = free_port()
    log = tmp_path / "cmd.log"
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(
            on_port(json.loads(only(instructions, "CMD")), port),
            cwd=context,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_healthy(server, port, log, 60)
        status, report = health(port)
        assert (status, report["verdict"]) == (200, "fresh"), report["reason"]
    finally:
        stop(server)


def test_a_pip_project_someone_locks_with_uv_fails_check_until_set_moves_the_stamp(
    tmp_path, uv_env
):
    """The trap of the issue: uv init and uv lock in a pip project would make Cloud read
    uv.lock and ignore the stamped requirements.txt. Now check says so, set repairs it."""
    project = bake(tmp_path / "out", dependency_manager="pip", init_git=False)
    pyproject = project / "pyproject.toml"
    declared = '[project]\nname = "mine"\nversion = "0.0.1"\nrequires-python = ">=3.11"\n'
    declared += 'dependencies = ["streamlit>=1.67", "packaging>=23"]\n\n'
    pyproject.write_text(declared + pyproject.read_text(encoding="utf-8"), encoding="utf-8")
    uv(["lock"], project, uv_env)
    failed = bump(project, "check", check=False)
    assert failed.returncode == 1
    assert "pyproject.toml: no '# freshboot: VERSION TIME' line" in failed.stderr
    assert "requirements.txt sits beside the stamped uv.lock" in failed.stderr
    bump(project, "set", "0.2.0")
    (project / "requirements.txt").unlink()
    (project / "requirements-dev.txt").unlink()
    bump(project, "check")
    uv(["lock", "--check"], project, {**uv_env, "UV_OFFLINE": "1"})
    assert root_entry(project)["version"] == "0.2.0"
