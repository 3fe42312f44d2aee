"""The generated project's tooling: CI workflow, pre-commit, Dockerfile, .dockerignore.

Every combination of the boolean options is baked once for the module. Docker is
not available here, so the Dockerfile is parsed and its CMD and HEALTHCHECK are run
for real against the build context its .dockerignore would send.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from helpers import (
    OPTION_COMBINATIONS,
    TEMPLATE_DIR,
    bake,
    copy_project,
    free_port,
    generated_files,
    git_output,
    option_id,
    run,
    stop,
    uses_uv,
)
from packaging.requirements import Requirement

# Legal but awkward: a Docker image name cannot end in "_" or hold "___".
SLUG = "sales__app_"
BAKED_VERSION = "0.1.0"
STAMPED_FILES = ("app.py", "requirements.txt", ".streamlit/config.toml")
UV_STAMPED_FILES = ("app.py", "pyproject.toml", "uv.lock", ".streamlit/config.toml")
PROJECT_TEMPLATE = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"
SERVE_CMD = ["streamlit", "run", "serve.py", "--server.address=0.0.0.0", "--server.port=8501"]
HEALTH_URL = "http://127.0.0.1:8501/api/health"
RUFF_REPO = "https://github.com/astral-sh/ruff-pre-commit"
DOCKER_NAME_COMPONENT = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")


def key(options):
    # (init_git, include_docker) tells the combinations apart (see OPTION_COMBINATIONS).
    return (options["init_git"], options["include_docker"])


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    """Every option combination, baked once: {(init_git, include_docker): project}."""
    return {
        key(options): bake(tmp_path_factory.mktemp("tooling"), project_slug=SLUG, **options)
        for options in OPTION_COMBINATIONS
    }


@pytest.fixture(params=OPTION_COMBINATIONS, ids=option_id)
def baked(request, projects):
    return request.param, projects[key(request.param)]


@pytest.fixture
def docker_project(projects):
    return projects[(True, True)]


# --- CI workflow -----------------------------------------------------------------


def load_workflow(project: Path) -> dict:
    return yaml.safe_load((project / ".github/workflows/ci.yml").read_text(encoding="utf-8"))


def step_index(steps, command: str) -> int:
    matches = [i for i, step in enumerate(steps) if command in step.get("run", "")]
    assert matches, f"no CI step runs {command!r}: {[step.get('run') for step in steps]}"
    return matches[0]


def test_ci_runs_every_check_after_installing_dev_requirements(baked):
    options, project = baked
    workflow = load_workflow(project)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert {"push", "pull_request"} <= set(triggers)
    steps = workflow["jobs"]["check"]["steps"]

    installs = "uv sync --locked" if uses_uv(options) else "pip install -r requirements-dev.txt"
    install = step_index(steps, installs)
    for command in ("ruff check .", "ruff format --check .", "pytest", "cruft check"):
        assert step_index(steps, command) > install, command
    assert step_index(steps, "python scripts/bump.py check") >= 0


def test_ci_runs_the_python_the_project_pins(baked):
    from importlib import metadata

    from packaging.specifiers import SpecifierSet

    options, project = baked
    steps = load_workflow(project)["jobs"]["check"]["steps"]
    if uses_uv(options):  # uv reads .python-version itself
        assert step_index(steps, "uv python install") < step_index(steps, "uv sync")
    else:
        setup = next(step for step in steps if step["uses"].startswith("actions/setup-python@"))
        assert setup["with"]["python-version-file"] == ".python-version"
    pinned = (project / ".python-version").read_text(encoding="ascii").strip()
    assert pinned == f"{sys.version_info.major}.{sys.version_info.minor}"
    supported = SpecifierSet(metadata.metadata("streamlit")["Requires-Python"])
    assert pinned in supported, (pinned, supported)


def test_ci_caches_pip_on_both_requirements_files(baked):
    options, project = baked
    steps = load_workflow(project)["jobs"]["check"]["steps"]
    if uses_uv(options):
        setup = [step for step in steps if step.get("uses", "").startswith("astral-sh/setup-uv@")]
        assert len(setup) == 1 and setup[0]["with"]["enable-cache"] is True
        return
    setup = [step for step in steps if step.get("uses", "").startswith("actions/setup-python@")]
    assert len(setup) == 1
    settings = setup[0]["with"]
    assert settings["cache"] == "pip"
    assert settings["cache-dependency-path"].split() == ["requirements.txt", "requirements-dev.txt"]


def test_ci_runs_cruft_check_only_when_the_project_has_cruft_state(baked):
    _, project = baked
    steps = load_workflow(project)["jobs"]["check"]["steps"]
    cruft = steps[step_index(steps, "cruft check")]
    assert cruft["if"].replace(" ", "") == "hashFiles('.cruft.json')!=''"


def test_ci_fails_on_leftovers_of_a_template_update(projects, tmp_path):
    project = copy_project(projects[(True, False)], tmp_path / "project")
    steps = load_workflow(project)["jobs"]["check"]["steps"]
    script = steps[step_index(steps, "*.rej")]["run"]

    def ci_step():
        return run(["bash", "-c", script], cwd=project, check=False)

    assert ci_step().returncode == 0
    (project / "app.py.rej").write_text("@@ rejected hunk\n")
    marker = "<" * 7 + " ours\n" + "=" * 7 + "\n" + ">" * 7 + " theirs\n"
    with (project / "app_pages/home.py").open("a") as page:
        page.write(marker)
    run(["git", "add", "--all"], cwd=project)
    failed = ci_step()
    assert failed.returncode == 1
    assert "app.py.rej" in failed.stdout and "app_pages/home.py" in failed.stdout


def test_ci_builds_and_probes_the_image_only_with_the_docker_option(baked):
    options, project = baked
    jobs = load_workflow(project)["jobs"]
    image = options["include_docker"] or options["include_kubernetes"]
    assert ("docker" in jobs) is image
    if image:
        script = " ".join(step.get("run", "") for step in jobs["docker"]["steps"])
        assert "docker build" in script
        assert "/api/health" in script


def test_github_expressions_reach_the_project_unrendered(baked):
    """Jinja must not eat `${{ … }}`: each file keeps every expression of its template."""
    _, project = baked
    expressions = re.compile(r"\$\{\{.*?\}\}")
    checked = 0
    for template_file in PROJECT_TEMPLATE.rglob("*"):
        if not template_file.is_file() or "${{" not in template_file.read_text(encoding="utf-8"):
            continue
        rendered = project / template_file.relative_to(PROJECT_TEMPLATE)
        if not rendered.exists():  # left out by an option
            continue
        expected = expressions.findall(template_file.read_text(encoding="utf-8"))
        assert expressions.findall(rendered.read_text(encoding="utf-8")) == expected
        checked += 1
    assert checked >= 1
    ci = (project / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    assert "if: hashFiles('.cruft.json') != ''" in ci
    assert ci.endswith("\n") and not ci.endswith("\n\n") and not ci.startswith("\n")


# --- pre-commit ------------------------------------------------------------------


def load_pre_commit(project: Path) -> dict:
    return yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))


def local_stamp_hook(project: Path) -> dict:
    hooks = [
        hook
        for repo in load_pre_commit(project)["repos"]
        if repo["repo"] == "local"
        for hook in repo["hooks"]
        if "scripts/bump.py check" in hook["entry"]
    ]
    assert len(hooks) == 1, "one local hook must run scripts/bump.py check"
    return hooks[0]


def dev_requirement(project: Path, name: str) -> Requirement:
    if (project / "uv.lock").exists():
        pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
        found = [Requirement(text) for text in pyproject["dependency-groups"]["dev"]]
        return next(requirement for requirement in found if requirement.name == name)
    lines = (project / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
    found = [
        Requirement(line.split("#")[0])
        for line in lines
        if line.strip() and not line.startswith(("#", "-"))
    ]
    return next(requirement for requirement in found if requirement.name == name)


def test_pre_commit_runs_ruff_at_the_version_ci_installs(baked):
    _, project = baked
    repos = load_pre_commit(project)["repos"]
    ruff = [repo for repo in repos if repo["repo"] == RUFF_REPO]
    assert len(ruff) == 1
    assert {hook["id"] for hook in ruff[0]["hooks"]} == {"ruff-check", "ruff-format"}
    pin = dev_requirement(project, "ruff").specifier
    assert str(pin) == f"=={ruff[0]['rev'].removeprefix('v')}"


def test_stamp_hook_runs_once_per_commit_that_touches_a_stamped_file(baked):
    options, project = baked
    hook = local_stamp_hook(project)
    assert hook["language"] in ("system", "python")
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for name in UV_STAMPED_FILES if uses_uv(options) else STAMPED_FILES:
        assert files.search(name), name
    for name in ("README.md", "app_pages/home.py", "tests/test_app.py", "old/app.py"):
        assert not files.search(name), name


def our_python_first(env) -> dict[str, str]:
    """``env`` with this interpreter's folder (python, streamlit) first on PATH."""
    return {**env, "PATH": os.pathsep.join([str(Path(sys.executable).parent), env["PATH"]])}


def run_hook_entry(entry: str, project: Path) -> subprocess.CompletedProcess:
    """Run ``entry`` as pre-commit does: split like a shell, from the repository root,
    with the hook environment's interpreter first on PATH."""
    return subprocess.run(
        shlex.split(entry),
        cwd=project,
        env=our_python_first(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def disagree(project: Path, name: str) -> None:
    """Edit one stamp by hand so it no longer matches the other two."""
    path = project / name
    text = path.read_text(encoding="utf-8")
    changed = text.replace(f" {BAKED_VERSION} ", " 9.9.9 ").replace(f'"{BAKED_VERSION}"', '"9.9.9"')
    assert changed.count("9.9.9") == 1, name
    path.write_text(changed, encoding="utf-8")


@pytest.mark.parametrize("edited", STAMPED_FILES)
def test_stamp_hook_passes_a_fresh_bake_and_blocks_a_hand_edited_stamp(
    default_project, tmp_path, edited
):
    project = copy_project(default_project, tmp_path / "project")
    entry = local_stamp_hook(project)["entry"]

    done = run_hook_entry(entry, project)
    assert done.returncode == 0, done.stdout + done.stderr

    disagree(project, edited)
    done = run_hook_entry(entry, project)
    assert done.returncode == 1, done.stdout + done.stderr
    assert edited in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_pre_commit_refuses_a_commit_whose_stamps_disagree(projects, tmp_path):
    """Real pre-commit and git with the project's own local hook. The ruff hooks are left
    out of this run only because installing them needs the network."""
    pytest.importorskip("pre_commit", reason="pre-commit is not installed")
    project = copy_project(projects[(True, False)], tmp_path / "project")
    config = load_pre_commit(project)
    config["repos"] = [repo for repo in config["repos"] if repo["repo"] == "local"]
    local_only = tmp_path / "local-only.yaml"
    local_only.write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    pre_commit = [sys.executable, "-m", "pre_commit"]
    run([*pre_commit, "install", "--config", local_only], cwd=project, env=env)
    head = git_output(project, "rev-parse", "HEAD")

    disagree(project, "requirements.txt")
    run(["git", "add", "requirements.txt"], cwd=project)
    refused = run(["git", "commit", "-m", "Hand-edited stamp"], cwd=project, env=env, check=False)
    assert refused.returncode != 0
    assert "requirements.txt" in refused.stdout + refused.stderr
    assert git_output(project, "rev-parse", "HEAD") == head

    run([sys.executable, "scripts/bump.py", "set", "9.9.9"], cwd=project)
    run(["git", "add", *STAMPED_FILES], cwd=project)
    run(["git", "commit", "-m", "Release 9.9.9"], cwd=project, env=env)
    assert git_output(project, "rev-parse", "HEAD") != head


# --- Dockerfile ------------------------------------------------------------------


def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order; comments dropped, continuation lines joined."""
    instructions, pending = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        words = (pending + line).strip().split(None, 1)
        instructions.append((words[0].upper(), words[1] if len(words) > 1 else ""))
        pending = ""
    assert not pending, "Dockerfile ends inside a continued line"
    return instructions


def only(instructions, name: str) -> str:
    found = [arguments for instruction, arguments in instructions if instruction == name]
    assert len(found) == 1, f"{name}: {found}"
    return found[0]


def position(instructions, name: str, pattern: str) -> int:
    for index, (instruction, arguments) in enumerate(instructions):
        if instruction == name and re.fullmatch(pattern, arguments):
            return index
    raise AssertionError(f"no {name} {pattern!r} in {instructions}")


def healthcheck_command(instructions) -> list[str]:
    options, _, command = only(instructions, "HEALTHCHECK").partition(" CMD ")
    assert all(option.startswith("--") for option in options.split())
    return json.loads(command)


def test_docker_files_exist_only_with_the_docker_option(baked):
    options, project = baked
    for name in ("Dockerfile", ".dockerignore"):
        image = options["include_docker"] or options["include_kubernetes"]
        assert (project / name).is_file() is image, name


def test_dockerfile_installs_requirements_in_their_own_layer_before_the_app(docker_project):
    instructions = dockerfile_instructions(docker_project / "Dockerfile")
    assert instructions[0][0] == "FROM"
    copy_requirements = position(instructions, "COPY", r"requirements\.txt \S+")
    install = position(instructions, "RUN", r"pip install (.* )?-r requirements\.txt( .*)?")
    copy_app = position(instructions, "COPY", r"(--\S+ )*\. \.")
    assert copy_requirements < install < copy_app
    copied = [arguments for instruction, arguments in instructions if instruction == "COPY"]
    assert len(copied) == 2, "only requirements.txt may be copied before the install"


def test_dockerfile_runs_the_slim_python_the_project_pins(docker_project):
    instructions = dockerfile_instructions(docker_project / "Dockerfile")
    image = re.fullmatch(r"python:(\d+\.\d+)-slim(-\w+)?", only(instructions, "FROM"))
    assert image, only(instructions, "FROM")
    pinned = (docker_project / ".python-version").read_text(encoding="ascii").strip()
    assert image.group(1) == pinned


def test_dockerfile_serves_as_a_non_root_user_on_8501(docker_project):
    instructions = dockerfile_instructions(docker_project / "Dockerfile")
    user = only(instructions, "USER")
    assert user.split(":")[0] not in ("root", "0")
    assert position(instructions, "USER", re.escape(user)) > position(
        instructions, "RUN", r"pip install .*"
    )
    assert only(instructions, "EXPOSE").split() == ["8501"]
    assert json.loads(only(instructions, "CMD")) == SERVE_CMD
    assert instructions[-1][0] in ("CMD", "HEALTHCHECK")


def test_dockerfile_healthcheck_probes_api_health_with_python(docker_project):
    instructions = dockerfile_instructions(docker_project / "Dockerfile")
    command = healthcheck_command(instructions)
    assert command[:2] == ["python", "-c"]
    assert "urllib.request" in command[2] and HEALTH_URL in command[2]
    assert not {"curl", "wget"} & set(re.findall(r"\w+", " ".join(command)))


# --- .dockerignore and a run of the image's commands --------------------------------


def dockerignore_patterns(project: Path) -> list[re.Pattern]:
    """Docker's matching: `*` and `?` stay inside one path segment, `**` spans any;
    a pattern that matches a folder excludes everything in it."""
    patterns = []
    for line in (project / ".dockerignore").read_text(encoding="utf-8").splitlines():
        line = line.strip().strip("/")
        if not line or line.startswith("#"):
            continue
        assert not line.startswith("!"), "exceptions are not modelled here"
        regex = ""
        for token in re.split(r"(\*\*/|\*\*|\*|\?|\[[^\]]*\])", line):
            regex += {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(token) or (
                token if token.startswith("[") else re.escape(token)
            )
        patterns.append(re.compile(regex + "(?:/.*)?"))
    return patterns


def ignored(relative: str, patterns) -> bool:
    return any(pattern.fullmatch(relative) for pattern in patterns)


def test_dockerignore_keeps_history_environments_secrets_caches_and_tests_out(docker_project):
    patterns = dockerignore_patterns(docker_project)
    for path in (
        ".git/config",
        ".venv/bin/python",
        ".env",
        ".streamlit/secrets.toml",
        "freshboot/__pycache__/stamps.cpython-313.pyc",
        ".pytest_cache/README.md",
        ".ruff_cache/CACHEDIR.TAG",
        "tests/test_app.py",
    ):
        assert ignored(path, patterns), path


def build_context(project: Path, destination: Path) -> Path:
    """Copy what `docker build` would send, .dockerignore applied."""
    patterns = dockerignore_patterns(project)
    for path in generated_files(project):
        relative = path.relative_to(project).as_posix()
        if not ignored(relative, patterns):
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    return destination


def test_dockerignore_keeps_everything_the_app_runs(docker_project, tmp_path):
    context = build_context(docker_project, tmp_path / "context")
    sent = {path.relative_to(context).as_posix() for path in context.rglob("*") if path.is_file()}
    needed = {
        path.relative_to(docker_project).as_posix()
        for pattern in ("*.py", "freshboot/*.py", "app_pages/*.py", "scripts/*.py")
        for path in docker_project.glob(pattern)
    }
    needed |= {"requirements.txt", ".streamlit/config.toml", ".python-version"}
    needed |= {".streamlit/secrets.example.toml"}
    assert needed <= sent, sorted(needed - sent)


def image_env(instructions) -> dict[str, str]:
    """The environment the container gets: ours, the Dockerfile's ENV, our Python first."""
    env = {**os.environ}
    for instruction, arguments in instructions:
        if instruction == "ENV":
            env.update(pair.split("=", 1) for pair in shlex.split(arguments))
    return our_python_first(env)


def on_port(command: list[str], port: int) -> list[str]:
    """The same command bound to 127.0.0.1 and ``port`` instead of 0.0.0.0:8501."""
    text = json.dumps(command).replace("0.0.0.0", "127.0.0.1").replace("8501", str(port))
    return json.loads(text)


@contextmanager
def container_cmd(context: Path, instructions, port: int):
    """The Dockerfile's CMD in the build context, on 127.0.0.1, stopped on exit."""
    log = context.parent / "cmd.log"
    command = on_port(json.loads(only(instructions, "CMD")), port)
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            command,
            cwd=context,
            env=image_env(instructions),
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text(encoding="utf-8")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError(f"no answer within 60 s:\n{log.read_text(encoding='utf-8')}")
        yield
    finally:
        stop(process)


@pytest.mark.slow
def test_image_cmd_serves_and_its_healthcheck_tells_fresh_from_stale(docker_project, tmp_path):
    instructions = dockerfile_instructions(docker_project / "Dockerfile")
    context = build_context(docker_project, tmp_path / "app")
    port = free_port()
    healthcheck = on_port(healthcheck_command(instructions), port)
    env = image_env(instructions)

    with container_cmd(context, instructions, port):
        fresh = run(healthcheck, cwd=context, env=env, check=False, timeout=60)
        assert fresh.returncode == 0, fresh.stderr

        # Stamps count whole seconds: stamp in a later second than the server booted in.
        time.sleep(1.05 - time.time() % 1)
        run([sys.executable, "scripts/bump.py", "stamp"], cwd=context)
        # /api/health builds its report at most once a second: the next one is stale.
        deadline = time.monotonic() + 10
        while (
            stale := run(healthcheck, cwd=context, env=env, check=False, timeout=60)
        ).returncode == 0:
            assert time.monotonic() < deadline, "the healthcheck never saw the new stamp"
            time.sleep(0.2)
        assert "503" in stale.stderr


# --- README and lint -------------------------------------------------------------


def test_readme_runbook_sections_are_filled_in(baked):
    options, project = baked
    readme = (project / "README.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", readme, flags=re.MULTILINE)
    for heading in ("Deploy on Community Cloud", "Why not the old recipes", "Docker"):
        assert heading in headings, headings
    assert "<!-- section:" not in readme
    assert "python scripts/bump.py patch --commit --push" in readme
    assert "enableCORS = false" in readme and "--force-reinstall" in readme
    tags = re.findall(r"docker build -t (\S+) \.", readme)
    if options["include_docker"] or options["include_kubernetes"]:
        assert len(tags) == 1 and DOCKER_NAME_COMPONENT.fullmatch(tags[0]), tags
        assert f"docker run -d --rm -p 8501:8501 {tags[0]})" in readme
    else:
        assert tags == []
