"""Developer tasks for this template; needs only Python 3.11+ and git.

    python3 dev.py demo    bake a project with default answers and run it
                           (demo --uv: a project managed with uv, run with uv run)
    python3 dev.py test    run the template's whole test suite (extra args go to pytest)
    python3 dev.py lint    ruff check and ruff format --check on the template's own code
    python3 dev.py bench   run the benchmarks (extra args go to benchmarks/run.py)
    python3 dev.py lock    make the uv.lock uv-mode projects ship with, from the pins in the
                           template's pyproject.toml (needs PyPI; lock --upgrade takes new releases)

Each task first makes ``.venv`` and installs requirements-dev.txt into it; the
install is skipped while that file is unchanged.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements-dev.txt"
INSTALLED_MARK = VENV / "freshboot-requirements.sha256"
DEMO_DIR = Path(tempfile.gettempdir()) / "freshboot-demo"
TEMPLATE_LOCK = ROOT / "{{cookiecutter.project_slug}}" / "uv.lock"


MINIMUM_PYTHON = (3, 11)  # Streamlit 1.67 requires it
NEWER_PYTHONS = ("python3.14", "python3.13", "python3.12", "python3.11")


def ensure_supported_python() -> None:
    """Re-run this script under a newer Python from PATH when this one is too old."""
    if sys.version_info >= MINIMUM_PYTHON:
        return
    for name in NEWER_PYTHONS:
        found = shutil.which(name)
        if found:
            os.execv(found, [found, *sys.argv])
    wanted = ".".join(map(str, MINIMUM_PYTHON))
    sys.exit(f"dev.py: needs Python {wanted}+ (Streamlit requires it); none found on PATH")


def venv_python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return VENV / scripts / ("python.exe" if os.name == "nt" else "python")


def requirements_digest() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()


def environment_is_current() -> bool:
    """Whether .venv holds requirements-dev.txt as it is now."""
    return (
        venv_python().exists()
        and INSTALLED_MARK.exists()
        and INSTALLED_MARK.read_text() == requirements_digest()
    )


def ensure_environment() -> Path:
    python = venv_python()
    if not python.exists():
        print(f"dev.py: creating {VENV.name}/", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    if not environment_is_current():
        print(f"dev.py: installing {REQUIREMENTS.name}", flush=True)
        pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
        INSTALLED_MARK.write_text(requirements_digest())
    return python


def demo(args: list[str]) -> int:
    python = ensure_environment()
    uv = "--uv" in args
    args = [arg for arg in args if arg != "--uv"]
    shutil.rmtree(DEMO_DIR, ignore_errors=True)
    DEMO_DIR.mkdir(parents=True)
    answers = ["dependency_manager=uv"] if uv else []
    subprocess.run(
        [str(python), "-m", "cookiecutter", "--no-input", "-o", str(DEMO_DIR), str(ROOT), *answers],
        check=True,
    )
    project = DEMO_DIR / "streamlit_app"
    print(f"dev.py: demo project in {project}; stop the app with Ctrl+C", flush=True)
    # Loopback only: nothing outside this machine reaches the demo.
    if uv:  # uv makes the project's own .venv from uv.lock, as its README says
        command = [str(python), "-m", "uv", "run", "streamlit", "run", "app.py"]
    else:
        command = [str(python), "-m", "streamlit", "run", "app.py"]
    command += ["--server.address", "127.0.0.1", *args]
    try:
        return subprocess.run(command, cwd=project).returncode
    except KeyboardInterrupt:
        return 0


def test(args: list[str]) -> int:
    python = ensure_environment()
    workers = ["-n", "auto"] if not any(arg.startswith("-n") for arg in args) else []
    return subprocess.run([str(python), "-m", "pytest", *workers, *args], cwd=ROOT).returncode


def lint(args: list[str]) -> int:
    python = ensure_environment()
    ruff = [str(python), "-m", "ruff"]
    checked = subprocess.run([*ruff, "check", "--no-cache", *args], cwd=ROOT).returncode
    formatted = subprocess.run([*ruff, "format", "--check", "--no-cache"], cwd=ROOT).returncode
    return checked or formatted


def bench(args: list[str]) -> int:
    python = ensure_environment()
    return subprocess.run([str(python), "benchmarks/run.py", *args], cwd=ROOT).returncode


def lock(args: list[str]) -> int:
    """Bake a uv project, let uv lock it, and keep the lock as the template's uv.lock.

    Only the root entry of the lock depends on the answers; the post-gen hook writes it.
    """
    python = ensure_environment()
    with tempfile.TemporaryDirectory() as folder:
        environment = {**os.environ, "FRESHBOOT_SKIP_GIT": "1"}
        bake = [str(python), "-m", "cookiecutter", "--no-input", "-o", folder, str(ROOT)]
        subprocess.run([*bake, "dependency_manager=uv"], check=True, env=environment)
        project = Path(folder) / "streamlit_app"
        subprocess.run([str(python), "-m", "uv", "lock", *args], cwd=project, check=True)
        shutil.copyfile(project / "uv.lock", TEMPLATE_LOCK)
    written = os.path.relpath(TEMPLATE_LOCK, ROOT)
    print(f"dev.py: wrote {written}; bake and run the tests", flush=True)
    return 0


TASKS = {"demo": demo, "test": test, "lint": lint, "bench": bench, "lock": lock}


def main(argv: list[str]) -> int:
    ensure_supported_python()
    if not argv or argv[0] not in TASKS:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return TASKS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
