"""Finish the new project: drop unused options, then make its git repository.

Git work never raises: when it cannot be done (git missing, no identity, already
inside a repository, nothing to commit) the hook says in one line what it skipped and how to do it
by hand. It never pushes. A project folder that already has ``.git`` (a re-bake
with ``cookiecutter -f`` over an existing project) gets no git work at all: its
history is the user's, and a new commit would sweep in their untracked files.

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
import subprocess
import sys

ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")
RENDER_MODE = "{{ freshboot_render_mode() }}"

# The image, and the workflow that checks a deploy of it: with either option.
IMAGE_FILES = ("Dockerfile", ".dockerignore", ".github/workflows/freshness.yml")
NGINX_FILES = ("docker-compose.yml", "deploy/nginx")  # include_docker
KUBERNETES_FILES = ("deploy/kubernetes",)  # include_kubernetes
# Each dependency manager's files; a project keeps one set, so Cloud reads the stamped one.
PIP_FILES = ("requirements.txt", "requirements-dev.txt")
UV_FILES = ("uv.lock",)
COMMIT_MESSAGE = "Initial commit from streamlit-freshboot"


def say(message):
    print(f"freshboot: {message}")


def unused_files(answers):
    """Paths the answers leave out; Kubernetes runs the Dockerfile's image, so it keeps it."""
    docker = answers["include_docker"]
    kubernetes = answers.get("include_kubernetes", False)
    unused = []
    if not (docker or kubernetes):
        unused += IMAGE_FILES
    if not docker:
        unused += NGINX_FILES
    if not kubernetes:
        unused += KUBERNETES_FILES
    unused += PIP_FILES if uses_uv(answers) else UV_FILES
    return unused


def uses_uv(answers):
    return answers.get("dependency_manager", "pip") == "uv"


def fit_uv_lock(project, answers):
    """Give the shipped uv.lock's root entry this project's name and version, where uv sorts it.

    The lock was made once from the template's pins with ``python3 dev.py lock``; only the
    root entry depends on the answers, so baking needs no network and no uv.
    """
    sys.path.insert(0, project)
    from freshboot.uv_project import with_lock_root

    path = os.path.join(project, "uv.lock")
    with open(path, encoding="utf-8", newline="") as file:
        text = file.read()
    text = with_lock_root(text, answers["project_slug"], answers["initial_version"])
    with open(path, "w", encoding="utf-8", newline="") as file:
        file.write(text)


def remove_path(path):
    """Delete a file, or a folder with everything in it; a missing path is no error."""
    if os.path.isdir(path):
        for folder, _, files in os.walk(path, topdown=False):
            for name in files:
                os.remove(os.path.join(folder, name))
            os.rmdir(folder)
    else:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)


def remove_unused_files(project, answers):
    for name in unused_files(answers):
        remove_path(os.path.join(project, name))
    with contextlib.suppress(OSError):  # deploy/ goes when both of its folders went
        os.rmdir(os.path.join(project, "deploy"))


def git(cwd, *args):
    """Run git quietly; return (exit code, first line of its output), code None if git can't run."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        return None, error.strerror or str(error)
    lines = (done.stderr or done.stdout).strip().splitlines()
    return done.returncode, (lines[0] if lines else "")


def commit_problem(error):
    """What stopped the initial commit, and how to make it by hand."""
    by_hand = f'git add --all && git commit -m "{COMMIT_MESSAGE}"'
    if "identity" in error or "tell me who you are" in error or "email" in error:
        return (
            f"git does not know who you are ({error}); set it with"
            f' git config --global user.name "Your Name" and user.email, then run: {by_hand}'
        )
    return f"{error or 'git commit failed'}; fix that, then run: {by_hand}"


def init_repository(project):
    """Make ``project`` a git repository with one commit on main; never raise."""
    if os.path.lexists(os.path.join(project, ".git")):
        # A re-bake over an existing project (cookiecutter -f): its history is the user's.
        say(
            "the project already has a git repository, so no git work was done;"
            " review the re-baked files with git status and git diff, then commit what you keep"
        )
        return
    inside, error = git(os.path.dirname(project), "rev-parse", "--is-inside-work-tree")
    if inside is None:
        say(
            f"git was not found ({error}), so no repository was made;"
            " install git, then run: git init -b main"
        )
        return
    if inside == 0:
        say(
            "the project is inside an existing git work tree, so no repository was made;"
            " add it to that repository with: git add . && git commit"
        )
        return
    code, error = git(project, "init", "--quiet", "--initial-branch=main")
    if code != 0 and "initial-branch" in error:  # git older than 2.28
        code, error = git(project, "init", "--quiet")
        if code == 0:
            code, error = git(project, "symbolic-ref", "HEAD", "refs/heads/main")
    if code != 0:
        say(f"git init failed ({error}); run by hand: git init -b main")
        return
    git(project, "add", "--all")
    staged, _ = git(project, "diff", "--cached", "--quiet")
    if staged == 0:
        say(
            "git made the repository but found nothing to commit (every file is ignored?);"
            " check .gitignore, then run: git add --all && git commit"
        )
        return
    code, error = git(project, "commit", "--quiet", "--no-verify", "-m", COMMIT_MESSAGE)
    if code != 0:
        say(f"git made the repository but could not commit: {commit_problem(error)}")
        return
    if RENDER_MODE == "cruft-create":
        say(
            "cruft writes .cruft.json after the initial commit; commit it before your first"
            ' cruft update: git add .cruft.json && git commit -m "Record cruft state"'
        )


def main():
    project = os.getcwd()
    remove_unused_files(project, ANSWERS)
    if uses_uv(ANSWERS):
        fit_uv_lock(project, ANSWERS)
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
    """Delete this file when it is cookiecutter's rendered copy (tmpXXXXXXXX.py)."""
    if os.path.basename(__file__).startswith("tmp"):
        with contextlib.suppress(OSError):
            os.remove(__file__)


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        remove_rendered_copy()
