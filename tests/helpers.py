"""Helpers for the template's tests: real bakes, real git, real subprocesses."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import yaml
from cookiecutter.main import cookiecutter

__all__ = ["tomllib"]

TEMPLATE_DIR = Path(__file__).resolve().parent.parent

BOOLEAN_OPTIONS = ("init_git", "include_docker", "include_kubernetes")
# Every pair of values of the three yes/no options, in 4 bakes instead of 8:
# include_kubernetes is on exactly when one of the other two is. Each (init_git,
# include_docker) pair appears once. dependency_manager is uv exactly when init_git is
# off, so pip and uv each meet docker and kubernetes on and off.
OPTION_COMBINATIONS = [
    {
        **dict(zip(BOOLEAN_OPTIONS, (git, docker, git != docker), strict=True)),
        "dependency_manager": "pip" if git else "uv",
    }
    for git, docker in itertools.product([True, False], repeat=2)
]
# Files only one dependency manager's projects hold.
DEPENDENCY_FILES = {"pip": ("requirements.txt", "requirements-dev.txt"), "uv": ("uv.lock",)}
# Project files (path prefixes) that only bakes with include_docker or
# include_kubernetes hold.
OPTION_FILES = (
    "Dockerfile",
    ".dockerignore",
    "docker-compose.yml",
    "deploy/",
    ".github/workflows/freshness.yml",
)


def option_id(options: dict) -> str:
    return "-".join(
        f"{key}={value if isinstance(value, str) else 'on' if value else 'off'}"
        for key, value in options.items()
    )


def uses_uv(options: dict) -> bool:
    return options.get("dependency_manager") == "uv"


# A fixed identity so the post-gen hook can commit on any machine; tests that
# need git without an identity build their own environment.
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Freshboot Tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "Freshboot Tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
}


def run(args, cwd, env=None, check=True, timeout=300):
    """Run a command; on failure show its output in the assertion message."""
    done = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, args))} exited {done.returncode}\n"
            f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
        )
    return done


def bake(output_dir: Path, **extra_context) -> Path:
    """Bake the template in-process, as the cookiecutter CLI does, and return the project."""
    output_dir.mkdir(parents=True, exist_ok=True)
    return Path(
        cookiecutter(
            str(TEMPLATE_DIR),
            no_input=True,
            output_dir=str(output_dir),
            extra_context=extra_context,
            default_config=True,
        )
    )


def bake_cli(output_dir: Path, *answers: str, env=None, check=False):
    """Bake with the real ``cookiecutter`` command line; answers as ``key=value``."""
    output_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "cookiecutter", "--no-input", "--default-config"]
    command += ["-o", str(output_dir), str(TEMPLATE_DIR), *answers]
    return run(command, cwd=output_dir, env=env, check=check)


# The last line of every refused bake: the answers given, ready to run again.
RERUN_HINT = (
    "freshboot: nothing was written. To keep your answers, run the same cookiecutter command"
    " again with --no-input and these, the refused ones fixed: "
)


def refusal_reasons(stderr: str) -> list[str]:
    """The reason lines of a refused bake; fails unless the re-run hint ends the output."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines and lines[-1].startswith(RERUN_HINT), stderr
    return lines[:-1]


def copy_project(project: Path, destination: Path) -> Path:
    shutil.copytree(project, destination, symlinks=True)
    return destination


def generated_files(project: Path):
    """Every file of a baked project outside .git."""
    for path in sorted(project.rglob("*")):
        if path.is_file() and ".git" not in path.relative_to(project).parts:
            yield path


def git_output(project: Path, *args: str) -> str:
    return run(["git", *args], cwd=project).stdout.strip()


def parse_file(path: Path, text: str) -> None:
    """Compile or parse ``text`` as its file type says; raises when it is not sound."""
    if path.suffix == ".py":
        compile(text, str(path), "exec")
    elif path.suffix == ".toml":
        tomllib.loads(text)
    elif path.suffix == ".json":
        json.loads(text)
    elif path.suffix in (".yml", ".yaml"):
        yaml.safe_load(text)


def assert_lint_clean(project: Path) -> None:
    """ruff check and ruff format --check pass on a project as generated.

    serve.py sits beside the owner's settings but follows the template's style
    (freshboot/ruff.toml), so it is checked with that file, as the project's CI cannot.
    """
    for command in (["check"], ["format", "--check"]):
        ruff = [sys.executable, "-m", "ruff", *command, "--no-cache"]
        run([*ruff, "."], cwd=project)
        run([*ruff, "--config", "freshboot/ruff.toml", "serve.py"], cwd=project)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(process: subprocess.Popen, port: int, log: Path, seconds: float) -> None:
    """Wait for /_stcore/health on 127.0.0.1:``port``; fail with the log if the server exits."""
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            output = log.read_text(encoding="utf-8", errors="replace")
            command = " ".join(map(str, process.args))
            raise AssertionError(f"{command} exited {process.returncode}:\n{output}")
        try:
            url = f"http://127.0.0.1:{port}/_stcore/health"
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            output = log.read_text(encoding="utf-8", errors="replace")
            raise AssertionError(f"no answer on port {port} in {seconds} s:\n{output}")
        time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    """Stop a server started by a test: terminate, then kill if it lingers.

    A process started with ``start_new_session=True`` leads its own process group;
    the whole group is signalled, so servers it started stop with it.
    """

    def send(signal_number: int) -> None:
        try:  # the group led by the process, if it leads one
            os.killpg(process.pid, signal_number)
        except ProcessLookupError:
            if process.poll() is None:
                process.send_signal(signal_number)

    send(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        send(signal.SIGKILL)
        process.wait(timeout=15)
