"""Finish the new project: drop unused options, then make its git repository.

Git work never raises: when it cannot be done (git missing, no identity, already
inside a repository) the hook says in one line what it skipped and how to do it
by hand. It never pushes.

``cruft update`` renders the template twice (old and new commit) and ``cruft
diff`` once, each into a throw-away directory, and runs this hook there. A
``.git`` made in such a render breaks the update (the patch then touches
``.git`` and cruft silently applies nothing), so in those renders the hook only
tidies its own directory. cruft marks these renders with no variable or context
key: ``freshboot_template.render_mode`` finds cruft's modules on the call stack
while cookiecutter renders this file and writes the answer into RENDER_MODE.
The generated pyproject.toml also has ``[tool.cruft] skip = [".git"]``.

Under ``cruft create`` cruft writes ``.cruft.json`` after this hook, so it cannot
be part of the initial commit; the hook says in one line how to commit it.
``FRESHBOOT_SKIP_GIT=1`` turns the git step off by hand.

cookiecutter runs this hook from a rendered copy in the temporary folder and
never deletes it (cookiecutter issue 886); the copy holds every answer, so the
hook removes it when it is done.
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")
RENDER_MODE = "{{ freshboot_render_mode() }}"

DOCKER_FILES = ("Dockerfile", ".dockerignore")
COMMIT_MESSAGE = "Initial commit from streamlit-freshboot"


def say(message):
    print(f"freshboot: {message}")


def remove_unused_files(project, answers):
    if not answers["include_docker"]:
        for name in DOCKER_FILES:
            (project / name).unlink(missing_ok=True)


def git(project, *args):
    """Run git quietly; return (ok, first line of its error output)."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=project,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        return False, str(error)
    lines = (done.stderr or done.stdout).strip().splitlines()
    return done.returncode == 0, (lines[0] if lines else "")


def init_repository(project):
    """Make ``project`` a git repository with one commit on main; never raise."""
    if shutil.which("git") is None:
        say("git was not found, so no repository was made; install git, then run: git init -b main")
        return
    inside, _ = git(project.parent, "rev-parse", "--is-inside-work-tree")
    if inside:
        say(
            "the project is inside an existing git work tree, so no repository was made;"
            " add it to that repository with: git add . && git commit"
        )
        return
    ok, error = git(project, "init", "--quiet", "--initial-branch=main")
    if not ok and "initial-branch" in error:  # git older than 2.28
        ok, error = git(project, "init", "--quiet")
        ok = ok and git(project, "symbolic-ref", "HEAD", "refs/heads/main")[0]
    if not ok:
        say(f"git init failed ({error}); run by hand: git init -b main")
        return
    git(project, "add", "--all")
    ok, error = git(project, "commit", "--quiet", "--no-verify", "-m", COMMIT_MESSAGE)
    if not ok:
        say(
            f"git made the repository but could not commit ({error}); set your identity with"
            ' git config --global user.name "Your Name" and user.email, then run:'
            f' git add --all && git commit -m "{COMMIT_MESSAGE}"'
        )
        return
    if RENDER_MODE == "cruft-create":
        say(
            "cruft writes .cruft.json after the initial commit; commit it before your first"
            ' cruft update: git add .cruft.json && git commit -m "Record cruft state"'
        )


def main():
    project = Path.cwd()
    remove_unused_files(project, ANSWERS)
    if RENDER_MODE == "cruft-rerender":
        return 0
    if not ANSWERS["init_git"]:
        return 0
    if os.environ.get("FRESHBOOT_SKIP_GIT") == "1":
        say("FRESHBOOT_SKIP_GIT=1 is set, so no repository was made")
        return 0
    init_repository(project)
    return 0


def remove_rendered_copy():
    script = Path(__file__).resolve()
    if script.parent == Path(tempfile.gettempdir()).resolve() and script.name.startswith("tmp"):
        with contextlib.suppress(OSError):
            script.unlink()


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        remove_rendered_copy()
