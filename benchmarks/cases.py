"""The comparisons: each pits the template (or its app) against a baseline doing the least."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

from measure import Comparison, alternate

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER_START_TIMEOUT = 60

HELLO_APP = 'import streamlit as st\n\nst.write("Hello")\n'
TRIVIAL_TEMPLATE = {
    "cookiecutter.json": json.dumps({"project_slug": "trivial"}),
    "{{cookiecutter.project_slug}}/app.py": HELLO_APP,
}
BUMP_MY_VERSION_HEADER = """\
[tool.bumpversion]
current_version = "{version}"
allow_dirty = true
commit = false
tag = false

[[tool.bumpversion.files]]
filename = "app.py"
search = 'DEPLOYMENT_VERSION = "{{current_version}}"'
replace = 'DEPLOYMENT_VERSION = "{{new_version}}"'
"""
BUMP_MY_VERSION_STAMP = """
[[tool.bumpversion.files]]
filename = "{name}"
regex = true
search = '^# freshboot: {{current_version}} \\S+$'
replace = '# freshboot: {{new_version}} {{utcnow:%Y-%m-%dT%H:%M:%SZ}}'
"""


def bump_my_version_config(version: str, stamp_files: tuple[str, ...], more: str = "") -> str:
    """bump-my-version settings making bump.py's change: DEPLOYMENT_VERSION, each stamp line.

    ``more`` holds further ``[[tool.bumpversion.files]]`` tables, as bump-my-version reads them.
    """
    stamps = "".join(BUMP_MY_VERSION_STAMP.format(name=name) for name in stamp_files)
    return BUMP_MY_VERSION_HEADER.format(version=version) + stamps + more


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def run_quietly(command, cwd, env=None) -> None:
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)


def bake_command(template: Path, output: Path) -> list[str]:
    return [PYTHON, "-m", "cookiecutter", "--no-input", "-f", "-o", str(output), str(template)]


def bake_project(work: Path) -> Path:
    output = work / "project"
    shutil.rmtree(output, ignore_errors=True)
    run_quietly(bake_command(ROOT, output), cwd=work)
    return output / "streamlit_app"


def compare_bake(work: Path, repeat: int) -> Comparison:
    trivial = write_tree(work / "trivial-template", TRIVIAL_TEMPLATE)

    def ours():
        shutil.rmtree(work / "bake-ours", ignore_errors=True)
        run_quietly(bake_command(ROOT, work / "bake-ours"), cwd=work)

    def baseline():
        shutil.rmtree(work / "bake-trivial", ignore_errors=True)
        run_quietly(bake_command(trivial, work / "bake-trivial"), cwd=work)

    def ours_without_git():
        shutil.rmtree(work / "bake-no-git", ignore_errors=True)
        env = {**os.environ, "FRESHBOOT_SKIP_GIT": "1"}
        run_quietly(bake_command(ROOT, work / "bake-no-git"), cwd=work, env=env)

    candidate, base = alternate(ours, baseline, repeat)
    without_git, base_again = alternate(ours_without_git, baseline, repeat)
    return Comparison(
        "bake with defaults (hooks, git) vs one-file template",
        candidate,
        base,
        "<= 1.5x",
        candidate <= 1.5 * base,
        note=(
            f"without the git step (FRESHBOOT_SKIP_GIT=1) {without_git * 1000:.0f} ms,"
            f" {without_git / base_again:.2f}x; the rest over the baseline is the two hook"
            " processes and rendering ~30 files instead of one"
        ),
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seconds_to_health(app_dir: Path, script: str) -> float:
    """Start ``streamlit run`` on 127.0.0.1 and time until /_stcore/health answers 200."""
    port = free_port()
    command = [PYTHON, "-m", "streamlit", "run", script, "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    command += ["--browser.gatherUsageStats", "false"]
    url = f"http://127.0.0.1:{port}/_stcore/health"
    start = time.perf_counter()
    server = subprocess.Popen(
        command, cwd=app_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while time.perf_counter() - start < SERVER_START_TIMEOUT:
            try:
                with urllib.request.urlopen(url, timeout=1) as response:
                    if response.status == 200:
                        return time.perf_counter() - start
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if server.poll() is not None:
                raise RuntimeError(f"streamlit exited early in {app_dir}")
            time.sleep(0.005)
        raise RuntimeError(f"no /_stcore/health answer from {app_dir}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def compare_server_start(work: Path, project: Path, repeat: int) -> Comparison:
    hello = write_tree(work / "hello-app", {"app.py": HELLO_APP})
    candidate, base = alternate(
        lambda: seconds_to_health(project, "app.py"),
        lambda: seconds_to_health(hello, "app.py"),
        repeat,
    )
    return Comparison(
        "app start -> /_stcore/health 200 vs hello-world app",
        candidate,
        base,
        "<= 1.1x",
        candidate <= 1.1 * base,
    )


FIRST_RENDER = textwrap.dedent(
    """\
    import sys, time
    from streamlit.testing.v1 import AppTest
    start = time.perf_counter()
    at = AppTest.from_file(sys.argv[1], default_timeout=60)
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, at.exception
    print(elapsed)
    """
)


def first_render_seconds(script: Path, project: Path) -> float:
    """First AppTest render of ``script`` in a new process (imports are not timed)."""
    done = subprocess.run(
        [PYTHON, "-c", FIRST_RENDER, str(script)],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def compare_health_render(work: Path, project: Path, repeat: int) -> Comparison:
    hello = write_tree(work / "hello-page", {"hello.py": HELLO_APP}) / "hello.py"
    candidate, base = alternate(
        lambda: first_render_seconds(project / "freshboot" / "health_script.py", project),
        lambda: first_render_seconds(hello, project),
        repeat,
    )
    return Comparison(
        "health page AppTest first render vs hello-world page",
        candidate,
        base,
        "<= +50 ms",
        candidate - base <= 0.050,
        note=f"difference {1000 * (candidate - base):+.1f} ms",
    )


def bump_copy(project: Path, destination: Path) -> Path:
    shutil.rmtree(destination, ignore_errors=True)
    shutil.copytree(project, destination, ignore=shutil.ignore_patterns(".git"))
    return destination


def compare_bump(work: Path, project: Path, repeat: int) -> Comparison:
    ours = bump_copy(project, work / "bump-ours")
    theirs = bump_copy(project, work / "bump-theirs")
    version = _deployment_version(theirs)
    stamp_files = ("requirements.txt", ".streamlit/config.toml")
    (theirs / ".bumpversion.toml").write_text(bump_my_version_config(version, stamp_files))
    candidate, base = alternate(
        lambda: run_quietly([PYTHON, "scripts/bump.py", "patch"], cwd=ours),
        lambda: run_quietly([PYTHON, "-m", "bumpversion", "bump", "patch"], cwd=theirs),
        repeat,
    )
    if _deployment_version(ours) != _deployment_version(theirs):
        raise RuntimeError("bump.py and bump-my-version disagree on the version reached")
    return Comparison(
        "bump.py patch vs bump-my-version (same three files)",
        candidate,
        base,
        "<= 0.5x",
        candidate <= 0.5 * base,
    )


def _deployment_version(project: Path) -> str:
    for line in (project / "app.py").read_text().splitlines():
        if line.startswith("DEPLOYMENT_VERSION"):
            return line.split('"')[1]
    raise RuntimeError(f"no DEPLOYMENT_VERSION in {project / 'app.py'}")
